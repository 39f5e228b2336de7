// Indicator rows, their planned values and notes: the part of an import that
// writes indicators and records every changed target.
#include "store/store_rows.h"

#include <algorithm>

#include "base/text.h"
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
  changes.push_back(PendingChange{&indicator, fy, std::move(old_raw), std::move(new_raw)});
}

IndicatorRows::IndicatorRows(SQLite::Database& db, StatementCache* statements,
                             const ProgressTable& table, ImportProgress* progress)
    : db_(db), table_(table), years_(table.fiscal_years), p_(progress), statements_(statements) {}

namespace {

// The columns an indicator row holds after measure_id and name, in bind order.
constexpr const char* kColumns[] = {"ordinal",
                                    "source_line",
                                    "department",
                                    "target_raw",
                                    "target_value",
                                    "target_unit",
                                    "target_status",
                                    "target_annotated",
                                    "target_per_year",
                                    "target_cumulative",
                                    "target_bound",
                                    "direction",
                                    "aggregation",
                                    "code",
                                    "unit",
                                    "direction_raw",
                                    "target_year",
                                    "target_year_kind",
                                    "baseline_raw",
                                    "baseline_value",
                                    "baseline_unit",
                                    "baseline_status",
                                    "baseline_annotated",
                                    "baseline_year",
                                    "baseline_year_kind"};
constexpr int kColumnCount = sizeof(kColumns) / sizeof(kColumns[0]);

std::string JoinColumns(const char* separator, const char* suffix) {
  std::string out;
  for (int i = 0; i < kColumnCount; ++i)
    out += (i ? separator : "") + std::string(kColumns[i]) + suffix;
  return out;
}

// The indicator statements, built from kColumns once per process.
const char* SameIndicatorSql() {
  static const std::string sql =
      "SELECT count(*) FROM indicators WHERE id = ? AND " + JoinColumns(" AND ", " IS ?");
  return sql.c_str();
}

const char* UpdateIndicatorSql() {
  static const std::string sql =
      "UPDATE indicators SET " + JoinColumns(", ", " = ?") + " WHERE id = ?";
  return sql.c_str();
}

const char* InsertIndicatorSql() {
  static const std::string sql = [] {
    std::string marks;
    for (int i = 0; i < kColumnCount; ++i) marks += ", ?";
    return "INSERT INTO indicators (measure_id, name, " + JoinColumns(", ", "") + ") VALUES (?, ?" +
           marks + ")";
  }();
  return sql.c_str();
}

void BindYear(SQLite::Statement& st, int index, const std::optional<TableYear>& y) {
  if (y) {
    st.bind(index, y->year);
    st.bind(index + 1, YearKindName(y->kind));
  } else {
    st.bind(index);
    st.bind(index + 1);
  }
}

}  // namespace

CellValue ParseTableCell(const std::string& raw, const ProgressTable& table,
                         const std::string& unit) {
  if (!table.cell_words.empty()) {
    auto it = table.cell_words.find(std::string(TrimSpace(raw)));
    if (it != table.cell_words.end()) {
      CellValue v;
      v.status = it->second;
      return v;
    }
  }
  CellValue v = ParseCell(raw);
  if (v.status == CellStatus::kValue && v.unit.empty()) v.unit = unit;
  return v;
}

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
  BindExtra(st, first + 13, ind);
}

void IndicatorRows::BindExtra(SQLite::Statement& st, int first, const TableIndicator& ind) {
  BindTextOrNull(st, first, ind.code);
  BindTextOrNull(st, first + 1, ind.unit);
  BindTextOrNull(st, first + 2, ind.direction_raw);
  BindYear(st, first + 3, ind.target_year);
  bool has_baseline = !ind.baseline_raw.empty() || ind.baseline_year;
  const CellValue& baseline = baseline_;
  if (has_baseline) {
    st.bind(first + 5, ind.baseline_raw);
    BindOptional(st, first + 6, baseline.value);
    BindTextOrNull(st, first + 7, baseline.unit);
    st.bind(first + 8, StatusName(baseline.status));
  } else {
    for (int i = 5; i <= 8; ++i) st.bind(first + i);
  }
  st.bind(first + 9, baseline.annotated ? 1 : 0);
  BindYear(st, first + 10, ind.baseline_year);
}

void IndicatorRows::UpdateIfChanged(int64_t id, const std::string& old_target,
                                    const TableIndicator& ind, int ordinal, const CellValue& target,
                                    const Inference& inf) {
  // Compare by binding the new values into a probe and letting SQLite say
  // whether the row would change (IS handles NULLs).
  SQLite::Statement& same = Prepared(SameIndicatorSql());
  same.bind(1, id);
  BindIndicator(same, 2, ind, ordinal, target, inf);
  same.executeStep();
  if (same.getColumn(0).getInt() != 0) return;
  SQLite::Statement& u = Prepared(UpdateIndicatorSql());
  BindIndicator(u, 1, ind, ordinal, target, inf);
  u.bind(kColumnCount + 1, id);
  u.exec();
  p_->result.changed = true;
  if (old_target != ind.target_raw) {
    p_->AddChange(ind.name, std::nullopt, old_target, ind.target_raw);
  }
}

