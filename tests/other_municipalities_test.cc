// The three real tables of other municipalities (tests/data/other-municipalities/)
// import through the shipped layouts and read as a careful reader reads them.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <tuple>

#include "fakes.h"

namespace shihyo {
namespace {

using nlohmann::json;
using testing::SourcePath;
using testing::TempDir;

std::string Table(const std::string& name) {
  return SourcePath("tests/data/other-municipalities/" + name);
}

// Imports |file| into a fresh store and returns `indicators --format json`.
json Import(const TempDir& dir, const std::string& file) {
  std::string db = dir.File("store.db");
  testing::CliRun imp = testing::RunShihyo({"import", "--db", db, file});
  INFO(imp.err);
  REQUIRE(imp.code == 0);
  testing::CliRun show = testing::RunShihyo({"indicators", "--db", db, "--format", "json"});
  REQUIRE(show.code == 0);
  return json::parse(show.out);
}

const json& Find(const json& doc, const std::string& name) {
  for (const json& ind : doc["indicators"]) {
    if (ind["name"] == name) return ind;
  }
  FAIL("no indicator " << name);
  static json none;
  return none;
}

const json& Year(const json& ind, int year) {
  for (const json& o : ind["observations"]) {
    if (o["fiscal_year"] == year) return o;
  }
  FAIL("no observation " << year);
  static json none;
  return none;
}

TEST_CASE("gose: baseline, direction words, target year, actuals and reported rates",
          "[other-municipalities]") {
  TempDir dir;
  json doc = Import(dir, Table("gose-sougoukeikaku5-13shihyo.txt"));
  REQUIRE(doc["indicators"].size() == 3);
  const json& bousai = Find(doc, "自主防災組織率");
  CHECK(bousai["baseline"]["raw"] == "57.10%");
  CHECK(bousai["baseline"]["value"] == 57.1);
  CHECK(bousai["baseline"]["unit"] == "%");
  CHECK(bousai["baseline"]["year"] == 2010);
  CHECK(bousai["baseline"]["year_kind"] == "fiscal");
  CHECK(bousai["direction"] == "increase");
  CHECK(bousai["direction_raw"] == "アップ");
  CHECK(bousai["target"]["raw"] == "93.00");
  CHECK(bousai["target"]["value"] == 93);
  CHECK(bousai["target_year"] == 2020);
  CHECK(bousai["project"] == "住み続けたいまちづくり");
  const double actuals[] = {62.00, 66.60, 69.50};
  const double rates[] = {66.7, 71.6, 74.7};
  for (int i = 0; i < 3; ++i) {
    const json& o = Year(bousai, 2011 + i);
    CHECK(o["value"].get<double>() == Approx(actuals[i]));
    CHECK(o["reported_rate"].get<double>() == Approx(rates[i]));
    CHECK(o["unit"] == "%");
  }
  CHECK(Year(bousai, 2011)["raw"] == "62.00");

  const json& gomi = Find(doc, "市民1人あたりの1日に出すごみの量");
  CHECK(gomi["unit"] == "g/人");
  CHECK(gomi["direction"] == "decrease");
  CHECK(gomi["target"]["value"] == 580);
  CHECK(gomi["target"]["unit"] == "g/人");
  CHECK(Year(gomi, 2011)["value"] == 581);
  CHECK(Year(gomi, 2012)["value"] == 593);
  CHECK(Year(gomi, 2013)["value"] == 586);
  CHECK(Year(gomi, 2013)["reported_rate"].get<double>() == Approx(101.0));
  CHECK(gomi["notes"][0]["label"] == "内容");

  const json& eki = Find(doc, "駅利用者数");
  CHECK(eki["unit"] == "人/年");
  CHECK(eki["baseline"]["unit"] == "人/年");
  CHECK(Year(eki, 2013)["value"] == 19975);
  CHECK(doc["plans"][0]["first_year"] == 2011);
  CHECK(doc["plans"][0]["last_year"] == 2013);
}

TEST_CASE("oyabe: codes, なし as a status, words as targets, snapshot and forecast kept apart",
          "[other-municipalities]") {
  TempDir dir;
  json doc = Import(dir, Table("oyabe-sougoukeikaku-seikashihyo.txt"));
  REQUIRE(doc["indicators"].size() == 14);
  CHECK(doc["plans"][0]["year_kind"] == "calendar");
  CHECK(doc["plans"][0]["first_year"] == 2001);
  CHECK(doc["plans"][0]["last_year"] == 2002);
  const json& kyougikai = Find(doc, "生涯学習推進協議会の設置");
  CHECK(kyougikai["code"] == "11102");
  CHECK(kyougikai["target"]["status"] == "text");
  CHECK(kyougikai["target"]["raw"] == "設置");
  CHECK(kyougikai["target_year"] == 2005);  // 5ヵ年目標: 平成12年 + 5
  CHECK(Year(kyougikai, 2001)["status"] == "none");
  CHECK(Find(doc, "生涯スポーツプラン策定")["target"]["status"] == "text");
  CHECK(Year(Find(doc, "生涯スポーツプラン策定"), 2001)["status"] == "text");

  const json& library = Find(doc, "図書館入館者数");
  CHECK(library["code"] == "11302");
  CHECK(library["baseline"]["value"] == 102521);
  CHECK(library["baseline"]["year"] == 2000);
  CHECK(library["target"]["value"] == 105000);
  REQUIRE(library["observations"].size() == 2);
  CHECK(Year(library, 2001)["value"] == 105757);
  CHECK(Year(library, 2002)["value"] == 117857);
  // The mid-year snapshot and the forecast are notes, not actuals.
  REQUIRE(library["notes"].size() == 3);
  CHECK(library["notes"][1]["label"] == "平成15年9月30日現在");
  CHECK(library["notes"][1]["text"] == "65,016人");
  CHECK(library["notes"][2]["label"] == "平成15年末見込");
  CHECK(library["notes"][2]["text"] == "120,000人");
  CHECK(Find(doc, "公民館改修数(累計)")["aggregation"] == "cumulative");
  CHECK(Find(doc, "公民館改修数(累計)")["target"]["unit"] == "か所");
}

TEST_CASE("matsudo: one small table per indicator, years across", "[other-municipalities]") {
  TempDir dir;
  json doc = Import(dir, Table("matsudo-sougousenryaku-suchimokuhyo-h30.txt"));
  REQUIRE(doc["indicators"].size() == 2);  // 合計特殊出生率 has no row of values
  const json& kon = Find(doc, "婚姻率");
  CHECK(kon["code"] == "①");
  CHECK(kon["project"] == "基本目標Ⅰ 子育て・教育・文化を軸とした都市ブランドづくり");
  CHECK(kon["baseline"]["raw"] == "5.5‰");
  CHECK(kon["baseline"]["value"] == 5.5);
  CHECK(kon["baseline"]["unit"] == "‰");
  CHECK(kon["baseline"]["year"] == 2013);
  CHECK(Year(kon, 2015)["raw"] == "5.4‰");
  CHECK(Year(kon, 2016)["value"] == 5.0);
  CHECK(Year(kon, 2016)["unit"] == "‰");
  CHECK(kon["target"]["raw"] == "5.9‰");
  CHECK(kon["target"]["value"] == 5.9);
  CHECK(kon["target_year"] == 2019);
  CHECK(kon["notes"][0]["text"] == "参考)婚姻率=婚姻件数/人口(千人) H26 5.3‰");

  const json& birth = Find(doc, "出生数");
  CHECK(birth["baseline"]["value"] == 3823);
  CHECK(birth["baseline"]["year"] == 2014);
  CHECK(Year(birth, 2015)["value"] == 3975);
  CHECK(Year(birth, 2016)["value"] == 3782);
  CHECK(Year(birth, 2017)["value"] == 3679);
  CHECK(birth["target"]["value"] == 4107);
  CHECK(birth["target_year"] == 2019);
}

TEST_CASE("import --explain names the layout and every row, and writes nothing",
          "[other-municipalities]") {
  TempDir dir;
  std::string db = dir.File("store.db");
  testing::CliRun run = testing::RunShihyo(
      {"import", "--explain", "--db", db, Table("gose-sougoukeikaku5-13shihyo.txt")});
  INFO(run.err);
  REQUIRE(run.code == 0);
  CHECK_THAT(run.out, Catch::Contains("layout gose (builtin:gose.yaml) reads"));
  CHECK_THAT(run.out, Catch::Contains("line 11: project: 住み続けたいまちづくり"));
  CHECK_THAT(run.out, Catch::Contains("line 17: header repeated"));
  CHECK_THAT(run.out, Catch::Contains("2011='62.00' (rate 66.7)"));
  CHECK_FALSE(std::filesystem::exists(db));
  testing::CliRun matsudo = testing::RunShihyo(
      {"import", "--explain", Table("matsudo-sougousenryaku-suchimokuhyo-h30.txt")});
  REQUIRE(matsudo.code == 0);
  CHECK_THAT(matsudo.out,
             Catch::Contains("layout gose (builtin:gose.yaml) does not match: line 10:"));
  CHECK_THAT(matsudo.out,
             Catch::Contains("line 12: years: 2013=baseline, 2015=actual, 2016=actual, "
                             "2019=target"));
  CHECK_THAT(matsudo.out,
             Catch::Contains("line 19: skipped: '合計特殊出生率' has no row of values"));
  CHECK_FALSE(std::filesystem::exists(db));
}

TEST_CASE("layouts lists the shipped layouts", "[other-municipalities]") {
  testing::CliRun run = testing::RunShihyo({"layouts"});
  REQUIRE(run.code == 0);
  CHECK_THAT(run.out, Catch::Contains("kamaishi\tsectioned\tbuiltin:kamaishi.yaml"));
  CHECK_THAT(run.out, Catch::Contains("matsudo\ttransposed\tbuiltin:matsudo.yaml"));
}

}  // namespace
}  // namespace shihyo

