// IndicatorStore::Import: diffs a parsed progress table against the store and
// writes only what changed, recording cell changes in the history.
#include <map>
#include <set>
#include <sstream>

#include "inference.h"
#include "progress_table.h"
#include "store_impl.h"

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

std::string JoinLines(const std::vector<std::string>& lines) {
  std::string out;
  for (size_t i = 0; i < lines.size(); ++i) out += (i ? "\n" : "") + lines[i];
  return out;
}

struct PendingChange {
  std::string indicator;
  std::optional<int> fiscal_year;
  std::optional<std::string> old_raw;
  std::optional<std::string> new_raw;
};

// Imports one table inside the caller's transaction.
class TableImporter {
 public:
  TableImporter(SQLite::Database& db, const ProgressTable& table, const std::string& now)
      : db_(db), table_(table), now_(now) {}

  ImportResult Run() {
    result_.plan = table_.title;
    result_.source = table_.source;
    UpsertPlan();
    int project_ordinal = 0;
    int indicator_ordinal = 0;
    for (const TableProject& p : table_.projects) {
      int64_t project_id = UpsertProject(p, project_ordinal++);
      int measure_ordinal = 0;
      for (const TableMeasure& m : p.measures) {
        int64_t measure_id = UpsertMeasure(project_id, m, measure_ordinal++);
        for (const TableIndicator& ind : m.indicators) {
          UpsertIndicator(measure_id, ind, indicator_ordinal++);
        }
      }
    }
    RemoveUnseen();
    if (result_.changed) WriteHistory();
    return result_;
  }

 private:
  void Exec(const std::string& sql) { db_.exec(sql); }

  void UpsertPlan() {
    SQLite::Statement q(db_, "SELECT id, first_year, last_year, notes FROM plans WHERE name = ?");
    q.bind(1, table_.title);
    std::string notes = JoinLines(table_.notes);
    int first = table_.fiscal_years.front();
    int last = table_.fiscal_years.back();
    if (q.executeStep()) {
      plan_id_ = q.getColumn(0).getInt64();
      if (q.getColumn(1).getInt() != first || q.getColumn(2).getInt() != last ||
          q.getColumn(3).getString() != notes) {
        SQLite::Statement u(db_,
                            "UPDATE plans SET first_year = ?, last_year = ?, notes = ? WHERE id = ?");
        u.bind(1, first);
        u.bind(2, last);
        u.bind(3, notes);
        u.bind(4, plan_id_);
        u.exec();
        result_.changed = true;
      }
      return;
    }
    SQLite::Statement ins(db_,
                          "INSERT INTO plans (name, first_year, last_year, notes, source,"
                          " imported_at) VALUES (?, ?, ?, ?, ?, ?)");
    ins.bind(1, table_.title);
    ins.bind(2, first);
    ins.bind(3, last);
    ins.bind(4, notes);
    ins.bind(5, table_.source);
    ins.bind(6, now_);
    ins.exec();
    plan_id_ = db_.getLastInsertRowid();
    result_.created = true;
    result_.changed = true;
  }

  int64_t UpsertProject(const TableProject& p, int ordinal) {
    SQLite::Statement q(db_, "SELECT id, heading, ordinal FROM projects WHERE plan_id = ? AND number = ?");
    q.bind(1, plan_id_);
    q.bind(2, p.number);
    int64_t id;
    if (q.executeStep()) {
      id = q.getColumn(0).getInt64();
      if (q.getColumn(1).getString() != p.heading || q.getColumn(2).getInt() != ordinal) {
        SQLite::Statement u(db_, "UPDATE projects SET heading = ?, ordinal = ? WHERE id = ?");
        u.bind(1, p.heading);
        u.bind(2, ordinal);
        u.bind(3, id);
        u.exec();
        result_.changed = true;
      }
    } else {
      SQLite::Statement ins(db_,
                            "INSERT INTO projects (plan_id, number, heading, ordinal)"
                            " VALUES (?, ?, ?, ?)");
      ins.bind(1, plan_id_);
      ins.bind(2, p.number);
      ins.bind(3, p.heading);
      ins.bind(4, ordinal);
      ins.exec();
      id = db_.getLastInsertRowid();
      result_.changed = true;
    }
    seen_projects_.insert(id);
    return id;
  }

