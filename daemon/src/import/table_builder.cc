#include "import/table_builder.h"

#include "base/text.h"

namespace shihyo {

namespace {

constexpr int kMaxPlanYears = 100;

}  // namespace

std::string UnitInName(std::string_view name) {
  size_t open = name.rfind("【");
  if (open == std::string_view::npos) return "";
  size_t start = open + std::string_view("【").size();
  size_t close = name.find("】", start);
  if (close == std::string_view::npos || close == start) return "";
  return std::string(TrimSpace(name.substr(start, close - start)));
}

TableBuilder::TableBuilder(std::string_view source) { table_.source = std::string(source); }

Status TableBuilder::Error(int line, const std::string& what) const {
  return Status::InvalidArgument(table_.source + ":" + std::to_string(line) + ": " + what);
}

Status TableBuilder::CellError(int line, size_t cell, const std::string& what) const {
  return Error(line, "cell " + std::to_string(cell + 1) + ": " + what);
}

void TableBuilder::Explain(int line, const std::string& text) {
  table_.explain.emplace_back(line, text);
}

void TableBuilder::StartProject(const std::string& heading, int line) {
  TableProject p;
  p.number = static_cast<int>(table_.projects.size()) + 1;
  p.heading = heading;
  p.line = line;
  table_.projects.push_back(std::move(p));
}

void TableBuilder::StartMeasure(const std::string& text, int line) {
  if (table_.projects.empty()) {
    TableProject p;
    p.line = line;
    table_.projects.push_back(std::move(p));
  }
  TableMeasure m;
  m.marker = std::to_string(table_.projects.back().measures.size() + 1);
  m.text = text;
  m.line = line;
  table_.projects.back().measures.push_back(std::move(m));
}

void TableBuilder::EnsureMeasure(int line) {
  if (table_.projects.empty()) {
    TableProject p;
    p.line = line;
    table_.projects.push_back(std::move(p));
  }
  if (table_.projects.back().measures.empty()) {
    TableMeasure m;
    m.line = line;
    table_.projects.back().measures.push_back(std::move(m));
  }
}

Status TableBuilder::Add(PendingIndicator p) {
  EnsureMeasure(p.ind.line);
  size_t project = table_.projects.size() - 1;
  size_t measure = table_.projects.back().measures.size() - 1;
  for (const Placed& other : pending_) {
    if (other.project == project && other.measure == measure && other.p.ind.name == p.ind.name) {
      return Error(p.ind.line, "indicator '" + p.ind.name +
                                   "' appears twice under the same heading"
                                   " (first on line " +
                                   std::to_string(other.p.ind.line) + ")");
    }
  }
  pending_.push_back(Placed{project, measure, std::move(p)});
  return Status::Ok();
}

Result<ProgressTable> TableBuilder::Build(const std::string& layout, const std::string& plan) {
  table_.layout = layout;
  if (table_.title.empty()) table_.title = plan;
  int first = 0, last = 0;
  bool any = false;
  for (const Placed& placed : pending_) {
    for (const auto& [year, raw] : placed.p.actuals) {
      if (!any) table_.year_kind = placed.p.actual_kind;
      first = any ? std::min(first, year) : year;
      last = any ? std::max(last, year) : year;
      any = true;
    }
  }
  if (pending_.empty() || !any) {
    return Status::InvalidArgument(table_.source + ": layout '" + layout +
                                   "' found no indicator with yearly actual values");
  }
  if (last - first >= kMaxPlanYears) {
    return Status::InvalidArgument(table_.source + ": actual values span " + std::to_string(first) +
                                   "–" + std::to_string(last) + ", more than " +
                                   std::to_string(kMaxPlanYears) + " years");
  }
  for (int y = first; y <= last; ++y) table_.fiscal_years.push_back(y);
  for (Placed& placed : pending_) {
    TableIndicator ind = std::move(placed.p.ind);
    ind.actual_raw.assign(table_.fiscal_years.size(), "");
    for (const auto& [year, raw] : placed.p.actuals) ind.actual_raw[year - first] = raw;
    if (placed.p.actuals.size() < table_.fiscal_years.size()) {
      ind.in_table.assign(table_.fiscal_years.size(), false);
      for (const auto& [year, raw] : placed.p.actuals) ind.in_table[year - first] = true;
    }
    if (!placed.p.rates.empty()) {
      ind.rate_raw.assign(table_.fiscal_years.size(), "");
      for (const auto& [year, raw] : placed.p.rates) {
        if (year >= first && year <= last) ind.rate_raw[year - first] = raw;
      }
    }
    table_.projects[placed.project].measures[placed.measure].indicators.push_back(std::move(ind));
  }
  return std::move(table_);
}

}  // namespace shihyo
