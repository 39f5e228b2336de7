// The registry: one row per check. Adding a check is a file in eval/checks/
// defining its spec function, and its declaration and row here.
#include "eval/checks/registry.h"

namespace shihyo {

// Each defined in eval/checks/<name>.cc.
const CheckSpec& UnitMismatchCheck();
const CheckSpec& UnparseableCheck();
const CheckSpec& MissingActualCheck();
const CheckSpec& StatusOnlyCheck();
const CheckSpec& AnnotatedCheck();
const CheckSpec& TargetMissedCheck();
const CheckSpec& TargetUnreachableCheck();
const CheckSpec& RisingCheck();
const CheckSpec& SpikeCheck();
const CheckSpec& CumulativeDecreaseCheck();
const CheckSpec& DuplicateSeriesCheck();
const CheckSpec& ExpressionCheck();
const CheckSpec& ReportedRateCheck();

const std::vector<const CheckSpec*>& AllChecks() {
  // One row per line, so that adding a check adds a line.
  // clang-format off
  static const std::vector<const CheckSpec*> checks = {
      &UnitMismatchCheck(),
      &UnparseableCheck(),
      &MissingActualCheck(),
      &StatusOnlyCheck(),
      &AnnotatedCheck(),
      &TargetMissedCheck(),
      &TargetUnreachableCheck(),
      &RisingCheck(),
      &SpikeCheck(),
      &CumulativeDecreaseCheck(),
      &DuplicateSeriesCheck(),
      &ExpressionCheck(),
      &ReportedRateCheck(),
  };
  // clang-format on
  return checks;
}

const CheckSpec* FindCheck(std::string_view name) {
  for (const CheckSpec* check : AllChecks()) {
    if (check->name == name) return check;
  }
  return nullptr;
}

std::set<std::string> PlaceholdersFor(const CheckSpec& check) {
  std::set<std::string> names = {"indicator",      "plan",        "project",         "measure",
                                 "department",     "rule",        "check",           "severity",
                                 "severity_label", "fiscal_year", "fiscal_year_era", "target",
                                 "target_raw",     "target_unit", "value",           "value_raw",
                                 "unit",           "footnotes",   "series"};
  names.insert(check.placeholders.begin(), check.placeholders.end());
  return names;
}

void RunCheck(const Rule& rule, const std::vector<const Indicator*>& indicators, TimePoint now,
              std::vector<RawFinding>* out, std::vector<std::string>* errors) {
  if (!rule.check) return;
  CheckContext ctx{rule.params, now, errors};
  if (rule.check->over_set) {
    rule.check->over_set(ctx, indicators, out);
    return;
  }
  for (const Indicator* ind : indicators) rule.check->per_indicator(ctx, *ind, out);
}

}  // namespace shihyo