void IndicatorRows::Upsert(int64_t measure_id, const TableIndicator& ind, int ordinal,
                           bool new_measure) {
  CellValue target = ParseTableCell(ind.target_raw, table_, ind.unit);
  baseline_ = ParseTableCell(ind.baseline_raw, table_, ind.unit);
  Inference inf = InferIndicator(ind.name, target, ind.direction_raw, baseline_);
  int64_t id;
  bool fresh = false;  // inserted now: it has no observations, values or notes yet
  SQLite::Statement* q = nullptr;
  if (!new_measure) {
    q = &Prepared("SELECT id, target_raw FROM indicators WHERE measure_id = ? AND name = ?");
    q->bind(1, measure_id);
    q->bind(2, ind.name);
  }
  if (q && q->executeStep()) {
    id = q->getColumn(0).getInt64();
    UpdateIfChanged(id, q->getColumn(1).getString(), ind, ordinal, target, inf);
  } else {
    SQLite::Statement& ins = Prepared(InsertIndicatorSql());
    ins.bind(1, measure_id);
    ins.bind(2, ind.name);
    BindIndicator(ins, 3, ind, ordinal, target, inf);
    ins.exec();
    id = db_.getLastInsertRowid();
    fresh = true;
    p_->result.changed = true;
    ++p_->result.indicators_added;
    if (!ind.target_raw.empty())
      p_->AddChange(ind.name, std::nullopt, std::nullopt, ind.target_raw);
  }
  p_->seen_indicators.insert(id);
  SyncObservations(id, ind, fresh);
  SyncExtras(id, ind, fresh);
}

void IndicatorRows::SyncExtras(int64_t indicator_id, const TableIndicator& ind, bool fresh) {
  std::vector<std::string> want, have;
  for (const TableYearValue& v : ind.planned) {
    want.push_back(std::to_string(v.year.year) + "\t" + YearKindName(v.year.kind) + "\t" + v.raw);
  }
  if (!fresh) {
    SQLite::Statement& q = Prepared(
        "SELECT year || char(9) || year_kind || char(9) || raw FROM planned_values"
        " WHERE indicator_id = ? ORDER BY ordinal");
    q.bind(1, indicator_id);
    while (q.executeStep()) have.push_back(q.getColumn(0).getString());
  }
  if (want != have) {
    if (!fresh) Replace("DELETE FROM planned_values WHERE indicator_id = ?", indicator_id);
    p_->result.changed = true;
    SQLite::Statement& ins = Prepared(
        "INSERT INTO planned_values (indicator_id, ordinal, year, year_kind, raw)"
        " VALUES (?, ?, ?, ?, ?)");
    for (size_t i = 0; i < ind.planned.size(); ++i) {
      ins.bind(1, indicator_id);
      ins.bind(2, static_cast<int>(i));
      ins.bind(3, ind.planned[i].year.year);
      ins.bind(4, YearKindName(ind.planned[i].year.kind));
      ins.bind(5, ind.planned[i].raw);
      ins.exec();
      ins.reset();
    }
  }
  SyncNotes(indicator_id, ind, fresh);
}

void IndicatorRows::SyncNotes(int64_t indicator_id, const TableIndicator& ind, bool fresh) {
  std::vector<std::string> want, have;
  for (const TableNote& n : ind.notes) want.push_back(n.label + "\t" + n.text);
  if (!fresh) {
    SQLite::Statement& q = Prepared(
        "SELECT label || char(9) || text FROM indicator_notes WHERE indicator_id = ?"
        " ORDER BY ordinal");
    q.bind(1, indicator_id);
    while (q.executeStep()) have.push_back(q.getColumn(0).getString());
  }
  if (want == have) return;
  if (!fresh) Replace("DELETE FROM indicator_notes WHERE indicator_id = ?", indicator_id);
  p_->result.changed = true;
  SQLite::Statement& ins = Prepared(
      "INSERT INTO indicator_notes (indicator_id, ordinal, label, text)"
      " VALUES (?, ?, ?, ?)");
  for (size_t i = 0; i < ind.notes.size(); ++i) {
    ins.bind(1, indicator_id);
    ins.bind(2, static_cast<int>(i));
    ins.bind(3, ind.notes[i].label);
    ins.bind(4, ind.notes[i].text);
    ins.exec();
    ins.reset();
  }
}

SQLite::Statement& StatementCache::Get(const char* sql) {
  std::unique_ptr<SQLite::Statement>& st = statements_[sql];
  if (!st) {
    st = std::make_unique<SQLite::Statement>(db_, sql);
  } else {
    st->reset();
    st->clearBindings();
  }
  return *st;
}

void StatementCache::ResetAll() {
  for (auto& [sql, st] : statements_) st->reset();
}

void IndicatorRows::Replace(const char* delete_sql, int64_t indicator_id) {
  SQLite::Statement& del = Prepared(delete_sql);
  del.bind(1, indicator_id);
  del.exec();
  p_->result.changed = true;
}

}  // namespace shihyo
