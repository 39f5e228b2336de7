// status_only: a numeric target whose years hold only statuses (調査済, —).
#include "eval/checks/check.h"
#include "model/value_parser.h"

namespace shihyo {

namespace {

void Run(const CheckContext&, const Indicator& ind, std::vector<RawFinding>* out) {
  if (ind.target.status != CellStatus::kValue) return;
  std::string statuses;
  for (const Observation& o : ind.observations) {
    if (o.cell.status == CellStatus::kValue || o.cell.status == CellStatus::kBoolean) return;
    if (o.cell.status == CellStatus::kSurveyDone || o.cell.status == CellStatus::kNotAvailable) {
      statuses += (statuses.empty() ? "" : "、") + FormatEraYear(o.fiscal_year) + " " + o.raw;
    }
  }
  if (statuses.empty()) return;
  RawFinding f = MakeFinding(ind, std::nullopt);
  AddFigure(&f, "statuses", statuses);
  out->push_back(std::move(f));
}

}  // namespace

const CheckSpec& StatusOnlyCheck() {
  static const CheckSpec spec = {
      .name = "status_only",
      .doc = "a numeric target whose years hold only statuses (調査済, —)",
      .placeholders = {"statuses"},
      .default_message =
          "{{indicator}}：目標値「{{target_raw}}」に対して数値の実績が一度も記録されていません"
          "（{{statuses}}）。",
      .per_indicator = Run,
  };
  return spec;
}

}  // namespace shihyo