  int64_t UpsertMeasure(int64_t project_id, const TableMeasure& m, int ordinal) {
    SQLite::Statement q(db_,
                        "SELECT id, text, actual_header, ordinal FROM measures"
                        " WHERE project_id = ? AND marker = ?");
    q.bind(1, project_id);
    q.bind(2, m.marker);
    int64_t id;
    if (q.executeStep()) {
      id = q.getColumn(0).getInt64();
      if (q.getColumn(1).getString() != m.text || q.getColumn(2).getString() != m.actual_header ||
          q.getColumn(3).getInt() != ordinal) {
        SQLite::Statement u(db_,
                            "UPDATE measures SET text = ?, actual_header = ?, ordinal = ?"
                            " WHERE id = ?");
        u.bind(1, m.text);
        u.bind(2, m.actual_header);
        u.bind(3, ordinal);
        u.bind(4, id);
        u.exec();
        result_.changed = true;
      }
    } else {
      SQLite::Statement ins(db_,
                            "INSERT INTO measures (project_id, marker, text, actual_header, ordinal)"
                            " VALUES (?, ?, ?, ?, ?)");
      ins.bind(1, project_id);
      ins.bind(2, m.marker);
      ins.bind(3, m.text);
      ins.bind(4, m.actual_header);
      ins.bind(5, ordinal);
      ins.exec();
      id = db_.getLastInsertRowid();
      result_.changed = true;
    }
    seen_measures_.insert(id);
    SyncFootnotes(id, m.footnotes);
    return id;
  }

  void SyncFootnotes(int64_t measure_id, const std::vector<std::string>& footnotes) {
    SQLite::Statement q(db_, "SELECT text FROM footnotes WHERE measure_id = ? ORDER BY ordinal");
    q.bind(1, measure_id);
    std::vector<std::string> existing;
    while (q.executeStep()) existing.push_back(q.getColumn(0).getString());
    if (existing == footnotes) return;
    SQLite::Statement del(db_, "DELETE FROM footnotes WHERE measure_id = ?");
    del.bind(1, measure_id);
    del.exec();
    SQLite::Statement ins(db_, "INSERT INTO footnotes (measure_id, ordinal, text) VALUES (?, ?, ?)");
    for (size_t i = 0; i < footnotes.size(); ++i) {
      ins.bind(1, measure_id);
      ins.bind(2, static_cast<int>(i));
      ins.bind(3, footnotes[i]);
      ins.exec();
      ins.reset();
    }
    result_.changed = true;
  }

  // The columns an indicator row holds, in UPDATE/INSERT order after measure_id and name.
  void BindIndicator(SQLite::Statement& st, int first, const TableIndicator& ind, int ordinal,
                     const CellValue& target, const Inference& inf) {
    st.bind(first, ordinal);
    st.bind(first + 1, ind.line);
    if (inf.department.empty()) {
      st.bind(first + 2);
    } else {
      st.bind(first + 2, inf.department);
    }
    st.bind(first + 3, ind.target_raw);
    BindOptional(st, first + 4, target.value);
    if (target.unit.empty()) {
      st.bind(first + 5);
    } else {
      st.bind(first + 5, target.unit);
    }
    st.bind(first + 6, StatusName(target.status));
    st.bind(first + 7, target.annotated ? 1 : 0);
    st.bind(first + 8, target.per_year ? 1 : 0);
    st.bind(first + 9, target.cumulative ? 1 : 0);
    if (target.bound == Bound::kNone) {
      st.bind(first + 10);
    } else {
      st.bind(first + 10, BoundName(target.bound));
    }
    st.bind(first + 11, DirectionName(inf.direction));
    st.bind(first + 12, AggregationName(inf.aggregation));
  }

