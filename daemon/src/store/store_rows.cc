// Indicator rows and their yearly cells: the part of an import that writes
// indicators and observations and records every changed cell.
#include "store/store_rows.h"

#include "model/inference.h"

namespace shihyo {

namespace {

const char* BoundName(Bound b) {
  switch (b) {
    case Bound::kAtLeast:
      return "at_least";
    case Bound::kAtMost:
      return "at_most";
    case Bound::kNone:
      break;
  }
  return "";
}

}  // namespace

void ImportProgress::AddChange(const std::string& indicator, std::optional<int> fy,
                               std::optional<std::string> old_raw,
                               std::optional<std::string> new_raw) {
  changes.push_back(PendingChange{indicator, fy, std::move(old_raw), std::move(new_raw)});
}

IndicatorRows::IndicatorRows(SQLite::Database& db, const std::vector<int>& fiscal_years,
                             ImportProgress* progress)
    : db_(db), years_(fiscal_years), p_(progress) {}

// The columns an indicator row holds, in UPDATE/INSERT order after measure_id and name.
void IndicatorRows::BindIndicator(SQLite::Statement& st, int first, const TableIndicator& ind,
                                  int ordinal, const CellValue& target, const Inference& inf) {
  st.bind(first, ordinal);
  st.bind(first + 1, ind.line);
  BindTextOrNull(st, first + 2, inf.department);
  st.bind(first + 3, ind.target_raw);
  BindOptional(st, first + 4, target.value);
  BindTextOrNull(st, first + 5, target.unit);
  st.bind(first + 6, StatusName(target.status));
  st.bind(first + 7, target.annotated ? 1 : 0);
  st.bind(first + 8, target.per_year ? 1 : 0);
  st.bind(first + 9, target.cumulative ? 1 : 0);
  BindTextOrNull(st, first + 10, BoundName(target.bound));
  st.bind(first + 11, DirectionName(inf.direction));
  st.bind(first + 12, AggregationName(inf.aggregation));
}

void IndicatorRows::Upsert(int64_t measure_id, const TableIndicator& ind, int ordinal) {
  CellValue target = ParseCell(ind.target_raw);
  Inference inf = InferIndicator(ind.name, target);
  static const char* kColumns =
      "ordinal, source_line, department, target_raw, target_value, target_unit, target_status,"
      " target_annotated, target_per_year, target_cumulative, target_bound, direction,"
      " aggregation";
  SQLite::Statement q(db_, std::string("SELECT id, ") + kColumns +
                               " FROM indicators WHERE measure_id = ? AND name = ?");
  q.bind(1, measure_id);
  q.bind(2, ind.name);
  int64_t id;
  if (q.executeStep()) {
    id = q.getColumn(0).getInt64();
    // Compare by binding the new values into a probe and letting SQLite say
    // whether the row would change (IS handles NULLs).
    SQLite::Statement same(db_,
                           "SELECT count(*) FROM indicators WHERE id = ? AND ordinal IS ?"
                           " AND source_line IS ? AND department IS ? AND target_raw IS ?"
                           " AND target_value IS ? AND target_unit IS ? AND target_status IS ?"
                           " AND target_annotated IS ? AND target_per_year IS ?"
                           " AND target_cumulative IS ? AND target_bound IS ?"
                           " AND direction IS ? AND aggregation IS ?");
    same.bind(1, id);
    BindIndicator(same, 2, ind, ordinal, target, inf);
    same.executeStep();
    if (same.getColumn(0).getInt() == 0) {
      std::string old_target = q.getColumn(4).getString();
      SQLite::Statement u(db_,
                          "UPDATE indicators SET ordinal = ?, source_line = ?, department = ?,"
                          " target_raw = ?, target_value = ?, target_unit = ?,"
                          " target_status = ?, target_annotated = ?, target_per_year = ?,"
                          " target_cumulative = ?, target_bound = ?, direction = ?,"
                          " aggregation = ? WHERE id = ?");
      BindIndicator(u, 1, ind, ordinal, target, inf);
      u.bind(14, id);
      u.exec();
      p_->result.changed = true;
      if (old_target != ind.target_raw) {
        p_->AddChange(ind.name, std::nullopt, old_target, ind.target_raw);
      }
    }
  } else {
    SQLite::Statement ins(db_, std::string("INSERT INTO indicators (measure_id, name, ") +
                                   kColumns +
                                   ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    ins.bind(1, measure_id);
    ins.bind(2, ind.name);
    BindIndicator(ins, 3, ind, ordinal, target, inf);
    ins.exec();
    id = db_.getLastInsertRowid();
    p_->result.changed = true;
    ++p_->result.indicators_added;
    if (!ind.target_raw.empty())
      p_->AddChange(ind.name, std::nullopt, std::nullopt, ind.target_raw);
  }
  p_->seen_indicators.insert(id);
  SyncObservations(id, ind);
}

void IndicatorRows::SyncObservations(int64_t indicator_id, const TableIndicator& ind) {
  std::map<int, std::string> existing;  // fiscal year → raw
  {
    SQLite::Statement q(db_, "SELECT fiscal_year, raw FROM observations WHERE indicator_id = ?");
    q.bind(1, indicator_id);
    while (q.executeStep()) existing[q.getColumn(0).getInt()] = q.getColumn(1).getString();
  }
  SQLite::Statement upsert(
      db_,
      "INSERT INTO observations (indicator_id, fiscal_year, raw, value, unit, status,"
      " annotated, parse_error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
      " ON CONFLICT (indicator_id, fiscal_year) DO UPDATE SET raw = excluded.raw,"
      " value = excluded.value, unit = excluded.unit, status = excluded.status,"
      " annotated = excluded.annotated, parse_error = excluded.parse_error"
      " WHERE raw IS NOT excluded.raw OR value IS NOT excluded.value"
      " OR unit IS NOT excluded.unit OR status IS NOT excluded.status"
      " OR annotated IS NOT excluded.annotated OR parse_error IS NOT excluded.parse_error");
  for (size_t i = 0; i < years_.size(); ++i) {
    int fy = years_[i];
    const std::string& raw = ind.actual_raw[i];
    CellValue cell = ParseCell(raw);
    upsert.bind(1, indicator_id);
    upsert.bind(2, fy);
    upsert.bind(3, raw);
    BindOptional(upsert, 4, cell.value);
    BindTextOrNull(upsert, 5, cell.unit);
    upsert.bind(6, StatusName(cell.status));
    upsert.bind(7, cell.annotated ? 1 : 0);
    BindTextOrNull(upsert, 8, cell.error);
    if (upsert.exec() > 0) p_->result.changed = true;
    upsert.reset();
    auto it = existing.find(fy);
    if (it == existing.end()) {
      if (!raw.empty()) p_->AddChange(ind.name, fy, std::nullopt, raw);
    } else {
      if (it->second != raw) p_->AddChange(ind.name, fy, it->second, raw);
      existing.erase(it);
    }
  }
  for (const auto& [fy, raw] : existing) {  // years no longer in the plan period
    SQLite::Statement del(db_,
                          "DELETE FROM observations WHERE indicator_id = ? AND fiscal_year = ?");
    del.bind(1, indicator_id);
    del.bind(2, fy);
    del.exec();
    p_->result.changed = true;
    if (!raw.empty()) p_->AddChange(ind.name, fy, raw, std::nullopt);
  }
}

}  // namespace shihyo
