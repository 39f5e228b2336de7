// Spreadsheet number formats: the text a spreadsheet program displays.
#include "import/number_format.h"

#include <catch2/catch.hpp>

namespace shihyo {
namespace {

TEST_CASE("number_format: numbers, units, percent, sections, dates", "[number_format]") {
  struct Case {
    double value;
    const char* code;
    const char* want;
  };
  const Case cases[] = {
      {5070, "#,##0\"人\"", "5,070人"},
      {5070, "General", "5070"},
      {0.1 + 0.2, "General", "0.3"},
      {1234567.891, "#,##0.00", "1,234,567.89"},
      {1, "0%", "100%"},
      {0.746, "0.0%", "74.6%"},
      {57.1, "0.00\"%\"", "57.10%"},
      {-3, "#,##0;\\▲#,##0", "▲3"},
      {-3, "0", "-3"},
      {0, "0;-0;\"—\"", "—"},
      {12, "\"年\"0\"回\"", "年12回"},
      {3.5, "#.#", "3.5"},
      {7, "000", "007"},
      {42, "[Red]0_)", "42 "},
      {45016, "yyyy/m/d", "2023/3/31"},
      {45016, "ggge\"年\"m\"月\"d\"日\"", "令和5年3月31日"},
      {32515, "ge.m.d", "S64.1.7"},
      {32516, "ge.m.d", "H1.1.8"},
      {43586.5, "yyyy-mm-dd hh:mm", "2019-05-01 12:00"},
      {7, "@", "7"},
      {6.8e246, "yyyy/m/d", "6.8e+246"},
      {-1, "yyyy/m/d", "-1"},
  };
  for (const Case& c : cases) {
    INFO(c.code);
    CHECK(FormatNumber(c.value, c.code) == c.want);
  }
  CHECK(BuiltinNumberFormat(3) == "#,##0");
  CHECK(BuiltinNumberFormat(10) == "0.00%");
  CHECK(FormatNumber(1, BuiltinNumberFormat(9)) == "100%");
}

}  // namespace
}  // namespace shihyo
