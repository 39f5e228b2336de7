// The notification log: what each receiver and group was last sent, and
// when, as the planner reads it and the state DB keeps it. Plain data;
// thread-compatible.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "base/clock.h"

namespace shihyo {

struct NotifyLogEntry {
  std::string receiver;
  std::string group_key;
  std::optional<TimePoint> last_sent;
  std::set<std::string> firing;            // fingerprints last notified as firing
  std::optional<TimePoint> pending_since;  // changes waiting for group_wait
};

// By receiver name and group key.
using NotifyLog = std::map<std::pair<std::string, std::string>, NotifyLogEntry>;

}  // namespace shihyo
