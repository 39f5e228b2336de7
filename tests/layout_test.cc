#include "import/layout.h"

#include <catch2/catch.hpp>
#include <filesystem>

#include "fakes.h"
#include "import/table_reader.h"
#include "model/year_label.h"

namespace shihyo {
namespace {

using testing::ReadFile;
using testing::SourcePath;

// The "# error: LINE:COL: message" comment at the top of a bad layout.
std::string ExpectedError(const std::string& text) {
  const std::string tag = "# error: ";
  size_t at = text.find(tag);
  if (at == std::string::npos) return "";
  size_t end = text.find('\n', at);
  return text.substr(at + tag.size(), end - at - tag.size());
}

TEST_CASE("layout: every broken layout names its line and column", "[layout]") {
  std::string dir = SourcePath("tests/data/layouts/bad");
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::string path = entry.path().string();
    CAPTURE(path);
    std::string expected = ExpectedError(ReadFile(path));
    REQUIRE_FALSE(expected.empty());
    Result<Layout> layout = LoadLayoutFile(path);
    REQUIRE_FALSE(layout.ok());
    CHECK_THAT(layout.status().message(), Catch::Contains(path + ":" + expected));
    ++files;
  }
  CHECK(files >= 9);
}

TEST_CASE("layout: the shipped layouts load, and data/layouts matches the built-in copies",
          "[layout]") {
  Result<std::vector<Layout>> layouts = LoadLayouts(LayoutSearch{"", "", true});
  REQUIRE(layouts.ok());
  std::vector<std::string> names;
  for (const Layout& l : *layouts) names.push_back(l.name);
  CHECK(names == std::vector<std::string>{"gose", "kamaishi", "matsudo", "oyabe"});
  for (const auto& [file, text] : BuiltinLayoutFiles()) {
    CAPTURE(file);
    CHECK(ReadFile(SourcePath("data/layouts/" + file)) == text);
  }
}

TEST_CASE("layout: a directory's layout hides a built-in one of the same name", "[layout]") {
  testing::TempDir dir;
  dir.Write("mine.yaml",
            "layout: kamaishi\nkind: rows\nplan: x\nmatch: {header: ['^名前$']}\n"
            "columns: [{header: '^名前$', role: name}, {header: '^\\d{4}年度$', role: actual}]\n");
  Result<std::vector<Layout>> layouts = LoadLayouts(LayoutSearch{dir.path(), "", true});
  REQUIRE(layouts.ok());
  REQUIRE(layouts->size() == 4);
  CHECK(layouts->front().name == "kamaishi");
  CHECK(layouts->front().kind == Layout::Kind::kRows);
}

TEST_CASE("layout: a table no layout knows names, per layout, where it stopped", "[layout]") {
  Result<std::vector<Layout>> layouts = LoadLayouts(LayoutSearch{"", "", true});
  REQUIRE(layouts.ok());
  Result<TableRead> read =
      ParseTable("市の計画\n項目\t目標\t令和2年度\n人口\t100人\t90人\n", "t.txt", *layouts);
  REQUIRE_FALSE(read.ok());
  std::string msg = read.status().message();
  CHECK_THAT(msg, Catch::StartsWith("t.txt: no layout reads this table:"));
  CHECK_THAT(msg, Catch::Contains("gose (builtin:gose.yaml): line 1: cell 1 is '市の計画', not the "
                                  "header cell '^指標$'"));
  CHECK_THAT(msg, Catch::Contains("matsudo (builtin:matsudo.yaml): no line starts with a cell "
                                  "matching '^数値目標[①-⑳]'"));
  CHECK_THAT(msg, Catch::Contains("README: \"Your municipality's table\""));
}

TEST_CASE("layout: a broken table names its line, cell and what was expected", "[layout]") {
  Result<Layout> layout = ParseLayout(
      "layout: t\nkind: rows\nplan: 計画\nmatch: {header: ['^指標$']}\n"
      "columns:\n  - {header: '^指標$', role: name}\n  - {header: '年度$', role: actual}\n"
      "  - {header: '^方向$', role: direction}\n  - {header: '^率$', role: rate}\n",
      "t.yaml");
  REQUIRE(layout.ok());
  std::vector<Layout> layouts = {*layout};
  struct Case {
    std::string table, error;
  };
  const Case cases[] = {
      {"指標\t令和2年度\t備考\n", "t.txt:1: cell 3: header '備考' matches no column of layout 't'"},
      {"指標\t令和2年度\t方向\nA\t1\t横ばい\n", "t.txt:2: cell 3: unknown direction '横ばい'"},
      {"指標\t令和2年度\nA\t1\t2\n", "t.txt:2: cell 3: too many cells: the header on line 1 has 2"},
      {"指標\t前年度\n", "t.txt:1: cell 2: expected a year in the header of a actual column"},
      {"指標\t率\t令和2年度\n", "t.txt:1: cell 2: a rate column needs an actual column before it"},
      {"前書き\t2\n指標\t令和2年度\n", "t.txt:1: unexpected line '前書き' before the header row"},
      {"指標\t令和2年度\n\t1\n", "t.txt:2: expected the indicator's name, found nothing"},
      {"指標\t令和2年度\nA\t1\nA\t2\n",
       "t.txt:3: indicator 'A' appears twice under the same heading (first on line 2)"},
      {"指標\t方向\n", "t.txt: layout 't' found no indicator with yearly actual values"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.table);
    Result<TableRead> read = ParseTable(c.table, "t.txt", layouts);
    REQUIRE_FALSE(read.ok());
    CHECK_THAT(read.status().message(), Catch::StartsWith(c.error));
  }
}

TEST_CASE("year_label: eras, 元年, bare years, short eras, tags", "[year_label]") {
  struct Case {
    std::string text, era;
    int year;
    YearKind kind;
    std::string rest;
  };
  const Case cases[] = {
      {"令和2年度", "", 2020, YearKind::kFiscal, ""},
      {"令和元年度", "", 2019, YearKind::kFiscal, ""},
      {"平成元年", "", 1989, YearKind::kCalendar, ""},
      {"昭和64年", "", 1989, YearKind::kCalendar, ""},
      {"平成32年", "", 2020, YearKind::kCalendar, ""},
      {"23年度", "平成", 2011, YearKind::kFiscal, ""},
      {"H26", "", 2014, YearKind::kUnspecified, ""},
      {"R2", "", 2020, YearKind::kUnspecified, ""},
      {"2020年度", "", 2020, YearKind::kFiscal, ""},
      {"2019年", "", 2019, YearKind::kCalendar, ""},
      {"平成 25 (基準値)", "", 2013, YearKind::kUnspecified, "(基準値)"},
      {"平成13年実績", "", 2001, YearKind::kCalendar, "実績"},
      {"平成15年9月30日現在", "", 2003, YearKind::kCalendar, "9月30日現在"},
      {"平成２２年度", "", 2010, YearKind::kFiscal, ""},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    std::optional<YearLabel> y = ParseYearLabel(c.text, c.era);
    REQUIRE(y);
    CHECK(y->year == c.year);
    CHECK(y->kind == c.kind);
    CHECK(y->rest == c.rest);
  }
  for (const char* no : {"5ヵ年目標", "23年度", "11102", "指標", "Hello", "25"}) {
    CAPTURE(no);
    CHECK_FALSE(ParseYearLabel(no, ""));
  }
  CHECK_FALSE(ParseYearLabel("5ヵ年目標", "平成"));
}

}  // namespace
}  // namespace shihyo
