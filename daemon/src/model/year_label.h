// Reads the year at the start of a column header or cell the way Japanese
// tables write it: 令和2年度, 平成元年, 平成32年, H26, R2, 2020年度, "平成 25
// (基準値)", 23年度 (era taken from the table), 平成13年実績. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace shihyo {

// Whether a year was written as a fiscal year (年度), a calendar year (年) or
// with neither. The names are part of the JSON contract.
enum class YearKind { kFiscal, kCalendar, kUnspecified };

const char* YearKindName(YearKind kind);

struct YearLabel {
  int year = 0;  // Western year (平成32年 → 2020)
  YearKind kind = YearKind::kUnspecified;
  std::string era;   // "平成", "令和", "昭和"; "" for Western years
  std::string rest;  // what follows the year, trimmed: "実績", "(基準値)", "9月30日現在"
};

// Parses the year at the start of |text|. Era years may run past the era's end
// (平成32年 = 2020, as plans written before 2019 say). A bare one- or
// two-digit year (23年度) needs |bare_era| ("平成"); a bare year without 年/年度
// is not read. Returns nullopt when |text| does not start with a year.
std::optional<YearLabel> ParseYearLabel(std::string_view text, std::string_view bare_era = "");

// The Western year of era year |n| of |era| ("平成", "H", "令和", "R", "昭和", "S"),
// or nullopt for an unknown era.
std::optional<int> EraToWestern(std::string_view era, int n);

}  // namespace shihyo
