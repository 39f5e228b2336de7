// ExplainTable: `shihyo import --explain`, how every row of a table was read.
#include <algorithm>

#include "import/table_reader.h"

namespace shihyo {

namespace {

std::string YearText(const std::optional<TableYear>& y) {
  if (!y) return "";
  return " (" + std::to_string(y->year) + ", " + YearKindName(y->kind) + ")";
}

std::string IndicatorText(const ProgressTable& t, const TableIndicator& ind) {
  std::string out = "  read: '" + ind.name + "'";
  if (!ind.code.empty()) out += " code " + ind.code;
  if (!ind.unit.empty()) out += " unit " + ind.unit;
  out += "; target '" + ind.target_raw + "'" + YearText(ind.target_year);
  if (!ind.baseline_raw.empty() || ind.baseline_year) {
    out += "; baseline '" + ind.baseline_raw + "'" + YearText(ind.baseline_year);
  }
  if (!ind.direction_raw.empty()) out += "; direction '" + ind.direction_raw + "'";
  out += "; actuals";
  for (size_t i = 0; i < t.fiscal_years.size() && i < ind.actual_raw.size(); ++i) {
    out += " " + std::to_string(t.fiscal_years[i]) + "='" + ind.actual_raw[i] + "'";
    if (i < ind.rate_raw.size() && !ind.rate_raw[i].empty()) {
      out += " (rate " + ind.rate_raw[i] + ")";
    }
  }
  for (const TableYearValue& p : ind.planned) {
    out += "; planned " + std::to_string(p.year.year) + "='" + p.raw + "'";
  }
  for (const TableNote& n : ind.notes) out += "; note " + n.label + ": " + n.text;
  return out;
}

}  // namespace

std::vector<std::string> ExplainTable(const TableRead& read) {
  const ProgressTable& t = read.table;
  std::vector<std::string> out;
  for (const LayoutMiss& m : read.misses) {
    out.push_back("layout " + m.layout + " (" + m.file + ") does not match: " + m.reason);
  }
  out.push_back("layout " + t.layout + " (" + read.layout_file + ") reads " + t.source);
  out.push_back("plan '" + t.title + "', years " + std::to_string(t.fiscal_years.front()) + "–" +
                std::to_string(t.fiscal_years.back()) + " (" + YearKindName(t.year_kind) + "), " +
                std::to_string(t.IndicatorCount()) + " indicators");
  std::vector<std::pair<int, std::string>> rows = t.explain;
  for (const TableProject& p : t.projects) {
    if (t.explain.empty() && !p.heading.empty()) rows.emplace_back(p.line, "project: " + p.heading);
    for (const TableMeasure& m : p.measures) {
      if (t.explain.empty() && !m.text.empty()) rows.emplace_back(m.line, "measure: " + m.text);
      for (const TableIndicator& ind : m.indicators) {
        rows.emplace_back(ind.line, IndicatorText(t, ind));
      }
    }
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [line, text] : rows) out.push_back("line " + std::to_string(line) + ": " + text);
  return out;
}

}  // namespace shihyo
