// The alert lifecycle: a finding becomes an alert keyed by its fingerprint;
// still found → still firing; no longer found → resolved. Silences mute
// matching alerts until they expire. Pure transitions over plain records;
// persisted by StateStore. Thread-safe.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "alert/alert_finding.h"
#include "alert/notify_log.h"
#include "base/clock.h"
#include "base/status.h"
#include "model/finding.h"
#include "model/rule.h"

namespace shihyo {

class Regex;

using Labels = std::map<std::string, std::string>;

struct AlertRecord {
  enum class State { kFiring, kResolved };
  std::string fingerprint;
  std::string rule;
  Labels labels;         // alertname, severity, plan, project, indicator, … (AlertLabels)
  AlertFinding finding;  // as the last evaluation that found it saw it
  State state = State::kFiring;
  TimePoint starts_at{};             // when this firing episode began
  std::optional<TimePoint> ends_at;  // when it resolved
  TimePoint last_seen{};             // the last evaluation that found it
  std::string silenced_by;           // id of the silence muting it now; "" when not silenced
  // Why it resolved (set when it resolves, cleared when it fires again):
  // kResolved* below, or "" when none of them applies.
  std::string resolved_reason;
  // RuleDigest() of its rule as the last evaluation that found it saw it;
  // "" when unknown (alerts written before digests were kept).
  std::string rule_digest;
  std::optional<TimePoint> last_notified;  // the last notification naming it (kept when resolved)
  // (receiver, group key) pairs notified of it as firing in this episode.
  std::set<std::pair<std::string, std::string>> notified;

  bool firing() const { return state == State::kFiring; }
  bool silenced() const { return !silenced_by.empty(); }
};

// Matches a label exactly or by an anchored regular expression.
struct SilenceMatcher {
  std::string label;
  std::string value;
  bool regex = false;
  std::shared_ptr<const Regex> compiled;  // for |regex|: set by CompileSilence
  bool negate = false;                    // != and !~: holds when the value does not match

  // "label=value", "label!=value", "label=~regex" or "label!~regex".
  std::string Text() const {
    return label + (negate ? "!" : "=") + (regex ? "~" : negate ? "=" : "") + value;
  }
};

struct Silence {
  std::string id;
  std::vector<SilenceMatcher> matchers;  // all must hold
  TimePoint starts_at{};
  TimePoint ends_at{};
  std::string created_by;
  std::string comment;

