#include "store/store.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <catch2/catch.hpp>
#include <map>

#include "fakes.h"
#include "import/progress_table.h"

namespace shihyo {
namespace {

using testing::KamaishiPath;
using testing::TempDir;

std::unique_ptr<IndicatorStore> OpenRw(const std::string& path) {
  auto store = IndicatorStore::Open(path, IndicatorStore::Mode::kReadWrite);
  REQUIRE(store.ok());
  return std::move(store).value();
}

ProgressTable Kamaishi() {
  auto t = ReadProgressTable(KamaishiPath(), Encoding::kAuto);
  REQUIRE(t.ok());
  return std::move(t).value();
}

const Indicator& Find(const Plan& plan, const std::string& name) {
  for (const Indicator& i : plan.indicators) {
    if (i.name == name) return i;
  }
  FAIL("no indicator " << name);
  throw;
}

TEST_CASE("store: the Kamaishi table goes in exactly", "[store]") {
  TempDir dir;
  auto store = OpenRw(dir.File("s.db"));
  auto results = store->Import({Kamaishi()}, "2026-11-28T00:00:00Z");
  REQUIRE(results.ok());
  CHECK((*results)[0].created);
  CHECK((*results)[0].indicators_added == 26);

  auto plans = store->LoadPlans();
  REQUIRE(plans.ok());
  REQUIRE(plans->size() == 1);
  const Plan& plan = (*plans)[0];
  CHECK(plan.first_year == 2020);
  CHECK(plan.last_year == 2024);
  REQUIRE(plan.indicators.size() == 26);
  for (const Indicator& ind : plan.indicators) {
    REQUIRE(ind.observations.size() == 5);
    CHECK(ind.observations[4].fiscal_year == 2024);
    CHECK(ind.observations[4].cell.status == CellStatus::kMissing);
    CHECK(ind.observations[4].raw.empty());
  }
  const Indicator& users = Find(plan, "子育て支援センターの利用者数");
  CHECK(*users.target.value == 8000);
  CHECK(users.target.unit == "人");
  CHECK(*users.observations[1].cell.value == 3831);
  CHECK(users.observations[1].cell.unit == "件");
  CHECK(users.observations[1].raw == "3,831件");
  CHECK(users.project == "プロジェクト2:遊び場開拓プロジェクト");
  CHECK(users.footnotes == std::vector<std::string>{"※子育て支援センター全体合計数"});
  CHECK(Find(plan, "釜石市LINEの友達登録数(累計)").aggregation == Aggregation::kCumulative);
  CHECK(Find(plan, "児童虐待発生件数(の減少)").direction == Direction::kDecrease);
  CHECK(Find(plan, "虐待に対しての市民への周知啓発回数").aggregation == Aggregation::kPerYear);
  CHECK(Find(plan, "親子の交流スペースの確保の有無").direction == Direction::kBoolean);
  const Indicator& parks = Find(plan, "子育て世代が集える公園の整備数");
  CHECK(parks.observations[0].cell.annotated);
  CHECK(*parks.observations[0].cell.value == 41);
  CHECK_FALSE(parks.observations[1].cell.annotated);
  CHECK(Find(plan, "子ども家庭総合支援拠点の周知度").observations[3].cell.status ==
        CellStatus::kNotAvailable);
  CHECK(Find(plan, "広報に子育て情報を掲載した回数(子ども課・健康推進課)").department ==
        "子ども課・健康推進課");
}

TEST_CASE("store: re-importing the same table writes nothing", "[store]") {
  TempDir dir;
  std::string path = dir.File("s.db");
  auto store = OpenRw(path);
  REQUIRE(store->Import({Kamaishi()}, "2026-11-28T00:00:00Z").ok());
  auto watcher = IndicatorStore::Open(path, IndicatorStore::Mode::kReadOnly);
  REQUIRE(watcher.ok());
  int64_t before = *(*watcher)->DataVersion();
  auto again = store->Import({Kamaishi()}, "2026-11-29T00:00:00Z");
  REQUIRE(again.ok());
  CHECK_FALSE((*again)[0].changed);
  CHECK((*again)[0].cells_changed == 0);
  CHECK(*(*watcher)->DataVersion() == before);
  CHECK((*(*watcher)->LoadPlans())[0].imported_at == "2026-11-28T00:00:00Z");
}

TEST_CASE("store: re-import restores cells another tool edited, raw text unchanged", "[store]") {
  TempDir dir;
  std::string path = dir.File("s.db");
  auto store = OpenRw(path);
  REQUIRE(store->Import({Kamaishi()}, "2026-11-28T00:00:00Z").ok());
  std::string before;
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE);
    before = db.execAndGet(
                   "SELECT group_concat(quote(value) || quote(unit) || quote(annotated), ',')"
                   " FROM observations")
                 .getString();
    // Same raw text, other parsed values: only the compare of every column sees it.
    db.exec("UPDATE observations SET value = value + 1 WHERE value IS NOT NULL");
    db.exec("UPDATE observations SET unit = '' WHERE unit IS NULL");
    db.exec("UPDATE observations SET annotated = '0' WHERE annotated = 0");
  }
  auto again = store->Import({Kamaishi()}, "2026-11-29T00:00:00Z");
  REQUIRE(again.ok());
  CHECK((*again)[0].changed);
  CHECK((*again)[0].cells_changed == 0);  // no raw cell changed: no history
  SQLite::Database db(path);
  CHECK(db.execAndGet("SELECT group_concat(quote(value) || quote(unit) || quote(annotated), ',')"
                      " FROM observations")
            .getString() == before);
  CHECK_FALSE((*store->Import({Kamaishi()}, "2026-11-30T00:00:00Z"))[0].changed);
}

