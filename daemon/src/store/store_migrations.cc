// Internal to the store module: the schema's versions and the forward
// migrations that take an older store to the latest one.
#include <string>
#include <vector>

#include "store/store_impl.h"

namespace shihyo {

extern const char kSchemaSql[];  // data/schema.sql, embedded at build time

namespace {

// Forward migrations: kMigrations[i] takes a store from version i+1 to i+2.
// data/schema.sql always creates the latest version directly.
// v1 → v2: what tables of other layouts hold (baseline, target year, unit,
// code, direction word, reported rates, planned values, notes, year kind) and
// the statuses none/text (the observations table is rebuilt for its CHECK).
const char* const kMigrations[] = {
    "ALTER TABLE plans ADD COLUMN year_kind TEXT NOT NULL DEFAULT 'fiscal';"
    "ALTER TABLE plans ADD COLUMN layout TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE indicators ADD COLUMN code TEXT;"
    "ALTER TABLE indicators ADD COLUMN unit TEXT;"
    "ALTER TABLE indicators ADD COLUMN direction_raw TEXT;"
    "ALTER TABLE indicators ADD COLUMN target_year INTEGER;"
    "ALTER TABLE indicators ADD COLUMN target_year_kind TEXT;"
    "ALTER TABLE indicators ADD COLUMN baseline_raw TEXT;"
    "ALTER TABLE indicators ADD COLUMN baseline_value REAL;"
    "ALTER TABLE indicators ADD COLUMN baseline_unit TEXT;"
    "ALTER TABLE indicators ADD COLUMN baseline_status TEXT;"
    "ALTER TABLE indicators ADD COLUMN baseline_annotated INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE indicators ADD COLUMN baseline_year INTEGER;"
    "ALTER TABLE indicators ADD COLUMN baseline_year_kind TEXT;"
    "CREATE TABLE observations_v2 ("
    " indicator_id INTEGER NOT NULL REFERENCES indicators(id) ON DELETE CASCADE,"
    " fiscal_year INTEGER NOT NULL, raw TEXT NOT NULL, value REAL, unit TEXT,"
    " status TEXT NOT NULL CHECK (status IN ('value', 'missing', 'survey_done',"
    " 'not_available', 'boolean', 'unparseable', 'none', 'text')),"
    " annotated INTEGER NOT NULL DEFAULT 0, parse_error TEXT, reported_rate_raw TEXT,"
    " reported_rate REAL, PRIMARY KEY (indicator_id, fiscal_year)) WITHOUT ROWID;"
    "INSERT INTO observations_v2 (indicator_id, fiscal_year, raw, value, unit, status,"
    " annotated, parse_error) SELECT indicator_id, fiscal_year, raw, value, unit, status,"
    " annotated, parse_error FROM observations;"
    "DROP TABLE observations;"
    "ALTER TABLE observations_v2 RENAME TO observations;"
    "CREATE TABLE planned_values ("
    " indicator_id INTEGER NOT NULL REFERENCES indicators(id) ON DELETE CASCADE,"
    " ordinal INTEGER NOT NULL, year INTEGER NOT NULL, year_kind TEXT NOT NULL,"
    " raw TEXT NOT NULL, PRIMARY KEY (indicator_id, ordinal)) WITHOUT ROWID;"
    "CREATE TABLE indicator_notes ("
    " indicator_id INTEGER NOT NULL REFERENCES indicators(id) ON DELETE CASCADE,"
    " ordinal INTEGER NOT NULL, label TEXT NOT NULL, text TEXT NOT NULL,"
    " PRIMARY KEY (indicator_id, ordinal)) WITHOUT ROWID;",
    // v2 → v3: plan versions; store_state and the triggers follow (kVersionSection).
    "ALTER TABLE plans ADD COLUMN version INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE plans ADD COLUMN import_digest TEXT;"
    "ALTER TABLE plans ADD COLUMN import_version INTEGER;",
    // v3 → v4: RebuildForChecks (code, not one text).
    "",
};
constexpr int kLatestVersion = 4;

// The part of data/schema.sql that version 3 added after the plans' version
// column: the store_state table and the triggers. The migration to v3 runs it
// as it stands there, so that one text defines them.
std::string VersionSection() {
  const std::string schema = kSchemaSql;
  size_t at = schema.find("-- v3: plan versions.");
  return at == std::string::npos ? std::string() : schema.substr(at);
}

// The triggers of data/schema.sql (all of them come last there).
std::string TriggerSection() {
  const std::string schema = kSchemaSql;
  size_t at = schema.find("CREATE TRIGGER ");
  return at == std::string::npos ? std::string() : schema.substr(at);
}

// Rebuilds |table| as data/schema.sql creates it now, keeping its rows: a
// new table from that text, the rows copied column by column, the old one
// dropped and the new one renamed (SQLite's own procedure for a changed
// CHECK). Foreign keys must be off and the table's triggers dropped.
void RebuildTable(SQLite::Database& db, const std::string& table) {
  const std::string schema = kSchemaSql;
  const std::string head = "CREATE TABLE " + table + " (";
  size_t begin = schema.find(head);
  // The statement ends at the first ";" after the line that closes it ("\n)").
  size_t close = begin == std::string::npos ? begin : schema.find("\n)", begin);
  size_t end = close == std::string::npos ? close : schema.find(';', close);
  if (end == std::string::npos) throw SQLite::Exception("schema.sql has no table " + table);
  const std::string fresh = table + "_v4";
  db.exec("CREATE TABLE " + fresh + " (" +
          schema.substr(begin + head.size(), end + 1 - begin - head.size()));
  std::string columns;
  SQLite::Statement info(db, "SELECT name FROM pragma_table_info(?)");
  info.bind(1, fresh);
  while (info.executeStep()) {
    columns += (columns.empty() ? "" : ", ") + info.getColumn(0).getString();
  }
  db.exec("INSERT INTO " + fresh + " (" + columns + ") SELECT " + columns + " FROM " + table +
          "; DROP TABLE " + table + "; ALTER TABLE " + fresh + " RENAME TO " + table);
}

// v3 → v4: the CHECKs of indicators and observations spelled as OR chains
// (the same constraints; SQLite checks an IN list by building a table for
// every row). Both tables are rebuilt, the plan-version triggers made anew.
void RebuildForChecks(SQLite::Database& db) {
  std::vector<std::string> triggers;
  SQLite::Statement q(db, "SELECT name FROM sqlite_master WHERE type = 'trigger'");
  while (q.executeStep()) triggers.push_back(q.getColumn(0).getString());
  for (const std::string& name : triggers) db.exec("DROP TRIGGER \"" + name + "\"");
  RebuildTable(db, "indicators");
  RebuildTable(db, "observations");
  db.exec(TriggerSection());
  if (db.execAndGet("SELECT count(*) FROM pragma_foreign_key_check").getInt() != 0) {
    throw SQLite::Exception("a row refers to a missing one after the rebuild");
  }
}

}  // namespace

int LatestStoreSchema() { return kLatestVersion; }

Status MigrateStore(IndicatorStore::Impl& impl, bool read_only) {
  SQLite::Database& db = impl.db;
  int version = db.execAndGet("PRAGMA user_version").getInt();
  impl.schema_version = version;
  if (version > kLatestVersion) {
    return Status::InvalidArgument(impl.path + ": store schema version " + std::to_string(version) +
                                   " is newer than this shihyo (" + std::to_string(kLatestVersion) +
                                   "); upgrade shihyo");
  }
  if (version == kLatestVersion) return Status::Ok();
  if (version == 0) {
    int tables = db.execAndGet("SELECT count(*) FROM sqlite_master WHERE type = 'table'").getInt();
    if (tables > 0) {
      return Status::InvalidArgument(impl.path +
                                     ": not a shihyo indicator store (tables but no user_version)");
    }
  }
  // A version 2 store reads as it is, without plan versions (every change
  // reloads every plan) until `shihyo import` migrates it; a version 3 one
  // differs from 4 only in how its CHECKs are spelled.
  if (read_only && (version == 2 || version == 3)) return Status::Ok();
  if (read_only) {
    return Status::InvalidArgument(impl.path + ": store schema version " + std::to_string(version) +
                                   " needs migrating to " + std::to_string(kLatestVersion) +
                                   "; run `shihyo import` once to upgrade it");
  }
  ForeignKeysOff foreign_keys_off(db, true);  // RebuildForChecks drops tables
  SQLite::Transaction txn(db);
  if (version == 0) {
    db.exec(kSchemaSql);
  } else {
    for (int v = version; v < kLatestVersion; ++v) {
      if (v == 3) {
        RebuildForChecks(db);
      } else {
        db.exec(kMigrations[v - 1]);
      }
      if (v == 2) db.exec(VersionSection());
    }
  }
  db.exec("PRAGMA user_version = " + std::to_string(kLatestVersion));
  txn.commit();
  impl.schema_version = kLatestVersion;
  return Status::Ok();
}

}  // namespace shihyo
