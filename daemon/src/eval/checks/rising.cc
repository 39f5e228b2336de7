// rising: a year-over-year rise of at least `percent` and/or `step`, or
// `consecutive` rises. With `against_target`, a move away from the target
// instead (a fall where the indicator should rise), while the target is unmet.
#include <cmath>
#include <limits>

#include "eval/checks/check.h"
#include "model/value_parser.h"

namespace shihyo {

namespace {

struct Thresholds {
  std::optional<double> percent, step;
  bool require_all = true;  // both thresholds (true) or either (false)
  int consecutive = 0;      // or: this many increases in a row
};

bool MeetsThresholds(const Thresholds& t, double change, double percent) {
  if (!t.percent && !t.step) return false;
  bool pct_ok = t.percent && percent >= *t.percent;
  bool step_ok = t.step && change >= *t.step;
  return t.require_all ? (!t.percent || pct_ok) && (!t.step || step_ok) : pct_ok || step_ok;
}

// +1: a rise counts; -1: a fall counts (against an increasing target).
// nullopt when `against_target` is set and the indicator has no numeric target.
std::optional<double> Sign(const CheckParams& p, const Indicator& ind) {
  if (!p.Bool("against_target")) return 1;
  if (ind.direction == Direction::kBoolean || ind.target.status != CellStatus::kValue ||
      !ind.target.value) {
    return std::nullopt;
  }
  return ind.direction == Direction::kIncrease ? -1 : 1;
}

void Run(const CheckContext& ctx, const Indicator& ind, std::vector<RawFinding>* out) {
  const CheckParams& p = ctx.params;
  Thresholds t{p.OptionalNumber("percent"), p.OptionalNumber("step"), p.Bool("require_all"),
               p.Int("consecutive")};
  std::optional<double> sign = Sign(p, ind);
  if (!sign) return;
  bool against = p.Bool("against_target");
  std::vector<Point> points = NumericSeries(ind, p.Bool("include_annotated"));
  int run = 0;
  for (size_t i = 1; i < points.size(); ++i) {
    const Point& prev = points[i - 1];
    const Point& cur = points[i];
    double change = *sign * (cur.value - prev.value);
    if (change <= 0) {
      run = 0;
      continue;
    }
    ++run;
    double percent = prev.value != 0 ? change / std::fabs(prev.value) * 100
                                     : std::numeric_limits<double>::infinity();
    bool in_a_row = t.consecutive > 0 && run >= t.consecutive;
    if (!MeetsThresholds(t, change, percent) && !in_a_row) continue;
    if (against && Meets(cur.value, *ind.target.value, ind.direction)) continue;
    RawFinding f = MakeFinding(ind, cur.fiscal_year);
    AddPreviousYear(&f, prev, cur);
    AddFigure(&f, "change_percent", percent);
    AddFigure(&f, "run", static_cast<double>(run));
    out->push_back(std::move(f));
  }
}

}  // namespace

const CheckSpec& RisingCheck() {
  static const CheckSpec spec = {
      .name = "rising",
      .doc =
          "a year-over-year rise of at least `percent` and/or `step`, or `consecutive` rises "
          "(`against_target`: a move away from an unmet target instead)",
      .params = {IncludeAnnotatedParam(), NumberParam("percent", std::nullopt, 0, 1e6),
                 NumberParam("step", std::nullopt, 0, 1e15), BoolParam("require_all", true),
                 IntParam("consecutive", 0, 2, 100), BoolParam("against_target", false)},
      .needs_one_of = {"percent", "step", "consecutive"},
      .placeholders = {"previous", "previous_raw", "previous_year_era", "change", "change_percent",
                       "run"},
      .default_message =
          "{{indicator}}：{{fiscal_year_era}}に{{previous}}から{{value}}{{unit}}へ増加しました"
          "（+{{change}}、+{{change_percent}}%）。",
      .per_indicator = Run,
  };
  return spec;
}

}  // namespace shihyo
