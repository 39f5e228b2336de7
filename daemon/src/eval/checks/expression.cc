// expression: a user's muparser condition over the variables of each year
// (eval/expression.h).
#include "eval/expression.h"

#include <cmath>
#include <limits>

#include "eval/checks/check.h"

namespace shihyo {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// One reported year and what came before it; NaN where unknown.
struct Year {
  const Point* point = nullptr;
  double previous = kNaN, change = kNaN, target = kNaN, total = 0, best_gain = kNaN;
  int first_year = 0, last_year = 0;
};

Expression::Variables VariablesOf(const Year& y) {
  double value = y.point->value;
  return {value,
          y.target,
          y.previous,
          y.change,
          y.previous > 0 ? y.change / y.previous * 100 : kNaN,
          y.target > 0 ? value / y.target * 100 : kNaN,
          static_cast<double>(y.point->fiscal_year),
          static_cast<double>(y.first_year),
          static_cast<double>(y.last_year),
          static_cast<double>(y.last_year - y.point->fiscal_year),
          y.total,
          y.best_gain};
}

RawFinding Holding(const Indicator& ind, const Year& y, bool has_previous,
                   const std::string& condition) {
  RawFinding f = MakeFinding(ind, y.point->fiscal_year);
  AddFigure(&f, "condition", condition);
  if (has_previous) {
    AddFigure(&f, "previous", y.previous);
    AddFigure(&f, "change", y.change);
    if (y.previous > 0) AddFigure(&f, "change_percent", y.change / y.previous * 100);
  }
  if (y.target > 0) AddFigure(&f, "ratio", y.point->value / y.target * 100);
  AddFigure(&f, "total", y.total);
  AddFigure(&f, "years_left", static_cast<double>(y.last_year - y.point->fiscal_year));
  if (!std::isnan(y.best_gain)) AddFigure(&f, "best_gain", y.best_gain);
  return f;
}

void Run(const CheckContext& ctx, const Indicator& ind, std::vector<RawFinding>* out) {
  const CheckParams& p = ctx.params;
  const CheckParams::Condition* condition = p.GetCondition("condition");
  if (!condition || !condition->expression || ind.observations.empty()) return;
  std::vector<Point> points = NumericSeries(ind, p.Bool("include_annotated"));
  Year y;
  y.target = ind.target.status == CellStatus::kValue && ind.target.value ? *ind.target.value : kNaN;
  y.first_year = ind.observations.front().fiscal_year;
  y.last_year = ind.TargetYear();  // the target's own year when the table gives one
  bool latest_only = p.Bool("latest_only");
  for (size_t i = 0; i < points.size(); ++i) {
    y.point = &points[i];
    y.previous = i > 0 ? points[i - 1].value : kNaN;
    y.change = points[i].value - y.previous;
    if (i > 0 && (std::isnan(y.best_gain) || y.change > y.best_gain)) y.best_gain = y.change;
    y.total += points[i].value;
    if (latest_only && i + 1 != points.size()) continue;
    Result<bool> holds = condition->expression->Evaluate(VariablesOf(y));
    if (!holds.ok()) {  // not finite (1/0): neither true nor false
      if (ctx.errors) {
        ctx.errors->push_back(ind.name + " " + std::to_string(y.point->fiscal_year) + ": " +
                              holds.status().message());
      }
      continue;
    }
    if (!*holds) continue;
    out->push_back(Holding(ind, y, i > 0, condition->source));
  }
}

}  // namespace

const CheckSpec& ExpressionCheck() {
  static const CheckSpec spec = {
      .name = "expression",
      .doc =
          "`condition` holds (muparser: `value`, `target`, `previous`, `change`, "
          "`change_percent`, `ratio`, `year`, `first_year`, `last_year`, `years_left`, "
          "`total`, `best_gain`, `defined(x)`)",
      .params = {IncludeAnnotatedParam(), ConditionParam("condition"),
                 BoolParam("latest_only", false)},
      .needs_one_of = {"condition"},
      .placeholders = {"condition", "previous", "change", "change_percent", "ratio", "total",
                       "best_gain", "years_left"},
      .default_message =
          "{{indicator}}：{{fiscal_year_era}}の値{{value}}{{unit}}が条件「{{condition}}」に"
          "該当します。",
      .per_indicator = Run,
  };
  return spec;
}

}  // namespace shihyo
