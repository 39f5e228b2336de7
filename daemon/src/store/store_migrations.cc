// Internal to the store module: the schema's versions and the forward
// migrations that take an older store to the latest one.
#include <string>

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
};
constexpr int kLatestVersion = 3;

// The part of data/schema.sql that version 3 added after the plans' version
// column: the store_state table and the triggers. The migration to v3 runs it
// as it stands there, so that one text defines them.
std::string VersionSection() {
  const std::string schema = kSchemaSql;
  size_t at = schema.find("-- v3: plan versions.");
  return at == std::string::npos ? std::string() : schema.substr(at);
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
  // reloads every plan) until `shihyo import` migrates it.
  if (read_only && version == 2) return Status::Ok();
  if (read_only) {
    return Status::InvalidArgument(impl.path + ": store schema version " + std::to_string(version) +
                                   " needs migrating to " + std::to_string(kLatestVersion) +
                                   "; run `shihyo import` once to upgrade it");
  }
  SQLite::Transaction txn(db);
  if (version == 0) {
    db.exec(kSchemaSql);
  } else {
    for (int v = version; v < kLatestVersion; ++v) db.exec(kMigrations[v - 1]);
    if (version < 3) db.exec(VersionSection());
  }
  db.exec("PRAGMA user_version = " + std::to_string(kLatestVersion));
  txn.commit();
  impl.schema_version = kLatestVersion;
  return Status::Ok();
}

}  // namespace shihyo
