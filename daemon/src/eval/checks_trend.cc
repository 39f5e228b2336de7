// Checks over the shape of a series: rising, spike, cumulative_decrease,
// duplicate_series and user expressions.
#include <cmath>
#include <limits>
#include <unordered_map>

#include "eval/checks_internal.h"
#include "eval/expression.h"
#include "model/value_parser.h"

namespace shihyo {

using checks_internal::Add;
using checks_internal::Make;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void AddPrevious(RawFinding* f, const Point& prev, const Point& cur) {
  Add(f, "previous", prev.value);
  Add(f, "previous_raw", prev.observation->raw);
  Add(f, "previous_year_era", FormatEraYear(prev.fiscal_year));
  Add(f, "change", cur.value - prev.value);
}

}  // namespace

void CheckRising(const Rule& rule, const Indicator& ind, std::vector<RawFinding>* out) {
  const CheckParams& p = rule.params;
  std::vector<Point> points = NumericSeries(ind, p.include_annotated);
  int run = 0;
  for (size_t i = 1; i < points.size(); ++i) {
    const Point& prev = points[i - 1];
    const Point& cur = points[i];
    double change = cur.value - prev.value;
    if (change <= 0) {
      run = 0;
      continue;
    }
    ++run;
    double percent =
        prev.value > 0 ? change / prev.value * 100 : std::numeric_limits<double>::infinity();
    bool threshold = false;
    if (p.percent || p.step) {
      bool pct_ok = p.percent && percent >= *p.percent;
      bool step_ok = p.step && change >= *p.step;
      threshold =
          p.require_all ? (!p.percent || pct_ok) && (!p.step || step_ok) : pct_ok || step_ok;
    }
    bool in_a_row = p.consecutive > 0 && run >= p.consecutive;
    if (!threshold && !in_a_row) continue;
    RawFinding f = Make(ind, cur.fiscal_year);
    AddPrevious(&f, prev, cur);
    Add(&f, "change_percent", percent);
    Add(&f, "run", static_cast<double>(run));
    out->push_back(std::move(f));
  }
}

void CheckSpike(const Rule& rule, const Indicator& ind, std::vector<RawFinding>* out) {
  const CheckParams& p = rule.params;
  std::vector<Point> points = NumericSeries(ind, p.include_annotated);
  for (size_t i = 1; i + 1 < points.size(); ++i) {
    double a = points[i - 1].value, b = points[i].value, c = points[i + 1].value;
    if (a < 0 || b < 0 || c < 0) continue;  // factors mean nothing across zero
    if (std::min(std::fabs(b - a), std::fabs(b - c)) < p.min_step) continue;
    double seen = 0;
    if (p.spike_up && b > a * p.factor && b > c * p.factor) {
      seen = std::min(a > 0 ? b / a : INFINITY, c > 0 ? b / c : INFINITY);
    } else if (p.spike_down && b * p.factor < a && b * p.factor < c) {
      seen = b > 0 ? std::min(a / b, c / b) : INFINITY;
    } else {
      continue;
    }
    RawFinding f = Make(ind, points[i].fiscal_year);
    Add(&f, "previous", a);
    Add(&f, "next", c);
    Add(&f, "previous_year_era", FormatEraYear(points[i - 1].fiscal_year));
    Add(&f, "next_year_era", FormatEraYear(points[i + 1].fiscal_year));
    Add(&f, "factor_seen", seen);
    out->push_back(std::move(f));
  }
}

void CheckCumulativeDecrease(const Rule& rule, const Indicator& ind, std::vector<RawFinding>* out) {
  if (ind.aggregation != Aggregation::kCumulative) return;
  std::vector<Point> points = NumericSeries(ind, rule.params.include_annotated);
  for (size_t i = 1; i < points.size(); ++i) {
    if (points[i].value >= points[i - 1].value) continue;
    RawFinding f = Make(ind, points[i].fiscal_year);
    AddPrevious(&f, points[i - 1], points[i]);
    out->push_back(std::move(f));
  }
}

