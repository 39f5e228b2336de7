// unit_mismatch: an actual's unit differs from the target's.
#include "eval/checks/check.h"

namespace shihyo {

namespace {

bool Equivalent(const CheckParams::UnitPairs& pairs, const std::string& a, const std::string& b) {
  for (const auto& [x, y] : pairs) {
    if ((x == a && y == b) || (x == b && y == a)) return true;
  }
  return false;
}

void Run(const CheckContext& ctx, const Indicator& ind, std::vector<RawFinding>* out) {
  if (ind.target.status != CellStatus::kValue || ind.target.unit.empty()) return;
  const CheckParams::UnitPairs& pairs = ctx.params.Pairs("equivalent_units");
  for (const Observation& o : ind.observations) {
    if (o.cell.status != CellStatus::kValue || o.cell.unit.empty()) continue;
    if (o.cell.unit == ind.target.unit || Equivalent(pairs, o.cell.unit, ind.target.unit)) continue;
    out->push_back(MakeFinding(ind, o.fiscal_year));
  }
}

}  // namespace

const CheckSpec& UnitMismatchCheck() {
  static const CheckSpec spec = {
      .name = "unit_mismatch",
      .doc = "an actual's unit differs from the target's (after folding 箇所/か所, 名/人)",
      .params = {UnitPairsParam("equivalent_units")},
      .default_message =
          "{{indicator}}：{{fiscal_year_era}}の実績値「{{value_raw}}」の単位（{{unit}}）が"
          "目標値「{{target_raw}}」の単位（{{target_unit}}）と異なります。",
      .per_indicator = Run,
  };
  return spec;
}

}  // namespace shihyo
