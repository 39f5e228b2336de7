// Decides which notifications one cycle sends, from the alerts, the routing
// tree and the notification log (what each receiver and group was last sent
// and when), in the manner of Alertmanager: a new group is notified after
// group_wait; a group notified before, about new firing or newly resolved
// alerts no sooner than group_interval after its last notification; and
// with nothing new, again after repeat_interval. Silenced and inhibited
// alerts are not notified. Pure; thread-safe.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "alert/alert_state.h"
#include "alert/inhibit.h"
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
// Alertmanager expects of a client. Silenced and inhibited alerts are pushed
// too: an alert a client stops pushing is resolved by Alertmanager when its
// endsAt passes, and would be announced as resolved (and as new when the
// silence ends); Alertmanager has its own silences and inhibit rules.
struct ReceiverPush {
  const Receiver* receiver = nullptr;
  std::vector<const AlertRecord*> alerts;
};

struct NotifyPlan {
  std::vector<GroupNotification> notifications;
  std::vector<ReceiverPush> pushes;
  std::vector<NotifyLogEntry> log_updates;  // entries to write back
  // When a group waiting for group_wait or group_interval is due; nullopt
  // when none waits. With |flush_waiting|: when the last of the groups
  // planned ahead of their time is due.
  std::optional<TimePoint> next_flush;
  // The firing alerts the inhibit rules mute, by fingerprint.
  std::map<std::string, Inhibition> inhibited;
  // Routes whose regex could not decide (match limit): the alert went to
  // the default receiver. One line each, naming the route and the alert.
  std::vector<std::string> errors;
};

// |alerts| and the plan must outlive the returned pointers. Resolved alerts
// are pushed while they resolved less than |resolved_window| ago. With
// |flush_waiting| (preview), a group waiting for group_wait or
// group_interval is planned as it will go out when that has passed.
NotifyPlan PlanNotifications(const Config& config, const std::map<std::string, AlertRecord>& alerts,
                             const NotifyLog& log, TimePoint now, Seconds resolved_window,
                             bool flush_waiting = false);

}  // namespace shihyo
