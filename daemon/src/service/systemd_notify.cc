#include "service/systemd_notify.h"

#include <systemd/sd-daemon.h>

#include <cstdint>
#include <ctime>

namespace shihyo {

SystemdNotifier::SystemdNotifier() {
  uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
    watchdog_ = std::chrono::microseconds(usec);
  }
}

void SystemdNotifier::Ready() { sd_notify(0, "READY=1"); }

void SystemdNotifier::Reloading() {
  // MONOTONIC_USEC lets systemd (253+) tell this reload from an earlier one.
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  uint64_t usec = static_cast<uint64_t>(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
  sd_notifyf(0, "RELOADING=1\nMONOTONIC_USEC=%llu", static_cast<unsigned long long>(usec));
}

void SystemdNotifier::Stopping() { sd_notify(0, "STOPPING=1"); }

void SystemdNotifier::Status(const std::string& text) {
  std::string line;
  for (char c : text) line += (c == '\n' || c == '\r') ? ' ' : c;
  sd_notifyf(0, "STATUS=%s", line.c_str());
}

void SystemdNotifier::Watchdog() {
  if (!watchdog_) return;
  auto now = std::chrono::steady_clock::now();
  if (now - last_ping_ < *watchdog_ / 2) return;
  last_ping_ = now;
  sd_notify(0, "WATCHDOG=1");
}

}  // namespace shihyo
