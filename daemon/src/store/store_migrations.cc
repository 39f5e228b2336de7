// Internal to the store module: the schema's versions and the forward
// migrations that take an older store to the latest one.
#include <regex>
#include <string>
#include <utility>
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

// "status = 'a' OR status = 'b' …" for the IN list "'a', 'b', …" of
// |column|; "" when an item is not a plain quoted word.
std::string OrChain(const std::string& column, const std::string& list) {
  static const std::regex item(R"(^\s*('[a-z_]+')\s*$)");
  std::string chain;
  size_t from = 0;
  while (from <= list.size()) {
    size_t comma = list.find(',', from);
    if (comma == std::string::npos) comma = list.size();
    std::smatch m;
    const std::string part = list.substr(from, comma - from);
    if (!std::regex_match(part, m, item)) return "";
    chain += (chain.empty() ? "" : " OR ") + column + " = " + m[1].str();
    from = comma + 1;
  }
  return chain;
}

// |sql| with its CHECKs "(c IN (…))" of status, direction and aggregation
// spelled as OR chains.
std::string ChecksAsOrChains(const std::string& sql) {
  static const std::regex check(R"(CHECK \((status|direction|aggregation) IN\s*\(([^()]*)\)\))");
  std::string out;
  auto last = sql.cbegin();
  for (std::sregex_iterator it(sql.begin(), sql.end(), check), end; it != end; ++it) {
    const std::smatch& m = *it;
    std::string chain = OrChain(m[1].str(), m[2].str());
    out.append(last, m[0].first);
    out += chain.empty() ? m[0].str() : "CHECK (" + chain + ")";
    last = m[0].second;
  }
  out.append(last, sql.cend());
  return out;
}

// v3 → v4: the CHECKs of indicators and observations spelled as OR chains
// (the same constraints: SQLite checks an IN list by building a table for
// every row). Only the tables' CREATE text changes, by SQLite's procedure
// for a change that leaves the stored rows as they are (writable_schema,
// then a new schema_version): a user's own columns, indexes, triggers and
// views stay, and no row is copied. A CHECK spelled otherwise stays as is.
void RewriteChecks(SQLite::Database& db) {
  std::vector<std::pair<std::string, std::string>> rewritten;  // table, CREATE text
  SQLite::Statement q(db,
                      "SELECT name, sql FROM sqlite_master WHERE type = 'table'"
                      " AND name IN ('indicators', 'observations')");
  while (q.executeStep()) {
    std::string sql = q.getColumn(1).getString();
    std::string chains = ChecksAsOrChains(sql);
    if (chains != sql) rewritten.emplace_back(q.getColumn(0).getString(), chains);
  }
  if (rewritten.empty()) return;
  int schema_version = db.execAndGet("PRAGMA schema_version").getInt();
  db.exec("PRAGMA writable_schema = ON");
  SQLite::Statement update(db,
                           "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?");
  for (const auto& [table, sql] : rewritten) {
    update.bind(1, sql);
    update.bind(2, table);
    update.exec();
    update.reset();
  }
  db.exec("PRAGMA schema_version = " + std::to_string(schema_version + 1));
  db.exec("PRAGMA writable_schema = OFF");
  if (db.execAndGet("PRAGMA quick_check").getString() != "ok") {
    throw SQLite::Exception("the store's check after spelling its CHECKs anew failed");
  }
}

// Every foreign key of |db|, one line each, in a fixed order.
std::string ForeignKeysText(SQLite::Database& db) {
  SQLite::Statement q(db,
                      "SELECT m.name || '|' || f.id || '|' || f.seq || '|' || f.\"table\" || '|'"
                      " || f.\"from\" || '|' || coalesce(f.\"to\", '') || '|' || f.on_update || '|'"
                      " || f.on_delete || '|' || f.\"match\""
                      " FROM sqlite_master m, pragma_foreign_key_list(m.name) f"
                      " WHERE m.type = 'table' ORDER BY m.name, f.id, f.seq");
  std::string text;
  while (q.executeStep()) text += q.getColumn(0).getString() + "\n";
  return text;
}

// Every trigger of |db|: name, table and text, in a fixed order.
std::string TriggersText(SQLite::Database& db) {
  SQLite::Statement q(db,
                      "SELECT name || '|' || tbl_name || '|' || sql FROM sqlite_master"
                      " WHERE type = 'trigger' ORDER BY name");
  std::string text;
  while (q.executeStep()) text += q.getColumn(0).getString() + "\n";
  return text;
}

}  // namespace

ShippedSchema CompareWithShipped(SQLite::Database& db) {
  static const std::pair<std::string, std::string> shipped = [] {
    SQLite::Database fresh(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    fresh.exec(kSchemaSql);
    return std::make_pair(ForeignKeysText(fresh), TriggersText(fresh));
  }();
  return ShippedSchema{ForeignKeysText(db) == shipped.first, TriggersText(db) == shipped.second};
}

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
  ForeignKeysOff foreign_keys_off(db, true);  // v1 → v2 drops a table
  // IMMEDIATE: two imports starting together on an old store queue for the
  // write lock (busy_timeout) instead of one failing at once on a deferred
  // transaction's upgrade; the second then finds the store migrated.
  SQLite::Transaction txn(db, SQLite::TransactionBehavior::IMMEDIATE);
  version = db.execAndGet("PRAGMA user_version").getInt();
  if (version == kLatestVersion) {
    txn.commit();
    impl.schema_version = version;
    return Status::Ok();
  }
  if (version == 0) {
    db.exec(kSchemaSql);
  } else {
    for (int v = version; v < kLatestVersion; ++v) {
      if (v == 3) {
        RewriteChecks(db);
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
