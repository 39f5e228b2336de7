// Internal to the store module: what an import shares between the plan-level
// writer (store_import.cc) and the row writer (store_rows.cc).
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "import/progress_table.h"
#include "store/store_impl.h"

namespace shihyo {

struct CellValue;
struct Inference;
struct ObservationRow;

struct PendingChange {
  const std::string* indicator;  // the table's name, or one ImportProgress::Keep holds
  std::optional<int> fiscal_year;
  std::optional<std::string> old_raw;
  std::optional<std::string> new_raw;
};

// What an import has done so far.
struct ImportProgress {
  ImportResult result;
  std::vector<PendingChange> changes;
  std::set<int64_t> seen_indicators;

  // |indicator| must outlive the change history's writing: a name of the
  // table, or one Keep returned.
  void AddChange(const std::string& indicator, std::optional<int> fiscal_year,
                 std::optional<std::string> old_raw, std::optional<std::string> new_raw);
  // |name| held until the import of the table ends (names read from the store).
  const std::string& Keep(std::string name) { return kept.emplace_back(std::move(name)); }

 private:
  std::deque<std::string> kept;  // deque: a name stays where it is
};

// Statements prepared once per import and reset (bindings cleared) for each
// use: preparing every statement for every row or table made SQLite's parser
// a large part of an import's time. A statement is found by the address of
// its text, which must therefore outlive the cache and never change (a
// literal or a static string): no string is built or hashed per row.
class StatementCache {
 public:
  explicit StatementCache(SQLite::Database& db) : db_(db) {}
  SQLite::Statement& Get(const char* sql);
  // Resets every statement, ending the reads still open.
  void ResetAll();

 private:
  SQLite::Database& db_;
  std::unordered_map<const char*, std::unique_ptr<SQLite::Statement>> statements_;
};

// Parses a cell of |table|: the layout's words (なし → none) first, then
// ParseCell; a bare number takes |unit| (the indicator's).
CellValue ParseTableCell(const std::string& raw, const ProgressTable& table,
                         const std::string& unit);

// SHA-256 (hex) of everything in |table| an import writes, and of this
// build: equal digests make equal plans. Every field of the Table* structs
// (import/progress_table.h) that reaches the store must be in it.
std::string TableDigest(const ProgressTable& table);

// Inserts |changes| as rows of the change history under import |import_id|,
// many rows per statement. |changes| must outlive the statements' runs.
void InsertChanges(StatementCache* statements, int64_t import_id,
                   const std::vector<PendingChange>& changes);

// A reported achievement rate ("66.7", "66.7%"), or nullopt.
std::optional<double> ParseRate(const std::string& raw);

// Inserts or updates indicator rows and their observations, recording the
// cells that changed in |progress|. |db| and |table| must outlive it.
class IndicatorRows {
 public:
  IndicatorRows(SQLite::Database& db, StatementCache* statements, const ProgressTable& table,
                ImportProgress* progress);

  // Writes |ind| as row |ordinal| of measure |measure_id|. |new_measure|:
  // the measure was inserted by this import, so it has no indicators to read.
  void Upsert(int64_t measure_id, const TableIndicator& ind, int ordinal, bool new_measure);

 private:
  void BindIndicator(SQLite::Statement& st, int first, const TableIndicator& ind, int ordinal,
                     const CellValue& target, const Inference& inf);
  void BindExtra(SQLite::Statement& st, int first, const TableIndicator& ind);
  void UpdateIfChanged(int64_t id, const std::string& old_target, const TableIndicator& ind,
                       int ordinal, const CellValue& target, const Inference& inf);
  void BindObservation(SQLite::Statement& st, int first, int64_t indicator_id, int fiscal_year,
                       const ObservationRow& row);
  void UpsertObservations(int64_t indicator_id, const std::vector<ObservationRow>& rows,
                          const std::vector<size_t>& todo);
  // |fresh|: the indicator was inserted by this import, so nothing to read.
  void SyncObservations(int64_t indicator_id, const TableIndicator& ind, bool fresh);
  void WriteObservations(int64_t indicator_id, const TableIndicator& ind,
                         const std::vector<ObservationRow>& rows, const std::set<int>& held,
                         std::map<int, std::string>* existing);
  void SyncExtras(int64_t indicator_id, const TableIndicator& ind, bool fresh);
  void SyncNotes(int64_t indicator_id, const TableIndicator& ind, bool fresh);
  // Runs |delete_sql| (the rows of one table under the indicator).
  void Replace(const char* delete_sql, int64_t indicator_id);
  SQLite::Statement& Prepared(const char* sql) { return statements_->Get(sql); }

  SQLite::Database& db_;
  const ProgressTable& table_;
  const std::vector<int>& years_;
  ImportProgress* p_;
  StatementCache* statements_;
  CellValue baseline_;  // ParseTableCell of the baseline of the indicator being written
};

}  // namespace shihyo
