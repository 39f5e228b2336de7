#include "alert/inhibit.h"

#include "alert/route.h"

namespace shihyo {

namespace {

// The values of |equal| in |labels|, joined unambiguously (absent = "").
std::string EqualKey(const std::vector<std::string>& equal, const Labels& labels) {
  std::string key;
  for (const std::string& name : equal) {
    auto it = labels.find(name);
    std::string value = it == labels.end() ? "" : it->second;
    key += std::to_string(value.size()) + ":" + value;
  }
  return key;
}

class RuleSide {
 public:
  RuleSide(const InhibitRule& rule, std::vector<std::string>* errors)
      : rule_(rule), errors_(errors) {}

  bool Holds(const std::vector<Matcher>& matchers, const AlertRecord& a) {
    std::string error;
    bool holds = MatchersHold(matchers, a.labels, &error);
    if (!error.empty() && errors_) {
      errors_->push_back("inhibit rule " + rule_.where + ": " + error + "; alert " + a.rule + " (" +
                         a.fingerprint + ") not matched");
    }
    return holds;
  }

 private:
  const InhibitRule& rule_;
  std::vector<std::string>* errors_;
};

struct Source {
  const AlertRecord* alert;
  bool also_target;
};

}  // namespace

std::map<std::string, Inhibition> InhibitedAlerts(const std::vector<InhibitRule>& rules,
                                                  const std::map<std::string, AlertRecord>& alerts,
                                                  std::vector<std::string>* errors) {
  std::map<std::string, Inhibition> out;
  for (const InhibitRule& rule : rules) {
    RuleSide side(rule, errors);
    std::map<std::string, std::vector<Source>> sources;  // by the values of `equal`
    std::map<std::string, bool> targets;                 // fingerprint → also a source
    for (const auto& [fp, a] : alerts) {
      if (!a.firing()) continue;
      bool source = side.Holds(rule.source_matchers, a);
      bool target = side.Holds(rule.target_matchers, a);
      if (source) sources[EqualKey(rule.equal, a.labels)].push_back(Source{&a, target});
      if (target) targets[fp] = source;
    }
    for (const auto& [fp, also_source] : targets) {
      if (out.count(fp)) continue;  // the first rule that mutes it names it
      const AlertRecord& a = alerts.at(fp);
      auto it = sources.find(EqualKey(rule.equal, a.labels));
      if (it == sources.end()) continue;
      for (const Source& s : it->second) {
        if (s.alert == &a || (also_source && s.also_target)) continue;
        out[fp] = Inhibition{a.rule, s.alert->fingerprint, s.alert->rule, rule.where};
        break;
      }
    }
  }
  return out;
}

}  // namespace shihyo
