#include "alert/notify_planner.h"

#include <algorithm>

namespace shihyo {

namespace {

struct PendingGroup {
  const Receiver* receiver = nullptr;
  const Route* route = nullptr;
  GroupId group;
  std::vector<const AlertRecord*> alerts;
};

// What one planning pass shares between groups.
struct Pass {
  const NotifyLog& log;
  TimePoint now;
  bool flush_waiting;
  NotifyPlan* plan;

  bool Muted(const AlertRecord& a) const {
    return a.silenced() || plan->inhibited.count(a.fingerprint) > 0;
  }
};

// Sorts the group's alerts into fresh, ongoing and resolved against what
// |entry| says was last sent; returns the fingerprints firing now (and
// neither silenced nor inhibited).
std::set<std::string> Classify(const PendingGroup& g, const NotifyLogEntry& entry, const Pass& pass,
                               GroupNotification* n) {
  std::set<std::string> firing_now;
  for (const AlertRecord* a : g.alerts) {
    if (a->firing() && !pass.Muted(*a)) {
      firing_now.insert(a->fingerprint);
      (entry.firing.count(a->fingerprint) ? n->ongoing : n->fresh).push_back(a);
    } else if (!a->firing() && entry.firing.count(a->fingerprint)) {
      n->resolved.push_back(a);
    }
  }
  return firing_now;
}

// When a change to the group may be sent: group_wait after it began for a
// group not notified yet (or whose alerts all ended), else group_interval
// after the group's last notification, as Alertmanager does.
TimePoint ChangeDue(const PendingGroup& g, const NotifyLogEntry& entry) {
  if (entry.last_sent && !entry.firing.empty()) {
    return std::max(*entry.pending_since, SaturatingAdd(*entry.last_sent, g.route->group_interval));
  }
  return SaturatingAdd(*entry.pending_since, g.route->group_wait);
}

// Whether to send now: a change once it is due (else the flush time goes to
// the plan), or a reminder after repeat_interval.
bool ShouldSend(const PendingGroup& g, bool changed, bool firing, const Pass& pass,
                NotifyLogEntry* entry, GroupNotification* n) {
  NotifyPlan* plan = pass.plan;
  if (changed) {
    if (!entry->pending_since) entry->pending_since = pass.now;
    TimePoint due = ChangeDue(g, *entry);
    if (pass.now >= due) return true;
    if (pass.flush_waiting) {  // preview: shown as it will go out
      if (!plan->next_flush || due > *plan->next_flush) plan->next_flush = due;
      return true;
    }
    if (!plan->next_flush || due < *plan->next_flush) plan->next_flush = due;
    return false;
  }
  if (firing && entry->last_sent &&
      pass.now >= SaturatingAdd(*entry->last_sent, g.route->repeat_interval)) {
    n->reminder = true;
    return true;
  }
  return false;
}

void Decide(const PendingGroup& g, const Pass& pass) {
  auto it = pass.log.find({g.receiver->name, g.group.key});
  NotifyLogEntry entry = it != pass.log.end() ? it->second : NotifyLogEntry{};
  entry.receiver = g.receiver->name;
  entry.group_key = g.group.key;
  const NotifyLogEntry before = entry;

  GroupNotification n;
  n.receiver = g.receiver;
  n.route = g.route;
  n.group = g.group;
  std::set<std::string> firing_now = Classify(g, entry, pass, &n);
  bool changed = !n.fresh.empty() || (g.route->send_resolved && !n.resolved.empty());
  if (ShouldSend(g, changed, !firing_now.empty(), pass, &entry, &n)) {
    if (!g.route->send_resolved) n.resolved.clear();
    entry.last_sent = pass.now;
    entry.firing = firing_now;
    entry.pending_since.reset();
    pass.plan->notifications.push_back(std::move(n));
  } else if (!changed) {
    // Resolved (without send_resolved), silenced or inhibited alerts leave
    // the group quietly; a change that was waiting went away with them.
    entry.firing = firing_now;
    entry.pending_since.reset();
  }
  if (entry.firing != before.firing || entry.last_sent != before.last_sent ||
      entry.pending_since != before.pending_since || it == pass.log.end()) {
    pass.plan->log_updates.push_back(std::move(entry));
  }
}

}  // namespace

NotifyPlan PlanNotifications(const Config& config, const std::map<std::string, AlertRecord>& alerts,
                             const NotifyLog& log, TimePoint now, Seconds resolved_window,
                             bool flush_waiting) {
  NotifyPlan plan;
  plan.inhibited = InhibitedAlerts(config.inhibit_rules, alerts, &plan.errors);
  std::map<std::string, PendingGroup> groups;  // by receiver + group key, in key order
  std::map<std::string, ReceiverPush> pushes;
  for (const auto& [fp, alert] : alerts) {
    std::string route_error;
    std::vector<RouteMatch> matches = MatchRoutes(config.route, alert.labels, &route_error);
    if (!route_error.empty()) {
      plan.errors.push_back(route_error + "; alert " + alert.rule + " (" +
                            (alert.labels.count("indicator") ? alert.labels.at("indicator") : "") +
                            ") sent to the default receiver " + config.route.receiver);
    }
    for (const RouteMatch& m : matches) {
      const Receiver* receiver = config.FindReceiver(m.route->receiver);
      if (!receiver) continue;
      if (receiver->settings && receiver->settings->PushesAlerts()) {
        // Silenced and inhibited alerts included (see ReceiverPush).
        if (alert.firing() ||
            (alert.ends_at && now < SaturatingAdd(*alert.ends_at, resolved_window))) {
          ReceiverPush& p = pushes[receiver->name];
          p.receiver = receiver;
          p.alerts.push_back(&alert);
        }
        continue;
      }
      GroupId id = GroupOf(m, alert.labels, fp);
      PendingGroup& g = groups[receiver->name + "\x1e" + id.key];
      g.receiver = receiver;
      g.route = m.route;
      g.group = id;
      g.alerts.push_back(&alert);
    }
  }
  Pass pass{log, now, flush_waiting, &plan};
  for (const auto& [key, g] : groups) Decide(g, pass);
  for (auto& [name, p] : pushes) plan.pushes.push_back(std::move(p));
  return plan;
}

}  // namespace shihyo