namespace shihyo {
namespace {

TEST_CASE("other municipalities: re-import writes nothing", "[other-municipalities]") {
  TempDir dir;
  std::string db = dir.File("store.db");
  std::vector<std::string> files = {Table("gose-sougoukeikaku5-13shihyo.txt"),
                                    Table("oyabe-sougoukeikaku-seikashihyo.txt"),
                                    Table("matsudo-sougousenryaku-suchimokuhyo-h30.txt")};
  std::vector<std::string> args = {"import", "--db", db};
  args.insert(args.end(), files.begin(), files.end());
  REQUIRE(testing::RunShihyo(args).code == 0);
  testing::CliRun again = testing::RunShihyo(args);
  REQUIRE(again.code == 0);
  CHECK_THAT(again.out, Catch::Contains("御所市第5次総合計画 13指標 進捗状況: 2 projects, 3 "
                                        "indicators, FY2011–FY2013; unchanged"));
  CHECK_THAT(again.out, Catch::Contains("FY2001–FY2002; unchanged"));
  CHECK_THAT(again.out, Catch::Contains("FY2015–FY2017; unchanged"));
}

// The worked example of README "Your municipality's table": refused with the
// per-layout reasons, read once the layout file is written, no code change.
TEST_CASE("readme: a new table imports once its layout is written", "[other-municipalities]") {
  TempDir dir;
  std::string table =
      dir.Write("city.txt",
                "まちづくりの目標\nNo.\t指標名\t単位\t基準値(H30)\tR2年度\tR3年度\t目標(R6)\t方向\n"
                "1\t公園の数\tか所\t12\t13\t15\t20\t↑\n"
                "2\tごみの量【t】\t\t5,000\t4,900\t4,950\t4,500\t↓\n");
  std::string db = dir.File("store.db");
  testing::CliRun refused = testing::RunShihyo({"import", "--db", db, table});
  CHECK(refused.code == 1);
  CHECK_THAT(refused.err, Catch::Contains("no layout reads this table"));
  CHECK_THAT(refused.err, Catch::Contains("oyabe (builtin:oyabe.yaml): line 1:"));
  // The layout exactly as the README prints it.
  std::string readme = testing::ReadFile(SourcePath("README.md"));
  size_t start = readme.find("   ```yaml\n   layout: mycity");
  REQUIRE(start != std::string::npos);
  start = readme.find('\n', start) + 1;
  size_t end = readme.find("   ```", start);
  std::string layout;
  for (size_t at = start; at < end;) {
    size_t eol = readme.find('\n', at);
    layout += readme.substr(at + 3, eol - at - 3) + "\n";
    at = eol + 1;
  }
  std::filesystem::create_directory(dir.File("layouts"));
  dir.Write("layouts/mycity.yaml", layout);
  testing::CliRun imp =
      testing::RunShihyo({"import", "--db", db, "--layouts", dir.File("layouts"), table});
  INFO(imp.err);
  REQUIRE(imp.code == 0);
  json doc = json::parse(testing::RunShihyo({"indicators", "--db", db, "--format", "json"}).out);
  const json& park = Find(doc, "公園の数");
  CHECK(park["code"] == "1");
  CHECK(park["baseline"]["year"] == 2018);
  CHECK(park["target_year"] == 2024);
  CHECK(park["target"]["unit"] == "か所");
  CHECK(Year(park, 2021)["value"] == 15);
  const json& gomi = Find(doc, "ごみの量【t】");
  CHECK(gomi["unit"] == "t");
  CHECK(gomi["direction"] == "decrease");
  CHECK(Year(gomi, 2020)["unit"] == "t");
}

}  // namespace
}  // namespace shihyo

