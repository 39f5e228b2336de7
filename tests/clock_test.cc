#include "base/clock.h"

#include <catch2/catch.hpp>

namespace shihyo {
namespace {

TEST_CASE("clock: dates are Japanese midnight, times round-trip", "[clock]") {
  Result<TimePoint> day = ParseTime("2026-11-28");
  REQUIRE(day.ok());
  CHECK(FormatIso8601(*day) == "2026-11-27T15:00:00Z");
  CivilDate jd = JapanDate(*day);
  CHECK(jd.year == 2026);
  CHECK(jd.month == 11);
  CHECK(jd.day == 28);
  CHECK(FormatIso8601(*ParseTime("2026-11-28T09:56:29Z")) == "2026-11-28T09:56:29Z");
  CHECK(FormatIso8601(*ParseTime("2026-11-28T09:00:00+09:00")) == "2026-11-28T00:00:00Z");
}

TEST_CASE("clock: fiscal year N closes on April 1 of N+1 in Japan", "[clock]") {
  CHECK(FormatIso8601(FiscalYearEnd(2024)) == "2025-03-31T15:00:00Z");
}

TEST_CASE("clock: bad times are rejected", "[clock]") {
  for (const char* bad : {"", "2026-13-01", "2026-02-30", "28/11/2026", "2026-11-28T25:00:00Z",
                          "2026-11-28T10:00:00", "2026-11-28Tx"}) {
    CAPTURE(bad);
    Result<TimePoint> t = ParseTime(bad);
    REQUIRE_FALSE(t.ok());
    CHECK_THAT(t.status().message(), Catch::StartsWith("invalid time"));
  }
}

}  // namespace
}  // namespace shihyo
