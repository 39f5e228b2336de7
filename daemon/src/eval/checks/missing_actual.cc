// missing_actual: a closed fiscal year the table has a cell for is still
// empty `grace_days` after March 31 (survey rows: only the last plan year).
#include "eval/checks/check.h"
#include "model/value_parser.h"

namespace shihyo {

namespace {

bool IsStatus(CellStatus s) {
  return s == CellStatus::kSurveyDone || s == CellStatus::kNotAvailable;
}

// Survey rows hold an entry only in the years a survey was done; by default
// only the plan's last year must have one.
bool LastYearOnly(const CheckParams& params, const Indicator& ind) {
  bool numeric = false, status = false;
  for (const Observation& o : ind.observations) {
    numeric =
        numeric || o.cell.status == CellStatus::kValue || o.cell.status == CellStatus::kBoolean;
    status = status || IsStatus(o.cell.status);
  }
  return !numeric && status && !params.Bool("status_only_every_year");
}

RawFinding Overdue(const Indicator& ind, int fiscal_year, TimePoint deadline, TimePoint now) {
  RawFinding f = MakeFinding(ind, fiscal_year);
  CivilDate d = JapanDate(deadline - std::chrono::seconds(1));
  AddFigure(&f, "deadline",
            std::to_string(d.year) + "年" + std::to_string(d.month) + "月" + std::to_string(d.day) +
                "日");
  AddFigure(&f, "days_overdue",
            static_cast<double>(std::chrono::floor<std::chrono::days>(now - deadline).count()));
  return f;
}

void Run(const CheckContext& ctx, const Indicator& ind, std::vector<RawFinding>* out) {
  if (ind.observations.empty()) return;
  const CheckParams& p = ctx.params;
  bool last_year_only = LastYearOnly(p, ind);
  bool not_available_is_missing = p.Bool("not_available_is_missing");
  int last_year = ind.LastTableYear();
  for (const Observation& o : ind.observations) {
    if (!o.in_table) continue;  // the table has no cell for this year
    bool empty = o.cell.status == CellStatus::kMissing ||
                 (not_available_is_missing && o.cell.status == CellStatus::kNotAvailable);
    if (!empty || (last_year_only && o.fiscal_year != last_year)) continue;
    TimePoint deadline =
        SaturatingAdd(FiscalYearEnd(o.fiscal_year), std::chrono::days(p.Int("grace_days")));
    if (ctx.now < deadline) continue;
    out->push_back(Overdue(ind, o.fiscal_year, deadline, ctx.now));
  }
}

}  // namespace

const CheckSpec& MissingActualCheck() {
  static const CheckSpec spec = {
      .name = "missing_actual",
      .doc =
          "a closed fiscal year is still empty `grace_days` after March 31 (survey rows: only "
          "the last plan year)",
      .params = {IntParam("grace_days", 183, 0, 3650), BoolParam("status_only_every_year", false),
                 BoolParam("not_available_is_missing", false)},
      .placeholders = {"deadline", "days_overdue"},
      .default_message =
          "{{indicator}}：{{fiscal_year_era}}の実績値が未記入です"
          "（期限 {{deadline}}、{{days_overdue}}日経過）。",
      .per_indicator = Run,
      .reads_clock = true,  // the deadline and days_overdue: dates in Japan
  };
  return spec;
}

}  // namespace shihyo
