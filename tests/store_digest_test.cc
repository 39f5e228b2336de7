// How an import writes: an import by a newer build of a table an older
// build imported (the table digest differs: it includes the build) compares
// the plan cell by cell once and records its new digest even though nothing
// changed; a first import into an empty store goes through a rollback
// journal and leaves the store in WAL mode.
#include <SQLiteCpp/SQLiteCpp.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "fakes.h"
#include "import/progress_table.h"
#include "store/store.h"

namespace shihyo {
namespace {

using testing::TempDir;

struct Row {
  std::string digest;
  int64_t version = 0, import_version = 0, generation = 0, imports = 0, changes = 0;
};

Row ReadRow(const std::string& path) {
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  SQLite::Statement q(db,
                      "SELECT import_digest, version, import_version,"
                      " (SELECT generation FROM store_state), (SELECT count(*) FROM imports),"
                      " (SELECT count(*) FROM changes) FROM plans");
  REQUIRE(q.executeStep());
  return {q.getColumn(0).getString(), q.getColumn(1).getInt64(), q.getColumn(2).getInt64(),
          q.getColumn(3).getInt64(),  q.getColumn(4).getInt64(), q.getColumn(5).getInt64()};
}

TEST_CASE("store: an unchanged table imported by another build records its new digest", "[store]") {
  TempDir dir;
  std::string path = dir.File("s.db");
  auto opened = IndicatorStore::Open(path, IndicatorStore::Mode::kReadWrite);
  REQUIRE(opened.ok());
  IndicatorStore& store = **opened;
  auto table = ReadProgressTable(testing::KamaishiPath(), Encoding::kAuto);
  REQUIRE(table.ok());
  REQUIRE(store.Import({*table}, "2026-11-28T00:00:00Z").ok());
  const Row imported = ReadRow(path);
  REQUIRE_FALSE(imported.digest.empty());

  // The digest an older build wrote.
  {
    SQLite::Database shell(path, SQLite::OPEN_READWRITE);
    shell.exec("UPDATE plans SET import_digest = 'older build'");
  }
  auto watcher = IndicatorStore::Open(path, IndicatorStore::Mode::kReadOnly);
  REQUIRE(watcher.ok());
  int64_t data_version = *(*watcher)->DataVersion();
  auto compared = store.Import({*table}, "2026-11-29T00:00:00Z");
  REQUIRE(compared.ok());
  CHECK_FALSE((*compared)[0].changed);
  CHECK((*compared)[0].digest_recorded);  // compared cell by cell, and its digest written
  const Row recorded = ReadRow(path);
  CHECK(recorded.digest == imported.digest);
  CHECK(recorded.version == imported.version);  // not a change: no new version,
  CHECK(recorded.import_version == imported.import_version);
  CHECK(recorded.generation == imported.generation);
  CHECK(recorded.imports == imported.imports);  // no import recorded, no history
  CHECK(recorded.changes == imported.changes);
  CHECK((*(*watcher)->LoadPlans())[0].imported_at == "2026-11-28T00:00:00Z");
  int64_t after_digest = *(*watcher)->DataVersion();
  CHECK(after_digest != data_version);  // the one small write

  // The next import of the same table compares digests only: nothing written.
  auto skipped = store.Import({*table}, "2026-11-30T00:00:00Z");
  REQUIRE(skipped.ok());
  CHECK_FALSE((*skipped)[0].changed);
  CHECK_FALSE((*skipped)[0].digest_recorded);
  CHECK(*(*watcher)->DataVersion() == after_digest);
}

std::string JournalMode(const std::string& path) {
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  return db.execAndGet("PRAGMA journal_mode").getString();
}

TEST_CASE("store: a first import leaves the store in WAL mode, with or without another reader",
          "[store]") {
  TempDir dir;
  auto table = ReadProgressTable(testing::KamaishiPath(), Encoding::kAuto);
  REQUIRE(table.ok());
  for (bool reader : {false, true}) {
    std::string path = dir.File(reader ? "read.db" : "alone.db");
    auto store = IndicatorStore::Open(path, IndicatorStore::Mode::kReadWrite, 200);
    REQUIRE(store.ok());
    std::unique_ptr<IndicatorStore> watcher;
    if (reader) {  // another connection keeps the store in WAL mode
      auto ro = IndicatorStore::Open(path, IndicatorStore::Mode::kReadOnly);
      REQUIRE(ro.ok());
      REQUIRE(ro.value()->LoadPlans().ok());
      watcher = std::move(ro).value();
    }
    auto imported = (*store)->Import({*table}, "2026-11-28T00:00:00Z");
    REQUIRE(imported.ok());
    CHECK((*imported)[0].created);
    CHECK_FALSE(std::filesystem::exists(path + "-journal"));
    if (watcher) {
      auto plans = watcher->LoadPlans();
      REQUIRE(plans.ok());
      CHECK(plans->size() == 1);
    }
    store->reset();
    watcher.reset();
    CHECK(JournalMode(path) == "wal");
    auto reopened = IndicatorStore::Open(path, IndicatorStore::Mode::kReadOnly);
    REQUIRE(reopened.ok());
    auto plans = (*reopened)->LoadPlans();
    REQUIRE(plans.ok());
    REQUIRE(plans->size() == 1);
    CHECK(plans->front().indicators.size() == table->IndicatorCount());
  }
}

}  // namespace
}  // namespace shihyo
