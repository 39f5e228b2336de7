#include "base/clock.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "base/time_zone.h"

namespace shihyo {

namespace {

constexpr auto kJapanOffset = std::chrono::hours(9);

bool ReadInt(std::string_view s, size_t pos, size_t len, int* out) {
  if (pos + len > s.size()) return false;
  auto [ptr, ec] = std::from_chars(s.data() + pos, s.data() + pos + len, *out);
  return ec == std::errc() && ptr == s.data() + pos + len;
}

}  // namespace

std::string FormatIso8601(TimePoint t) {
  auto secs = std::chrono::floor<std::chrono::seconds>(t);
  auto days = std::chrono::floor<std::chrono::days>(secs);
  std::chrono::year_month_day ymd{days};
  std::chrono::hh_mm_ss hms{secs - days};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

namespace {

// |t| shifted into the display zone (timezone:, Asia/Tokyo by default).
TimePoint InDisplayZone(TimePoint t) { return SaturatingAdd(t, DisplayZone()->At(t).offset); }

}  // namespace

std::string FormatJapaneseDate(TimePoint t) {
  auto days = std::chrono::floor<std::chrono::days>(InDisplayZone(t));
  std::chrono::year_month_day ymd{days};
  CivilDate d{static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
              static_cast<int>(static_cast<unsigned>(ymd.day()))};
  return std::to_string(d.year) + "年" + std::to_string(d.month) + "月" + std::to_string(d.day) +
         "日";
}

std::string FormatJapaneseDateTime(TimePoint t) {
  auto minutes = std::chrono::floor<std::chrono::minutes>(InDisplayZone(t));
  auto into_day = (minutes - std::chrono::floor<std::chrono::days>(minutes)).count();
  char buf[16];
  std::snprintf(buf, sizeof buf, " %02d:%02d", static_cast<int>(into_day / 60),
                static_cast<int>(into_day % 60));
  return FormatJapaneseDate(t) + buf;
}

std::string FormatLocalDateTime(TimePoint t) {
  std::string iso = FormatIso8601(InDisplayZone(t));  // "…THH:MM:SSZ"
  return iso.size() >= 16 ? iso.substr(0, 10) + " " + iso.substr(11, 5) : iso;
}

std::string DisplayZoneAbbrev(TimePoint t) { return DisplayZone()->At(t).abbrev; }

TimePoint JapanMidnight(CivilDate date) {
  // std::chrono::year holds -32767..32767; seconds since the epoch for those
  // fit in 64 bits, nanoseconds do not: saturate on the way to TimePoint.
  int year = std::clamp(date.year, -32767, 32767);
  std::chrono::sys_days days{std::chrono::year{year} / date.month / date.day};
  std::chrono::sys_seconds secs = std::chrono::sys_seconds(days) - kJapanOffset;
  return SaturatingAdd(TimePoint(), secs.time_since_epoch());
}

CivilDate JapanDate(TimePoint t) {
  auto days = std::chrono::floor<std::chrono::days>(t + kJapanOffset);
  std::chrono::year_month_day ymd{days};
  return CivilDate{static_cast<int>(ymd.year()),
                   static_cast<int>(static_cast<unsigned>(ymd.month())),
                   static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

TimePoint FiscalYearEnd(int fiscal_year) {
  return JapanMidnight(CivilDate{std::min(fiscal_year, 40000) + 1, 4, 1});
}

Result<TimePoint> ParseTime(std::string_view text) {
  auto fail = [&]() -> Result<TimePoint> {
    return Status::InvalidArgument("invalid time '" + std::string(text) +
                                   "' (expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)");
  };
  int y, mo, d;
  if (text.size() < 10 || text[4] != '-' || text[7] != '-' || !ReadInt(text, 0, 4, &y) ||
      !ReadInt(text, 5, 2, &mo) || !ReadInt(text, 8, 2, &d)) {
    return fail();
  }
  std::chrono::year_month_day ymd{std::chrono::year{y} / mo / d};
  if (!ymd.ok()) return fail();
  if (y < kMinYear || y > kMaxYear) {
    return Status::InvalidArgument("invalid time '" + std::string(text) + "' (years " +
                                   std::to_string(kMinYear) + " to " + std::to_string(kMaxYear) +
                                   ")");
  }
  if (text.size() == 10) return JapanMidnight(CivilDate{y, mo, d});
  int h, mi, s;
  if (text.size() < 19 || (text[10] != 'T' && text[10] != ' ') || text[13] != ':' ||
      text[16] != ':' || !ReadInt(text, 11, 2, &h) || !ReadInt(text, 14, 2, &mi) ||
      !ReadInt(text, 17, 2, &s) || h > 23 || mi > 59 || s > 60) {
    return fail();
  }
  std::string_view zone = text.substr(19);
  std::chrono::minutes offset{0};
  if (zone == "Z") {
    offset = std::chrono::minutes(0);
  } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
    int oh, om;
    if (!ReadInt(zone, 1, 2, &oh) || !ReadInt(zone, 4, 2, &om)) return fail();
    offset = std::chrono::minutes(oh * 60 + om) * (zone[0] == '-' ? -1 : 1);
  } else {
    return fail();
  }
  TimePoint t = TimePoint(std::chrono::sys_days{ymd}) + std::chrono::hours(h) +
                std::chrono::minutes(mi) + std::chrono::seconds(s);
  return t - offset;
}

}  // namespace shihyo
