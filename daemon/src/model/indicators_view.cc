#include "model/indicators_view.h"

#include <cmath>
#include <memory>

#include "base/text_table.h"

namespace shihyo {

namespace {

nlohmann::json NullIfEmpty(const std::string& s) {
  return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s);
}

// The fields only tables of other layouts fill: present only when known, so
// that Kamaishi's output stays as documented.
void AddLayoutFields(const Indicator& ind, nlohmann::json* j) {
  if (!ind.code.empty()) (*j)["code"] = ind.code;
  if (!ind.unit.empty()) (*j)["unit"] = ind.unit;
  if (!ind.direction_raw.empty()) (*j)["direction_raw"] = ind.direction_raw;
  if (ind.target_year) {
    (*j)["target_year"] = *ind.target_year;
    (*j)["target_year_kind"] = ind.target_year_kind;
  }
  if (!ind.baseline_raw.empty() || ind.baseline_year) {
    nlohmann::json b = CellJson(ind.baseline_raw, ind.baseline);
    b["year"] = ind.baseline_year ? nlohmann::json(*ind.baseline_year) : nlohmann::json(nullptr);
    b["year_kind"] = NullIfEmpty(ind.baseline_year_kind);
    (*j)["baseline"] = std::move(b);
  }
  if (!ind.planned.empty()) {
    nlohmann::json planned = nlohmann::json::array();
    for (const PlannedValue& v : ind.planned) {
      nlohmann::json p = CellJson(v.raw, v.cell);
      p["year"] = v.year;
      p["year_kind"] = v.year_kind;
      planned.push_back(std::move(p));
    }
    (*j)["planned"] = std::move(planned);
  }
  if (!ind.notes.empty()) {
    nlohmann::json notes = nlohmann::json::array();
    for (const IndicatorNote& n : ind.notes)
      notes.push_back({{"label", n.label}, {"text", n.text}});
    (*j)["notes"] = std::move(notes);
  }
}

// 令和2年度 for a fiscal year; 平成13年 when the table writes calendar years,
// 平成27 when it writes neither 年 nor 年度.
std::string PlanYear(const Plan& plan, int year) {
  std::string text = FormatEraYear(year);
  if (plan.year_kind == "fiscal") return text;
  text.resize(text.size() - std::string_view("年度").size());
  return plan.year_kind == "calendar" ? text + "年" : text;
}

}  // namespace

nlohmann::json NumberJson(std::optional<double> value) {
  if (!value) return nullptr;
  double v = *value;
  if (std::isfinite(v) && std::floor(v) == v && std::fabs(v) < 9e15) {
    return static_cast<int64_t>(v);
  }
  return v;
}

nlohmann::json CellJson(const std::string& raw, const CellValue& cell) {
  nlohmann::json j = {{"raw", raw},
                      {"value", NumberJson(cell.value)},
                      {"unit", NullIfEmpty(cell.unit)},
                      {"status", StatusName(cell.status)},
                      {"annotated", cell.annotated}};
  // Only where there is one, so that tables without notes read as before.
  std::string note = cell.note.empty() ? CellNote(raw) : cell.note;
  if (!note.empty() && cell.status == CellStatus::kValue) j["note"] = note;
  return j;
}

nlohmann::json IndicatorJson(const Indicator& ind) {
  nlohmann::json observations = nlohmann::json::array();
  for (const Observation& o : ind.observations) {
    nlohmann::json j = CellJson(o.raw, o.cell);
    j["fiscal_year"] = o.fiscal_year;
    if (!o.in_table) j["in_table"] = false;  // the table has no cell for this year
    if (o.cell.status == CellStatus::kUnparseable) j["error"] = o.cell.error;
    for (const ReportedRate& r : ind.reported_rates) {
      if (r.fiscal_year != o.fiscal_year) continue;
      j["reported_rate"] = NumberJson(r.value);
      j["reported_rate_raw"] = r.raw;
    }
    observations.push_back(std::move(j));
  }
  nlohmann::json j = {{"name", ind.name},
                      {"plan", ind.plan},
                      {"project", NullIfEmpty(ind.project)},
                      {"measure", NullIfEmpty(ind.measure)},
                      {"department", NullIfEmpty(ind.department)},
                      {"footnotes", ind.footnotes},
                      {"target", CellJson(ind.target_raw, ind.target)},
                      {"direction", DirectionName(ind.direction)},
                      {"aggregation", AggregationName(ind.aggregation)},
                      {"observations", std::move(observations)}};
  AddLayoutFields(ind, &j);
  return j;
}

