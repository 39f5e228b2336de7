// The only place that talks to systemd: READY=1, STATUS=, WATCHDOG=1,
// RELOADING=1 and STOPPING=1 through libsystemd's sd_notify. Harmless when
// not run by systemd ($NOTIFY_SOCKET unset). Thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace shihyo {

class SystemdNotifier {
 public:
  SystemdNotifier();

  void Ready();
  void Reloading();
  void Stopping();
  // One line of what the service is doing, for `systemctl status`.
  void Status(const std::string& text);
  // Pings the watchdog if WatchdogSec= is set and half its period has passed.
  void Watchdog();
  // How often the watchdog wants a ping, if it is enabled.
  std::optional<std::chrono::microseconds> WatchdogPeriod() const { return watchdog_; }

 private:
  std::optional<std::chrono::microseconds> watchdog_;
  std::chrono::steady_clock::time_point last_ping_{};
};

}  // namespace shihyo