  void UpsertIndicator(int64_t measure_id, const TableIndicator& ind, int ordinal) {
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
        result_.changed = true;
        if (old_target != ind.target_raw) {
          AddChange(ind.name, std::nullopt, old_target, ind.target_raw);
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
      result_.changed = true;
      ++result_.indicators_added;
      if (!ind.target_raw.empty()) AddChange(ind.name, std::nullopt, std::nullopt, ind.target_raw);
    }
    seen_indicators_.insert(id);
    SyncObservations(id, ind);
  }

  void SyncObservations(int64_t indicator_id, const TableIndicator& ind) {
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
    for (size_t i = 0; i < table_.fiscal_years.size(); ++i) {
      int fy = table_.fiscal_years[i];
      const std::string& raw = ind.actual_raw[i];
      CellValue cell = ParseCell(raw);
      upsert.bind(1, indicator_id);
      upsert.bind(2, fy);
      upsert.bind(3, raw);
      BindOptional(upsert, 4, cell.value);
      if (cell.unit.empty()) {
        upsert.bind(5);
      } else {
        upsert.bind(5, cell.unit);
      }
      upsert.bind(6, StatusName(cell.status));
      upsert.bind(7, cell.annotated ? 1 : 0);
      if (cell.error.empty()) {
        upsert.bind(8);
      } else {
        upsert.bind(8, cell.error);
      }
      if (upsert.exec() > 0) result_.changed = true;
      upsert.reset();
      auto it = existing.find(fy);
      if (it == existing.end()) {
        if (!raw.empty()) AddChange(ind.name, fy, std::nullopt, raw);
      } else {
        if (it->second != raw) AddChange(ind.name, fy, it->second, raw);
        existing.erase(it);
      }
    }
    for (const auto& [fy, raw] : existing) {  // years no longer in the plan period
      SQLite::Statement del(db_,
                            "DELETE FROM observations WHERE indicator_id = ? AND fiscal_year = ?");
      del.bind(1, indicator_id);
      del.bind(2, fy);
      del.exec();
      result_.changed = true;
      if (!raw.empty()) AddChange(ind.name, fy, raw, std::nullopt);
    }
  }

  void RemoveUnseen() {
    SQLite::Statement q(db_,
                        "SELECT i.id, i.name, i.target_raw, m.id, pr.id FROM indicators i"
                        " JOIN measures m ON i.measure_id = m.id"
                        " JOIN projects pr ON m.project_id = pr.id WHERE pr.plan_id = ?");
    q.bind(1, plan_id_);
    std::vector<int64_t> gone;
    while (q.executeStep()) {
      int64_t id = q.getColumn(0).getInt64();
      if (seen_indicators_.count(id)) continue;
      gone.push_back(id);
      std::string name = q.getColumn(1).getString();
      AddChange(name, std::nullopt, q.getColumn(2).getString(), std::nullopt);
      SQLite::Statement obs(db_,
                            "SELECT fiscal_year, raw FROM observations WHERE indicator_id = ?"
                            " AND raw <> '' ORDER BY fiscal_year");
      obs.bind(1, id);
      while (obs.executeStep()) {
        AddChange(name, obs.getColumn(0).getInt(), obs.getColumn(1).getString(), std::nullopt);
      }
    }
    for (int64_t id : gone) {
      SQLite::Statement del(db_, "DELETE FROM indicators WHERE id = ?");
      del.bind(1, id);
      del.exec();
      ++result_.indicators_removed;
      result_.changed = true;
    }
    DeleteUnseen("measures", "project_id IN (SELECT id FROM projects WHERE plan_id = ?)",
                 seen_measures_);
    DeleteUnseen("projects", "plan_id = ?", seen_projects_);
  }

