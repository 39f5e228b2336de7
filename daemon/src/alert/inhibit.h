// Inhibition, as in Alertmanager: while a source alert fires, the target
// alerts of an inhibit rule with the same values of its `equal` labels are
// not notified (they stay alerts). Pure; thread-safe.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "alert/alert_state.h"
#include "config/config.h"

namespace shihyo {

// Why an alert is inhibited: the first rule and source alert that mute it.
struct Inhibition {
  std::string rule;  // the muted alert's rule id
  std::string source_fingerprint;
  std::string source_rule;  // the source alert's rule id
  std::string where;        // the inhibit rule's "file:line"
};

// The firing alerts of |alerts| that |rules| mute, by fingerprint. Sources
// are firing alerts, silenced ones included (as in Alertmanager); an alert
// that matches both sides of a rule is muted only by a source that does not.
// A regex that cannot decide does not match; |*errors| (if given) gets one
// line naming the rule and the alert.
std::map<std::string, Inhibition> InhibitedAlerts(const std::vector<InhibitRule>& rules,
                                                  const std::map<std::string, AlertRecord>& alerts,
                                                  std::vector<std::string>* errors = nullptr);

}  // namespace shihyo
