// annotated: a value carries ※ (a different quantity, see the footnote).
#include "eval/checks/check.h"

namespace shihyo {

namespace {

void Run(const CheckContext& ctx, const Indicator& ind, std::vector<RawFinding>* out) {
  if (ctx.params.Bool("include_target") && ind.target.annotated) {
    out->push_back(MakeFinding(ind, std::nullopt));
  }
  for (const Observation& o : ind.observations) {
    if (o.cell.annotated) out->push_back(MakeFinding(ind, o.fiscal_year));
  }
}

}  // namespace

const CheckSpec& AnnotatedCheck() {
  static const CheckSpec spec = {
      .name = "annotated",
      .doc = "a value carries ※ (a different quantity, see the footnote)",
      .params = {IncludeTargetParam()},
      .default_message =
          "{{indicator}}：{{fiscal_year_era}}の実績値「{{value_raw}}」には※注記があり、"
          "目標値とそのまま比較できません{{#footnotes}}（{{footnotes}}）{{/footnotes}}。",
      .per_indicator = Run,
  };
  return spec;
}

}  // namespace shihyo
