#include "import/progress_table.h"

#include <catch2/catch.hpp>

#include "fakes.h"

namespace shihyo {
namespace {

using testing::KamaishiPath;
using testing::TempDir;

const TableIndicator* FindRow(const ProgressTable& t, const std::string& name) {
  for (const TableProject& p : t.projects) {
    for (const TableMeasure& m : p.measures) {
      for (const TableIndicator& i : m.indicators) {
        if (i.name == name) return &i;
      }
    }
  }
  return nullptr;
}

TEST_CASE("progress_table: the Kamaishi table as it is", "[progress_table]") {
  Result<ProgressTable> t = ReadProgressTable(KamaishiPath(), Encoding::kAuto);
  REQUIRE(t.ok());
  CHECK(t->title == "第2期釜石市子ども・子育て支援事業計画 重点プロジェクト進捗状況【数値指標】");
  CHECK(t->fiscal_years == std::vector<int>{2020, 2021, 2022, 2023, 2024});
  REQUIRE(t->projects.size() == 3);
  CHECK(t->projects[0].heading == "プロジェクト1:情報発信プロジェクト");
  CHECK(t->projects[2].number == 3);
  size_t measures = 0;
  for (const TableProject& p : t->projects) measures += p.measures.size();
  CHECK(measures == 9);
  CHECK(t->IndicatorCount() == 26);

  const TableMeasure& parks = t->projects[1].measures[0];
  CHECK(parks.marker == "①");
  CHECK(parks.footnotes == std::vector<std::string>{"※復興事業により整備した公園数"});
  CHECK(t->projects[1].measures[1].footnotes == std::vector<std::string>{"※今後整備が必要な公園"});
  CHECK(t->projects[1].measures[2].actual_header == "※実績値");
  CHECK(t->projects[1].measures[2].footnotes ==
        std::vector<std::string>{"※子育て支援センター全体合計数"});

  const TableIndicator* users = FindRow(*t, "子育て支援センターの利用者数");
  REQUIRE(users);
  CHECK(users->target_raw == "8,000人");
  CHECK(users->actual_raw ==
        std::vector<std::string>{"4,801人", "3,831件", "3,895件", "4,858件", ""});
  CHECK(users->line == 56);
  const TableIndicator* satisfaction = FindRow(*t, "広報に掲載した子育て情報の満足度");
  REQUIRE(satisfaction);
  CHECK(satisfaction->actual_raw == std::vector<std::string>{"", "", "アンケート調査済", "", ""});
}

std::string Table(const std::string& rows, const std::string& years = "令和2年度\t令和3年度") {
  return "計画 進捗状況\n\nプロジェクト1:テスト\n\n①施策\n\n指標内容\t目標値\t実績値\t\n\t\t" +
         years + "\n" + rows;
}

TEST_CASE("progress_table: one-line header and rows without projects", "[progress_table]") {
  auto t = ParseProgressTable("計画\n指標内容\t目標値\tR2\tR3\nA\t1件\t1件\t2件\n", "x.txt");
  REQUIRE(t.ok());
  CHECK(t->fiscal_years == std::vector<int>{2020, 2021});
  REQUIRE(t->IndicatorCount() == 1);
  CHECK(t->projects[0].heading.empty());
}

TEST_CASE("progress_table: broken tables name file, line and cell", "[progress_table]") {
  struct Case {
    std::string text;
    std::string error;
  };
  const Case cases[] = {
      {Table("A\t1件\t1件\t2件\t3件\n"),
       "x.txt:9: cell 5: too many cells: the header on line 7 has 2 fiscal years, so a row has at "
       "most 4 cells (name, target, one actual per year)"},
      {Table("A\t1件\t1件\n", "令和2年度\t令和X年度"),
       "x.txt:8: cell 4: unknown fiscal year '令和X年度' (expected e.g. 令和2年度, R2, 平成30年度 "
       "or 2020年度)"},
      {Table("A\t1件\n", "令和2年度\t令和4年度"),
       "x.txt:8: cell 4: fiscal year 2022 does not follow 2020 (expected consecutive years)"},
      {Table("A\t1件\n", "令和2年度\t\t令和3年度"),
       "x.txt:8: cell 4: expected a fiscal year, found an empty cell"},
      {"計画\n\n指標内容\t目標値\t実績値\nA\t1件\t2件\n",
       "x.txt:4: expected the fiscal years (令和2年度 …) under the header on line 3"},
      {"計画\n\n指標内容\t目標値\t実績値\n",
       "x.txt:3: the header has no fiscal-year line (令和2年度 …) under it"},
      {"計画\n①施策\nA\t1件\t2件\n",
       "x.txt:3: unexpected line 'A' (expected a project heading プロジェクトN:…, a measure ①…, a "
       "header 指標内容 目標値 実績値, or a ※ footnote)"},
      {"プロジェクト1:テスト\n",
       "x.txt:1: expected the plan title (e.g. 第2期釜石市子ども・子育て支援事業計画 "
       "重点プロジェクト進捗状況) on the first line"},
      {Table("A\t1件\nA\t2件\n"),
       "x.txt:10: cell 1: indicator 'A' appears twice in this measure (first on line 9)"},
      {Table("\t1件\t2件\n"), "x.txt:9: cell 1: expected the indicator name, found nothing"},
      {Table("A\t1件\n") + "\n指標内容\t目標値\t実績値\n\t\t令和3年度\t令和4年度\nB\t1件\n",
       "x.txt:12: fiscal years 令和3年度–令和4年度 differ from the header on line 7 "
       "(令和2年度–令和3年度); a table has one plan period"},
      {Table("A\t1件\n") + "プロジェクト1:もう一度\n",
       "x.txt:10: プロジェクト1 appears twice (first on line 3); each project needs its own "
       "number"},
      {Table("A\t1件\n") + "①再び\n",
       "x.txt:10: measure ① appears twice in this project (first on line 5)"},
      {Table("A\t\"1件\n"),
       "x.txt:9: unterminated quoted cell (a '\"' opens here and is never closed)"},
      {"計画\n",
       "x.txt: no indicator rows found (expected a header line '指標内容 目標値 実績値', "
       "the fiscal years, and one row per indicator)"},
      {Table("A\t1件\n指標内容\t目標値\t結果\n"),
       "x.txt:10: cell 3: expected 実績値, found '結果'"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    Result<ProgressTable> t = ParseProgressTable(c.text, "x.txt");
    REQUIRE_FALSE(t.ok());
    CHECK(t.status().message() == c.error);
    CHECK(t.status().IsInvalidArgument());
  }
}

TEST_CASE("progress_table: a cell with bytes that are not UTF-8 is rejected with its line",
          "[progress_table]") {
  TempDir dir;
  std::string text = testing::ReadFile(KamaishiPath());
  size_t at = text.find("3,831件");
  REQUIRE(at != std::string::npos);
  text.replace(at, 1, "\x83\xff");
  Result<ProgressTable> t = ReadProgressTable(dir.Write("broken.txt", text), Encoding::kAuto);
  REQUIRE_FALSE(t.ok());
  CHECK_THAT(t.status().message(),
             Catch::StartsWith(dir.File("broken.txt") + ":56: cell 4: bytes \\x83\\xFF"));
  Result<ProgressTable> missing = ReadProgressTable(dir.File("nope.txt"), Encoding::kAuto);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().code() == Status::Code::kIOError);
}

TEST_CASE("progress_table: measure text may continue on a second line", "[progress_table]") {
  auto t = ParseProgressTable(
      "計画\nプロジェクト1:a\n①一行目\n二行目\n指標内容\t目標値\tR2\nA\t1件\t1件\n※注記\n", "x");
  REQUIRE(t.ok());
  CHECK(t->projects[0].measures[0].text == "①一行目\n二行目");
  CHECK(t->projects[0].measures[0].footnotes == std::vector<std::string>{"※注記"});
}

}  // namespace
}  // namespace shihyo