// ForEachPlan's plans are LoadPlans' plans, field by field that a check reads.
void CheckEachIsAll(IndicatorStore& store) {
  std::vector<Plan> all = *store.LoadPlans();
  std::vector<Plan> each;
  REQUIRE(store.ForEachPlan([&](Plan&& p) { each.push_back(std::move(p)); }).ok());
  REQUIRE(each.size() == 2);
  REQUIRE(all.size() == 2);
  for (size_t i = 0; i < all.size(); ++i) {
    CHECK(each[i].name == all[i].name);
    REQUIRE(each[i].indicators.size() == all[i].indicators.size());
    for (size_t k = 0; k < all[i].indicators.size(); ++k) {
      const Indicator& a = all[i].indicators[k];
      const Indicator& b = each[i].indicators[k];
      CHECK(b.id == a.id);
      CHECK(b.name == a.name);
      CHECK(b.footnotes == a.footnotes);
      CHECK(b.planned.size() == a.planned.size());
      CHECK(b.notes.size() == a.notes.size());
      CHECK(b.reported_rates.size() == a.reported_rates.size());
      REQUIRE(b.observations.size() == a.observations.size());
      for (size_t y = 0; y < a.observations.size(); ++y) {
        CHECK(b.observations[y].in_table == a.observations[y].in_table);
        CHECK(b.observations[y].raw == a.observations[y].raw);
        CHECK(b.observations[y].cell.value == a.observations[y].cell.value);
      }
    }
  }
  CHECK(each[1].indicators.size() < each[0].indicators.size());
}

TEST_CASE("store: ForEachPlan hands over the plans of LoadPlans one at a time", "[store]") {
  TempDir dir;
  std::string path = dir.File("s.db");
  auto store = OpenRw(path);
  ProgressTable other = Kamaishi();
  other.title += "（別計画）";
  other.projects.resize(1);
  REQUIRE(store->Import({Kamaishi(), other}, "2026-11-28T00:00:00Z").ok());
  // One import writes a plan's indicator ids as one range: read by range.
  CheckEachIsAll(*store);
  // Ids that are not one range (renumbered by hand, as another tool might):
  // the first plan's rows are read by plan, the second's by range, the same.
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE);
    db.exec("PRAGMA foreign_keys = OFF");
    const char* const kMove = "(SELECT min(id) FROM indicators)";
    for (const char* table : {"observations", "planned_values", "indicator_notes"}) {
      db.exec(std::string("UPDATE ") + table +
              " SET indicator_id = 1000000 WHERE indicator_id = " + kMove);
    }
    db.exec(std::string("UPDATE indicators SET id = 1000000 WHERE id = ") + kMove);
    REQUIRE(
        db.execAndGet("SELECT count(*) FROM observations WHERE indicator_id = 1000000").getInt() >
        0);
  }
  auto reopened = IndicatorStore::Open(path, IndicatorStore::Mode::kReadOnly);
  REQUIRE(reopened.ok());
  CheckEachIsAll(**reopened);
}

