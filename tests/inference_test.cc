#include "model/inference.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "fakes.h"

namespace shihyo {
namespace {

Inference Infer(const char* name, const char* target) {
  return InferIndicator(name, ParseCell(target));
}

TEST_CASE("inference: direction and aggregation from name and target", "[inference]") {
  struct Case {
    const char* name;
    const char* target;
    Direction direction;
    Aggregation aggregation;
  };
  const Case cases[] = {
      {"釜石市LINEの友達登録数(累計)", "5,000人", Direction::kIncrease, Aggregation::kCumulative},
      {"虐待に関する市民向けの講座の定期開催(累計)", "累計10回", Direction::kIncrease,
       Aggregation::kCumulative},
      {"児童虐待発生件数(の減少)", "0件", Direction::kDecrease, Aggregation::kLevel},
      {"虐待に対しての市民への周知啓発回数", "年3回", Direction::kIncrease, Aggregation::kPerYear},
      {"親子の交流スペースの確保の有無", "有り", Direction::kBoolean, Aggregation::kLevel},
      {"待機児童数", "0人", Direction::kDecrease, Aggregation::kLevel},
      {"医療費の削減額", "100万円", Direction::kDecrease, Aggregation::kLevel},
      {"残業時間", "10時間以下", Direction::kDecrease, Aggregation::kLevel},
      {"「赤ちゃんの駅」登録数", "30施設", Direction::kIncrease, Aggregation::kLevel},
      {"子育て支援センターの利用者数", "8,000人", Direction::kIncrease, Aggregation::kLevel},
      {"満足度", "100%", Direction::kIncrease, Aggregation::kLevel},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name, c.target);
    Inference inf = Infer(c.name, c.target);
    CHECK(inf.direction == c.direction);
    CHECK(inf.aggregation == c.aggregation);
  }
}

TEST_CASE("inference: department from a trailing parenthesis of offices", "[inference]") {
  CHECK(Infer("広報に子育て情報を掲載した回数(子ども課・健康推進課)", "24回").department ==
        "子ども課・健康推進課");
  CHECK(Infer("相談件数（子ども課）", "1件").department == "子ども課");
  CHECK(Infer("釜石市LINEの友達登録数(累計)", "1人").department.empty());
  CHECK(Infer("児童虐待に関する研修等への参加者数(主任児童委員等)", "1人").department.empty());
  CHECK(Infer("関係機関との連携件数(児童相談所からの広報支援回数)", "1回").department.empty());
  CHECK(Infer("()", "1回").department.empty());
}

TEST_CASE("inference: direction words and symbols of a table", "[inference]") {
  const std::pair<const char*, Direction> cases[] = {
      {"アップ", Direction::kIncrease}, {"増加", Direction::kIncrease},
      {"↑", Direction::kIncrease},      {"⇗", Direction::kIncrease},
      {" 上昇 ", Direction::kIncrease}, {"ダウン", Direction::kDecrease},
      {"減少", Direction::kDecrease},   {"↓", Direction::kDecrease},
      {"⇘", Direction::kDecrease},      {"削減", Direction::kDecrease},
  };
  for (const auto& [word, direction] : cases) {
    CAPTURE(word);
    REQUIRE(DirectionFromWord(word));
    CHECK(*DirectionFromWord(word) == direction);
  }
  CHECK_FALSE(DirectionFromWord("維持"));
  CHECK_FALSE(DirectionFromWord(""));
  // The table's word wins over what the name suggests.
  CHECK(InferIndicator("ごみの量", ParseCell("580"), "ダウン").direction == Direction::kDecrease);
  CHECK(InferIndicator("待機児童数", ParseCell("0人"), "アップ").direction == Direction::kIncrease);
  CHECK(InferIndicator("待機児童数", ParseCell("0人"), "").direction == Direction::kDecrease);
  // Neither word nor name: a target below the baseline is a decreasing one.
  CHECK(InferIndicator("災害時の孤立度", ParseCell("5.0%"), "", ParseCell("8.1%")).direction ==
        Direction::kDecrease);
  CHECK(InferIndicator("外出の頻度", ParseCell("75.0%"), "", ParseCell("64.6%")).direction ==
        Direction::kIncrease);
  // The word still wins; a bound (以上) says increase; units must agree.
  CHECK(InferIndicator("人口", ParseCell("5万人"), "アップ", ParseCell("6万人")).direction ==
        Direction::kIncrease);
  CHECK(InferIndicator("割合", ParseCell("50%以上"), "", ParseCell("60%")).direction ==
        Direction::kIncrease);
  CHECK(InferIndicator("件数", ParseCell("5件"), "", ParseCell("8人")).direction ==
        Direction::kIncrease);
  CHECK(InferIndicator("件数", ParseCell("5件"), "", ParseCell("−")).direction ==
        Direction::kIncrease);
}

// `import --infer` on a real table no shipped layout reads: the proposed
// layout is written for review, shows how the table reads, and imports it.
TEST_CASE("import --infer: a proposed layout for the aoba table imports it", "[inference]") {
  testing::TempDir dir;
  std::string table =
      testing::SourcePath("tests/data/other-municipalities/aoba-kenkou-sedaibetsu-hyouka.txt");
  std::string db = dir.File("store.db");
  testing::CliRun refused = testing::RunShihyo({"import", "--db", db, table});
  CHECK(refused.code == 1);
  CHECK_THAT(refused.err, Catch::Contains("no layout reads this table"));

  std::filesystem::create_directory(dir.File("layouts"));
  std::string layout = dir.File("layouts/aoba.yaml");
  testing::CliRun infer =
      testing::RunShihyo({"import", "--infer", "--infer-output", layout, table});
  INFO(infer.out << infer.err);
  REQUIRE(infer.code == 0);
  std::string yaml = testing::ReadFile(layout);
  CHECK_THAT(yaml, Catch::Contains("# Proposed by `shihyo import --infer`"));
  CHECK_THAT(yaml, Catch::Contains("{header: '^評価指標$', role: name}"));
  CHECK_THAT(yaml, Catch::Contains("{header: '^策定時\\(H16\\)$', role: baseline}"));
  CHECK_THAT(yaml, Catch::Contains("{header: '^中間評価\\(H23\\)$', role: actual}"));
  CHECK_THAT(yaml, Catch::Contains("{header: '^目標値$', role: target}"));
  CHECK_THAT(yaml, Catch::Contains("sections: single_cell"));
  CHECK_THAT(infer.out, Catch::Contains("how "));
  CHECK_THAT(infer.out, Catch::Contains("1-2 年1回健康診査を受けている人の増加"));
  // Never over a file under review.
  testing::CliRun again =
      testing::RunShihyo({"import", "--infer", "--infer-output", layout, table});
  CHECK(again.code == 2);
  CHECK_THAT(again.err, Catch::Contains("exists; not overwritten"));

  testing::CliRun imp =
      testing::RunShihyo({"import", "--db", db, "--layouts", dir.File("layouts"), table});
  INFO(imp.err);
  REQUIRE(imp.code == 0);
  nlohmann::json doc =
      nlohmann::json::parse(testing::RunShihyo({"indicators", "--db", db, "--format", "json"}).out);
  bool found = false;
  for (const nlohmann::json& ind : doc["indicators"]) {
    if (ind["name"] != "1-3 特定健診(国保加入者)受診者の増加") continue;
    found = true;
    CHECK(ind["target"]["value"] == 55);
    CHECK(ind["baseline"]["status"] == "not_available");
    CHECK(ind["baseline"]["year"] == 2004);
    for (const nlohmann::json& o : ind["observations"]) {
      if (o["fiscal_year"] == 2007) CHECK(o["value"] == 20.9);
      if (o["fiscal_year"] == 2011) CHECK(o["value"] == 24.1);
    }
  }
  CHECK(found);
}

TEST_CASE("import --infer: gose's direction column and the target after it", "[inference]") {
  testing::TempDir dir;
  std::string table =
      testing::SourcePath("tests/data/other-municipalities/gose-sougoukeikaku5-13shihyo.txt");
  std::string layout = dir.File("gose-inferred.yaml");
  testing::CliRun infer =
      testing::RunShihyo({"import", "--infer", "--infer-output", layout, table});
  INFO(infer.out << infer.err);
  REQUIRE(infer.code == 0);
  std::string yaml = testing::ReadFile(layout);
  CHECK_THAT(yaml, Catch::Contains("{header: '^目標$', role: direction}"));
  CHECK_THAT(yaml, Catch::Contains("{header: '^平成32年$', role: target}"));
  CHECK_THAT(yaml, Catch::Contains("{header: '^年度$', role: baseline_year}"));
  CHECK_THAT(yaml, Catch::Contains("{header: '^23年度$', role: actual}"));
  CHECK_THAT(yaml, Catch::Contains("bare_year_era: 平成"));
  CHECK_THAT(yaml, Catch::Contains("role: rate}"));
  CHECK_THAT(infer.out, Catch::Contains("駅利用者数"));
}

TEST_CASE("import --infer: a workbook's first sheet; a proposal that does not read yet",
          "[inference]") {
  testing::TempDir dir;
  std::string book = testing::SourcePath("tests/data/sheets/kamaishi_lo.xlsx");
  std::string layout = dir.File("k.yaml");
  testing::CliRun infer = testing::RunShihyo({"import", "--infer", "--infer-output", layout, book});
  // Kamaishi's two-line header is no row-per-indicator table: the draft is
  // written for editing, and the reader says where it stops.
  CHECK(infer.code == 1);
  CHECK_THAT(infer.err, Catch::Contains("does not read the table yet"));
  CHECK_THAT(infer.err, Catch::Contains("kamaishi_lo.xlsx[kamaishi_lo]:10:"));
  std::string yaml = testing::ReadFile(layout);
  CHECK_THAT(yaml, Catch::Contains("header: ['^指標内容$', '^目標値$']"));
  CHECK_THAT(yaml, Catch::Contains("skip: '。$'  # one-cell sentences"));
}

TEST_CASE("import --infer: a file without a header row is refused", "[inference]") {
  testing::TempDir dir;
  std::string table = dir.Write("plain.txt", "a\tb\tc\n1\t2\t3\n");
  testing::CliRun infer =
      testing::RunShihyo({"import", "--infer", "--infer-output", dir.File("out.yaml"), table});
  CHECK(infer.code == 1);
  CHECK_THAT(infer.err, Catch::Contains("no row looks like a header"));
  CHECK_FALSE(std::filesystem::exists(dir.File("out.yaml")));
}

}  // namespace
}  // namespace shihyo
