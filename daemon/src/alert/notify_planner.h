// Decides which notifications one cycle sends, from the alerts, the routing
// tree and the notification log (what each receiver and group was last sent
// and when), in the manner of Alertmanager: a group is notified when it has
// new firing alerts or newly resolved ones (after group_wait), and again
// only after repeat_interval. Pure; thread-safe.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "alert/alert_state.h"
#include "alert/notify_log.h"
#include "alert/route.h"
#include "config/config.h"

namespace shihyo {

// One digest to one receiver for one group.
struct GroupNotification {
  const Receiver* receiver = nullptr;
  const Route* route = nullptr;
  GroupId group;
  std::vector<const AlertRecord*> fresh;     // firing, not in the last notification
  std::vector<const AlertRecord*> ongoing;   // firing, notified before
  std::vector<const AlertRecord*> resolved;  // resolved since the last notification
  bool reminder = false;                     // nothing new: repeat_interval elapsed
};

// The alerts one cycle pushes to a receiver that PushesAlerts() (Alertmanager):
// every firing alert and the ones resolved within the window, as
// Alertmanager expects of a client.
struct ReceiverPush {
  const Receiver* receiver = nullptr;
  std::vector<const AlertRecord*> alerts;
};

struct NotifyPlan {
  std::vector<GroupNotification> notifications;
  std::vector<ReceiverPush> pushes;
  std::vector<NotifyLogEntry> log_updates;  // entries to write back
  // When a group waiting for group_wait is due; nullopt when none waits.
  std::optional<TimePoint> next_flush;
  // Routes whose regex could not decide (match limit): the alert went to
  // the default receiver. One line each, naming the route and the alert.
  std::vector<std::string> errors;
};

// |alerts| and the plan must outlive the returned pointers. Resolved alerts
// are pushed while they resolved less than |resolved_window| ago.
NotifyPlan PlanNotifications(const Config& config, const std::map<std::string, AlertRecord>& alerts,
                             const NotifyLog& log, TimePoint now, Seconds resolved_window);

}  // namespace shihyo
