// reported_rate: a reported achievement rate (達成率) disagrees with the
// values: it says "met" (100% or more) where the value misses the target in
// the indicator's direction (or the reverse), or it is none of value/target,
// target/value and the progress from the baseline within `tolerance` points.
#include <cmath>

#include "eval/checks/check.h"

namespace shihyo {

namespace {

// The rate the values give: value/target, or target/value when the
// indicator should fall.
std::optional<double> ComputedRate(double value, double target, Direction direction) {
  if (direction == Direction::kDecrease) {
    if (value == 0) return std::nullopt;
    return target / value * 100;
  }
  if (target == 0) return std::nullopt;
  return value / target * 100;
}

// Whether |reported| is one of the usual formulas within |tolerance| points:
// value/target, target/value, or the progress from the baseline
// (value - baseline) / (target - baseline).
bool CloseToAFormula(const Indicator& ind, double reported, double value, double target,
                     double tolerance) {
  std::optional<double> progress;
  if (ind.baseline.status == CellStatus::kValue && ind.baseline.value &&
      target != *ind.baseline.value) {
    progress = (value - *ind.baseline.value) / (target - *ind.baseline.value) * 100;
  }
  bool any = false;  // 0 of a 0 target: no formula applies, only met or not
  for (std::optional<double> rate : {ComputedRate(value, target, Direction::kIncrease),
                                     ComputedRate(value, target, Direction::kDecrease), progress}) {
    any = any || rate.has_value();
    if (rate && std::fabs(*rate - reported) <= tolerance) return true;
  }
  return !any;
}

void Run(const CheckContext& ctx, const Indicator& ind, std::vector<RawFinding>* out) {
  if (ind.reported_rates.empty() || ind.direction == Direction::kBoolean ||
      ind.target.status != CellStatus::kValue || !ind.target.value) {
    return;
  }
  double target = *ind.target.value;
  double tolerance = ctx.params.Number("tolerance");
  for (const ReportedRate& rate : ind.reported_rates) {
    const Observation* o = ind.Find(rate.fiscal_year);
    if (!rate.value || !o || o->cell.status != CellStatus::kValue || !o->cell.value) continue;
    if (o->cell.annotated && !ctx.params.Bool("include_annotated")) continue;
    double value = *o->cell.value;
    bool met = Meets(value, target, ind.direction);
    bool says_met = *rate.value >= 100;
    std::optional<double> computed = ComputedRate(value, target, ind.direction);
    bool formula_ok = CloseToAFormula(ind, *rate.value, value, target, tolerance);
    if (met == says_met && formula_ok) continue;
    RawFinding f = MakeFinding(ind, rate.fiscal_year);
    AddFigure(&f, "reported_rate", *rate.value);
    AddFigure(&f, "reported_rate_raw", rate.raw);
    if (computed) AddFigure(&f, "computed_rate", *computed);
    AddFigure(&f, "met", met ? "1" : "");
    AddFigure(&f, "direction_word", ind.direction == Direction::kDecrease ? "減らす" : "増やす");
    out->push_back(std::move(f));
  }
}

}  // namespace

const CheckSpec& ReportedRateCheck() {
  static const CheckSpec spec = {
      .name = "reported_rate",
      .doc =
          "a reported achievement rate (達成率) says met (≥ 100%) where the value misses the "
          "target in its direction, or the reverse, or is none of value/target, target/value and "
          "the progress from the baseline within `tolerance` points",
      .params = {IncludeAnnotatedParam(), NumberParam("tolerance", 0.5, 0, 100)},
      .placeholders = {"reported_rate", "reported_rate_raw", "computed_rate", "met",
                       "direction_word"},
      .default_message =
          "{{indicator}}：{{fiscal_year_era}}の達成率は{{reported_rate_raw}}%と報告されていますが、"
          "実績{{value}}{{unit}}は{{direction_word}}目標「{{target_raw}}」に対して"
          "{{#met}}達成しています{{/met}}{{^met}}未達成です{{/met}}"
          "{{#computed_rate}}（値から求めた達成率 {{computed_rate}}%）{{/computed_rate}}。",
      .per_indicator = Run,
  };
  return spec;
}

}  // namespace shihyo
