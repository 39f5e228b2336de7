// What the daemon tells its admin receiver (rule or config reload failures,
// dead messages), worded by the admin receiver's kind. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "config/config.h"
#include "notify/message.h"

namespace shihyo {

// The message telling |admin| (a receiver of |config|) |subject| and |lines|
// at |now|, with a fresh "admin-" id; nullopt when its kind takes alerts
// only (Alertmanager).
std::optional<Message> BuildAdminMessage(const Config& config, const Receiver& admin,
                                         const std::string& subject,
                                         const std::vector<std::string>& lines, TimePoint now);

}  // namespace shihyo