TEST_CASE("store: a corrected table updates only the changed cells and records them", "[store]") {
  TempDir dir;
  auto store = OpenRw(dir.File("s.db"));
  REQUIRE(store->Import({Kamaishi()}, "2026-11-28T00:00:00Z").ok());
  size_t first_import_changes = store->LoadChanges()->size();
  int64_t users_id = Find((*store->LoadPlans())[0], "子育て支援センターの利用者数").id;

  ProgressTable corrected = Kamaishi();
  TableIndicator& users = corrected.projects[1].measures[2].indicators[1];
  REQUIRE(users.name == "子育て支援センターの利用者数");
  users.actual_raw[1] = "3,831人";
  users.actual_raw[4] = "5,120人";
  auto result = store->Import({corrected}, "2026-12-01T00:00:00Z");
  REQUIRE(result.ok());
  CHECK((*result)[0].changed);
  CHECK((*result)[0].cells_changed == 2);
  CHECK((*result)[0].indicators_added == 0);

  auto changes = store->LoadChanges();
  REQUIRE(changes->size() == first_import_changes + 2);
  const CellChange& c1 = (*changes)[first_import_changes];
  CHECK(c1.indicator == "子育て支援センターの利用者数");
  CHECK(c1.fiscal_year == 2021);
  CHECK(c1.old_raw == "3,831件");
  CHECK(c1.new_raw == "3,831人");
  CHECK(c1.imported_at == "2026-12-01T00:00:00Z");
  const CellChange& c2 = (*changes)[first_import_changes + 1];
  CHECK(c2.fiscal_year == 2024);
  CHECK(c2.old_raw == "");
  CHECK(c2.new_raw == "5,120人");

  auto plans = store->LoadPlans();
  REQUIRE(plans.ok());
  const Indicator& after = Find((*plans)[0], "子育て支援センターの利用者数");
  CHECK(after.id == users_id);  // updated in place
  CHECK(after.observations[1].cell.unit == "人");
  CHECK(*after.observations[4].cell.value == 5120);
}

TEST_CASE("store: a removed indicator is deleted and its cells recorded", "[store]") {
  TempDir dir;
  auto store = OpenRw(dir.File("s.db"));
  REQUIRE(store->Import({Kamaishi()}, "2026-11-28T00:00:00Z").ok());
  ProgressTable smaller = Kamaishi();
  auto& rows = smaller.projects[2].measures[2].indicators;
  REQUIRE(rows.back().name == "関係機関との連携件数(児童相談所からの後方支援回数)");
  rows.pop_back();
  auto result = store->Import({smaller}, "2026-12-01T00:00:00Z");
  REQUIRE(result.ok());
  CHECK((*result)[0].indicators_removed == 1);
  CHECK((*result)[0].cells_changed == 5);  // target and four actuals
  CHECK((*store->LoadPlans())[0].indicators.size() == 25);
  CHECK_FALSE(store->LoadChanges()->back().new_raw.has_value());
}

