#include "alert/alert_state.h"

#include <cstdio>
#include <iterator>
#include <set>
#include <type_traits>
#include <unordered_set>
#include <utility>

#include "base/regex.h"
#include "eval/checks/check.h"

namespace shihyo {

Labels AlertLabels(const Finding& f) {
  Labels labels = f.labels;  // rule and indicator labels; ours take precedence
  labels["alertname"] = f.rule;
  labels["rule"] = f.rule;
  labels["check"] = f.check;
  labels["severity"] = SeverityName(f.severity);
  labels["plan"] = f.plan;
  labels["indicator"] = f.indicator;
  if (!f.project.empty()) labels["project"] = f.project;
  if (!f.department.empty()) labels["department"] = f.department;
  if (f.fiscal_year) labels["fiscal_year"] = std::to_string(*f.fiscal_year);
  return labels;
}

Status CompileSilence(Silence* silence) {
  for (SilenceMatcher& m : silence->matchers) {
    if (!m.regex) continue;
    auto re = Regex::Compile("^(?:" + m.value + ")$");
    if (!re.ok()) {
      return Status::InvalidArgument(m.Text() +
                                     ": invalid regular expression: " + re.status().message());
    }
    m.compiled = *re;
  }
  return Status::Ok();
}

bool SilenceMatches(const Silence& silence, const Labels& labels, std::string* error) {
  for (const SilenceMatcher& m : silence.matchers) {
    auto it = labels.find(m.label);
    std::string value = it == labels.end() ? "" : it->second;
    if (!m.regex) {
      if ((value == m.value) == m.negate) return false;
      continue;
    }
    if (!m.compiled) return false;
    Result<bool> holds = m.compiled->Match(value);
    if (!holds.ok()) {  // undecided: not silenced, and said so
      if (error) *error = m.Text() + ": " + holds.status().message();
      return false;
    }
    if (*holds == m.negate) return false;
  }
  return true;
}

namespace {

const char* const kEventKindNames[] = {"fired",    "refired",  "notified",
                                       "resolved", "silenced", "unsilenced"};

// The indicator |f| is about in |snapshot|, or nullptr when it is gone.
const Indicator* CurrentIndicator(const std::vector<Plan>& snapshot, const AlertFinding& f) {
  for (const Plan& p : snapshot) {
    if (p.name != f.plan) continue;
    for (const Indicator& ind : p.indicators) {
      if (ind.name == f.indicator && ind.project == f.project && ind.measure == f.measure) {
        return &ind;
      }
    }
  }
  return nullptr;
}

// Whether the target or a yearly cell of |ind| differs from |e|'s.
bool DataChanged(const IndicatorEvidence& e, const Indicator& ind) {
  if (e.target_raw != ind.target_raw || e.series.size() != ind.observations.size()) return true;
  for (size_t i = 0; i < e.series.size(); ++i) {
    const Observation& was = e.series[i];
    const Observation& now = ind.observations[i];
    if (was.fiscal_year != now.fiscal_year || was.raw != now.raw) return true;
  }
  return false;
}

// Why |a|, no longer found, resolved (AlertRecord::resolved_reason).
std::string ResolvedReason(const AlertRecord& a, const ResolveContext& why) {
  const AlertFinding& f = a.finding;
  const Indicator* ind = nullptr;
  if (why.snapshot && !f.indicator.empty()) {
    ind = CurrentIndicator(*why.snapshot, f);
    if (!ind) return kResolvedIndicatorRemoved;
  }
  auto digest = why.rule_digests.find(a.rule);
  if (digest == why.rule_digests.end()) return kResolvedRuleRemoved;
  if (const IndicatorEvidence* e = f.evidence.indicator.get(); ind && e) {
    if (DataChanged(*e, *ind)) return kResolvedValueChanged;
    // A rule file's override changed how the indicator is read.
    if (e->direction != ind->direction || e->aggregation != ind->aggregation)
      return kResolvedRuleChanged;
  }
  if (!a.rule_digest.empty() && a.rule_digest != digest->second) return kResolvedRuleChanged;
  return "";
}

// The silence muting |labels| now, or "". A silence whose regex cannot
// decide does not mute (the alert is sent) and is reported in |errors|.
std::string SilencedBy(const std::vector<Silence>& silences, const Labels& labels, TimePoint now,
                       std::vector<std::string>* errors) {
  for (const Silence& s : silences) {
    if (!s.active(now)) continue;
    std::string error;
    if (SilenceMatches(s, labels, &error)) return s.id;
    if (!error.empty()) {
      auto alertname = labels.find("alertname");
      errors->push_back("silence " + s.id + ": " + error + "; alert " +
                        (alertname == labels.end() ? "" : alertname->second) + " (" +
                        (labels.count("indicator") ? labels.at("indicator") : "") +
                        ") treated as not silenced");
    }
  }
  return "";
}

}  // namespace

namespace {

// Records in |t| that |a| is now silenced by |now_by| (was |before|).
void NoteSilence(const AlertRecord& a, const std::string& before, TimePoint now,
                 AlertTransition* t) {
  if (a.silenced_by == before) return;
  if (!before.empty() && a.silenced_by.empty()) {
    t->events.push_back({a.fingerprint, now, AlertEvent::Kind::kUnsilenced, "", "", before});
  } else {
    t->events.push_back({a.fingerprint, now, AlertEvent::Kind::kSilenced, "", "", a.silenced_by});
  }
}

std::string DigestOf(const ResolveContext* why, const std::string& rule) {
  if (!why) return "";
  auto it = why->rule_digests.find(rule);
  return it == why->rule_digests.end() ? "" : it->second;
}

// Updates |a| from |f|, found at |now|. A non-const |f|'s texts are moved
// into the alert (|f| is dropped after).
template <typename FindingT>
void Sighted(FindingT& f, bool inserted, TimePoint now, const std::vector<Silence>& silences,
             const ResolveContext* why, EvidenceCache* cache, AlertRecord* a, AlertTransition* t) {
  bool was_firing = !inserted && a->firing();
  std::string silenced_before = a->silenced_by;
  if (!was_firing) {
    a->state = AlertRecord::State::kFiring;
    a->starts_at = now;
    a->ends_at.reset();
    a->resolved_reason.clear();
    a->notified.clear();
    t->fired.push_back(f.fingerprint);
    t->events.push_back({f.fingerprint, now,
                         inserted ? AlertEvent::Kind::kFired : AlertEvent::Kind::kRefired, "", "",
                         ""});
    silenced_before.clear();
  }
  Labels labels = AlertLabels(f);
  AlertFinding finding = std::is_const_v<FindingT> ? ToAlertFinding(std::as_const(f), cache)
                                                   : ToAlertFinding(std::move(f), cache);
  std::string digest = why ? DigestOf(why, finding.rule) : a->rule_digest;
  std::string by = SilencedBy(silences, labels, now, &t->errors);
  bool same = was_firing && a->fingerprint == f.fingerprint && a->rule == finding.rule &&
              a->labels == labels && a->finding == finding && a->rule_digest == digest &&
              a->silenced_by == by;
  a->fingerprint = f.fingerprint;
  a->rule = finding.rule;
  a->labels = std::move(labels);
  a->finding = std::move(finding);
  a->last_seen = now;
  a->rule_digest = std::move(digest);
  a->silenced_by = std::move(by);
  NoteSilence(*a, silenced_before, now, t);
  t->changed.push_back(f.fingerprint);
  if (same) t->seen_only.insert(f.fingerprint);
}

}  // namespace

std::string MutingSilence(const std::vector<Silence>& silences, const Labels& labels, TimePoint now,
                          std::vector<std::string>* errors) {
  return SilencedBy(silences, labels, now, errors);
}

namespace {

// ApplyFindings; moving the texts out of |findings| unless they are const.
template <typename Findings>
AlertTransition Apply(const std::map<std::string, AlertRecord>& previous, Findings& findings,
                      const std::vector<Silence>& silences, TimePoint now,
                      const ResolveContext* why) {
  AlertTransition t;
  t.alerts = previous;
  // The alerts found (map nodes stay put): cheaper than another copy of
  // every fingerprint.
  std::unordered_set<const AlertRecord*> seen;
  seen.reserve(findings.size());
  EvidenceCache cache;  // one IndicatorEvidence per indicator
  for (auto& f : findings) {
    auto [it, inserted] = t.alerts.try_emplace(f.fingerprint);
    if (!seen.insert(&it->second).second) continue;  // one alert per fingerprint
    Sighted(f, inserted, now, silences, why, &cache, &it->second, &t);
  }
  for (auto& [fp, a] : t.alerts) {
    if (seen.count(&a) || !a.firing()) continue;
    a.state = AlertRecord::State::kResolved;
    a.ends_at = now;
    a.resolved_reason = why ? ResolvedReason(a, *why) : "";
    std::string silenced_before = a.silenced_by;
    a.silenced_by = SilencedBy(silences, a.labels, now, &t.errors);
    t.events.push_back({fp, now, AlertEvent::Kind::kResolved, "", "", a.resolved_reason});
    NoteSilence(a, silenced_before, now, &t);
    t.resolved.push_back(fp);
    t.changed.push_back(fp);
  }
  return t;
}

}  // namespace

AlertTransition ApplyFindings(const std::map<std::string, AlertRecord>& previous,
                              const std::vector<Finding>& findings,
                              const std::vector<Silence>& silences, TimePoint now,
                              const ResolveContext* why) {
  return Apply(previous, findings, silences, now, why);
}

AlertTransition ApplyFindings(const std::map<std::string, AlertRecord>& previous,
                              std::vector<Finding>&& findings, const std::vector<Silence>& silences,
                              TimePoint now, const ResolveContext* why) {
  return Apply(previous, findings, silences, now, why);
}

AlertTransition ReapplySilences(const std::map<std::string, AlertRecord>& previous,
                                const std::vector<Silence>& silences, TimePoint now) {
  AlertTransition t;
  t.alerts = previous;
  for (auto& [fp, a] : t.alerts) {
    if (!a.firing()) continue;  // a resolved alert keeps what it had when it resolved
    std::string before = a.silenced_by;
    a.silenced_by = SilencedBy(silences, a.labels, now, &t.errors);
    if (a.silenced_by == before) continue;
    NoteSilence(a, before, now, &t);
    t.changed.push_back(fp);
  }
  return t;
}

void RestoreNotified(const AlertRecord& a, TimePoint now, NotifyLog* log) {
  if (a.silenced() || !(a.firing() || (a.ends_at && *a.ends_at == now))) return;
  for (const auto& key : a.notified) {
    auto it = log->find(key);
    if (it != log->end()) it->second.firing.insert(a.fingerprint);
  }
}

void RestoreNotified(const std::map<std::string, AlertRecord>& alerts, TimePoint now,
                     NotifyLog* log) {
  for (const auto& [fp, a] : alerts) RestoreNotified(a, now, log);
}

const char* AlertEventKindName(AlertEvent::Kind kind) {
  return kEventKindNames[static_cast<int>(kind)];
}

std::optional<AlertEvent::Kind> AlertEventKindFromName(const std::string& name) {
  for (int i = 0; i < static_cast<int>(std::size(kEventKindNames)); ++i) {
    if (name == kEventKindNames[i]) return static_cast<AlertEvent::Kind>(i);
  }
  return std::nullopt;
}

namespace {

// Appends |s| with its length, so that fields cannot run into each other.
void Put(std::string* out, const std::string& s) {
  *out += std::to_string(s.size()) + ":" + s + ";";
}

void PutList(std::string* out, const std::vector<std::string>& list) {
  Put(out, std::to_string(list.size()));
  for (const std::string& s : list) Put(out, s);
}

void PutSelector(std::string* out, const Selector& sel) {
  auto pattern = [](const std::shared_ptr<const Regex>& re) {
    return re ? "/" + re->pattern() : std::string("-");
  };
  PutList(out, sel.names);
  Put(out, pattern(sel.name_matches));
  PutList(out, sel.projects);
  Put(out, pattern(sel.project_matches));
  Put(out, pattern(sel.measure_matches));
  PutList(out, sel.departments);
  PutList(out, sel.plans);
  PutList(out, sel.units);
  for (Direction d : sel.directions) Put(out, DirectionName(d));
  Put(out, "|");
  for (Aggregation a : sel.aggregations) Put(out, AggregationName(a));
  Put(out, "|");
  for (const auto& [k, v] : sel.labels) Put(out, k), Put(out, v);
  Put(out, "|");
}

std::string ParamText(const CheckParams& params, const ParamSpec& spec) {
  char number[64];
  switch (spec.type) {
    case ParamType::kBool:
      return params.Bool(spec.key) ? "true" : "false";
    case ParamType::kInt:
      return std::to_string(params.Int(spec.key));
    case ParamType::kNumber: {
      std::optional<double> v = params.OptionalNumber(spec.key);
      if (!v) return "-";
      std::snprintf(number, sizeof number, "%.17g", *v);
      return number;
    }
    case ParamType::kChoice:
      return params.Text(spec.key);
    case ParamType::kUnitPairs: {
      std::string out;
      for (const auto& [a, b] : params.Pairs(spec.key)) Put(&out, a), Put(&out, b);
      return out;
    }
    case ParamType::kCondition: {
      const CheckParams::Condition* c = params.GetCondition(spec.key);
      return c ? c->source : "-";
    }
  }
  return "";
}

}  // namespace

std::string RuleDigest(const Rule& rule) {
  std::string text;
  Put(&text, rule.id);
  Put(&text, rule.check ? rule.check->name : "");
  Put(&text, SeverityName(rule.severity));
  PutSelector(&text, rule.select);
  Put(&text, std::to_string(rule.exclude.size()));
  for (const Selector& sel : rule.exclude) PutSelector(&text, sel);
  if (rule.check) {
    for (const ParamSpec& spec : rule.check->params) {
      Put(&text, spec.key);
      Put(&text, rule.params.Has(spec.key) ? ParamText(rule.params, spec) : "unset");
    }
  }
  for (const auto& [k, v] : rule.labels) Put(&text, k), Put(&text, v);
  Put(&text, rule.message_source);
  uint64_t hash = 1469598103934665603ULL;  // FNV-1a, 64 bits: the same in every build
  for (unsigned char c : text) hash = (hash ^ c) * 1099511628211ULL;
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
  return hex;
}

ResolveContext MakeResolveContext(const RuleSet& rules, const std::vector<Plan>* snapshot) {
  ResolveContext why;
  why.snapshot = snapshot;
  for (const Rule& r : rules.rules) why.rule_digests[r.id] = RuleDigest(r);
  return why;
}

}  // namespace shihyo
