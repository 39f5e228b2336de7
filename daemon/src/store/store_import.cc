// IndicatorStore::Import: diffs a parsed progress table against the store and
// writes only what changed, recording cell changes in the history.
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "base/text.h"
#include "import/progress_table.h"
#include "store/store_cascade.h"
#include "store/store_rows.h"

namespace shihyo {

namespace {

std::string JoinLines(const std::vector<std::string>& lines) {
  std::string out;
  for (size_t i = 0; i < lines.size(); ++i) out += (i ? "\n" : "") + lines[i];
  return out;
}

// Imports one table inside the caller's transaction.
class TableImporter {
 public:
  // |cascade|: deletes with the schema's cascades when foreign keys are
  // off; nullptr when they are on (SQLite cascades).
  TableImporter(SQLite::Database& db, StatementCache* statements, CascadeDeleter* cascade,
                const ProgressTable& table, const std::string& now)
      : db_(db), statements_(statements), cascade_(cascade), table_(table), now_(now) {}

  ImportResult Run() {
    progress_.result.plan = table_.title;
    progress_.result.source = table_.source;
    digest_ = TableDigest(table_);
    if (Unchanged()) {
      statements_->ResetAll();
      return progress_.result;
    }
    UpsertPlan();
    IndicatorRows rows(db_, statements_, table_, &progress_);
    int project_ordinal = 0;
    int indicator_ordinal = 0;
    for (const TableProject& p : table_.projects) {
      int64_t project_id = UpsertProject(p, project_ordinal++);
      int measure_ordinal = 0;
      for (const TableMeasure& m : p.measures) {
        bool new_measure = false;
        int64_t measure_id = UpsertMeasure(project_id, m, measure_ordinal++, &new_measure);
        for (const TableIndicator& ind : m.indicators) {
          rows.Upsert(measure_id, ind, indicator_ordinal++, new_measure);
        }
      }
    }
    RemoveUnseen();
    if (progress_.result.changed) {
      WriteHistory();
      NewVersion();
    } else {
      RecordDigest();
    }
    statements_->ResetAll();
    return progress_.result;
  }

 private:
  void Exec(const std::string& sql) { db_.exec(sql); }
  SQLite::Statement& Prepared(const char* sql) { return statements_->Get(sql); }

  void UpsertPlan() {
    SQLite::Statement& q = Prepared(
        "SELECT id, first_year, last_year, notes, year_kind, layout FROM plans"
        " WHERE name = ?");
    q.bind(1, table_.title);
    std::string notes = JoinLines(table_.notes);
    int first = table_.fiscal_years.front();
    int last = table_.fiscal_years.back();
    std::string kind = YearKindName(table_.year_kind);
    if (q.executeStep()) {
      plan_id_ = q.getColumn(0).getInt64();
      if (q.getColumn(1).getInt() != first || q.getColumn(2).getInt() != last ||
          q.getColumn(3).getString() != notes || q.getColumn(4).getString() != kind ||
          q.getColumn(5).getString() != table_.layout) {
        SQLite::Statement& u = Prepared(
            "UPDATE plans SET first_year = ?, last_year = ?, notes = ?,"
            " year_kind = ?, layout = ? WHERE id = ?");
        u.bind(1, first);
        u.bind(2, last);
        u.bind(3, notes);
        u.bind(4, kind);
        u.bind(5, table_.layout);
        u.bind(6, plan_id_);
        u.exec();
        progress_.result.changed = true;
      }
      return;
    }
    InsertPlan(first, last, notes, kind);
  }