namespace shihyo {
namespace {

// `eval` with the shipped rules on a table: the findings as (rule, indicator, year).
std::vector<std::tuple<std::string, std::string, std::string>> Eval(
    const TempDir& dir, const std::vector<std::string>& import_args) {
  std::string db = dir.File("eval.db");
  std::vector<std::string> args = {"import", "--db", db};
  args.insert(args.end(), import_args.begin(), import_args.end());
  testing::CliRun imp = testing::RunShihyo(args);
  INFO(imp.err);
  REQUIRE(imp.code == 0);
  testing::CliRun run = testing::RunShihyo({"eval", "--db", db, "--rules", SourcePath("rules"),
                                            "--now", "2026-11-28", "--format", "json"});
  INFO(run.err);
  REQUIRE((run.code == 0 || run.code == 1));
  std::vector<std::tuple<std::string, std::string, std::string>> out;
  json doc = json::parse(run.out);  // kept: a range-for over a temporary's member dangles
  for (const json& f : doc["findings"]) {
    out.emplace_back(
        f["rule"].get<std::string>(), f["indicator"].get<std::string>(),
        f["fiscal_year"].is_null() ? "-" : std::to_string(f["fiscal_year"].get<int>()));
  }
  return out;
}

using Found = std::tuple<std::string, std::string, std::string>;

bool Has(const std::vector<Found>& found, const Found& f) {
  return std::find(found.begin(), found.end(), f) != found.end();
}

size_t CountRule(const std::vector<Found>& found, const std::string& rule) {
  return static_cast<size_t>(std::count_if(found.begin(), found.end(),
                                           [&](const Found& f) { return std::get<0>(f) == rule; }));
}

TEST_CASE("eval on gose: targets for 2020 are not missed in 2013; what a careful reader sees",
          "[other-municipalities][eval]") {
  TempDir dir;
  std::vector<Found> found = Eval(dir, {Table("gose-sougoukeikaku5-13shihyo.txt")});
  for (const Found& f : found)
    UNSCOPED_INFO(std::get<0>(f) << " " << std::get<1>(f) << " " << std::get<2>(f));
  CHECK(CountRule(found, "target_missed") == 0);
  CHECK(CountRule(found, "missing_actual") == 0);
  CHECK(CountRule(found, "low_achievement_near_end") == 0);
  CHECK(Has(found, {"target_unreachable", "駅利用者数", "-"}));
  CHECK(Has(found, {"moving_away_from_target", "駅利用者数", "2013"}));
  for (const char* year : {"2011", "2012", "2013"}) {
    CHECK(Has(found, {"reported_rate_mismatch", "市民1人あたりの1日に出すごみの量", year}));
  }
  CHECK(CountRule(found, "reported_rate_mismatch") == 3);
  CHECK(CountRule(found, "target_unreachable") == 1);
  CHECK(found.size() == 5);
}

TEST_CASE("eval on matsudo: only the years each indicator has; both targets out of reach",
          "[other-municipalities][eval]") {
  TempDir dir;
  std::vector<Found> found = Eval(dir, {Table("matsudo-sougousenryaku-suchimokuhyo-h30.txt")});
  for (const Found& f : found)
    UNSCOPED_INFO(std::get<0>(f) << " " << std::get<1>(f) << " " << std::get<2>(f));
  CHECK(CountRule(found, "missing_actual") == 0);  // 婚姻率 has no column for 平成29
  CHECK(CountRule(found, "target_missed") == 0);   // the targets are for 平成31
  CHECK(Has(found, {"target_unreachable", "婚姻率", "-"}));
  CHECK(Has(found, {"target_unreachable", "出生数", "-"}));
  CHECK(Has(found, {"moving_away_from_target", "出生数", "2017"}));
}

TEST_CASE("eval on oyabe: the 5-year targets are for 平成17, not missed in 平成14",
          "[other-municipalities][eval]") {
  TempDir dir;
  std::vector<Found> found = Eval(dir, {Table("oyabe-sougoukeikaku-seikashihyo.txt")});
  for (const Found& f : found)
    UNSCOPED_INFO(std::get<0>(f) << " " << std::get<1>(f) << " " << std::get<2>(f));
  CHECK(CountRule(found, "target_missed") == 0);
  CHECK(CountRule(found, "missing_actual") == 0);
  CHECK(CountRule(found, "low_achievement_near_end") == 0);
  CHECK(CountRule(found, "cumulative_decrease") == 0);
  CHECK(Has(found, {"target_unreachable", "IT講座修了者数", "-"}));
}

}  // namespace
}  // namespace shihyo