  bool active(TimePoint now) const { return starts_at <= now && now < ends_at; }
};

// AlertRecord::resolved_reason: the contract the digest and webhooks read.
inline constexpr const char* kResolvedValueChanged =
    "value_changed";  // the indicator's data changed
inline constexpr const char* kResolvedRuleChanged =
    "rule_changed";  // its rule's definition changed
inline constexpr const char* kResolvedRuleRemoved = "rule_removed";  // its rule is no longer loaded
inline constexpr const char* kResolvedIndicatorRemoved =
    "indicator_removed";  // gone from the table

// One entry of an alert's history (the state DB's alert_events table).
struct AlertEvent {
  enum class Kind { kFired, kRefired, kNotified, kResolved, kSilenced, kUnsilenced };
  std::string fingerprint;
  TimePoint at{};
  Kind kind = Kind::kFired;
  std::string receiver;    // kNotified: the receiver
  std::string message_id;  // kNotified: the message's id
  // kResolved: the resolved reason; kSilenced/kUnsilenced: the silence id;
  // kNotified: "new", "ongoing", "reminder" or "resolved".
  std::string detail;
};

// "fired", "refired", "notified", "resolved", "silenced", "unsilenced": the
// names stored and shown in JSON.
const char* AlertEventKindName(AlertEvent::Kind kind);
// The kind named |name|; nullopt for an unknown name.
std::optional<AlertEvent::Kind> AlertEventKindFromName(const std::string& name);

// The labels an alert of |finding| carries (Alertmanager-compatible names):
// alertname (the rule id), rule, check, severity, plan, project, indicator,
// department, fiscal_year, plus the rule's and the indicator's labels.
Labels AlertLabels(const Finding& finding);

// Compiles the regex matchers of |silence| (anchored); kInvalidArgument names
// a bad one: "label=~value: invalid regular expression: …".
Status CompileSilence(Silence* silence);

// True when every matcher of |silence| holds for |labels|. A regex matcher
// that is not compiled (or cannot be) never matches. A regex that cannot
// decide (PCRE2's match limit) does not match either, and says why in
// |*error| (if given): the caller reports it.
bool SilenceMatches(const Silence& silence, const Labels& labels, std::string* error = nullptr);

// The id of the active silence that mutes |labels| at |now|, or "" (as
// ApplyFindings decides it for every alert it finds). A silence whose regex
// cannot decide does not mute, and says why in |errors|.
std::string MutingSilence(const std::vector<Silence>& silences, const Labels& labels, TimePoint now,
                          std::vector<std::string>* errors);

// What one evaluation did to the alerts.
struct AlertTransition {
  std::map<std::string, AlertRecord> alerts;  // every alert after the evaluation, by fingerprint
  std::vector<std::string> fired;             // fingerprints that started firing now
  std::vector<std::string> resolved;          // fingerprints that resolved now
  std::vector<std::string> changed;           // fingerprints whose record must be written
  // Of |changed|: alerts found again as they were, whose last_seen alone
  // changed (written as that alone unless notified in the same cycle).
  std::set<std::string> seen_only;
  std::vector<AlertEvent> events;  // what happened, for the alert history
  // Silences whose regex could not decide (match limit): the alert was
  // treated as not silenced. One line each, naming the silence and alert.
  std::vector<std::string> errors;
};

// What tells why an alert resolved: the rules and the indicators as this
// evaluation saw them.
struct ResolveContext {
  std::map<std::string, std::string> rule_digests;  // RuleDigest() by rule id, every loaded rule
  const std::vector<Plan>* snapshot = nullptr;      // overrides applied; null: unknown
};

// A digest of everything in |rule| that decides its findings and messages
// (check, parameters, selectors, severity, labels, message): equal digests,
// same definition. Stable across runs and builds.
std::string RuleDigest(const Rule& rule);
// The digests of every rule of |rules|, and |snapshot| (which must outlive
// the result).
ResolveContext MakeResolveContext(const RuleSet& rules, const std::vector<Plan>* snapshot);

// Applies |findings| (one whole evaluation) to |previous| at |now| with the
// active |silences|. With |why|, alerts that resolve get a resolved_reason
// and seen ones their rule's digest.
AlertTransition ApplyFindings(const std::map<std::string, AlertRecord>& previous,
                              const std::vector<Finding>& findings,
                              const std::vector<Silence>& silences, TimePoint now,
                              const ResolveContext* why = nullptr);
// The same, moving the texts of |findings| into the alerts instead of
// copying them (|findings| are left to be dropped): a first cycle's are many.
AlertTransition ApplyFindings(const std::map<std::string, AlertRecord>& previous,
                              std::vector<Finding>&& findings, const std::vector<Silence>& silences,
                              TimePoint now, const ResolveContext* why = nullptr);

// Applies the active |silences| at |now| to |previous| without an
// evaluation: only silenced_by changes (|changed| and |events| say where).
AlertTransition ReapplySilences(const std::map<std::string, AlertRecord>& previous,
                                const std::vector<Silence>& silences, TimePoint now);

// Adds to |log| what it lost while alerts were silenced: each alert firing
// and not silenced (or resolved at |now|) joins the firing set of each
// (receiver, group) that was notified of it in this episode, so that an
// alert whose silence ends is not announced as new again. Only existing
// entries change.
void RestoreNotified(const std::map<std::string, AlertRecord>& alerts, TimePoint now,
                     NotifyLog* log);
// The same for one alert.
void RestoreNotified(const AlertRecord& alert, TimePoint now, NotifyLog* log);

}  // namespace shihyo
