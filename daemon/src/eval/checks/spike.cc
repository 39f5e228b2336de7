// spike: one year away from both neighbours by more than `factor`.
#include <algorithm>
#include <cmath>

#include "eval/checks/check.h"
#include "model/value_parser.h"

namespace shihyo {

namespace {

// How far |b| stands from its neighbours |a| and |c|: 0 when it is no spike.
double FactorSeen(const CheckParams& p, double a, double b, double c) {
  std::string direction = p.Text("direction");
  bool up = direction != "down", down = direction != "up";
  double factor = p.Number("factor");
  if (up && b > a * factor && b > c * factor) {
    return std::min(a > 0 ? b / a : INFINITY, c > 0 ? b / c : INFINITY);
  }
  if (down && b * factor < a && b * factor < c) {
    return b > 0 ? std::min(a / b, c / b) : INFINITY;
  }
  return 0;
}

void Run(const CheckContext& ctx, const Indicator& ind, std::vector<RawFinding>* out) {
  const CheckParams& p = ctx.params;
  std::vector<Point> points = NumericSeries(ind, p.Bool("include_annotated"));
  for (size_t i = 1; i + 1 < points.size(); ++i) {
    double a = points[i - 1].value, b = points[i].value, c = points[i + 1].value;
    if (a < 0 || b < 0 || c < 0) continue;  // factors mean nothing across zero
    if (std::min(std::fabs(b - a), std::fabs(b - c)) < p.Number("min_step")) continue;
    double seen = FactorSeen(p, a, b, c);
    if (seen == 0) continue;
    RawFinding f = MakeFinding(ind, points[i].fiscal_year);
    AddFigure(&f, "previous", a);
    AddFigure(&f, "next", c);
    AddFigure(&f, "previous_year_era", FormatEraYear(points[i - 1].fiscal_year));
    AddFigure(&f, "next_year_era", FormatEraYear(points[i + 1].fiscal_year));
    AddFigure(&f, "factor_seen", seen);
    out->push_back(std::move(f));
  }
}

}  // namespace

const CheckSpec& SpikeCheck() {
  static const CheckSpec spec = {
      .name = "spike",
      .doc = "one year away from both neighbours by more than `factor`",
      .params = {IncludeAnnotatedParam(), NumberParam("factor", 1.5, 1.01, 1000),
                 NumberParam("min_step", 0.0, 0, 1e15),
                 ChoiceParam("direction", "both", {"up", "down", "both"})},
      .placeholders = {"previous", "next", "factor_seen", "previous_year_era", "next_year_era"},
      .default_message =
          "{{indicator}}：{{fiscal_year_era}}の{{value}}{{unit}}は前後の年度"
          "（{{previous}}、{{next}}）から大きく外れています。",
      .per_indicator = Run,
  };
  return spec;
}

}  // namespace shihyo
