// Time as an input: the Clock interface (SystemClock in production, a fake in
// tests) and the date formats shihyo reads and writes. Thread-safe.
#pragma once

#include <chrono>
#include <cmath>
#include <limits>
#include <string>
#include <string_view>

#include "base/status.h"

namespace shihyo {

using TimePoint = std::chrono::system_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
};

class SystemClock : public Clock {
 public:
  TimePoint Now() const override { return std::chrono::system_clock::now(); }
};

// Always the same time: `--now` for one command.
class FixedClock : public Clock {
 public:
  explicit FixedClock(TimePoint t) : t_(t) {}
  TimePoint Now() const override { return t_; }

 private:
  TimePoint t_;
};

// |t| + |d|, clamped to the range of |t|'s type instead of wrapping: a
// duration from a config file added to now must never land in the past.
// Works for any clock (system and steady).
template <class TimePointT, class Rep, class Period>
TimePointT SaturatingAdd(TimePointT t, std::chrono::duration<Rep, Period> d) {
  using D = typename TimePointT::duration;
  using Limits = std::numeric_limits<typename D::rep>;
  // In long double (64-bit mantissa on x86-64): exact at the limits, never overflows.
  long double delta = std::chrono::duration<long double, typename D::period>(d).count();
  long double sum = static_cast<long double>(t.time_since_epoch().count()) + delta;
  if (sum >= static_cast<long double>(Limits::max())) return TimePointT::max();
  if (sum <= static_cast<long double>(Limits::lowest())) return TimePointT::min();
  if (std::fabs(delta) < static_cast<long double>(Limits::max())) {
    return t + std::chrono::duration_cast<D>(d);
  }
  return TimePointT(D(static_cast<typename D::rep>(sum)));
}

// |t| - |d|, clamped like SaturatingAdd.
template <class TimePointT, class Rep, class Period>
TimePointT SaturatingSub(TimePointT t, std::chrono::duration<Rep, Period> d) {
  return SaturatingAdd(
      t, std::chrono::duration<long double, Period>(-static_cast<long double>(d.count())));
}

// "2026-11-28T09:56:29Z" (UTC, seconds).
std::string FormatIso8601(TimePoint t);

// Parses "YYYY-MM-DD" (midnight Japan time, UTC+9, since fiscal years and
// deadlines are Japanese) or a full "YYYY-MM-DDTHH:MM:SSZ" / "+09:00" time.
// Years outside kMinYear..kMaxYear are rejected (TimePoint's nanoseconds
// reach only 1677..2262).
inline constexpr int kMinYear = 1900;
inline constexpr int kMaxYear = 2200;
Result<TimePoint> ParseTime(std::string_view text);

// The Japanese calendar date (UTC+9) of |t|.
struct CivilDate {
  int year = 0;
  int month = 0;
  int day = 0;
};
CivilDate JapanDate(TimePoint t);

// "2026年11月28日" and "2026年11月28日 18:05" in the display zone (the
// config's timezone:, Asia/Tokyo unless set; base/time_zone.h): what staff read.
std::string FormatJapaneseDate(TimePoint t);
std::string FormatJapaneseDateTime(TimePoint t);
// "2026-11-28 18:05" in the display zone, for terminal tables.
std::string FormatLocalDateTime(TimePoint t);
// The display zone's abbreviation at |t| ("JST", "CET").
std::string DisplayZoneAbbrev(TimePoint t);

// Midnight at the start of |date| in Japan (UTC+9); saturates at
// TimePoint::min()/max() for dates beyond what TimePoint holds.
TimePoint JapanMidnight(CivilDate date);

// The moment fiscal year |fy| closes: April 1 of fy+1, 00:00 Japan time
// (saturating like JapanMidnight).
TimePoint FiscalYearEnd(int fiscal_year);

}  // namespace shihyo
