#include "notify/advice.h"

#include <string_view>

#include "model/value_parser.h"

namespace shihyo {

namespace {

// What kind of thing an alert of a check usually is: the advice follows it.
struct CheckAdviceRow {
  std::string_view check;
  const char* advice;
};

constexpr const char* kCorrect = "表の値を確かめ、誤りがあれば直して取り込み直してください。";

// One row per check of eval/checks/registry.cc.
constexpr CheckAdviceRow kAdvice[] = {
    {"unit_mismatch",
     "単位が目標と違います。表の単位を確かめ、誤りなら直して取り込み直してください。"},
    {"unparseable", "数値として読めません。「50人」のように書き直して取り込み直してください。"},
    {"missing_actual",
     "実績値を表に記入して取り込み直してください（記入した指標から「解消」になります）。"},
    {"status_only", "調査結果の数値を記入するか、指標の書き方を見直してください。"},
    {"annotated", "※の値は目標と比べられません。比べられる値があれば記入してください。"},
    {"duplicate_series", "転記の誤りでないか確かめ、誤りなら直して取り込み直してください。"},
    {"cumulative_decrease",
     "累計は減らないはずです。値を確かめ、誤りなら直して取り込み直してください。"},
    {"reported_rate", "表の達成率の計算を確かめ、直して取り込み直してください。"},
    {"spike",
     "入力誤りや集計方法の変更でないか確かめ、正しい値ならその年度の状況を確認してください。"},
    {"rising", "実際に増えていないか状況を確認してください（値の誤りなら直して取り込み直す）。"},
    {"target_missed", "届かなかった理由を確認し、取り組みや次期計画の見直しに生かしてください。"},
    {"target_unreachable",
     "このままでは届きません。取り組みの強化か目標の見直しを検討してください。"},
    {"expression", "内容を確かめ、必要な対応を検討してください。"},
};

}  // namespace

std::string CheckAdvice(const std::string& check, Severity severity) {
  for (const CheckAdviceRow& row : kAdvice) {
    if (row.check != check) continue;
    if (check == "rising" && severity == Severity::kCritical) {
      return "すぐに担当者と状況を確認し、必要な対応を取ってください（値の誤りなら直して"
             "取り込み直す）。";
    }
    return row.advice;
  }
  return std::string("内容を確かめてください。データの誤りなら、") + kCorrect;
}

std::string GroupTitle(const std::string& check, std::optional<int> fiscal_year) {
  std::string year = fiscal_year ? FormatEraYear(*fiscal_year) : "";
  if (check == "missing_actual" && fiscal_year) return year + "の実績が未記入";
  if (check == "status_only") return "数値の目標に対して実績が「調査済」などの記録だけ";
  if (check == "unit_mismatch" && fiscal_year) return year + "の実績の単位が目標と違う";
  if (check == "unparseable" && fiscal_year) return year + "の値が数値として読めない";
  if (check == "annotated" && fiscal_year) return year + "の値に※注記があり目標と比べられない";
  return "";
}

}  // namespace shihyo
