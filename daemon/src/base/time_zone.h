// Time zones from the tz database (/usr/share/zoneinfo, TZif files, RFC
// 8536), for the times shown to people: GCC 12's libstdc++ has no
// std::chrono::locate_zone, and localtime_r would need TZ set process-wide.
// A TimeZone is immutable; the display zone is set under a mutex. Thread-safe.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"

namespace shihyo {

inline constexpr const char* kZoneInfoDir = "/usr/share/zoneinfo";

class TimeZone {
 public:
  // The local time type in force at one moment.
  struct Info {
    std::chrono::seconds offset{0};  // east of UTC
    std::string abbrev;              // "JST", "CEST"
  };

  // Parses a TZif file's bytes (versions 1 to 4) for zone |name|.
  // kInvalidArgument when they are not one.
  static Result<std::shared_ptr<const TimeZone>> FromTzif(const std::string& name,
                                                          const std::string& bytes);
  // A zone without transitions: |offset| east of UTC, called |abbrev|.
  static std::shared_ptr<const TimeZone> Fixed(const std::string& name, std::chrono::seconds offset,
                                               const std::string& abbrev);

  Info At(std::chrono::system_clock::time_point t) const;
  const std::string& name() const { return name_; }

  struct Rule;  // a POSIX TZ string's daylight saving rule (time_zone.cc)

 private:
  std::string name_;
  std::vector<int64_t> transitions_;  // seconds since the epoch, ascending
  std::vector<int> transition_types_;
  std::vector<Info> types_;             // at least one
  std::shared_ptr<const Rule> footer_;  // after the last transition; may be null
};

// Loads zone |name| ("Asia/Tokyo", "UTC") from |dir|. kInvalidArgument
// naming the problem for a name that is not a zone there. "Asia/Tokyo"
// never fails: without the tz database it is UTC+9 (JST) all year.
Result<std::shared_ptr<const TimeZone>> LoadTimeZone(const std::string& name,
                                                     const std::string& dir = kZoneInfoDir);

// Asia/Tokyo as LoadTimeZone returns it (loaded once).
std::shared_ptr<const TimeZone> TokyoZone();

// The zone of the times shown to people (the config's timezone:); Asia/Tokyo
// until set. A null |zone| sets Asia/Tokyo back.
void SetDisplayZone(std::shared_ptr<const TimeZone> zone);
std::shared_ptr<const TimeZone> DisplayZone();

}  // namespace shihyo
