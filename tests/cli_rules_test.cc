#include <catch2/catch.hpp>
#include <sstream>

#include "cli/cli.h"
#include "fakes.h"

namespace shihyo {
namespace {

using testing::KamaishiPath;
using testing::SourcePath;
using testing::TempDir;

using Run = testing::CliRun;

Run Shihyo(const std::vector<std::string>& args) { return testing::RunShihyo(args); }

TEST_CASE("cli check: the shipped rules pass, broken ones list every error", "[cli_rules]") {
  Run good = Shihyo({"check", "--rules", SourcePath("rules")});
  CHECK(good.code == 0);
  CHECK_THAT(good.out, Catch::Contains(": OK"));

  Run bad = Shihyo({"check", "--rules", SourcePath("tests/rules/bad")});
  CHECK(bad.code == 1);
  // One line per broken file at least, each "file:line:col: message".
  std::istringstream lines(bad.err);
  std::string line;
  int located = 0;
  while (std::getline(lines, line)) {
    if (line.find(SourcePath("tests/rules/bad/")) == 0) ++located;
  }
  CHECK(located >= 17);
  CHECK_THAT(bad.err, Catch::Contains("did you mean 'severity'?"));
  CHECK_THAT(bad.err, Catch::Contains("error(s) in"));
}

TEST_CASE("cli test: a wrong expectation fails with a readable diff", "[cli_rules]") {
  TempDir dir;
  std::string rules = SourcePath("rules");
  std::string file = dir.Write(
      "wrong.yaml",
      "rules: " + rules +
          "\n"
          "now: 2026-11-28\n"
          "fiscal_years: [R2, R3, R4, R5, R6]\n"
          "tests:\n"
          "  - name: わざと間違えた期待\n"
          "    indicators:\n"
          "      - {name: 児童虐待発生件数, target: 0件, actuals: [14件, 12件, 7件, 25件, \"\"]}\n"
          "    expect:\n"
          "      - {rule: abuse_cases_rising, indicator: 児童虐待発生件数, fiscal_year: 2022}\n"
          "    expect_not:\n"
          "      - {rule: abuse_cases_rising, fiscal_year: 2023}\n");
  Run run = Shihyo({"test", file});
  CHECK(run.code == 1);
  CHECK_THAT(run.out, Catch::Contains("FAIL  " + file + ":5: わざと間違えた期待"));
  CHECK_THAT(run.out, Catch::Contains("- expected, not found:   rule=abuse_cases_rising "
                                      "indicator=児童虐待発生件数 fiscal_year=2022 (line 9)"));
  CHECK_THAT(run.out, Catch::Contains("+ found, expected not:   rule=abuse_cases_rising "
                                      "check=rising indicator=児童虐待発生件数 fiscal_year=2023 "
                                      "severity=critical"));
  CHECK_THAT(run.out, Catch::Contains("1 tests, 0 passed, 1 failed"));

  Run shipped = Shihyo({"test", SourcePath("rules/tests")});
  CHECK(shipped.code == 0);
  CHECK_THAT(shipped.out, Catch::Contains(" 0 failed"));
}

TEST_CASE("cli test: broken test files and empty runs fail", "[cli_rules]") {
  TempDir dir;
  std::string file = dir.Write("broken.yaml", "rules: /nonexistent\ntests: []\nextra: 1\n");
  Run run = Shihyo({"test", file});
  CHECK(run.code == 1);
  CHECK_THAT(run.err, Catch::Contains(file + ":3:1: rule test file: unknown key 'extra'"));
  Run none = Shihyo({"test", dir.path() + "/nothing-here"});
  CHECK(none.code == 1);
}

TEST_CASE("cli eval: the text report reads as a Japanese report by project", "[cli_rules]") {
  TempDir dir;
  std::string db = dir.File("s.db");
  REQUIRE(Shihyo({"import", "--db", db, KamaishiPath()}).code == 0);
  Run text = Shihyo({"eval", "--db", db, "--rules", SourcePath("rules"), "--now", "2026-11-28"});
  REQUIRE(text.code == 0);
  CHECK_THAT(text.out, Catch::StartsWith("指標チェック結果（評価日 2026年11月28日"));
  size_t p1 = text.out.find("■ プロジェクト1:情報発信プロジェクト");
  size_t p2 = text.out.find("■ プロジェクト2:遊び場開拓プロジェクト");
  size_t p3 = text.out.find("■ プロジェクト3:子どもと家庭を守るプロジェクト");
  CHECK(p1 < p2);
  CHECK(p2 < p3);
  CHECK(p3 != std::string::npos);
  CHECK_THAT(text.out, Catch::Contains("[重大] 児童虐待発生件数(の減少)：令和5年度は25件"));
  CHECK_THAT(text.out, Catch::Contains("目標 8,000人 ／ 実績  R2 4,801人  R3 3,831件"));

  Run critical = Shihyo({"eval", "--db", db, "--rules", SourcePath("rules"), "--now", "2026-11-28",
                         "--fail-on", "critical"});
  CHECK(critical.code == 1);
  Run bad_now = Shihyo({"eval", "--db", db, "--rules", SourcePath("rules"), "--now", "R8"});
  CHECK(bad_now.code == 2);
  Run bad_rules = Shihyo({"eval", "--db", db, "--rules", SourcePath("tests/rules/bad")});
  CHECK(bad_rules.code == 1);
}

}  // namespace
}  // namespace shihyo
