#include "cli/cli.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "base/text.h"
#include "fakes.h"

namespace shihyo {
namespace {

using testing::KamaishiPath;
using testing::ReadFile;
using testing::SourcePath;
using testing::TempDir;

using Run = testing::CliRun;

Run Shihyo(const std::vector<std::string>& args) { return testing::RunShihyo(args); }

// The cells of the seed file, split the plain way: line → tab-separated cells.
std::vector<std::vector<std::string>> SeedCells() {
  std::vector<std::vector<std::string>> lines;
  std::istringstream in(ReadFile(KamaishiPath()));
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    size_t start = 0;
    while (true) {
      size_t tab = line.find('\t', start);
      cells.push_back(line.substr(start, tab - start));
      if (tab == std::string::npos) break;
      start = tab + 1;
    }
    lines.push_back(cells);
  }
  return lines;
}

TEST_CASE("cli: import and indicators --format json keep every cell verbatim", "[cli]") {
  TempDir dir;
  std::string db = dir.File("store.db");
  Run imp = Shihyo({"import", "--db", db, KamaishiPath()});
  REQUIRE(imp.code == 0);
  CHECK_THAT(imp.out, Catch::Contains("3 projects, 26 indicators, FY2020–FY2024; new plan"));

  Run show = Shihyo({"indicators", "--db", db, "--format", "json"});
  REQUIRE(show.code == 0);
  nlohmann::json j = nlohmann::json::parse(show.out);
  REQUIRE(j["indicators"].size() == 26);

  // Every row of the file whose first cell names an indicator matches its JSON.
  std::map<std::string, nlohmann::json> by_name;
  std::set<std::string> projects, measures;
  for (const auto& ind : j["indicators"]) {
    by_name[ind["name"]] = ind;
    projects.insert(ind["project"].get<std::string>());
    measures.insert(ind["measure"].get<std::string>());
    REQUIRE(ind["observations"].size() == 5);
    for (size_t i = 0; i < 5; ++i) CHECK(ind["observations"][i]["fiscal_year"] == 2020 + int(i));
  }
  CHECK(projects.size() == 3);
  CHECK(measures.size() == 9);
  size_t matched = 0;
  for (const auto& cells : SeedCells()) {
    if (cells.empty() || !by_name.count(cells[0])) continue;
    const nlohmann::json& ind = by_name[cells[0]];
    CHECK(ind["target"]["raw"] == cells[1]);
    for (size_t i = 0; i < 5; ++i) {
      std::string expected = 2 + i < cells.size() ? cells[2 + i] : "";
      CHECK(ind["observations"][i]["raw"] == expected);
    }
    ++matched;
  }
  CHECK(matched == 26);

  const nlohmann::json& users = by_name["子育て支援センターの利用者数"];
  CHECK(users["target"]["value"] == 8000);
  CHECK(users["target"]["unit"] == "人");
  CHECK(users["observations"][1]["value"] == 3831);
  CHECK(users["observations"][1]["unit"] == "件");
  CHECK(users["observations"][1]["status"] == "value");
  CHECK(by_name["釜石市LINEの友達登録数(累計)"]["aggregation"] == "cumulative");
  CHECK(by_name["児童虐待発生件数(の減少)"]["direction"] == "decrease");
  CHECK(by_name["虐待に対しての市民への周知啓発回数"]["aggregation"] == "per_year");
  CHECK(by_name["親子の交流スペースの確保の有無"]["direction"] == "boolean");
  CHECK(by_name["子育て世代が集える公園の整備数"]["observations"][0]["annotated"] == true);
  for (const auto& [name, ind] : by_name) {
    CAPTURE(name);
    CHECK(ind["observations"][4]["status"] == "missing");
    CHECK(ind["observations"][4]["raw"] == "");
    CHECK(ind["observations"][4]["value"].is_null());
  }
}

TEST_CASE("cli: the table saved as CP932 CSV imports to the same contents", "[cli]") {
  TempDir dir;
  REQUIRE(Shihyo({"import", "--db", dir.File("a.db"), KamaishiPath()}).code == 0);
  std::string csv = SourcePath("data/kamaishi_kosodate_r2-r6.cp932.csv");
  Run imp = Shihyo({"import", "--db", dir.File("b.db"), csv});
  REQUIRE(imp.code == 0);
  CHECK_THAT(imp.out, Catch::Contains("(CP932)"));
  auto a = nlohmann::json::parse(
      Shihyo({"indicators", "--db", dir.File("a.db"), "--format", "json"}).out);
  auto b = nlohmann::json::parse(
      Shihyo({"indicators", "--db", dir.File("b.db"), "--format", "json"}).out);
  CHECK(a["indicators"] == b["indicators"]);
}

TEST_CASE("cli: re-import is idempotent, a correction updates the changed cell", "[cli]") {
  TempDir dir;
  std::string db = dir.File("store.db");
  REQUIRE(Shihyo({"import", "--db", db, KamaishiPath()}).code == 0);
  Run again = Shihyo({"import", "--db", db, KamaishiPath()});
  REQUIRE(again.code == 0);
  CHECK_THAT(again.out, Catch::EndsWith("; unchanged\n"));
  std::string text = ReadFile(KamaishiPath());
  text.replace(text.find("3,831件"), std::string("3,831件").size(), "3,831人");
  Run fix = Shihyo({"import", "--db", db, dir.Write("fixed.txt", text)});
  REQUIRE(fix.code == 0);
  CHECK_THAT(fix.out, Catch::Contains("1 cells changed"));
}

// Text that is not UTF-8 comes into a store only from another tool (imports
// refuse it); the JSON outputs then say what is wrong instead of aborting.
TEST_CASE("cli: a store edited to hold text that is not UTF-8 gets an error, not an abort",
          "[cli]") {
  TempDir dir;
  std::string db = dir.File("store.db");
  REQUIRE(Shihyo({"import", "--db", db, KamaishiPath()}).code == 0);
  SQLite::Database(db, SQLite::OPEN_READWRITE)
      .exec(
          "UPDATE indicators SET name = CAST(X'41FF42' AS TEXT)"
          " WHERE id = (SELECT min(id) FROM indicators)");
  for (std::vector<std::string> args :
       {std::vector<std::string>{"indicators", "--db", db, "--format", "json"},
        std::vector<std::string>{"eval", "--db", db, "--rules", SourcePath("rules"), "--now",
                                 "2026-11-28", "--format", "json"}}) {
    INFO(args[0]);
    Run r = Shihyo(args);
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains("not UTF-8") && Catch::Contains("0xFF"));
  }
}

