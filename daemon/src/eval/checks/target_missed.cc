// target_missed: the target's year (its own target year, else the table's
// last year) is reported and misses the target.
#include <cmath>

#include "eval/checks/check.h"

namespace shihyo {

namespace {

void AddShortfall(RawFinding* f, double achieved, double target, Direction direction) {
  AddFigure(f, "achieved", achieved);
  AddFigure(f, "shortfall", std::fabs(target - achieved));
  if (target != 0 && direction != Direction::kBoolean) {
    AddFigure(f, "ratio", achieved / target * 100);
  }
}

// 有り/無し: the answer in the target's year decides.
void RunBoolean(const Indicator& ind, double target, std::vector<RawFinding>* out) {
  const Observation* last = ind.Find(ind.TargetYear());
  if (last && last->cell.status == CellStatus::kBoolean && *last->cell.value != target) {
    out->push_back(MakeFinding(ind, last->fiscal_year));
  }
}

// 年3回: every reported year must meet the target.
void RunPerYear(const Indicator& ind, const std::vector<Point>& points, double target,
                std::vector<RawFinding>* out) {
  for (const Point& p : points) {
    if (Meets(p.value, target, ind.direction)) continue;
    RawFinding f = MakeFinding(ind, p.fiscal_year);
    AddShortfall(&f, p.value, target, ind.direction);
    out->push_back(std::move(f));
  }
}

void Run(const CheckContext& ctx, const Indicator& ind, std::vector<RawFinding>* out) {
  bool numeric_target =
      (ind.target.status == CellStatus::kValue || ind.target.status == CellStatus::kBoolean) &&
      ind.target.value.has_value();
  if (!numeric_target || ind.observations.empty()) return;
  double target = *ind.target.value;
  if (ind.direction == Direction::kBoolean) return RunBoolean(ind, target, out);
  std::vector<Point> points = NumericSeries(ind, ctx.params.Bool("include_annotated"));
  if (ind.aggregation == Aggregation::kPerYear) return RunPerYear(ind, points, target, out);
  // The target's year decides (a table may end before it, or run past it);
  // until that year is reported, target_unreachable speaks.
  int last_year = ind.TargetYear();
  while (!points.empty() && points.back().fiscal_year > last_year) points.pop_back();
  if (points.empty() || points.back().fiscal_year != last_year) return;
  double achieved = ind.aggregation == Aggregation::kSum ? Total(points) : points.back().value;
  if (Meets(achieved, target, ind.direction)) return;
  RawFinding f = MakeFinding(ind, last_year);
  AddShortfall(&f, achieved, target, ind.direction);
  out->push_back(std::move(f));
}

}  // namespace

const CheckSpec& TargetMissedCheck() {
  static const CheckSpec spec = {
      .name = "target_missed",
      .doc =
          "the target's year (its own target year, else the plan's last year) is reported and "
          "misses the target (by direction; `per_year`: every year; `sum`: the total)",
      .params = {IncludeAnnotatedParam()},
      .placeholders = {"achieved", "shortfall", "ratio"},
      .default_message =
          "{{indicator}}：{{fiscal_year_era}}の実績{{achieved}}{{unit}}は目標値"
          "「{{target_raw}}」に届いていません（不足 {{shortfall}}{{unit}}）。",
      .per_indicator = Run,
  };
  return spec;
}

}  // namespace shihyo
