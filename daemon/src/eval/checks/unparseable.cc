// unparseable: a cell is no number, status or 有り/無し.
#include "eval/checks/check.h"

namespace shihyo {

namespace {

void Run(const CheckContext& ctx, const Indicator& ind, std::vector<RawFinding>* out) {
  if (ctx.params.Bool("include_target") && ind.target.status == CellStatus::kUnparseable) {
    RawFinding f = MakeFinding(ind, std::nullopt);
    AddFigure(&f, "cell", "目標値");
    AddFigure(&f, "error", ind.target.error);
    out->push_back(std::move(f));
  }
  for (const Observation& o : ind.observations) {
    if (o.cell.status != CellStatus::kUnparseable) continue;
    RawFinding f = MakeFinding(ind, o.fiscal_year);
    AddFigure(&f, "cell", "実績値");
    AddFigure(&f, "error", o.cell.error);
    out->push_back(std::move(f));
  }
}

}  // namespace

const CheckSpec& UnparseableCheck() {
  static const CheckSpec spec = {
      .name = "unparseable",
      .doc = "a cell is no number, status or 有り/無し",
      .params = {IncludeTargetParam()},
      .placeholders = {"error", "cell"},
      .default_message =
          "{{indicator}}：{{#fiscal_year_era}}{{fiscal_year_era}}の{{/fiscal_year_era}}"
          "{{cell}}「{{value_raw}}」を数値として読み取れません。",
      .per_indicator = Run,
  };
  return spec;
}

}  // namespace shihyo