void CheckExpression(const Rule& rule, const Indicator& ind, std::vector<RawFinding>* out) {
  const CheckParams& p = rule.params;
  if (!p.expression || ind.observations.empty()) return;
  std::vector<Point> points = NumericSeries(ind, p.include_annotated);
  double target =
      ind.target.status == CellStatus::kValue && ind.target.value ? *ind.target.value : kNaN;
  int first_year = ind.observations.front().fiscal_year;
  int last_year = ind.observations.back().fiscal_year;
  double total = 0;
  double best_gain = kNaN;
  for (size_t i = 0; i < points.size(); ++i) {
    const Point& cur = points[i];
    double previous = i > 0 ? points[i - 1].value : kNaN;
    double change = cur.value - previous;
    if (i > 0 && (std::isnan(best_gain) || change > best_gain)) best_gain = change;
    total += cur.value;
    if (p.latest_only && i + 1 != points.size()) continue;
    Expression::Variables vars = {cur.value,
                                  target,
                                  previous,
                                  change,
                                  previous > 0 ? change / previous * 100 : kNaN,
                                  target > 0 ? cur.value / target * 100 : kNaN,
                                  static_cast<double>(cur.fiscal_year),
                                  static_cast<double>(first_year),
                                  static_cast<double>(last_year),
                                  static_cast<double>(last_year - cur.fiscal_year),
                                  total,
                                  best_gain};
    if (!p.expression->Holds(vars)) continue;
    RawFinding f = Make(ind, cur.fiscal_year);
    Add(&f, "condition", p.condition);
    if (i > 0) {
      Add(&f, "previous", previous);
      Add(&f, "change", change);
      if (previous > 0) Add(&f, "change_percent", change / previous * 100);
    }
    if (target > 0) Add(&f, "ratio", cur.value / target * 100);
    Add(&f, "total", total);
    Add(&f, "years_left", static_cast<double>(last_year - cur.fiscal_year));
    if (!std::isnan(best_gain)) Add(&f, "best_gain", best_gain);
    out->push_back(std::move(f));
  }
}

void CheckDuplicateSeries(const Rule& rule, const std::vector<const Indicator*>& indicators,
                          std::vector<RawFinding>* out) {
  const CheckParams& p = rule.params;
  // Key: plan and the (year, value, unit) sequence; equal keys are equal
  // series, so one hash lookup per indicator replaces comparing all pairs.
  std::unordered_map<std::string, std::vector<const Indicator*>> groups;
  std::vector<std::string> order;
  for (const Indicator* ind : indicators) {
    std::vector<Point> points = NumericSeries(*ind, true);
    if (static_cast<int>(points.size()) < p.min_values) continue;
    bool constant = true;
    std::string key = ind->plan;
    for (const Point& pt : points) {
      constant = constant && pt.value == points.front().value;
      key += '\x1f' + std::to_string(pt.fiscal_year) + ':' + FormatNumber(pt.value) + ':' +
             pt.observation->cell.unit;
    }
    if (constant && p.ignore_constant) continue;
    auto [it, inserted] = groups.try_emplace(key);
    if (inserted) order.push_back(key);
    it->second.push_back(ind);
  }
  for (const std::string& key : order) {
    const std::vector<const Indicator*>& group = groups[key];
    if (group.size() < 2) continue;
    std::string values;
    for (const Point& pt : NumericSeries(*group.front(), true)) {
      values += (values.empty() ? "" : "/") + FormatNumber(pt.value);
    }
    // The later rows are reported: the likely copies of the first.
    for (size_t i = 1; i < group.size(); ++i) {
      RawFinding f = Make(*group[i], std::nullopt);
      std::string others;
      for (size_t j = 0; j < group.size(); ++j) {
        if (j == i) continue;
        f.related.push_back(group[j]);
        others += (others.empty() ? "" : "」「") + group[j]->name;
      }
      Add(&f, "other", others);
      Add(&f, "values", values);
      out->push_back(std::move(f));
    }
  }
}

}  // namespace shihyo
