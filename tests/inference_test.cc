#include "model/inference.h"

#include <catch2/catch.hpp>

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
}

}  // namespace
}  // namespace shihyo
