// Schema version 4: CHECKs an insert evaluates without a table per row, the
// migration of a version 3 store, and an import with its triggers off.
#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <map>

#include "fakes.h"
#include "import/progress_table.h"
#include "store/store.h"

namespace shihyo {
namespace {

using testing::TempDir;

ProgressTable Kamaishi() {
  auto t = ReadProgressTable(testing::KamaishiPath(), Encoding::kAuto);
  REQUIRE(t.ok());
  return std::move(t).value();
}

// Imports the bundled table into a new store at |path|, then closes it.
void ImportKamaishi(const std::string& path) {
  auto store = IndicatorStore::Open(path, IndicatorStore::Mode::kReadWrite);
  REQUIRE(store.ok());
  REQUIRE((*store)->Import({Kamaishi()}, "2026-11-28T00:00:00Z").ok());
}

// Whether SQLite's program for |sql|, without the triggers (as an import
// runs it), builds a temporary table (OpenEphemeral).
bool OpensEphemeral(SQLite::Database& db, const std::string& sql) {
  sqlite3_db_config(db.getHandle(), SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, nullptr);
  bool found = false;
  {
    SQLite::Statement q(db, "EXPLAIN " + sql);
    while (q.executeStep()) found = found || q.getColumn(1).getString() == "OpenEphemeral";
  }
  sqlite3_db_config(db.getHandle(), SQLITE_DBCONFIG_ENABLE_TRIGGER, 1, nullptr);
  return found;
}

// The checks of observations and indicators: every named value accepted,
// anything else refused (raises), the rows rolled back.
void CheckConstraints(const std::string& path) {
  SQLite::Database db(path, SQLite::OPEN_READWRITE);
  db.exec("PRAGMA foreign_keys = ON");
  db.exec("SAVEPOINT probe");
  int64_t indicator = db.execAndGet("SELECT min(id) FROM indicators").getInt64();
  const std::string ins =
      "INSERT INTO observations (indicator_id, fiscal_year, raw, status) VALUES (" +
      std::to_string(indicator) + ", ";
  int year = 1900;
  for (const char* status : {"value", "missing", "survey_done", "not_available", "boolean",
                             "unparseable", "none", "text"}) {
    INFO(status);
    CHECK(db.exec(ins + std::to_string(year++) + ", '', '" + status + "')") == 1);
  }
  CHECK_THROWS(db.exec(ins + "1800, '', 'values')"));
  CHECK_THROWS(db.exec(ins + "1801, '', 'Value')"));
  for (const char* direction : {"increase", "decrease", "boolean"}) {
    CHECK(db.exec(std::string("UPDATE indicators SET direction = '") + direction + "'") > 0);
  }
  CHECK_THROWS(db.exec("UPDATE indicators SET direction = 'up'"));
  for (const char* aggregation : {"level", "per_year", "cumulative", "sum"}) {
    CHECK(db.exec(std::string("UPDATE indicators SET aggregation = '") + aggregation + "'") > 0);
  }
  CHECK_THROWS(db.exec("UPDATE indicators SET aggregation = 'mean'"));
  CHECK_FALSE(OpensEphemeral(db,
                             "INSERT INTO observations (indicator_id, fiscal_year, raw, status)"
                             " VALUES (1, 1, '', 'value')"));
  CHECK_FALSE(
      OpensEphemeral(db, "UPDATE indicators SET direction = 'increase', aggregation = 'sum'"));
  db.exec("ROLLBACK TO probe");
  db.exec("RELEASE probe");
}

// The plans' versions by name, read with a connection of its own.
std::map<std::string, int64_t> Versions(const std::string& path) {
  SQLite::Database db(path);
  std::map<std::string, int64_t> out;
  SQLite::Statement q(db, "SELECT name, version FROM plans");
  while (q.executeStep()) out[q.getColumn(0).getString()] = q.getColumn(1).getInt64();
  return out;
}

// Rows of |table|, as text, in key order.
std::vector<std::string> Rows(const std::string& path, const std::string& table) {
  SQLite::Database db(path);
  std::vector<std::string> out;
  SQLite::Statement q(db, "SELECT * FROM " + table + " ORDER BY 1, 2");
  while (q.executeStep()) {
    std::string row;
    for (int i = 0; i < q.getColumnCount(); ++i) {
      row += (q.getColumn(i).isNull() ? "NULL" : q.getColumn(i).getString()) + "|";
    }
    out.push_back(row);
  }
  return out;
}

TEST_CASE("store schema: CHECKs keep their values and build no table per row", "[store]") {
  TempDir dir;
  std::string path = dir.File("s.db");
  auto store = IndicatorStore::Open(path, IndicatorStore::Mode::kReadWrite);
  REQUIRE(store.ok());
  REQUIRE((*store)->Import({Kamaishi()}, "2026-11-28T00:00:00Z").ok());
  CheckConstraints(path);
}

// A version 3 store at |path| holding the rows of the store at |fresh|.
void MakeVersion3(const std::string& fresh, const std::string& path) {
  SQLite::Database v3(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  v3.exec(testing::ReadFile(testing::SourcePath("tests/data/schema_v3.sql")));
  v3.exec("PRAGMA user_version = 3");
  v3.exec("ATTACH '" + fresh + "' AS f");
  v3.exec("UPDATE store_state SET importing = 1");
  for (const char* table :
       {"plans", "projects", "measures", "footnotes", "indicators", "observations",
        "planned_values", "indicator_notes", "imports", "changes"}) {
    v3.exec(std::string("INSERT INTO ") + table + " SELECT * FROM f." + table);
  }
  v3.exec("UPDATE store_state SET importing = 0, generation = (SELECT max(version) FROM plans)");
  v3.exec("DETACH f");
}

TEST_CASE("store schema: a version 3 store migrates to 4 with its rows and triggers", "[store]") {
  TempDir dir;
  std::string fresh = dir.File("fresh.db");
  ImportKamaishi(fresh);
  // A version 3 store holding the same rows.
  std::string path = dir.File("v3.db");
  MakeVersion3(fresh, path);
  {  // Read-only, it reads as it is.
    auto ro = IndicatorStore::Open(path, IndicatorStore::Mode::kReadOnly);
    REQUIRE(ro.ok());
    CHECK((*ro)->LoadPlans()->at(0).indicators.size() == 26);
  }
  auto store = IndicatorStore::Open(path, IndicatorStore::Mode::kReadWrite);
  REQUIRE(store.ok());
  CHECK(SQLite::Database(path).execAndGet("PRAGMA user_version").getInt() == 4);
  for (const char* table : {"plans", "indicators", "observations", "changes"}) {
    INFO(table);
    CHECK(Rows(path, table) == Rows(fresh, table));
  }
  SQLite::Database db(path, SQLite::OPEN_READWRITE);
  CHECK(db.execAndGet("SELECT count(*) FROM pragma_foreign_key_check").getInt() == 0);
  CHECK(db.execAndGet("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'").getInt() == 23);
  CheckConstraints(path);
  // The triggers work again: an edit by another tool gives a new version,
  // and a deleted indicator still takes its observations with it.
  auto before = Versions(path);
  db.exec("PRAGMA foreign_keys = ON");
  db.exec("UPDATE observations SET raw = 'x' WHERE fiscal_year = 2020");
  CHECK(Versions(path).begin()->second > before.begin()->second);
  db.exec("DELETE FROM indicators");
  CHECK(db.execAndGet("SELECT count(*) FROM observations").getInt() == 0);
}

TEST_CASE("store schema: an import writes with its triggers off and leaves them on", "[store]") {
  TempDir dir;
  std::string path = dir.File("s.db");
  auto store = IndicatorStore::Open(path, IndicatorStore::Mode::kReadWrite);
  REQUIRE(store.ok());
  REQUIRE((*store)->Import({Kamaishi()}, "2026-11-28T00:00:00Z").ok());
  auto first = Versions(path);
  REQUIRE(first.size() == 1);
  // One version per import, whatever the rows written.
  CHECK(first.begin()->second == 1);
  // An indicator removed by import takes its observations and notes with it.
  ProgressTable smaller = Kamaishi();
  smaller.projects[2].measures[2].indicators.pop_back();
  REQUIRE((*store)->Import({smaller}, "2026-12-01T00:00:00Z", ImportPolicy{true}).ok());
  CHECK(Versions(path).begin()->second == 2);
  SQLite::Database db(path, SQLite::OPEN_READWRITE);
  CHECK(db.execAndGet("SELECT count(*) FROM pragma_foreign_key_check").getInt() == 0);
  CHECK(db.execAndGet("SELECT count(*) FROM observations").getInt() == 25 * 5);
  // Another tool's edit still moves the version.
  db.exec("UPDATE plans SET notes = 'メモ'");
  CHECK(Versions(path).begin()->second == 3);
  // A whole project dropped: its measures, footnotes, indicators and cells
  // go with it, as the schema's cascades say, and nothing else does.
  smaller.projects.pop_back();
  REQUIRE((*store)->Import({smaller}, "2026-12-02T00:00:00Z", ImportPolicy{true}).ok());
  std::string fresh = dir.File("fresh.db");
  auto other = IndicatorStore::Open(fresh, IndicatorStore::Mode::kReadWrite);
  REQUIRE(other.ok());
  REQUIRE((*other)->Import({smaller}, "2026-12-02T00:00:00Z").ok());
  CHECK(db.execAndGet("SELECT count(*) FROM pragma_foreign_key_check").getInt() == 0);
  SQLite::Database want(fresh);
  for (const char* table : {"projects", "measures", "footnotes", "indicators", "observations",
                            "planned_values", "indicator_notes"}) {
    INFO(table);
    const std::string count = std::string("SELECT count(*) FROM ") + table;
    CHECK(db.execAndGet(count).getInt() == want.execAndGet(count).getInt());
  }
  CHECK(db.execAndGet("SELECT count(*) FROM projects").getInt() == 2);
}

int64_t Count(const std::string& path, const std::string& sql) {
  return SQLite::Database(path).execAndGet(sql).getInt64();
}

// What a user added to a store with the sqlite3 shell survives the migration
// to 4 (only the CHECKs' text changes), rows left orphaned by such a shell
// (foreign keys off there by default) do not stop it, and a user's own
// trigger still fires for an import.
TEST_CASE("store schema: the migration to 4 keeps a user's view, trigger, column and index",
          "[store]") {
  TempDir dir;
  std::string fresh = dir.File("fresh.db");
  ImportKamaishi(fresh);
  std::string path = dir.File("v3.db");
  MakeVersion3(fresh, path);
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE);
    db.exec(
        "CREATE VIEW my_view AS SELECT i.name, o.raw FROM indicators i"
        " JOIN observations o ON o.indicator_id = i.id;"
        "ALTER TABLE indicators ADD COLUMN my_note TEXT;"
        "UPDATE indicators SET my_note = 'メモ';"
        "CREATE INDEX my_index ON observations (raw);"
        "CREATE TABLE my_audit (n INTEGER);"
        "CREATE TRIGGER my_trigger AFTER INSERT ON observations BEGIN"
        " INSERT INTO my_audit VALUES (NEW.indicator_id); END;"
        "INSERT INTO observations (indicator_id, fiscal_year, raw, status)"
        " VALUES (999999, 2020, 'orphan', 'value');");
  }
  auto store = IndicatorStore::Open(path, IndicatorStore::Mode::kReadWrite);
  REQUIRE(store.ok());
  CHECK(Count(path, "PRAGMA user_version") == 4);
  CHECK(Count(path, "SELECT count(*) FROM my_view") ==
        Count(fresh, "SELECT count(*) FROM observations"));
  CHECK(Count(path, "SELECT count(*) FROM indicators WHERE my_note = 'メモ'") == 26);
  CHECK(Count(path,
              "SELECT count(*) FROM sqlite_master WHERE name IN ('my_index', 'my_trigger')") == 2);
  CHECK(Count(path, "SELECT count(*) FROM observations WHERE raw = 'orphan'") == 1);
  CHECK(Count(path, "PRAGMA integrity_check") == 0);  // "ok" reads as 0
  CheckConstraints(path);
  {  // The new spelling: no table built per inserted row.
    SQLite::Database db(path, SQLite::OPEN_READWRITE);
    CHECK_FALSE(OpensEphemeral(db,
                               "INSERT INTO observations (indicator_id, fiscal_year, raw, status) "
                               "VALUES (1, 1, '', 'value')"));
  }
  // The user's trigger fires for an import's new rows.
  ProgressTable table = Kamaishi();
  table.title += "（別）";
  REQUIRE((*store)->Import({table}, "2026-12-01T00:00:00Z").ok());
  CHECK(Count(path, "SELECT count(*) FROM my_audit") > 0);
}

// A foreign key a user wrote (another spelling of a parent, or one to the
// same table) makes the import keep SQLite's own cascades: no orphans, no
// crash.
TEST_CASE("store schema: an import honours foreign keys a user changed", "[store]") {
  for (const char* change :
       {"ALTER TABLE indicators RENAME TO tmp_x; ALTER TABLE tmp_x RENAME TO Indicators;",
        "ALTER TABLE indicators ADD COLUMN parent_id INTEGER REFERENCES indicators(id)"
        " ON DELETE CASCADE; UPDATE indicators SET parent_id = id;"}) {
    INFO(change);
    TempDir dir;
    std::string path = dir.File("s.db");
    ImportKamaishi(path);
    SQLite::Database(path, SQLite::OPEN_READWRITE).exec(change);
    auto store = IndicatorStore::Open(path, IndicatorStore::Mode::kReadWrite);
    REQUIRE(store.ok());
    ProgressTable smaller = Kamaishi();
    smaller.projects[2].measures[2].indicators.pop_back();
    REQUIRE((*store)->Import({smaller}, "2026-12-01T00:00:00Z", ImportPolicy{true}).ok());
    CHECK(Count(path, "SELECT count(*) FROM pragma_foreign_key_check") == 0);
    CHECK(Count(path, "SELECT count(*) FROM observations") == 25 * 5);
  }
}

}  // namespace
}  // namespace shihyo
