// Observations: the yearly cells of an indicator, compared with the stored
// rows and written in multi-row upserts; every changed cell is recorded, and
// the record goes into the change history (InsertChanges).
#include <algorithm>

#include "base/text.h"
#include "model/inference.h"
#include "store/store_rows.h"

namespace shihyo {

// One observation as the upsert writes it (parameters 3…10).
struct ObservationRow {
  std::string raw;
  CellValue cell;
  std::string rate;
  std::optional<double> rate_value;
};

namespace {

bool SameText(const SQLite::Column& c, const std::string& text, bool null_if_empty) {
  if (c.isNull()) return null_if_empty && text.empty();
  return c.isText() && !(null_if_empty && text.empty()) && c.getString() == text;
}

bool SameReal(const SQLite::Column& c, const std::optional<double>& v) {
  if (c.isNull()) return !v;
  return v && (c.isFloat() || c.isInteger()) && c.getDouble() == *v;
}

// Whether the stored row (columns 1… of the existing-observations query)
// already holds |row|: then the upsert would change nothing and is skipped.
// Any doubt (a type another tool wrote) answers false, and the upsert decides.
bool Holds(SQLite::Statement& q, const ObservationRow& row) {
  return SameText(q.getColumn(1), row.raw, false) && SameReal(q.getColumn(2), row.cell.value) &&
         SameText(q.getColumn(3), row.cell.unit, true) &&
         SameText(q.getColumn(4), StatusName(row.cell.status), false) &&
         q.getColumn(5).isInteger() && q.getColumn(5).getInt() == (row.cell.annotated ? 1 : 0) &&
         SameText(q.getColumn(6), row.cell.error, true) &&
         SameText(q.getColumn(7), row.rate, true) && SameReal(q.getColumn(8), row.rate_value);
}

}  // namespace

namespace {

constexpr int kObservationColumns = 10;
constexpr size_t kMaxObservationBatch = 16;  // rows of one multi-row upsert

// The observation upsert for |rows| rows (1…kMaxObservationBatch): an
// existing row is updated only when a value differs.
const char* ObservationUpsertSql(size_t rows) {
  static const std::vector<std::string> sql = [] {
    std::vector<std::string> out(kMaxObservationBatch + 1);
    for (size_t n = 1; n <= kMaxObservationBatch; ++n) {
      std::string& q = out[n];
      q = "INSERT INTO observations (indicator_id, fiscal_year, raw, value, unit, status,"
          " annotated, parse_error, reported_rate_raw, reported_rate) VALUES ";
      for (size_t i = 0; i < n; ++i)
        q += i ? ", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)" : "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
      q += " ON CONFLICT (indicator_id, fiscal_year) DO UPDATE SET raw = excluded.raw,"
           " value = excluded.value, unit = excluded.unit, status = excluded.status,"
           " annotated = excluded.annotated, parse_error = excluded.parse_error,"
           " reported_rate_raw = excluded.reported_rate_raw,"
           " reported_rate = excluded.reported_rate"
           " WHERE raw IS NOT excluded.raw OR value IS NOT excluded.value"
           " OR unit IS NOT excluded.unit OR status IS NOT excluded.status"
           " OR annotated IS NOT excluded.annotated OR parse_error IS NOT excluded.parse_error"
           " OR reported_rate_raw IS NOT excluded.reported_rate_raw"
           " OR reported_rate IS NOT excluded.reported_rate";
    }
    return out;
  }();
  return sql[rows].c_str();
}

}  // namespace

// Binds one row of the observation upsert, its parameters |first|…, without
// copying its text: |row| must outlive the statement's run.
void IndicatorRows::BindObservation(SQLite::Statement& st, int first, int64_t indicator_id,
                                    int fiscal_year, const ObservationRow& row) {
  st.bind(first, indicator_id);
  st.bind(first + 1, fiscal_year);
  st.bindNoCopy(first + 2, row.raw);
  BindOptional(st, first + 3, row.cell.value);
  BindTextOrNullNoCopy(st, first + 4, row.cell.unit);
  st.bindNoCopy(first + 5, StatusName(row.cell.status));  // a static name
  st.bind(first + 6, row.cell.annotated ? 1 : 0);
  BindTextOrNullNoCopy(st, first + 7, row.cell.error);
  BindTextOrNullNoCopy(st, first + 8, row.rate);
  BindOptional(st, first + 9, row.rate_value);
}

// Upserts the rows |todo| (indices into |rows|), up to kMaxObservationBatch
// in one statement: a statement's own cost (start, statement journal, halt)
// was as large as a row's.
void IndicatorRows::UpsertObservations(int64_t indicator_id,
                                       const std::vector<ObservationRow>& rows,
                                       const std::vector<size_t>& todo) {
  for (size_t done = 0; done < todo.size();) {
    // A batch holds ascending years: one key twice in one upsert is an error.
    size_t n = 1;
    while (n < kMaxObservationBatch && done + n < todo.size() &&
           years_[todo[done + n]] > years_[todo[done + n - 1]]) {
      ++n;
    }
    SQLite::Statement& upsert = Prepared(ObservationUpsertSql(n));
    for (size_t k = 0; k < n; ++k) {
      size_t i = todo[done + k];
      BindObservation(upsert, static_cast<int>(k) * kObservationColumns + 1, indicator_id,
                      years_[i], rows[i]);
    }
    if (upsert.exec() > 0) p_->result.changed = true;
    done += n;
  }
}

void IndicatorRows::SyncObservations(int64_t indicator_id, const TableIndicator& ind, bool fresh) {
  std::vector<ObservationRow> rows(years_.size());
  for (size_t i = 0; i < years_.size(); ++i) {
    rows[i].raw = ind.actual_raw[i];
    rows[i].cell = ParseTableCell(rows[i].raw, table_, ind.unit);
    rows[i].rate = i < ind.rate_raw.size() ? ind.rate_raw[i] : "";
    rows[i].rate_value = ParseRate(rows[i].rate);
  }
  std::map<int, std::string> existing;  // fiscal year → raw
  std::set<int> held;                   // the years whose row already holds the cell
  if (!fresh) {
    SQLite::Statement& q = Prepared(
        "SELECT fiscal_year, raw, value, unit, status, annotated, parse_error,"
        " reported_rate_raw, reported_rate FROM observations WHERE indicator_id = ?");
    q.bind(1, indicator_id);
    while (q.executeStep()) {
      int fy = q.getColumn(0).getInt();
      existing[fy] = q.getColumn(1).getString();
      if (!years_.empty() && fy >= years_.front() && fy <= years_.back()) {
        size_t i = static_cast<size_t>(fy - years_.front());
        if (i < years_.size() && years_[i] == fy && Holds(q, rows[i])) held.insert(fy);
      }
    }
  }
  WriteObservations(indicator_id, ind, rows, held, &existing);
}

void IndicatorRows::WriteObservations(int64_t indicator_id, const TableIndicator& ind,
                                      const std::vector<ObservationRow>& rows,
                                      const std::set<int>& held,
                                      std::map<int, std::string>* existing) {
  std::vector<size_t> todo;  // the years to upsert
  for (size_t i = 0; i < years_.size(); ++i) {
    int fy = years_[i];
    const std::string& raw = rows[i].raw;
    if (!ind.in_table.empty() && !ind.in_table[i]) continue;  // no cell: no row
    if (!held.count(fy)) todo.push_back(i);
    auto it = existing->find(fy);
    if (it == existing->end()) {
      if (!raw.empty()) p_->AddChange(ind.name, fy, std::nullopt, raw);
    } else {
      if (it->second != raw) p_->AddChange(ind.name, fy, it->second, raw);
      existing->erase(it);
    }
  }
  UpsertObservations(indicator_id, rows, todo);
  for (const auto& [fy, raw] : *existing) {  // years no longer in the plan period
    SQLite::Statement& del =
        Prepared("DELETE FROM observations WHERE indicator_id = ? AND fiscal_year = ?");
    del.bind(1, indicator_id);
    del.bind(2, fy);
    del.exec();
    p_->result.changed = true;
    if (!raw.empty()) p_->AddChange(ind.name, fy, raw, std::nullopt);
  }
}

std::optional<double> ParseRate(const std::string& raw) {
  if (TrimSpace(raw).empty()) return std::nullopt;
  Result<Quantity> q = ParseJapaneseNumber(raw);
  if (!q.ok() || (!q->unit.empty() && q->unit != "%")) return std::nullopt;
  return q->value;
}

namespace {

constexpr size_t kChangeBatch = 32;  // rows of one insert into changes

std::string ChangesSql(size_t rows) {
  std::string sql =
      "INSERT INTO changes (import_id, indicator, fiscal_year, old_raw, new_raw) VALUES ";
  for (size_t i = 0; i < rows; ++i) sql += i ? ", (?, ?, ?, ?, ?)" : "(?, ?, ?, ?, ?)";
  return sql;
}

// The insert of |rows| (1 or kChangeBatch) changes rows.
const char* InsertChangesSql(size_t rows) {
  static const std::string one = ChangesSql(1);
  static const std::string batch = ChangesSql(kChangeBatch);
  return rows == 1 ? one.c_str() : batch.c_str();
}

// Binds |c| without copying its text: it must outlive the statement's run.
void BindChange(SQLite::Statement& ins, int first, int64_t import_id, const PendingChange& c) {
  ins.bind(first, import_id);
  ins.bindNoCopy(first + 1, *c.indicator);
  c.fiscal_year ? ins.bind(first + 2, *c.fiscal_year) : ins.bind(first + 2);
  c.old_raw ? ins.bindNoCopy(first + 3, *c.old_raw) : ins.bind(first + 3);
  c.new_raw ? ins.bindNoCopy(first + 4, *c.new_raw) : ins.bind(first + 4);
}

}  // namespace

void InsertChanges(StatementCache* statements, int64_t import_id,
                   const std::vector<PendingChange>& changes) {
  for (size_t done = 0; done < changes.size();) {
    // Many rows per statement: a statement's own cost was as large as a row's.
    size_t n = changes.size() - done >= kChangeBatch ? kChangeBatch : 1;
    SQLite::Statement& ins = statements->Get(InsertChangesSql(n));
    for (size_t k = 0; k < n; ++k) {
      BindChange(ins, static_cast<int>(k) * 5 + 1, import_id, changes[done + k]);
    }
    ins.exec();
    done += n;
  }
}

}  // namespace shihyo
