// Checks against the target: target_missed and target_unreachable.
#include <algorithm>
#include <cmath>

#include "eval/checks_internal.h"
#include "model/value_parser.h"

namespace shihyo {

using checks_internal::Add;
using checks_internal::Make;

namespace {

bool NumericTarget(const Indicator& ind) {
  return (ind.target.status == CellStatus::kValue || ind.target.status == CellStatus::kBoolean) &&
         ind.target.value.has_value();
}

double Sum(const std::vector<Point>& points) {
  double total = 0;
  for (const Point& p : points) total += p.value;
  return total;
}

void AddShortfall(RawFinding* f, double achieved, double target, Direction direction) {
  Add(f, "achieved", achieved);
  Add(f, "shortfall", std::fabs(target - achieved));
  if (target != 0 && direction != Direction::kBoolean) Add(f, "ratio", achieved / target * 100);
}

}  // namespace

void CheckTargetMissed(const Rule& rule, const Indicator& ind, std::vector<RawFinding>* out) {
  if (!NumericTarget(ind) || ind.observations.empty()) return;
  double target = *ind.target.value;
  int last_year = ind.observations.back().fiscal_year;
  if (ind.direction == Direction::kBoolean) {
    const Observation& last = ind.observations.back();
    if (last.cell.status == CellStatus::kBoolean && *last.cell.value != target) {
      out->push_back(Make(ind, last_year));
    }
    return;
  }
  std::vector<Point> points = NumericSeries(ind, rule.params.include_annotated);
  if (ind.aggregation == Aggregation::kPerYear) {
    for (const Point& p : points) {
      if (Meets(p.value, target, ind.direction)) continue;
      RawFinding f = Make(ind, p.fiscal_year);
      AddShortfall(&f, p.value, target, ind.direction);
      out->push_back(std::move(f));
    }
    return;
  }
  // The plan's last year decides; until it is reported, target_unreachable speaks.
  if (points.empty() || points.back().fiscal_year != last_year) return;
  double achieved = ind.aggregation == Aggregation::kSum ? Sum(points) : points.back().value;
  if (Meets(achieved, target, ind.direction)) return;
  RawFinding f = Make(ind, last_year);
  AddShortfall(&f, achieved, target, ind.direction);
  out->push_back(std::move(f));
}

void CheckTargetUnreachable(const Rule& rule, const Indicator& ind, std::vector<RawFinding>* out) {
  if (ind.target.status != CellStatus::kValue || !ind.target.value ||
      ind.aggregation == Aggregation::kPerYear || ind.direction == Direction::kBoolean ||
      ind.observations.empty()) {
    return;
  }
  double target = *ind.target.value;
  int last_year = ind.observations.back().fiscal_year;
  std::vector<Point> points = NumericSeries(ind, rule.params.include_annotated);
  if (points.empty() || points.back().fiscal_year == last_year) return;
  int remaining = last_year - points.back().fiscal_year;
  bool sum = ind.aggregation == Aggregation::kSum;
  double sign = ind.direction == Direction::kDecrease ? -1 : 1;
  double achieved = sum ? Sum(points) : points.back().value;
  double gap = sign * (target - achieved);
  if (gap <= 0) return;  // already met
  // Best yearly progress seen: the largest yearly amount for a sum, else the
  // largest change per year toward the target.
  std::optional<double> best;
  int best_year = 0;
  for (size_t i = 0; i < points.size(); ++i) {
    double gain;
    if (sum) {
      gain = points[i].value;
    } else if (i > 0) {
      gain = sign * (points[i].value - points[i - 1].value) /
             (points[i].fiscal_year - points[i - 1].fiscal_year);
    } else {
      continue;
    }
    if (!best || gain > *best) {
      best = gain;
      best_year = points[i].fiscal_year;
    }
  }
  if (!best) return;  // a single value: no history to judge by
  double capacity = remaining * std::max(*best, 0.0) * rule.params.slack;
  if (gap <= capacity) return;
  RawFinding f = Make(ind, std::nullopt);
  Add(&f, "current", points.back().value);
  Add(&f, "current_year_era", FormatEraYear(points.back().fiscal_year));
  Add(&f, "achieved", achieved);
  Add(&f, "gap", gap);
  Add(&f, "remaining_years", static_cast<double>(remaining));
  Add(&f, "best_gain", *best);
  Add(&f, "best_gain_year_era", FormatEraYear(best_year));
  Add(&f, "gain_word", sum ? "実績" : sign < 0 ? "減少" : "増加");
  if (*best <= 0) Add(&f, "no_progress", "1");
  Add(&f, "capacity", capacity);
  Add(&f, "slack", rule.params.slack);
  out->push_back(std::move(f));
}

}  // namespace shihyo
