// Durations in shihyo.yaml and on the command line: "30s", "5m", "2h", "7d",
// "500ms", bounded so that no time arithmetic on them can overflow.
#include <algorithm>

#include "config/config.h"

namespace shihyo {

std::optional<Seconds> ParseDurationSaturated(const std::string& text) {
  constexpr long long kCap = kMaxDuration.count() + 1;
  size_t i = 0;
  long long n = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    n = std::min(kCap, n * 10 + (text[i++] - '0'));
  }
  if (i == 0) return std::nullopt;
  std::string unit = text.substr(i);
  long long mult = unit.empty() || unit == "s" ? 1
                   : unit == "m"               ? 60
                   : unit == "h"               ? 3600
                   : unit == "d"               ? 86400
                                               : -1;
  if (mult < 0) return std::nullopt;
  return Seconds(std::min(kCap, n * mult));  // n <= kCap: no overflow
}

std::optional<std::chrono::milliseconds> ParseMillisSaturated(const std::string& text) {
  if (text.size() > 2 && text.substr(text.size() - 2) == "ms") {
    std::optional<Seconds> n = ParseDurationSaturated(text.substr(0, text.size() - 2));
    if (!n) return std::nullopt;
    return std::chrono::milliseconds(n->count());
  }
  std::optional<Seconds> s = ParseDurationSaturated(text);
  if (!s) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::milliseconds>(*s);
}

std::optional<Seconds> ParseDuration(const std::string& text) {
  std::optional<Seconds> d = ParseDurationSaturated(text);
  if (!d || *d > kMaxDuration) return std::nullopt;
  return d;
}

std::optional<std::chrono::milliseconds> ParseMillis(const std::string& text) {
  std::optional<std::chrono::milliseconds> d = ParseMillisSaturated(text);
  if (!d || *d > kMaxDuration) return std::nullopt;
  return d;
}

std::string FormatDuration(Seconds d) {
  long long s = d.count();
  if (s != 0 && s % 86400 == 0) return std::to_string(s / 86400) + "d";
  if (s != 0 && s % 3600 == 0) return std::to_string(s / 3600) + "h";
  if (s != 0 && s % 60 == 0) return std::to_string(s / 60) + "m";
  return std::to_string(s) + "s";
}

}  // namespace shihyo