  void InsertPlan(int first, int last, const std::string& notes, const std::string& kind) {
    SQLite::Statement& ins = Prepared(
        "INSERT INTO plans (name, first_year, last_year, notes, source,"
        " imported_at, year_kind, layout) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    ins.bind(1, table_.title);
    ins.bind(2, first);
    ins.bind(3, last);
    ins.bind(4, notes);
    ins.bind(5, table_.source);
    ins.bind(6, now_);
    ins.bind(7, kind);
    ins.bind(8, table_.layout);
    ins.exec();
    plan_id_ = db_.getLastInsertRowid();
    progress_.result.created = true;
    progress_.result.changed = true;
  }

  int64_t UpsertProject(const TableProject& p, int ordinal) {
    SQLite::Statement& q =
        Prepared("SELECT id, heading, ordinal FROM projects WHERE plan_id = ? AND number = ?");
    q.bind(1, plan_id_);
    q.bind(2, p.number);
    int64_t id;
    if (q.executeStep()) {
      id = q.getColumn(0).getInt64();
      if (q.getColumn(1).getString() != p.heading || q.getColumn(2).getInt() != ordinal) {
        SQLite::Statement& u =
            Prepared("UPDATE projects SET heading = ?, ordinal = ? WHERE id = ?");
        u.bind(1, p.heading);
        u.bind(2, ordinal);
        u.bind(3, id);
        u.exec();
        progress_.result.changed = true;
      }
    } else {
      SQLite::Statement& ins = Prepared(
          "INSERT INTO projects (plan_id, number, heading, ordinal)"
          " VALUES (?, ?, ?, ?)");
      ins.bind(1, plan_id_);
      ins.bind(2, p.number);
      ins.bind(3, p.heading);
      ins.bind(4, ordinal);
      ins.exec();
      id = db_.getLastInsertRowid();
      progress_.result.changed = true;
    }
    seen_projects_.insert(id);
    return id;
  }

  // |*inserted|: the measure is new, with no indicators or footnotes yet.
  int64_t UpsertMeasure(int64_t project_id, const TableMeasure& m, int ordinal, bool* inserted) {
    SQLite::Statement& q = Prepared(
        "SELECT id, text, actual_header, ordinal FROM measures"
        " WHERE project_id = ? AND marker = ?");
    q.bind(1, project_id);
    q.bind(2, m.marker);
    int64_t id;
    if (q.executeStep()) {
      id = q.getColumn(0).getInt64();
      if (q.getColumn(1).getString() != m.text || q.getColumn(2).getString() != m.actual_header ||
          q.getColumn(3).getInt() != ordinal) {
        SQLite::Statement& u = Prepared(
            "UPDATE measures SET text = ?, actual_header = ?, ordinal = ?"
            " WHERE id = ?");
        u.bind(1, m.text);
        u.bind(2, m.actual_header);
        u.bind(3, ordinal);
        u.bind(4, id);
        u.exec();
        progress_.result.changed = true;
      }
    } else {
      SQLite::Statement& ins = Prepared(
          "INSERT INTO measures (project_id, marker, text, actual_header, ordinal)"
          " VALUES (?, ?, ?, ?, ?)");
      ins.bind(1, project_id);
      ins.bind(2, m.marker);
      ins.bind(3, m.text);
      ins.bind(4, m.actual_header);
      ins.bind(5, ordinal);
      ins.exec();
      id = db_.getLastInsertRowid();
      progress_.result.changed = true;
      *inserted = true;
    }
    seen_measures_.insert(id);
    SyncFootnotes(id, m.footnotes, *inserted);
    return id;
  }

  // |fresh|: the measure was inserted now, with no footnotes to read.
  void SyncFootnotes(int64_t measure_id, const std::vector<std::string>& footnotes, bool fresh) {
    if (fresh && footnotes.empty()) return;
    if (!fresh) {
      SQLite::Statement& q =
          Prepared("SELECT text FROM footnotes WHERE measure_id = ? ORDER BY ordinal");
      q.bind(1, measure_id);
      std::vector<std::string> existing;
      while (q.executeStep()) existing.push_back(q.getColumn(0).getString());
      if (existing == footnotes) return;
      SQLite::Statement& del = Prepared("DELETE FROM footnotes WHERE measure_id = ?");
      del.bind(1, measure_id);
      del.exec();
    }
    SQLite::Statement& ins =
        Prepared("INSERT INTO footnotes (measure_id, ordinal, text) VALUES (?, ?, ?)");
    for (size_t i = 0; i < footnotes.size(); ++i) {
      ins.bind(1, measure_id);
      ins.bind(2, static_cast<int>(i));
      ins.bind(3, footnotes[i]);
      ins.exec();
      ins.reset();
    }
    progress_.result.changed = true;
  }

  void RemoveUnseen() {
    SQLite::Statement& q = Prepared(
        "SELECT i.id, i.name, i.target_raw, m.id, pr.id FROM indicators i"
        " JOIN measures m ON i.measure_id = m.id"
        " JOIN projects pr ON m.project_id = pr.id WHERE pr.plan_id = ?");
    q.bind(1, plan_id_);
    std::vector<int64_t> gone;
    int existing = 0;
    while (q.executeStep()) {
      ++existing;
      int64_t id = q.getColumn(0).getInt64();
      if (progress_.seen_indicators.count(id)) continue;
      gone.push_back(id);
      const std::string& name = progress_.Keep(q.getColumn(1).getString());
      progress_.result.removed_names.push_back(name);
      progress_.AddChange(name, std::nullopt, q.getColumn(2).getString(), std::nullopt);
      SQLite::Statement& obs = Prepared(
          "SELECT fiscal_year, raw FROM observations WHERE indicator_id = ?"
          " AND raw <> '' ORDER BY fiscal_year");
      obs.bind(1, id);
      while (obs.executeStep()) {
        progress_.AddChange(name, obs.getColumn(0).getInt(), obs.getColumn(1).getString(),
                            std::nullopt);
      }
    }
    for (int64_t id : gone) {
      DeleteRow("indicators", "DELETE FROM indicators WHERE id = ?", id);
      ++progress_.result.indicators_removed;
      progress_.result.changed = true;
    }
    progress_.result.indicators_before = existing - progress_.result.indicators_added;
    DeleteUnseen(
        "SELECT id FROM measures WHERE"
        " project_id IN (SELECT id FROM projects WHERE plan_id = ?)",
        "measures", "DELETE FROM measures WHERE id = ?", seen_measures_);
    DeleteUnseen("SELECT id FROM projects WHERE plan_id = ?", "projects",
                 "DELETE FROM projects WHERE id = ?", seen_projects_);
  }

  // Deletes row |id| of |table| and what refers to it (|delete_sql|, with
  // SQLite's cascades, while foreign keys are on).
  void DeleteRow(const char* table, const char* delete_sql, int64_t id) {
    if (cascade_) {
      cascade_->Delete(table, id);
      return;
    }
    SQLite::Statement& del = Prepared(delete_sql);
    del.bind(1, id);
    del.exec();
  }

  // Deletes the rows |select_sql| finds under the plan that are not in |seen|.
  void DeleteUnseen(const char* select_sql, const char* table, const char* delete_sql,
                    const std::set<int64_t>& seen) {
    SQLite::Statement& q = Prepared(select_sql);
    q.bind(1, plan_id_);
    std::vector<int64_t> gone;
    while (q.executeStep()) {
      if (!seen.count(q.getColumn(0).getInt64())) gone.push_back(q.getColumn(0).getInt64());
    }
    for (int64_t id : gone) {
      DeleteRow(table, delete_sql, id);
      progress_.result.changed = true;
    }
  }

  // True when the plan is as the same table (digest) left it at its last
  // import: nothing changed it since (its version is still the one that
  // import gave it), so comparing it cell by cell would find nothing.
  bool Unchanged() {
    SQLite::Statement& q = Prepared(
        "SELECT 1 FROM plans WHERE name = ? AND import_digest = ? AND import_version = version");
    q.bind(1, table_.title);
    q.bind(2, digest_);
    return q.executeStep();
  }

  // Gives the plan the store's next generation as its version (schema v3;
  // the triggers stay quiet while the import holds store_state.importing),
  // and records the table's digest with it.
  void NewVersion() {
    Prepared("UPDATE store_state SET generation = generation + 1").exec();
    SQLite::Statement& u = Prepared(
        "UPDATE plans SET version = (SELECT generation FROM store_state), import_digest = ?,"
        " import_version = (SELECT generation FROM store_state) WHERE id = ?");
    u.bind(1, digest_);
    u.bind(2, plan_id_);
    u.exec();
  }

  // The plan was compared cell by cell (its digest was another build's, or
  // it was edited and is now as the table says) and nothing differed: its
  // digest is recorded for its present version, so that the next import
  // of the same table is a compare of digests again. Not a change: the
  // version, the history and the imports stay as they were.
  void RecordDigest() {
    SQLite::Statement& u =
        Prepared("UPDATE plans SET import_digest = ?, import_version = version WHERE id = ?");
    u.bind(1, digest_);
    u.bind(2, plan_id_);
    u.exec();
    progress_.result.digest_recorded = true;
  }

  void WriteHistory() {
    progress_.result.cells_changed = static_cast<int>(progress_.changes.size());
    SQLite::Statement& plan = Prepared("UPDATE plans SET source = ?, imported_at = ? WHERE id = ?");
    plan.bind(1, table_.source);
    plan.bind(2, now_);
    plan.bind(3, plan_id_);
    plan.exec();
    SQLite::Statement& imp = Prepared(
        "INSERT INTO imports (plan_id, source, encoding, imported_at,"
        " cells_changed) VALUES (?, ?, ?, ?, ?)");
    imp.bind(1, plan_id_);
    imp.bind(2, table_.source);
    imp.bind(3, table_.encoding);
    imp.bind(4, now_);
    imp.bind(5, progress_.result.cells_changed);
    imp.exec();
    int64_t import_id = db_.getLastInsertRowid();
    InsertChanges(statements_, import_id, progress_.changes);
  }

  SQLite::Database& db_;
  StatementCache* statements_;
  CascadeDeleter* cascade_;
  const ProgressTable& table_;
  const std::string& now_;
  int64_t plan_id_ = 0;
  std::string digest_;  // TableDigest(table_)
  ImportProgress progress_;
  std::set<int64_t> seen_projects_, seen_measures_;
};

// While it lives, an empty store (no plans: a first import) is written with
// a rollback journal rather than the WAL. A new page of the file needs no
// journal, so each page is written once, where the WAL wrote it as a frame
// and the checkpoint then copied it into the file (half the bytes written,
// ~0.35 s of system time at 1,741 tables). Durability is the same: the
// commit syncs the file (synchronous as it is) before the journal goes, and
// a crash before that rolls back to the empty store. Tried without waiting:
// while another connection has the store open in WAL mode it stays so.
// Back to WAL once the transaction has ended.
class FirstImportJournal {
 public:
  explicit FirstImportJournal(IndicatorStore::Impl& impl) : impl_(impl) {
    if (impl.db.execAndGet("SELECT EXISTS (SELECT 1 FROM plans)").getInt()) return;
    impl.db.setBusyTimeout(0);
    try {
      on_ = impl.db.execAndGet("PRAGMA journal_mode = DELETE").getString() == "delete";
    } catch (const SQLite::Exception&) {
      // Locked by another connection: the import goes through the WAL.
    }
    impl.db.setBusyTimeout(impl.busy_timeout_ms);
  }
  ~FirstImportJournal() {
    if (!on_) return;
    try {
      impl_.db.exec("PRAGMA journal_mode = WAL");
    } catch (const SQLite::Exception&) {
      // Left with a rollback journal (the next open switches it to WAL).
    }
  }
  FirstImportJournal(const FirstImportJournal&) = delete;
  FirstImportJournal& operator=(const FirstImportJournal&) = delete;