TEST_CASE("store: read-only open of a missing or foreign file", "[store]") {
  TempDir dir;
  auto missing = IndicatorStore::Open(dir.File("none.db"), IndicatorStore::Mode::kReadOnly);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().IsNotFound());
  {
    SQLite::Database other(dir.File("other.db"), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    other.exec("CREATE TABLE t (x)");
  }
  auto foreign = IndicatorStore::Open(dir.File("other.db"), IndicatorStore::Mode::kReadWrite);
  REQUIRE_FALSE(foreign.ok());
  CHECK_THAT(foreign.status().message(), Catch::Contains("not a shihyo indicator store"));
  {
    SQLite::Database newer(dir.File("newer.db"), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    newer.exec("PRAGMA user_version = 99");
  }
  auto newer = IndicatorStore::Open(dir.File("newer.db"), IndicatorStore::Mode::kReadOnly);
  REQUIRE_FALSE(newer.ok());
  CHECK_THAT(newer.status().message(), Catch::Contains("newer than this shihyo"));
}

TEST_CASE("store: schema is WAL and versioned", "[store]") {
  TempDir dir;
  OpenRw(dir.File("s.db"));
  SQLite::Database db(dir.File("s.db"));
  CHECK(db.execAndGet("PRAGMA journal_mode").getString() == "wal");
  CHECK(db.execAndGet("PRAGMA user_version").getInt() == IndicatorStore::LatestSchemaVersion());
}

TEST_CASE("store: a writer holding the lock makes import report unavailable", "[store]") {
  TempDir dir;
  std::string path = dir.File("s.db");
  auto store = OpenRw(path);
  SQLite::Database other(path, SQLite::OPEN_READWRITE);
  other.exec("BEGIN IMMEDIATE");
  auto blocked = IndicatorStore::Open(path, IndicatorStore::Mode::kReadWrite, 50);
  REQUIRE(blocked.ok());
  auto result = (*blocked)->Import({Kamaishi()}, "2026-11-28T00:00:00Z");
  REQUIRE_FALSE(result.ok());
  CHECK(result.status().IsUnavailable());
  other.exec("ROLLBACK");
  CHECK((*blocked)->Import({Kamaishi()}, "2026-11-28T00:00:00Z").ok());
}

}  // namespace
}  // namespace shihyo

