// target_unreachable: before the target's year (its own target year, else
// the plan's last year), the gap to the target exceeds remaining years × best
// yearly gain × `slack`. The baseline, when it comes before the actuals, counts
// as history.
#include <algorithm>

#include "eval/checks/check.h"
#include "model/value_parser.h"

namespace shihyo {

namespace {

struct BestGain {
  double gain = 0;
  int fiscal_year = 0;
};

// Best yearly progress seen: the largest yearly amount for a sum, else the
// largest change per year toward the target (|sign| -1 when it falls).
std::optional<BestGain> FindBestGain(const std::vector<Point>& points, bool sum, double sign) {
  std::optional<BestGain> best;
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
    if (!best || gain > best->gain) best = BestGain{gain, points[i].fiscal_year};
  }
  return best;
}

bool Applies(const Indicator& ind) {
  return ind.target.status == CellStatus::kValue && ind.target.value &&
         ind.aggregation != Aggregation::kPerYear && ind.direction != Direction::kBoolean &&
         !ind.observations.empty();
}

// Where an indicator stands against its target.
struct Progress {
  const Point* current = nullptr;  // the latest reported year
  double achieved = 0, gap = 0, capacity = 0, slack = 1;
  int remaining = 0;  // years left in the plan
  bool sum = false;
  double sign = 1;  // -1 when the indicator should fall
  BestGain best = {};
};

RawFinding Unreachable(const Indicator& ind, const Progress& p) {
  RawFinding f = MakeFinding(ind, std::nullopt);
  AddFigure(&f, "current", p.current->value);
  AddFigure(&f, "current_year_era", FormatEraYear(p.current->fiscal_year));
  AddFigure(&f, "achieved", p.achieved);
  AddFigure(&f, "gap", p.gap);
  AddFigure(&f, "remaining_years", static_cast<double>(p.remaining));
  AddFigure(&f, "best_gain", p.best.gain);
  AddFigure(&f, "best_gain_year_era", FormatEraYear(p.best.fiscal_year));
  AddFigure(&f, "gain_word", p.sum ? "実績" : p.sign < 0 ? "減少" : "増加");
  if (p.best.gain <= 0) AddFigure(&f, "no_progress", "1");
  AddFigure(&f, "capacity", p.capacity);
  AddFigure(&f, "slack", p.slack);
  return f;
}

// The yearly values up to the target's year, after the baseline when it is
// an earlier numeric value (not for sums: a baseline is no yearly amount).
std::vector<Point> History(const Indicator& ind, const std::vector<Point>& points, bool sum) {
  std::vector<Point> history;
  std::optional<std::pair<int, double>> baseline = ind.BaselinePoint();
  if (!sum && baseline && (points.empty() || baseline->first < points.front().fiscal_year)) {
    history.push_back(Point{baseline->first, baseline->second, nullptr});
  }
  history.insert(history.end(), points.begin(), points.end());
  return history;
}

void Run(const CheckContext& ctx, const Indicator& ind, std::vector<RawFinding>* out) {
  if (!Applies(ind)) return;
  int last_year = ind.TargetYear();
  std::vector<Point> points = NumericSeries(ind, ctx.params.Bool("include_annotated"));
  if (points.empty() || points.back().fiscal_year >= last_year) return;
  Progress p{.current = &points.back(), .slack = ctx.params.Number("slack")};
  p.remaining = last_year - points.back().fiscal_year;
  p.sum = ind.aggregation == Aggregation::kSum;
  p.sign = ind.direction == Direction::kDecrease ? -1 : 1;
  p.achieved = p.sum ? Total(points) : points.back().value;
  p.gap = p.sign * (*ind.target.value - p.achieved);
  if (p.gap <= 0) return;  // already met
  std::optional<BestGain> best = FindBestGain(History(ind, points, p.sum), p.sum, p.sign);
  if (!best) return;  // a single value: no history to judge by
  p.best = *best;
  p.capacity = p.remaining * std::max(best->gain, 0.0) * p.slack;
  if (p.gap <= p.capacity) return;
  out->push_back(Unreachable(ind, p));
}

}  // namespace

const CheckSpec& TargetUnreachableCheck() {
  static const CheckSpec spec = {
      .name = "target_unreachable",
      .doc =
          "before the target's year (its own, else the plan's last) is reported: the gap exceeds "
          "remaining years × best yearly gain (from the baseline on) × `slack`",
      .params = {IncludeAnnotatedParam(), NumberParam("slack", 1.0, 0.01, 100)},
      .placeholders = {"current", "current_year_era", "gap", "remaining_years", "best_gain",
                       "best_gain_year_era", "gain_word", "no_progress", "capacity", "slack",
                       "achieved"},
      .default_message =
          "{{indicator}}：目標値「{{target_raw}}」まで残り{{gap}}{{unit}}を残り{{remaining_"
          "years}}"
          "年度で達成する必要がありますが、{{#no_progress}}これまで{{gain_word}}がありません"
          "{{/no_progress}}{{^no_progress}}1年度あたりの{{gain_word}}はこれまで最大でも"
          "{{best_gain}}{{unit}}（{{best_gain_year_era}}）です{{/no_progress}}。",
      .per_indicator = Run,
  };
  return spec;
}

}  // namespace shihyo
