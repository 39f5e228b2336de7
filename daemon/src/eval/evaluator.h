// One evaluation: (indicator snapshot, rules, now) → findings: overrides, selection,
// checks, messages. Thread-compatible: message templates, the shared default ones
// included, render one thread at a time (base/message_template.h): one Evaluate at a time.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/clock.h"
#include "model/finding.h"
#include "model/indicator.h"
#include "model/rule.h"

namespace shihyo {

struct EvalResult {
  // The plans as evaluated (overrides applied); findings point into it.
  std::shared_ptr<const std::vector<Plan>> snapshot;
  std::vector<Finding> findings;  // by plan, table order, fiscal year, rule order
  // Problems that do not stop the evaluation, e.g. "rules/x.yaml:4: override
  // matches no indicator".
  std::vector<std::string> warnings;
  // What rules could not decide this time (a regex over PCRE2's match limit,
  // an expression with no finite result), one line per rule naming it: also
  // in |warnings|; the daemon tells the admin.
  std::vector<std::string> errors;
};

// Evaluates |rules| over |plans| at |now|.
EvalResult Evaluate(const RuleSet& rules, const std::vector<Plan>& plans, TimePoint now);

// |plans| with the overrides of |rules| applied (direction, aggregation, labels).
// Adds a warning for each override that matches no indicator.
std::vector<Plan> ApplyOverrides(const RuleSet& rules, const std::vector<Plan>& plans,
                                 std::vector<std::string>* warnings);

}  // namespace shihyo