namespace shihyo {
namespace {

// A fourth family, read through a layout written for the tests (no code
// change): the baseline and mid-term years in brackets, 直近値 given its year.
TEST_CASE("aoba: a health plan's final evaluation through a test layout",
          "[other-municipalities]") {
  TempDir dir;
  std::string layouts = SourcePath("tests/data/other-municipalities/layouts");
  std::string table = Table("aoba-kenkou-sedaibetsu-hyouka.txt");
  std::string db = dir.File("store.db");
  testing::CliRun imp = testing::RunShihyo({"import", "--db", db, "--layouts", layouts, table});
  INFO(imp.err);
  REQUIRE(imp.code == 0);
  json doc = json::parse(testing::RunShihyo({"indicators", "--db", db, "--format", "json"}).out);
  REQUIRE(doc["indicators"].size() == 13);
  const json& kenshin = Find(doc, "1-2 年1回健康診査を受けている人の増加");
  CHECK(kenshin["baseline"]["value"] == 59.6);
  CHECK(kenshin["baseline"]["year"] == 2004);
  CHECK(kenshin["target"]["value"] == 80);
  CHECK(Year(kenshin, 2007)["value"] == 64.1);
  CHECK(Year(kenshin, 2011)["value"] == 61.9);
  CHECK(Year(kenshin, 2013)["value"] == 80.2);  // 直近値, 平成25年度 by the layout
  CHECK(Year(kenshin, 2012)["in_table"] == false);
  const json& tounyou = Find(doc, "1-6 糖尿病予備群の増加率の抑制");
  CHECK(tounyou["direction"] == "decrease");
  CHECK(Find(doc, "肺がん検診")["project"] == "1-4 がん検診受診者の増加");

  std::vector<Found> found = Eval(dir, {"--layouts", layouts, table});
  for (const Found& f : found)
    UNSCOPED_INFO(std::get<0>(f) << " " << std::get<1>(f) << " " << std::get<2>(f));
  for (const char* name :
       {"1-1 三大死因による死亡者数の減少(人口千人あたり)", "1-3 特定健診(国保加入者)受診者の増加",
        "肺がん検診", "胃がん検診", "大腸がん検診",
        "1-5 メタボリックシンドローム予防の生活習慣改善を継続的に実施している人の増加"}) {
    CHECK(Has(found, {"target_missed", name, "2013"}));
  }
  CHECK(CountRule(found, "target_missed") == 6);  // met: 1-2, 子宮, 乳, 1-6 (減らす目標)
  CHECK(Has(found, {"moving_away_from_target", "肺がん検診", "2013"}));
  CHECK(CountRule(found, "missing_actual") == 0);  // 平成20–22, 24年度 are not in the table
}

}  // namespace
}  // namespace shihyo

