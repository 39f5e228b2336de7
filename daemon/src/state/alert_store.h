// The alerts, the notification log and the evaluation history in the state
// DB. Rows are written by StateStore::CommitCycle, together with the messages
// they cause. One instance per thread; borrows StateStore's connection.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "alert/alert_state.h"
#include "alert/notify_log.h"
#include "base/status.h"

namespace shihyo {

struct StateConnection;

// One evaluation, as the history keeps it.
struct EvaluationRecord {
  TimePoint at{};
  int findings = 0;
  int firing = 0;
  int fired = 0;
  int resolved = 0;
  int messages = 0;
  int64_t duration_ms = 0;
};

class AlertStore {
 public:
  // |connection| must outlive the store.
  explicit AlertStore(StateConnection* connection) : c_(connection) {}
  AlertStore(const AlertStore&) = delete;
  AlertStore& operator=(const AlertStore&) = delete;

  // Every alert, by fingerprint (resolved ones until pruned).
  Result<std::map<std::string, AlertRecord>> LoadAlerts();
  // What each receiver and group was last sent.
  Result<NotifyLog> LoadNotifyLog();

 private:
  StateConnection* c_;
};

}  // namespace shihyo