  void DeleteUnseen(const char* table, const char* scope, const std::set<int64_t>& seen) {
    SQLite::Statement q(db_, std::string("SELECT id FROM ") + table + " WHERE " + scope);
    q.bind(1, plan_id_);
    std::vector<int64_t> gone;
    while (q.executeStep()) {
      if (!seen.count(q.getColumn(0).getInt64())) gone.push_back(q.getColumn(0).getInt64());
    }
    for (int64_t id : gone) {
      SQLite::Statement del(db_, std::string("DELETE FROM ") + table + " WHERE id = ?");
      del.bind(1, id);
      del.exec();
      result_.changed = true;
    }
  }

  void AddChange(const std::string& indicator, std::optional<int> fy,
                 std::optional<std::string> old_raw, std::optional<std::string> new_raw) {
    changes_.push_back(PendingChange{indicator, fy, std::move(old_raw), std::move(new_raw)});
  }

  void WriteHistory() {
    result_.cells_changed = static_cast<int>(changes_.size());
    SQLite::Statement plan(db_, "UPDATE plans SET source = ?, imported_at = ? WHERE id = ?");
    plan.bind(1, table_.source);
    plan.bind(2, now_);
    plan.bind(3, plan_id_);
    plan.exec();
    SQLite::Statement imp(db_,
                          "INSERT INTO imports (plan_id, source, encoding, imported_at,"
                          " cells_changed) VALUES (?, ?, ?, ?, ?)");
    imp.bind(1, plan_id_);
    imp.bind(2, table_.source);
    imp.bind(3, table_.encoding);
    imp.bind(4, now_);
    imp.bind(5, result_.cells_changed);
    imp.exec();
    int64_t import_id = db_.getLastInsertRowid();
    SQLite::Statement ins(db_,
                          "INSERT INTO changes (import_id, indicator, fiscal_year, old_raw,"
                          " new_raw) VALUES (?, ?, ?, ?, ?)");
    for (const PendingChange& c : changes_) {
      ins.bind(1, import_id);
      ins.bind(2, c.indicator);
      c.fiscal_year ? ins.bind(3, *c.fiscal_year) : ins.bind(3);
      c.old_raw ? ins.bind(4, *c.old_raw) : ins.bind(4);
      c.new_raw ? ins.bind(5, *c.new_raw) : ins.bind(5);
      ins.exec();
      ins.reset();
    }
  }

  SQLite::Database& db_;
  const ProgressTable& table_;
  const std::string& now_;
  int64_t plan_id_ = 0;
  ImportResult result_;
  std::set<int64_t> seen_projects_, seen_measures_, seen_indicators_;
  std::vector<PendingChange> changes_;
};

}  // namespace

Result<std::vector<ImportResult>> IndicatorStore::Import(const std::vector<ProgressTable>& tables,
                                                         const std::string& imported_at) {
  std::set<std::string> titles;
  for (const ProgressTable& t : tables) {
    if (!titles.insert(t.title).second) {
      return Status::InvalidArgument(t.source + ": holds the plan '" + t.title +
                                     "' that another file in this import also holds");
    }
  }
  std::vector<ImportResult> results;
  Status s = GuardSqlite(impl_->path, "import", [&]() -> Status {
    impl_->db.exec("BEGIN IMMEDIATE");
    try {
      for (const ProgressTable& t : tables) {
        results.push_back(TableImporter(impl_->db, t, imported_at).Run());
      }
      bool any = false;
      for (const ImportResult& r : results) any = any || r.changed;
      // Nothing changed: roll back so the file and its data_version stay untouched.
      impl_->db.exec(any ? "COMMIT" : "ROLLBACK");
    } catch (...) {
      try {
        impl_->db.exec("ROLLBACK");
      } catch (const SQLite::Exception&) {
        // SQLite already rolled back (e.g. after SQLITE_FULL); report the first error.
      }
      throw;
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return results;
}

}  // namespace shihyo
