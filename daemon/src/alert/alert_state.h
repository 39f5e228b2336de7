// The alert lifecycle: a finding becomes an alert keyed by its fingerprint;
// still found → still firing; no longer found → resolved. Silences mute
// matching alerts until they expire. Pure transitions over plain records;
// persisted by StateStore. Thread-safe.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "alert/alert_finding.h"
#include "base/clock.h"
#include "base/status.h"
#include "model/finding.h"

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
  // Silences whose regex could not decide (match limit): the alert was
  // treated as not silenced. One line each, naming the silence and alert.
  std::vector<std::string> errors;
};

// Applies |findings| (one whole evaluation) to |previous| at |now| with the
// active |silences|.
AlertTransition ApplyFindings(const std::map<std::string, AlertRecord>& previous,
                              const std::vector<Finding>& findings,
                              const std::vector<Silence>& silences, TimePoint now);

}  // namespace shihyo