namespace shihyo {
namespace {

// More families, each through a layout written for the tests (no code change).
json ImportWithTestLayouts(const TempDir& dir, const std::string& table) {
  std::string db = dir.File("store.db");
  testing::CliRun imp =
      testing::RunShihyo({"import", "--db", db, "--layouts",
                          SourcePath("tests/data/other-municipalities/layouts"), Table(table)});
  INFO(imp.err);
  REQUIRE(imp.code == 0);
  testing::CliRun show = testing::RunShihyo({"indicators", "--db", db, "--format", "json"});
  REQUIRE(show.code == 0);
  return json::parse(show.out);
}

const json& FindIn(const json& doc, const std::string& project, const std::string& name) {
  for (const json& ind : doc["indicators"]) {
    if (ind["project"] == project && ind["name"] == name) return ind;
  }
  FAIL("no indicator " << project << " / " << name);
  static json none;
  return none;
}

std::vector<Found> EvalWithTestLayouts(const TempDir& dir, const std::string& table) {
  std::vector<Found> found =
      Eval(dir, {"--layouts", SourcePath("tests/data/other-municipalities/layouts"), Table(table)});
  for (const Found& f : found)
    UNSCOPED_INFO(std::get<0>(f) << " " << std::get<1>(f) << " " << std::get<2>(f));
  return found;
}

TEST_CASE("suginami: 計画数値 and 実績値 of one year, programs as headings",
          "[other-municipalities]") {
  TempDir dir;
  json doc = ImportWithTestLayouts(dir, "suginami-kosodate-ichijiazukari-h27.txt");
  REQUIRE(doc["indicators"].size() == 8);  // the ②-① rows are skipped
  const json& youchien = FindIn(doc, "幼稚園在園児一時預かり", "①需要量");
  CHECK(youchien["unit"] == "人");
  REQUIRE(youchien["planned"].size() == 1);
  CHECK(youchien["planned"][0]["year"] == 2015);
  CHECK(youchien["planned"][0]["raw"] == "94,956 人");
  CHECK(youchien["planned"][0]["value"] == 94956);
  CHECK(Year(youchien, 2015)["value"] == 153824);
  CHECK(Year(youchien, 2015)["raw"] == "153,824 人");
  CHECK(youchien["notes"][0]["label"] == "差");
  CHECK(youchien["notes"][0]["text"] == "58,868 人");
  const json& hitotoki = FindIn(doc, "ひととき保育・一時保育", "①需要量");
  CHECK(hitotoki["planned"][0]["value"] == 67507);
  CHECK(Year(hitotoki, 2015)["value"] == 35456);
  CHECK(hitotoki["notes"][0]["text"] == "-32,051 人");
  const json& famisapo = FindIn(doc, "ファミリー・サポート・センター", "②確保量");
  CHECK(famisapo["planned"][0]["value"] == 4910);
  CHECK(Year(famisapo, 2015)["value"] == 4910);
  CHECK(famisapo["target"]["status"] == "missing");

  // No targets: nothing to miss, nothing to report.
  CHECK(EvalWithTestLayouts(dir, "suginami-kosodate-ichijiazukari-h27.txt").empty());
}

TEST_CASE("nisshin: a final evaluation with 以上/以下 targets and grades",
          "[other-municipalities]") {
  TempDir dir;
  json doc = ImportWithTestLayouts(dir, "nisshin-shokuiku1-saishuhyoka.txt");
  REQUIRE(doc["indicators"].size() == 3);
  const json& kanshin = FindIn(doc, "「食育」に関心がある人の割合", "全体");
  CHECK(kanshin["baseline"]["value"] == 57.6);
  CHECK(kanshin["baseline"]["year"].is_null());  // 策定時 has no year in the table
  CHECK(kanshin["target"]["raw"] == "90%以上");
  CHECK(kanshin["target"]["value"] == 90);
  CHECK(kanshin["direction"] == "increase");
  CHECK(Year(kanshin, 2012)["value"] == 63.4);  // 最終評価時: 平成24年 by the layout
  CHECK(kanshin["notes"][0]["text"] == "B");
  const json& men = FindIn(doc, "肥満者の割合", "成人男性");
  CHECK(men["direction"] == "decrease");  // 15%以下
  CHECK(men["target"]["value"] == 15);
  CHECK(Year(men, 2012)["value"] == 23.2);
  const json& women = FindIn(doc, "肥満者の割合", "成人女性");
  CHECK(women["baseline"]["value"] == 8.7);
  CHECK(women["target"]["raw"] == "8.7%以下");
  CHECK(Year(women, 2012)["value"] == 8.9);

  // The city's own grades: B and C, none of the three met its target.
  std::vector<Found> found = EvalWithTestLayouts(dir, "nisshin-shokuiku1-saishuhyoka.txt");
  CHECK(Has(found, {"target_missed", "全体", "2012"}));
  CHECK(Has(found, {"target_missed", "成人男性", "2012"}));
  CHECK(Has(found, {"target_missed", "成人女性", "2012"}));
  CHECK(found.size() == 3);
}

TEST_CASE("fukuoka: years in every value cell, decreasing targets without a word",
          "[other-municipalities]") {
  TempDir dir;
  json doc = ImportWithTestLayouts(dir, "fukuoka-hokenfukushi-shougai-seikashihyo.txt");
  REQUIRE(doc["indicators"].size() == 8);
  const json& gaishutsu = Find(doc, "外出の頻度(週に3回以上外出している人の割合)");
  CHECK(gaishutsu["baseline"]["value"] == 64.6);
  CHECK(gaishutsu["baseline"]["year"] == 2013);
  CHECK(gaishutsu["target"]["value"] == 75);
  CHECK(gaishutsu["target_year"] == 2019);
  CHECK(gaishutsu["direction"] == "increase");
  CHECK(Year(gaishutsu, 2016)["value"] == 62.9);
  CHECK(Year(gaishutsu, 2016)["raw"] == "62.9%(平成28年度)");
  const json& koritsu = Find(doc, "災害時の孤立度(「頼る人がいない」と回答した人の割合)");
  CHECK(koritsu["direction"] == "decrease");  // 8.1% → 5.0%
  CHECK(koritsu["target"]["raw"] == "5.0% (平成31年度)");
  CHECK(koritsu["target"]["value"] == 5);
  CHECK(Find(doc, "コミュニケーションで困っていることの有無(困っている人の割合)")["direction"] ==
        "decrease");
  const json& soudan = Find(doc, "相談窓口認知度(困ったときに相談できる窓口を知っている人の割合)");
  CHECK(soudan["baseline"]["value"] == 35.9);
  CHECK(soudan["baseline"]["annotated"] == true);  // ※3
  const json& kurashi = Find(doc, "まちの暮らしやすさ(暮らしやすいまちだと感じている人の割合)");
  CHECK(kurashi["baseline"]["status"] == "not_available");  // ‐
  CHECK(kurashi["direction"] == "increase");

  // Each moved away from (or too slowly towards) its 平成31年度 target, both
  // decreasing ones included; the two without an initial value say nothing.
  std::vector<Found> found =
      EvalWithTestLayouts(dir, "fukuoka-hokenfukushi-shougai-seikashihyo.txt");
  CHECK(Has(found,
            {"target_unreachable", "災害時の孤立度(「頼る人がいない」と回答した人の割合)", "-"}));
  CHECK(Has(found, {"target_unreachable",
                    "コミュニケーションで困っていることの有無(困っている人の割合)", "-"}));
  CHECK(Has(found, {"target_unreachable", "外出の頻度(週に3回以上外出している人の割合)", "-"}));
  CHECK(Has(found, {"target_unreachable",
                    "相談窓口認知度(困ったときに相談できる窓口を知っている人の割合)", "-"}));
  CHECK(CountRule(found, "target_unreachable") == 6);
  CHECK(found.size() == 6);
}

TEST_CASE("fukuoka: 見込量 and 実績値 rows of one service read as one indicator",
          "[other-municipalities]") {
  TempDir dir;
  json doc = ImportWithTestLayouts(dir, "fukuoka-shougaifukushi5-katsudoushihyo.txt");
  REQUIRE(doc["indicators"].size() == 4);
  const json& seikatsu = Find(doc, "<2>生活介護");
  CHECK(seikatsu["project"] == "【各サービスの利用者数】");
  REQUIRE(seikatsu["planned"].size() == 3);
  CHECK(seikatsu["planned"][0]["year"] == 2018);
  CHECK(seikatsu["planned"][0]["value"] == 3092);
  CHECK(seikatsu["planned"][2]["year"] == 2020);
  CHECK(seikatsu["planned"][2]["value"] == 3345);
  CHECK(Year(seikatsu, 2018)["value"] == 2954);
  CHECK(Year(seikatsu, 2019)["value"] == 3045);
  CHECK(Year(seikatsu, 2020)["status"] == "not_available");  // (記載なし)
  CHECK(seikatsu["unit"] == "人");
  const json& kinou = Find(doc, "<3>-1 自立訓練(機能訓練)");
  CHECK(kinou["planned"][1]["value"] == 80);
  CHECK(Year(kinou, 2019)["value"] == 46);
  // No targets, and (記載なし) is not a missing value.
  CHECK(EvalWithTestLayouts(dir, "fukuoka-shougaifukushi5-katsudoushihyo.txt").empty());
}

TEST_CASE("etajima: a KPI evaluation with marks and grades, 延べ totals",
          "[other-municipalities]") {
  TempDir dir;
  json doc = ImportWithTestLayouts(dir, "etajima-sougousenryaku-kpi-h27.txt");
  REQUIRE(doc["indicators"].size() == 5);
  const json& higai = Find(doc, "有害鳥獣による農作物年間被害額(千円)");
  CHECK(higai["project"] == "■施策① 農林業の振興");
  CHECK(higai["baseline"]["value"] == 22585);
  CHECK(higai["baseline"]["year"] == 2014);
  CHECK(higai["target"]["value"] == 20000);
  CHECK(higai["target_year"] == 2019);
  CHECK(higai["direction"] == "decrease");  // 22,585 → 20,000
  CHECK(Year(higai, 2015)["value"] == 20563);
  CHECK(higai["notes"][0]["label"] == "改善・悪化");
  CHECK(higai["notes"][0]["text"] == "○");
  CHECK(higai["notes"][1]["text"] == "A");
  const json& ninaite = Find(doc, "農業の後継者・担い手の育成(人)");
  CHECK(ninaite["aggregation"] == "cumulative");  // 延べ
  CHECK(ninaite["target"]["value"] == 5);
  CHECK(Year(ninaite, 2015)["value"] == 4);
  const json& kigyou = Find(doc, "創業・起業の年間件数(件)");
  CHECK(kigyou["project"] == "①地域で暮らすためのしごとをつくる");
  CHECK(Year(kigyou, 2015)["value"] == 9);
  // Only the olive area, which the city graded B (要改善), is behind its pace;
  // the 延べ totals and the decreasing 被害額 read as the city reads them.
  std::vector<Found> found = EvalWithTestLayouts(dir, "etajima-sougousenryaku-kpi-h27.txt");
  CHECK(Has(found, {"target_unreachable", "オリーブ栽培の面積(ha)", "-"}));
  CHECK(found.size() == 1);
}

}  // namespace
}  // namespace shihyo
