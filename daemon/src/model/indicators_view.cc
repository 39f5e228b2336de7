#include "model/indicators_view.h"

#include <cmath>
#include <memory>

#include "base/text_table.h"

namespace shihyo {

namespace {

nlohmann::json NullIfEmpty(const std::string& s) {
  return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s);
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
  return {{"raw", raw},
          {"value", NumberJson(cell.value)},
          {"unit", NullIfEmpty(cell.unit)},
          {"status", StatusName(cell.status)},
          {"annotated", cell.annotated}};
}

nlohmann::json IndicatorJson(const Indicator& ind) {
  nlohmann::json observations = nlohmann::json::array();
  for (const Observation& o : ind.observations) {
    nlohmann::json j = CellJson(o.raw, o.cell);
    j["fiscal_year"] = o.fiscal_year;
    if (o.cell.status == CellStatus::kUnparseable) j["error"] = o.cell.error;
    observations.push_back(std::move(j));
  }
  return {{"name", ind.name},
          {"plan", ind.plan},
          {"project", NullIfEmpty(ind.project)},
          {"measure", NullIfEmpty(ind.measure)},
          {"department", NullIfEmpty(ind.department)},
          {"footnotes", ind.footnotes},
          {"target", CellJson(ind.target_raw, ind.target)},
          {"direction", DirectionName(ind.direction)},
          {"aggregation", AggregationName(ind.aggregation)},
          {"observations", std::move(observations)}};
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
    out += "計画期間 " + FormatEraYear(plan.first_year) + "〜" + FormatEraYear(plan.last_year) +
           " (FY" + std::to_string(plan.first_year) + "–FY" + std::to_string(plan.last_year) +
           ")  指標 " + std::to_string(plan.indicators.size()) + "件  取込元 " + plan.source +
           " (" + plan.imported_at + ")\n";
    std::vector<TextTable::Column> columns = {{"指標", TextTable::Align::kLeft, 44},
                                              {"目標値", TextTable::Align::kRight, 0}};
    for (int fy = plan.first_year; fy <= plan.last_year; ++fy) {
      columns.push_back({FormatEraYear(fy), TextTable::Align::kRight, 0});
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
