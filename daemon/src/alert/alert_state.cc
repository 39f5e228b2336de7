#include "alert/alert_state.h"

#include <set>

#include "base/regex.h"

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

std::string MutingSilence(const std::vector<Silence>& silences, const Labels& labels, TimePoint now,
                          std::vector<std::string>* errors) {
  return SilencedBy(silences, labels, now, errors);
}

AlertTransition ApplyFindings(const std::map<std::string, AlertRecord>& previous,
                              const std::vector<Finding>& findings,
                              const std::vector<Silence>& silences, TimePoint now) {
  AlertTransition t;
  t.alerts = previous;
  std::set<std::string> seen;
  for (const Finding& f : findings) {
    if (!seen.insert(f.fingerprint).second) continue;  // one alert per fingerprint
    Labels labels = AlertLabels(f);
    auto [it, inserted] = t.alerts.try_emplace(f.fingerprint);
    AlertRecord& a = it->second;
    bool was_firing = !inserted && a.firing();
    if (!was_firing) {
      a.state = AlertRecord::State::kFiring;
      a.starts_at = now;
      a.ends_at.reset();
      t.fired.push_back(f.fingerprint);
    }
    a.fingerprint = f.fingerprint;
    a.rule = f.rule;
    a.labels = std::move(labels);
    a.finding = ToAlertFinding(f);
    a.last_seen = now;
    a.silenced_by = SilencedBy(silences, a.labels, now, &t.errors);
    t.changed.push_back(f.fingerprint);
  }
  for (auto& [fp, a] : t.alerts) {
    if (seen.count(fp) || !a.firing()) continue;
    a.state = AlertRecord::State::kResolved;
    a.ends_at = now;
    a.silenced_by = SilencedBy(silences, a.labels, now, &t.errors);
    t.resolved.push_back(fp);
    t.changed.push_back(fp);
  }
  return t;
}

}  // namespace shihyo