TEST_CASE("cli: a broken table is rejected with file and line, the store unchanged", "[cli]") {
  TempDir dir;
  std::string db = dir.File("store.db");
  REQUIRE(Shihyo({"import", "--db", db, KamaishiPath()}).code == 0);
  std::string before = Shihyo({"indicators", "--db", db, "--format", "json"}).out;
  std::string text = ReadFile(KamaishiPath());

  struct Case {
    std::string name;
    std::string from, to;
    std::string error;
  };
  const Case cases[] = {
      {"too_many.txt", "4,858件\t\n", "4,858件\t5,000件\t1件\n",
       ":56: cell 8: too many cells: the header on line 53 has 5 fiscal years"},
      {"era.txt", "令和6年度", "令和9年目", ":10: cell 7: unknown fiscal year '令和9年目'"},
      {"bytes.txt", "3,831件",
       "3,\xff\xfe"
       "831件",
       ":56: cell 4: bytes \\xFF\\xFE"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    std::string broken = text;
    size_t at = broken.find(c.from);
    REQUIRE(at != std::string::npos);
    broken.replace(at, c.from.size(), c.to);
    // The broken table goes with a good one: neither is imported.
    std::string good_copy = dir.Write("other.txt", text);
    std::string path = dir.Write(c.name, broken);
    Run imp = Shihyo({"import", "--db", db, good_copy, path});
    CHECK(imp.code == 1);
    CHECK_THAT(imp.err, Catch::Contains(path + c.error));
    CHECK_THAT(imp.err, Catch::Contains("nothing imported; the store is unchanged"));
    CHECK(Shihyo({"indicators", "--db", db, "--format", "json"}).out == before);
  }
}

TEST_CASE("cli: text view aligns the table", "[cli]") {
  TempDir dir;
  std::string db = dir.File("store.db");
  REQUIRE(Shihyo({"import", "--db", db, KamaishiPath()}).code == 0);
  Run show = Shihyo({"indicators", "--db", db});
  REQUIRE(show.code == 0);
  CHECK_THAT(show.out, Catch::Contains("プロジェクト2:遊び場開拓プロジェクト"));
  CHECK_THAT(show.out, Catch::Contains("※復興事業により整備した公園数"));
  CHECK_THAT(show.out, Catch::Contains("令和6年度"));
  // Targets are right-aligned: they end at the same display column on every row,
  // however many double-width characters the names before them hold.
  auto target_end = [&](const std::string& name, const std::string& target) {
    size_t row = show.out.find(name);
    REQUIRE(row != std::string::npos);
    size_t line_start = show.out.rfind('\n', row) + 1;
    size_t at = show.out.find(target, row);
    return DisplayWidth(show.out.substr(line_start, at + target.size() - line_start));
  };
  int a = target_end("子育て支援センターの相談件数", "150件");
  int b = target_end("子育て支援センターの利用者数", "8,000人");
  int c = target_end("子育て支援センターの利用満足度", "100%");
  CHECK(a == b);
  CHECK(b == c);
}
TEST_CASE("cli: usage errors exit 2", "[cli]") {
  CHECK(Shihyo({}).code == 2);
  CHECK(Shihyo({"import"}).code == 2);
  CHECK(Shihyo({"bogus"}).code == 2);
  CHECK(Shihyo({"indicators", "--db", "/nonexistent/x.db"}).code == 2);
  CHECK(Shihyo({"--help"}).code == 0);
  TempDir dir;
  Run missing = Shihyo({"import", "--db", dir.File("s.db"), dir.File("absent.txt")});
  CHECK(missing.code == 2);
  CHECK_THAT(missing.err, Catch::Contains("absent.txt: cannot open for reading"));
}

}  // namespace
}  // namespace shihyo
