#include "model/rule.h"

namespace shihyo {

namespace {

struct CheckEntry {
  Check check;
  const char* name;
};

constexpr CheckEntry kChecks[] = {
    {Check::kUnitMismatch, "unit_mismatch"},
    {Check::kUnparseable, "unparseable"},
    {Check::kMissingActual, "missing_actual"},
    {Check::kStatusOnly, "status_only"},
    {Check::kAnnotated, "annotated"},
    {Check::kTargetMissed, "target_missed"},
    {Check::kTargetUnreachable, "target_unreachable"},
    {Check::kRising, "rising"},
    {Check::kSpike, "spike"},
    {Check::kCumulativeDecrease, "cumulative_decrease"},
    {Check::kDuplicateSeries, "duplicate_series"},
    {Check::kExpression, "expression"},
};

}  // namespace

const char* CheckName(Check c) {
  for (const CheckEntry& e : kChecks) {
    if (e.check == c) return e.name;
  }
  return "";
}

std::optional<Check> CheckFromName(std::string_view name) {
  for (const CheckEntry& e : kChecks) {
    if (name == e.name) return e.check;
  }
  return std::nullopt;
}

const std::vector<Check>& AllChecks() {
  static const std::vector<Check> all = [] {
    std::vector<Check> v;
    for (const CheckEntry& e : kChecks) v.push_back(e.check);
    return v;
  }();
  return all;
}

const char* SeverityName(Severity s) {
  switch (s) {
    case Severity::kInfo:
      return "info";
    case Severity::kWarning:
      return "warning";
    case Severity::kCritical:
      return "critical";
  }
  return "warning";
}

std::optional<Severity> SeverityFromName(std::string_view name) {
  for (Severity s : {Severity::kInfo, Severity::kWarning, Severity::kCritical}) {
    if (name == SeverityName(s)) return s;
  }
  return std::nullopt;
}

const char* SeverityLabel(Severity s) {
  switch (s) {
    case Severity::kInfo:
      return "情報";
    case Severity::kWarning:
      return "警告";
    case Severity::kCritical:
      return "重大";
  }
  return "";
}

bool Selector::empty() const {
  return names.empty() && !name_matches && projects.empty() && !project_matches &&
         !measure_matches && departments.empty() && plans.empty() && units.empty() &&
         directions.empty() && aggregations.empty() && labels.empty();
}

}  // namespace shihyo
