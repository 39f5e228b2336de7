// libFuzzer target: the time zone file reader (TZif versions 1 to 4 and the
// POSIX TZ footer) must never crash, loop or read out of bounds, and a zone
// it accepts must answer At() for any moment with a sane offset.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "base/time_zone.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  auto zone = shihyo::TimeZone::FromTzif("fuzz", bytes);
  if (!zone.ok()) {
    if (zone.status().message().empty()) __builtin_trap();
    return 0;
  }
  using std::chrono::hours;
  using std::chrono::system_clock;
  // From far past to far future, including the footer rule's years.
  // Within system_clock's nanosecond range (about ±292 years).
  for (int64_t h : {-2000000LL, -100000LL, 0LL, 400000LL, 500000LL, 1000000LL, 2000000LL}) {
    auto info = (*zone)->At(system_clock::time_point(hours(h)));
    if (info.offset > hours(26) || info.offset < -hours(26)) __builtin_trap();
  }
  return 0;
}
