#include "service/repeated_warning.h"

#include <spdlog/spdlog.h>

#include "base/log.h"

namespace shihyo {

bool RepeatedWarning::Fail(const std::string& message, Mono now) {
  bool started = !active_;
  if (started) {
    active_ = true;
    failures_ = 0;
    suppressed_ = 0;
    first_message_ = message;
    started_ = now;
    last_logged_.clear();
  }
  ++failures_;
  if (!started && message == last_logged_ && now - last_logged_at_ < gap_) {
    ++suppressed_;
    return false;
  }
  if (started) {
    spdlog::warn("{}: {}", what_, LogSafe(message));
  } else {
    spdlog::warn("{}: {} (still failing; {} repeats not logged)", what_, LogSafe(message),
                 suppressed_);
  }
  suppressed_ = 0;
  last_logged_ = message;
  last_logged_at_ = now;
  return started;
}

bool RepeatedWarning::Recover(Mono now) {
  if (!active_) return false;
  active_ = false;
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now - started_).count();
  spdlog::info("{}: recovered after {} failures in {}s", what_, failures_, seconds);
  return true;
}

}  // namespace shihyo
