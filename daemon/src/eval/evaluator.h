// One evaluation: (indicator snapshot, rules, now) → findings: overrides, selection,
// checks, messages. Thread-compatible: message templates, the shared default ones
// included, render one thread at a time (base/message_template.h): one Evaluate at a time.
#pragma once

#include <functional>
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
// The same without copying |plans|: they become the snapshot.
EvalResult Evaluate(const RuleSet& rules, std::vector<Plan>&& plans, TimePoint now);

// Receives one plan as evaluated (overrides applied) and its findings in
// report order (table order, fiscal year, rule order); may move them away.
using PlanFindingsSink = std::function<void(const Plan& plan, std::vector<Finding>& findings)>;

// Evaluates |rules| over |plans| one plan at a time, applying the overrides
// to |plans| in place and handing each plan's findings to |sink| in plan
// order, so that only one plan's findings are held at a time. The findings
// point into |plans|. Returns the warnings (as EvalResult::warnings). The
// checks see one plan at a time: none compares indicators of two plans.
std::vector<std::string> EvaluateEachPlan(const RuleSet& rules, std::vector<Plan>* plans,
                                          TimePoint now, const PlanFindingsSink& sink);

// What one plan evaluated alone adds to an evaluation's warnings and errors.
struct PlanNotes {
  std::vector<size_t> matched;                      // per override: the indicators it matched
  std::vector<std::vector<std::string>> undecided;  // per rule: what it could not decide
};

// The warnings and errors (as EvalResult's) of an evaluation whose plans were
// evaluated alone (PlanEvaluator::EvaluateAlone), from their notes in plan order.
void NotesWarnings(const RuleSet& rules, const std::vector<const PlanNotes*>& notes,
                   std::vector<std::string>* warnings, std::vector<std::string>* errors);

// A number that changes only when the findings of |rules| can change with
// the clock: the day in Japan when a rule's check reads it (CheckSpec::
// reads_clock: missing_actual's deadline and days overdue), else always 0.
// Two evaluations of the same plan with the same rules and the same
// EvaluationDay give the same findings.
int64_t EvaluationDay(const RuleSet& rules, TimePoint now);

// EvaluateEachPlan for plans that come one at a time (IndicatorStore::
// ForEachPlan), so that only one plan is in memory at a time.
class PlanEvaluator {
 public:
  PlanEvaluator(const RuleSet& rules, TimePoint now);
  ~PlanEvaluator();
  PlanEvaluator(const PlanEvaluator&) = delete;
  PlanEvaluator& operator=(const PlanEvaluator&) = delete;

  // Applies the overrides to |plan| in place; its findings in report order,
  // pointing into |plan|.
  std::vector<Finding> Evaluate(Plan* plan);
  // The same, but what |plan| adds to the warnings goes to |notes| instead of
  // this object's Warnings() and Errors() (see NotesWarnings).
  std::vector<Finding> EvaluateAlone(Plan* plan, PlanNotes* notes) const;
  // The warnings (as EvalResult::warnings) once every plan is evaluated.
  std::vector<std::string> Warnings() const;
  // What the rules could not decide (a regex or expression error), for the
  // admin: also among Warnings().
  std::vector<std::string> Errors() const;

 private:
  struct Prepared;
  const RuleSet& rules_;
  TimePoint now_;
  std::unique_ptr<Prepared> prepared_;
};

// |plans| with the overrides of |rules| applied (direction, aggregation, labels).
// Adds a warning for each override that matches no indicator.
std::vector<Plan> ApplyOverrides(const RuleSet& rules, const std::vector<Plan>& plans,
                                 std::vector<std::string>* warnings);

}  // namespace shihyo
