// What the daemon loop tells the HTTP server: readiness, the last evaluation,
// the rules in force, counters for /metrics, and where the state DB and the
// indicator store are. The loop publishes; server threads read a copy.
// Thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/clock.h"
#include "config/config.h"

namespace shihyo {

struct DaemonStatus {
  std::string store;         // indicator store path (opened read-only per request)
  std::string state;         // state DB path (read per request)
  std::string external_url;  // for links
  bool write = false;        // http.write: changes allowed, with |token|
  SecretSource token;
  TimePoint started_at{};
  bool ready = false;  // an evaluation has succeeded since the start
  std::optional<TimePoint> last_evaluation;
  std::string last_evaluation_reason;
  int firing = 0;
  int64_t evaluations = 0;          // successful
  int64_t evaluation_failures = 0;  // skipped: store busy or unreadable
  double evaluation_seconds = 0;    // sum over |evaluations|
  double last_evaluation_seconds = 0;
  int rules = 0;  // rules in force
  int64_t rule_reloads = 0;
  int64_t rule_reload_failures = 0;
  std::vector<std::string> rule_errors;       // of the last failed reload; empty when it succeeded
  std::optional<int64_t> data_version;        // the store's PRAGMA data_version
  std::optional<TimePoint> store_changed_at;  // when the loop last saw it change
  std::map<std::string, int64_t> sent;        // notifications sent, by receiver
  std::map<std::string, int64_t> failed;      // failed attempts, by receiver
  std::set<std::string> inhibited;  // fingerprints muted by inhibit_rules at the last evaluation
};

class StatusBoard {
 public:
  StatusBoard() = default;
  StatusBoard(const StatusBoard&) = delete;
  StatusBoard& operator=(const StatusBoard&) = delete;

  // Runs |change| on the status under the lock (keep it short: no I/O).
  void Update(const std::function<void(DaemonStatus*)>& change);
  // A copy of the status as last published.
  DaemonStatus Get() const;

 private:
  mutable std::mutex mu_;
  DaemonStatus status_;
};

}  // namespace shihyo
