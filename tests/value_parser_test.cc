#include "model/value_parser.h"

#include <catch2/catch.hpp>

namespace shihyo {
namespace {

struct NumberCase {
  const char* raw;
  double value;
  const char* unit;
};

TEST_CASE("value_parser: numbers with units", "[value_parser]") {
  const NumberCase cases[] = {
      {"22回", 22, "回"},
      {"5,070人", 5070, "人"},
      {"10,000回", 10000, "回"},
      {"30施設", 30, "施設"},
      {"100%", 100, "%"},
      {"100％", 100, "%"},
      {"50エピソード", 50, "エピソード"},
      {"１２３件", 123, "件"},
      {"１，２３４件", 1234, "件"},
      {"3.5%", 3.5, "%"},
      {"３．５％", 3.5, "%"},
      {"0件", 0, "件"},
      {"2人", 2, "人"},
      {"12名", 12, "人"},
      {"41か所", 41, "か所"},
      {"4箇所", 4, "か所"},
      {"4ヶ所", 4, "か所"},
      {"4カ所", 4, "か所"},
      {"4ケ所", 4, "か所"},
      {"4ヵ所", 4, "か所"},
      {"1.2万人", 12000, "人"},
      {"1億2,000万円", 120000000, "円"},
      {"▲3件", -3, "件"},
      {"-3件", -3, "件"},
      {"42", 42, ""},
      {" 8,676回 ", 8676, "回"},
      {"\u30008,676回\u3000", 8676, "回"},
      {"5,070 人", 5070, "人"},
      // Compound and scaled units of other municipalities' tables.
      {"5.5‰", 5.5, "‰"},
      {"611g/人", 611, "g/人"},
      {"21,754人/年", 21754, "人/年"},
      {"3,437百万円", 3437, "百万円"},
      {"2,584千人", 2584000, "人"},
      {"57.10%", 57.1, "%"},
      {"93.00", 93, ""},
  };
  for (const NumberCase& c : cases) {
    CAPTURE(c.raw);
    CellValue v = ParseCell(c.raw);
    REQUIRE(v.status == CellStatus::kValue);
    REQUIRE(v.value);
    CHECK(*v.value == Approx(c.value));
    CHECK(v.unit == c.unit);
    CHECK_FALSE(v.annotated);
    CHECK_FALSE(v.per_year);
    CHECK_FALSE(v.cumulative);
  }
}

TEST_CASE("value_parser: marks, per-year, cumulative and bounds", "[value_parser]") {
  CellValue annotated = ParseCell("※41か所");
  CHECK(annotated.status == CellStatus::kValue);
  CHECK(*annotated.value == 41);
  CHECK(annotated.unit == "か所");
  CHECK(annotated.annotated);

  CellValue target = ParseCell("※4か所");
  CHECK(target.annotated);
  CHECK(*target.value == 4);

  CellValue per_year = ParseCell("年3回");
  CHECK(per_year.status == CellStatus::kValue);
  CHECK(*per_year.value == 3);
  CHECK(per_year.unit == "回");
  CHECK(per_year.per_year);
  CHECK(ParseCell("年間12回").per_year);

  CellValue cumulative = ParseCell("累計10回");
  CHECK(cumulative.cumulative);
  CHECK(*cumulative.value == 10);
  CellValue nobe = ParseCell("延べ 5");  // 江田島市: a total over the plan period
  REQUIRE(nobe.status == CellStatus::kValue);
  CHECK(nobe.cumulative);
  CHECK(*nobe.value == 5);
  CHECK(cumulative.unit == "回");

  CHECK(ParseCell("90%以上").bound == Bound::kAtLeast);
  CHECK(ParseCell("10件以下").bound == Bound::kAtMost);
  CHECK(*ParseCell("10件以下").value == 10);
  CHECK(ParseCell("10件以下").unit == "件");
}

TEST_CASE("value_parser: a value and a note in one cell", "[value_parser]") {
  struct NoteCase {
    const char* raw;
    double value;
    const char* unit;
    const char* note;
    bool annotated;
  };
  const NoteCase cases[] = {
      {"3品※単年実績", 3, "品", "※単年実績", true},
      {"3品 ※単年実績", 3, "品", "※単年実績", true},
      {"3,437百万円(平成20年)", 3437, "百万円", "(平成20年)", false},
      {"3,437百万円（平成20年）", 3437, "百万円", "(平成20年)", false},
      {"18.8万人(2014年)", 188000, "人", "(2014年)", false},
      {"10回(累計)", 10, "回", "(累計)", false},
      // Both: the year in brackets and a footnote mark after it (福岡市 成果指標).
      {"35.9%(平成25年度)※3", 35.9, "%", "(平成25年度)※3", true},
  };
  for (const NoteCase& c : cases) {
    CAPTURE(c.raw);
    CellValue v = ParseCell(c.raw);
    REQUIRE(v.status == CellStatus::kValue);
    CHECK(*v.value == Approx(c.value));
    CHECK(v.unit == c.unit);
    CHECK(v.note == c.note);
    CHECK(v.annotated == c.annotated);
    CHECK(CellNote(c.raw) == c.note);
  }
  // A mark alone is no note: ※41か所 is annotated, 5,070人 and (累計) alone carry none.
  for (const char* raw : {"※41か所", "4か所※", "5,070人", "年3回", "(累計)", "—"}) {
    CAPTURE(raw);
    CHECK(ParseCell(raw).note.empty());
    CHECK(CellNote(raw).empty());
  }
  CHECK(ParseCell("※41か所").annotated);
}

TEST_CASE("value_parser: statuses and booleans", "[value_parser]") {
  struct Case {
    const char* raw;
    CellStatus status;
  };
  const Case cases[] = {
      {"", CellStatus::kMissing},
      {"   ", CellStatus::kMissing},
      {"\u3000", CellStatus::kMissing},
      {"—", CellStatus::kNotAvailable},
      {"-", CellStatus::kNotAvailable},
      {"―", CellStatus::kNotAvailable},
      {"－", CellStatus::kNotAvailable},
      {"——", CellStatus::kNotAvailable},
      {"アンケート調査済", CellStatus::kSurveyDone},
      {"アンケート調査済み", CellStatus::kSurveyDone},
      {"有り", CellStatus::kBoolean},
      {"無し", CellStatus::kBoolean},
      {"あり", CellStatus::kBoolean},
      {"なし", CellStatus::kBoolean},
  };
  for (const Case& c : cases) {
    CAPTURE(c.raw);
    CellValue v = ParseCell(c.raw);
    CHECK(v.status == c.status);
    CHECK(v.unit.empty());
  }
  CHECK(*ParseCell("有り").value == 1);
  CHECK(*ParseCell("あり").value == 1);
  CHECK(*ParseCell("無し").value == 0);
  CHECK(*ParseCell("なし").value == 0);
  CHECK_FALSE(ParseCell("—").value);
  CHECK_FALSE(ParseCell("アンケート調査済").value);
}

TEST_CASE("value_parser: broken and hostile cells are unparseable with a reason",
          "[value_parser]") {
  struct Case {
    std::string raw;
    const char* reason;  // a part of the error
  };
  const Case cases[] = {
      {"約50人", "expected a number"},
      {"1,23人", "malformed digit grouping"},
      {"1234,567人", "malformed digit grouping"},
      {"人", "expected a number"},
      {"累計", "expected a number after"},
      {"※", "expected a number after"},
      {"3～5回", "unexpected"},
      {"集計中", "expected a number"},
      {"12345678901234567人", "more than 15 digits"},
      {"5人\r\nBcc: x@example.com", "control character"},
      {std::string("5\0人", 5), "control character"},
      {"\xff\xfe", "not valid UTF-8"},
      {"\xe3\x81", "not valid UTF-8"},
      {"1万2億円", "multipliers out of order"},
      {"5人人人人人人人人人人人人人", "too long"},
      {"(5)人", "expected a number"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.raw);
    CellValue v = ParseCell(c.raw);
    CHECK(v.status == CellStatus::kUnparseable);
    CHECK_THAT(v.error, Catch::Contains(c.reason));
    CHECK_FALSE(v.value);
  }
}

TEST_CASE("value_parser: ParseJapaneseNumber reports what was wrong", "[value_parser]") {
  Result<Quantity> q = ParseJapaneseNumber("5,070人");
  REQUIRE(q.ok());
  CHECK(q->value == 5070);
  CHECK(q->unit == "人");
  Result<Quantity> bad = ParseJapaneseNumber("abc");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message() == "expected a number");
  CHECK(ParseJapaneseNumber("5人!").status().message() == "unexpected '!' in unit '人!'");
}

TEST_CASE("value_parser: unit aliases fold to one canonical unit", "[value_parser]") {
  for (const char* u : {"か所", "箇所", "ヶ所", "カ所", "ケ所", "ヵ所"}) {
    CAPTURE(u);
    CHECK(CanonicalUnit(u) == "か所");
  }
  CHECK(CanonicalUnit("名") == "人");
  CHECK(CanonicalUnit("人") == "人");
  CHECK(CanonicalUnit("％") == "%");
  CHECK(CanonicalUnit("件") == "件");
}

TEST_CASE("value_parser: era years", "[value_parser]") {
  struct Case {
    const char* text;
    int year;
  };
  const Case cases[] = {
      {"令和2年度", 2020}, {"令和6年度", 2024},  {"令和元年度", 2019},  {"令和２年度", 2020},
      {"R2", 2020},        {"R2年度", 2020},     {"Ｒ５", 2023},        {"平成30年度", 2018},
      {"H30", 2018},       {"平成元年度", 1989}, {"2020年度", 2020},    {"２０２０年度", 2020},
      {"FY2020", 2020},    {"2020", 2020},       {" 令和3年度 ", 2021},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    Result<int> fy = ParseEraYear(c.text);
    REQUIRE(fy.ok());
    CHECK(*fy == c.year);
  }
  for (const char* bad : {"令和X年度", "令和0年度", "平成32年度", "大正5年度", "年度", "",
                          "20201年度", "令和2年度度", "R", "令和-1年度", "1850年度"}) {
    CAPTURE(bad);
    Result<int> fy = ParseEraYear(bad);
    REQUIRE_FALSE(fy.ok());
    CHECK_THAT(fy.status().message(), Catch::StartsWith("unknown fiscal year '"));
  }
  CHECK(ParseEraYear("令和X年度").status().message() ==
        "unknown fiscal year '令和X年度' (expected e.g. 令和2年度, R2, 平成30年度 or 2020年度)");
}

TEST_CASE("value_parser: FormatEraYear", "[value_parser]") {
  CHECK(FormatEraYear(2023) == "令和5年度");
  CHECK(FormatEraYear(2019) == "令和元年度");
  CHECK(FormatEraYear(2018) == "平成30年度");
  CHECK(FormatEraYear(1989) == "平成元年度");
}

TEST_CASE("value_parser: status names round-trip", "[value_parser]") {
  for (CellStatus s : {CellStatus::kValue, CellStatus::kMissing, CellStatus::kSurveyDone,
                       CellStatus::kNotAvailable, CellStatus::kBoolean, CellStatus::kUnparseable,
                       CellStatus::kNone, CellStatus::kText}) {
    CHECK(StatusFromName(StatusName(s)) == s);
  }
  CHECK_FALSE(StatusFromName("bogus"));
  CHECK(StatusName(CellStatus::kNone) == std::string("none"));
  CHECK(StatusName(CellStatus::kText) == std::string("text"));
}

}  // namespace
}  // namespace shihyo