nlohmann::json IndicatorsJson(const std::vector<Plan>& plans) {
  nlohmann::json plan_list = nlohmann::json::array();
  nlohmann::json indicators = nlohmann::json::array();
  for (const Plan& p : plans) {
    plan_list.push_back({{"name", p.name},
                         {"first_year", p.first_year},
                         {"last_year", p.last_year},
                         {"notes", p.notes},
                         {"source", p.source},
                         {"imported_at", p.imported_at},
                         {"indicators", p.indicators.size()}});
    if (p.year_kind != "fiscal") plan_list.back()["year_kind"] = p.year_kind;
    for (const Indicator& ind : p.indicators) indicators.push_back(IndicatorJson(ind));
  }
  return {{"plans", std::move(plan_list)}, {"indicators", std::move(indicators)}};
}

const char* DirectionLabel(Direction d) {
  switch (d) {
    case Direction::kIncrease:
      return "増加";
    case Direction::kDecrease:
      return "減少";
    case Direction::kBoolean:
      return "有無";
  }
  return "";
}

const char* AggregationLabel(Aggregation a) {
  switch (a) {
    case Aggregation::kLevel:
      return "各年";
    case Aggregation::kPerYear:
      return "毎年";
    case Aggregation::kCumulative:
      return "累計";
    case Aggregation::kSum:
      return "合計";
  }
  return "";
}

std::string RenderIndicatorsText(const std::vector<Plan>& plans) {
  std::string out;
  for (const Plan& plan : plans) {
    out += plan.name + "\n";
    out += "計画期間 " + PlanYear(plan, plan.first_year) + "〜" + PlanYear(plan, plan.last_year) +
           " (FY" + std::to_string(plan.first_year) + "–FY" + std::to_string(plan.last_year) +
           ")  指標 " + std::to_string(plan.indicators.size()) + "件  取込元 " + plan.source +
           " (" + plan.imported_at + ")\n";
    std::vector<TextTable::Column> columns = {{"指標", TextTable::Align::kLeft, 44},
                                              {"目標値", TextTable::Align::kRight, 0}};
    for (int fy = plan.first_year; fy <= plan.last_year; ++fy) {
      columns.push_back({PlanYear(plan, fy), TextTable::Align::kRight, 0});
    }
    columns.push_back({"方向", TextTable::Align::kLeft, 0});
    columns.push_back({"集計", TextTable::Align::kLeft, 0});
    TextTable table(columns);
    std::string project, measure;
    bool first = true;
    std::vector<std::string> footnotes;
    auto add_footnotes = [&]() {
      for (const std::string& note : footnotes) table.AddSection("    " + note);
    };
    for (const Indicator& ind : plan.indicators) {
      bool new_project = first || ind.project != project;
      if (new_project || ind.measure != measure) {
        add_footnotes();
        if (new_project && !ind.project.empty()) {
          table.AddSection("");
          table.AddSection(ind.project);
        }
        table.AddSection("  " + (ind.measure.empty() ? "(施策なし)" : ind.measure), true);
        footnotes = ind.footnotes;
      }
      first = false;
      project = ind.project;
      measure = ind.measure;
      std::vector<std::string> row = {ind.name, ind.target_raw};
      for (const Observation& o : ind.observations) row.push_back(o.raw);
      row.push_back(DirectionLabel(ind.direction));
      row.push_back(AggregationLabel(ind.aggregation));
      table.AddRow(std::move(row));
    }
    add_footnotes();
    out += table.Render("    ");
    out += "\n";
  }
  return out;
}

}  // namespace shihyo
