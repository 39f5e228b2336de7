// cumulative_decrease: a cumulative indicator goes down.
#include "eval/checks/check.h"

namespace shihyo {

namespace {

void Run(const CheckContext& ctx, const Indicator& ind, std::vector<RawFinding>* out) {
  if (ind.aggregation != Aggregation::kCumulative) return;
  std::vector<Point> points = NumericSeries(ind, ctx.params.Bool("include_annotated"));
  for (size_t i = 1; i < points.size(); ++i) {
    if (points[i].value >= points[i - 1].value) continue;
    RawFinding f = MakeFinding(ind, points[i].fiscal_year);
    AddPreviousYear(&f, points[i - 1], points[i]);
    out->push_back(std::move(f));
  }
}

}  // namespace

const CheckSpec& CumulativeDecreaseCheck() {
  static const CheckSpec spec = {
      .name = "cumulative_decrease",
      .doc = "a cumulative indicator goes down",
      .params = {IncludeAnnotatedParam()},
      .placeholders = {"previous", "previous_raw", "previous_year_era", "change"},
      .default_message =
          "{{indicator}}：累計値が{{fiscal_year_era}}に{{previous}}から{{value}}{{unit}}へ"
          "減少しています。",
      .per_indicator = Run,
  };
  return spec;
}

}  // namespace shihyo