namespace shihyo {
namespace {

// Column names of every table, "table.column", sorted.
std::vector<std::string> Columns(const std::string& path) {
  SQLite::Database db(path);
  std::vector<std::string> tables, out;
  SQLite::Statement q(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
  while (q.executeStep()) tables.push_back(q.getColumn(0).getString());
  for (const std::string& t : tables) {
    SQLite::Statement c(db, "SELECT name FROM pragma_table_info(?) ORDER BY name");
    c.bind(1, t);
    while (c.executeStep()) out.push_back(t + "." + c.getColumn(0).getString());
  }
  return out;
}

// Trigger names, sorted.
std::vector<std::string> Triggers(const std::string& path) {
  SQLite::Database db(path);
  std::vector<std::string> out;
  SQLite::Statement q(db, "SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name");
  while (q.executeStep()) out.push_back(q.getColumn(0).getString());
  return out;
}

TEST_CASE("store: a version 1 store migrates to the schema data/schema.sql creates", "[store]") {
  TempDir dir;
  std::string old_path = dir.File("v1.db");
  {
    SQLite::Database v1(old_path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    v1.exec(testing::ReadFile(testing::SourcePath("tests/data/schema_v1.sql")));
    v1.exec("PRAGMA user_version = 1");
    v1.exec(
        "INSERT INTO plans VALUES (1, '計画', 2020, 2021, '', 'a.txt', '2026-01-01T00:00:00Z');"
        "INSERT INTO projects VALUES (1, 1, 0, '', 0);"
        "INSERT INTO measures VALUES (1, 1, '', '', '実績値', 0);"
        "INSERT INTO indicators (id, measure_id, name, ordinal, source_line, target_raw,"
        " target_value, target_unit, target_status, direction, aggregation)"
        " VALUES (1, 1, '利用者数', 0, 3, '100人', 100, '人', 'value', 'increase', 'level');"
        "INSERT INTO observations VALUES (1, 2020, '90人', 90, '人', 'value', 0, NULL);");
  }
  auto store = IndicatorStore::Open(old_path, IndicatorStore::Mode::kReadWrite);
  REQUIRE(store.ok());
  Result<std::vector<Plan>> plans = (*store)->LoadPlans();
  REQUIRE(plans.ok());
  REQUIRE(plans->size() == 1);
  const Indicator& ind = plans->front().indicators.at(0);
  CHECK(ind.observations.at(0).raw == "90人");
  CHECK(ind.baseline_raw.empty());
  CHECK_FALSE(ind.target_year);
  CHECK(plans->front().year_kind == "fiscal");
  store->reset();
  std::string fresh = dir.File("fresh.db");
  REQUIRE(IndicatorStore::Open(fresh, IndicatorStore::Mode::kReadWrite).ok());
  CHECK(Columns(old_path) == Columns(fresh));
  CHECK(Triggers(old_path) == Triggers(fresh));
  SQLite::Database db(old_path);
  CHECK(db.execAndGet("PRAGMA user_version").getInt() == IndicatorStore::LatestSchemaVersion());
}

TEST_CASE("store: a version 2 store reads without plan versions, and import migrates it",
          "[store]") {
  TempDir dir;
  std::string path = dir.File("v2.db");
  {
    SQLite::Database v2(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    v2.exec(testing::ReadFile(testing::SourcePath("tests/data/schema_v2.sql")));
    v2.exec("PRAGMA user_version = 2");
    v2.exec(
        "INSERT INTO plans (id, name, first_year, last_year, source, imported_at)"
        " VALUES (1, '計画', 2020, 2021, 'a.txt', '2026-01-01T00:00:00Z')");
  }
  {
    auto ro = IndicatorStore::Open(path, IndicatorStore::Mode::kReadOnly);
    REQUIRE(ro.ok());
    auto read = (*ro)->LoadPlansIf([](const PlanVersion&) { return false; });
    REQUIRE(read.ok());
    CHECK_FALSE(read->versioned);
    REQUIRE(read->plans.size() == 1);  // without versions, every plan
    CHECK(read->plans[0].name == "計画");
  }
  auto rw = OpenRw(path);
  auto read = rw->LoadPlansIf([](const PlanVersion&) { return false; });
  REQUIRE(read.ok());
  CHECK(read->versioned);
  CHECK(read->plans.empty());
  OpenRw(dir.File("fresh.db"));
  CHECK(Columns(path) == Columns(dir.File("fresh.db")));
  CHECK(Triggers(path) == Triggers(dir.File("fresh.db")));
  CHECK(Triggers(path).size() == 23);  // three per table under a plan, two on plans
}

TEST_CASE("store: a re-import skips a plan only while nothing else changed it", "[store]") {
  TempDir dir;
  std::string path = dir.File("s.db");
  auto store = OpenRw(path);
  REQUIRE(store->Import({Kamaishi()}, "2026-11-28T00:00:00Z").ok());
  auto again = store->Import({Kamaishi()}, "2026-11-29T00:00:00Z");
  REQUIRE(again.ok());
  CHECK_FALSE((*again)[0].changed);
  // An edit made with another tool: the same table puts the cell back.
  {
    SQLite::Database shell(path, SQLite::OPEN_READWRITE);
    shell.exec(
        "UPDATE observations SET raw = '1人', value = 1 WHERE fiscal_year = 2021 AND indicator_id"
        " = (SELECT id FROM indicators WHERE name = '子育て支援センターの利用者数')");
  }
  auto restored = store->Import({Kamaishi()}, "2026-11-30T00:00:00Z");
  REQUIRE(restored.ok());
  CHECK((*restored)[0].changed);
  CHECK((*restored)[0].cells_changed == 1);
  CHECK(
      *Find((*store->LoadPlans())[0], "子育て支援センターの利用者数").observations[1].cell.value ==
      3831);
  // One field of the table changed: compared again (a footnote here).
  ProgressTable noted = Kamaishi();
  noted.projects[0].measures[0].footnotes.push_back("※追記");
  auto changed = store->Import({noted}, "2026-12-01T00:00:00Z");
  REQUIRE(changed.ok());
  CHECK((*changed)[0].changed);
  auto same = store->Import({noted}, "2026-12-02T00:00:00Z");
  REQUIRE(same.ok());
  CHECK_FALSE((*same)[0].changed);
}

// The plan versions of |store| by name.
std::map<std::string, int64_t> Versions(IndicatorStore* store) {
  auto read = store->LoadPlansIf([](const PlanVersion&) { return true; });
  REQUIRE(read.ok());
  REQUIRE(read->versioned);
  std::map<std::string, int64_t> out;
  for (size_t i = 0; i < read->plans.size(); ++i) {
    REQUIRE(read->plans[i].id == read->versions[i].id);
    out[read->plans[i].name] = read->versions[i].version;
  }
  return out;
}

TEST_CASE("store: a plan's version changes with the plan, by import or by any other tool",
          "[store]") {
  TempDir dir;
  std::string path = dir.File("s.db");
  auto store = OpenRw(path);
  ProgressTable other = Kamaishi();
  other.title = "別の計画";
  REQUIRE(store->Import({Kamaishi(), other}, "2026-11-28T00:00:00Z").ok());
  std::string kamaishi = Kamaishi().title;
  auto v0 = Versions(store.get());
  REQUIRE(v0.size() == 2);
  CHECK(v0[kamaishi] > 0);
  CHECK(v0["別の計画"] > 0);
  CHECK(v0[kamaishi] != v0["別の計画"]);
  // Unchanged: no write, no new version.
  REQUIRE(store->Import({Kamaishi(), other}, "2026-11-29T00:00:00Z").ok());
  CHECK(Versions(store.get()) == v0);
  // An import that changes one plan gives that plan alone a new version.
  ProgressTable changed = Kamaishi();
  changed.projects[0].measures[0].indicators[0].actual_raw[0] = "1人";
  REQUIRE(store->Import({changed, other}, "2026-11-30T00:00:00Z").ok());
  auto v1 = Versions(store.get());
  CHECK(v1[kamaishi] > v0["別の計画"]);
  CHECK(v1["別の計画"] == v0["別の計画"]);
  // Edits by another tool (the sqlite3 shell, here another connection) on
  // every table under a plan: the triggers give it a new version each time.
  SQLite::Database shell(path, SQLite::OPEN_READWRITE);
  shell.exec("PRAGMA foreign_keys = ON");
  const std::string other_ids =
      "(SELECT i.id FROM indicators i JOIN measures m ON i.measure_id = m.id"
      " JOIN projects pr ON m.project_id = pr.id JOIN plans p ON pr.plan_id = p.id"
      " WHERE p.name = '別の計画')";
  for (const std::string& edit : std::vector<std::string>{
           "UPDATE observations SET raw = '5人', value = 5 WHERE fiscal_year = 2021"
           " AND indicator_id = (SELECT min(id) FROM " +
               other_ids + ")",
           "UPDATE indicators SET target_raw = '9人' WHERE id = (SELECT min(id) FROM " + other_ids +
               ")",
           "INSERT INTO indicator_notes VALUES ((SELECT min(id) FROM " + other_ids +
               "), 0, '備考', 'x')",
           "DELETE FROM indicator_notes",
           "UPDATE measures SET text = text || '！' WHERE id = (SELECT measure_id FROM indicators"
           " WHERE id = (SELECT min(id) FROM " +
               other_ids + "))",
           "UPDATE plans SET notes = 'メモ' WHERE name = '別の計画'",
           "DELETE FROM indicators WHERE id = (SELECT max(id) FROM " + other_ids + ")",
       }) {
    INFO(edit);
    auto before = Versions(store.get());
    shell.exec(edit);
    auto after = Versions(store.get());
    CHECK(after["別の計画"] > before["別の計画"]);
    CHECK(after[kamaishi] == before[kamaishi]);
  }
  shell.exec(
      "INSERT INTO plans (name, first_year, last_year, source, imported_at)"
      " VALUES ('三つ目', 2020, 2024, 'x', 'y')");
  auto last = Versions(store.get());
  CHECK(last["三つ目"] > last["別の計画"]);
  // LoadPlansIf loads only the plans asked for, with their indicators.
  auto one = store->LoadPlansIf([&](const PlanVersion& v) { return v.version == last[kamaishi]; });
  REQUIRE(one.ok());
  REQUIRE(one->plans.size() == 1);
  CHECK(one->plans[0].name == kamaishi);
  CHECK(one->plans[0].indicators.size() == 26);
  CHECK(one->versions.size() == 3);
}

}  // namespace
}  // namespace shihyo
