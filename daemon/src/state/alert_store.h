// The alerts, the notification log and the evaluation history in the state
// DB. Rows are written by StateStore::CommitCycle, together with the messages
// they cause. One instance per thread; borrows StateStore's connection.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "alert/alert_state.h"
#include "alert/notify_log.h"
#include "alert/notify_planner.h"
#include "base/status.h"
#include "notify/message.h"

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

// Records in |t| what |plan|'s notifications (carried by |messages|, matched
// by receiver and group key) told each alert of |alerts| at |now|: a notified event
// per alert and message, its last_notified, and the (receiver, group) that
// knows it as firing. Alerts so touched join |t|'s changed list. Pushes
// (Alertmanager) are not recorded: they repeat every cycle.
void RecordNotifications(const NotifyPlan& plan, const std::vector<Message>& messages,
                         TimePoint now, std::map<std::string, AlertRecord>* alerts,
                         AlertTransition* t);

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
  // The history of the alert |fingerprint|, oldest first (as pruned by
  // StateStore::Prune); empty for an unknown fingerprint.
  Result<std::vector<AlertEvent>> LoadEvents(const std::string& fingerprint);

 private:
  StateConnection* c_;
};

}  // namespace shihyo
