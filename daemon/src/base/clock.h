// Time as an input: the Clock interface (SystemClock in production, a fake in
// tests) and the date formats shihyo reads and writes. Thread-safe.
#pragma once

#include <chrono>
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

// "2026-11-28T09:56:29Z" (UTC, seconds).
std::string FormatIso8601(TimePoint t);

// Parses "YYYY-MM-DD" (midnight Japan time, UTC+9, since fiscal years and
// deadlines are Japanese) or a full "YYYY-MM-DDTHH:MM:SSZ" / "+09:00" time.
Result<TimePoint> ParseTime(std::string_view text);

// The Japanese calendar date (UTC+9) of |t|.
struct CivilDate {
  int year = 0;
  int month = 0;
  int day = 0;
};
CivilDate JapanDate(TimePoint t);

// "2026年11月28日" and "2026年11月28日 18:05" in Japan time: what staff read.
std::string FormatJapaneseDate(TimePoint t);
std::string FormatJapaneseDateTime(TimePoint t);

// Midnight at the start of |date| in Japan (UTC+9).
TimePoint JapanMidnight(CivilDate date);

// The moment fiscal year |fy| closes: April 1 of fy+1, 00:00 Japan time.
TimePoint FiscalYearEnd(int fiscal_year);

}  // namespace shihyo