 private:
  IndicatorStore::Impl& impl_;
  bool on_ = false;
};

// The refusal of a table that removes too many indicators.
Status RemovalError(const ImportResult& r) {
  std::string names;
  for (size_t i = 0; i < r.removed_names.size() && i < 5; ++i) {
    names += std::string(i ? ", " : "") + "'" + EscapeControls(r.removed_names[i]) + "'";
  }
  if (r.removed_names.size() > 5) names += ", …";
  return Status::InvalidArgument(
      EscapeControls(r.source) + ": would remove " + std::to_string(r.indicators_removed) +
      " of the " + std::to_string(r.indicators_before) + " indicators of plan '" +
      EscapeControls(r.plan) + "' (" + names +
      "); is the file cut short? Nothing imported; if the table really dropped them, import "
      "again with --allow-removal");
}

// Imports each table |next| hands over into |results|; the feed's error,
// or a table whose plan an earlier one of this import also held, ends it.
Status ImportEach(const IndicatorStore::TableFeed& next, SQLite::Database& db,
                  StatementCache* statements, CascadeDeleter* cascade,
                  const std::string& imported_at, std::vector<ImportResult>* results) {
  std::set<std::string> titles;
  for (;;) {
    Result<const ProgressTable*> t = next();
    if (!t.ok()) return t.status();
    if (!*t) return Status::Ok();
    const ProgressTable& table = **t;
    if (!titles.insert(table.title).second) {
      return Status::InvalidArgument(table.source + ": holds the plan '" + table.title +
                                     "' that another file in this import also holds");
    }
    results->push_back(TableImporter(db, statements, cascade, table, imported_at).Run());
  }
}

}  // namespace

bool RemovesTooMany(const ImportResult& r) {
  constexpr int kMaxSilentRemovals = 3;
  return r.indicators_removed > kMaxSilentRemovals ||
         r.indicators_removed * 10 > r.indicators_before;
}

Result<std::vector<ImportResult>> IndicatorStore::Import(const std::vector<ProgressTable>& tables,
                                                         const std::string& imported_at,
                                                         const ImportPolicy& policy) {
  size_t at = 0;
  return Import(
      [&]() -> Result<const ProgressTable*> {
        return at < tables.size() ? &tables[at++] : nullptr;
      },
      imported_at, policy);
}

namespace {

// Ends an import's transaction: rolled back when an import removes more than
// |policy| allows, or when nothing changed nor any digest was recorded (so
// the file and its data_version stay untouched); committed otherwise.
Status CommitOrRollBack(SQLite::Database& db, const std::vector<ImportResult>& results,
                        const ImportPolicy& policy) {
  for (const ImportResult& r : results) {
    if (policy.allow_removal || !RemovesTooMany(r)) continue;
    db.exec("ROLLBACK");
    return RemovalError(r);
  }
  bool any = false, digests = false;
  for (const ImportResult& r : results) {
    any = any || r.changed;
    digests = digests || r.digest_recorded;
  }
  if (any || digests) db.exec("UPDATE store_state SET importing = 0");
  db.exec(any || digests ? "COMMIT" : "ROLLBACK");
  return Status::Ok();
}

}  // namespace

Result<std::vector<ImportResult>> IndicatorStore::Import(const TableFeed& next,
                                                         const std::string& imported_at,
                                                         const ImportPolicy& policy) {
  std::vector<ImportResult> results;
  Status s = GuardSqlite(impl_->path, "import", [&]() -> Status {
    // A store with only the schema's triggers and foreign keys: the import
    // turns its triggers off and does the cascades itself (below). A user's
    // own trigger or key keeps SQLite's (slower, and what that user meant).
    const ShippedSchema shipped = CompareWithShipped(impl_->db);
    std::optional<TriggersOff> triggers_off;
    if (shipped.triggers) triggers_off.emplace(impl_->db);
    // Prepared once for the whole import; destroyed (and so finalized)
    // before the transaction ends.
    auto statements = std::make_unique<StatementCache>(impl_->db);
    // Foreign keys off: SQLite checked every inserted row's parent (rows
    // this import wrote or just read); the cascades are done by hand.
    CascadeDeleter cascade(impl_->db, statements.get());
    const bool by_hand_cascade = shipped.foreign_keys && cascade.usable();
    ForeignKeysOff foreign_keys_off(impl_->db, by_hand_cascade);
    FirstImportJournal journal(*impl_);  // ends after the transaction
    impl_->db.exec("BEGIN IMMEDIATE");
    // The import sets the plans' versions itself: the triggers stay quiet
    // (store_state.importing) until just before it commits.
    impl_->db.exec(
        "INSERT OR IGNORE INTO store_state (id, generation) SELECT 1, coalesce(max(version), 0)"
        " FROM plans;"
        "UPDATE store_state SET importing = 1");
    try {
      CascadeDeleter* by_hand = by_hand_cascade ? &cascade : nullptr;
      Status each = ImportEach(next, impl_->db, statements.get(), by_hand, imported_at, &results);
      if (!each.ok()) {
        statements.reset();
        impl_->db.exec("ROLLBACK");
        return each;
      }
      statements.reset();
      return CommitOrRollBack(impl_->db, results, policy);
    } catch (...) {
      statements.reset();
      try {
        impl_->db.exec("ROLLBACK");
      } catch (const SQLite::Exception&) {
        // SQLite already rolled back (e.g. after SQLITE_FULL); report the first error.
      }
      throw;
    }
  });
  if (!s.ok()) return s;
  return results;
}

}  // namespace shihyo
