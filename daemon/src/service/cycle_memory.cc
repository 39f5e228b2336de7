// The daemon's incremental cycle: only the plans whose version changed in the
// store are reloaded and evaluated; the alerts of the others stay as the
// memory holds them (only their silences are decided again), and only the
// alerts that changed are written.
#include "service/cycle_memory.h"

#include <algorithm>
#include <set>

#include "alert/route.h"
#include "service/cycle.h"
#include "store/store.h"

namespace shihyo {

void CycleMemory::Forget() { *this = CycleMemory(); }

void CycleMemory::ForgetAlerts() {
  alerts_valid = false, groups_valid = false;
  alerts.clear(), alerts_of_plan.clear(), log.clear(), groups_of.clear(), members.clear();
  firing = 0;
}

void CycleMemory::Prune(TimePoint before) {
  if (pruned && before >= *pruned && before < *pruned + std::chrono::hours(1)) return;
  pruned = before;
  std::erase_if(alerts, [&](const auto& entry) {
    const AlertRecord& a = entry.second;
    if (a.firing() || !a.ends_at || *a.ends_at >= before) return false;
    if (auto of = alerts_of_plan.find(a.finding.plan); of != alerts_of_plan.end()) {
      of->second.erase(entry.first);
    }
    if (auto groups = groups_of.find(entry.first); groups != groups_of.end()) {
      for (const Group* g : groups->second) members[*g].erase(entry.first);
      groups_of.erase(groups);
    }
    return true;
  });
}

// What UpdatePlans did to the memory's plans.
struct PlanUpdate {
  EvalResult eval;   // findings of the plans evaluated now; snapshot, warnings: every plan
  bool all = false;  // every plan was evaluated: the findings replace every alert
  // Otherwise the plans whose alerts the findings replace: the evaluated
  // plans under their old and new names, and the plans gone from the store.
  std::set<std::string> names;
  int evaluated = 0;
};

namespace {

// The position of plan |id| in |plans| (by id), where it is or would go.
std::vector<Plan>::iterator PlanAt(std::vector<Plan>* plans, int64_t id) {
  return std::lower_bound(plans->begin(), plans->end(), id,
                          [](const Plan& p, int64_t v) { return p.id < v; });
}

// Drops the plans gone from |versions| (by id) from |m|, naming them in |u|.
void DropRemoved(const std::vector<PlanVersion>& versions, CycleMemory* m, PlanUpdate* u) {
  std::set<int64_t> present;
  for (const PlanVersion& v : versions) present.insert(v.id);
  for (auto it = m->plans.begin(); it != m->plans.end();) {
    if (present.count(it->first)) {
      ++it;
      continue;
    }
    u->names.insert(it->second.name);
    auto at = PlanAt(m->snapshot.get(), it->first);
    if (at != m->snapshot->end() && at->id == it->first) m->snapshot->erase(at);
    it = m->plans.erase(it);
  }
}

// Whether |silences| at |now| can mute other alerts than the silences the
// last cycle applied (as |m| remembers them), or have a regex; remembers them.
bool SilencesChanged(const std::vector<Silence>& silences, TimePoint now, CycleMemory* m) {
  bool changed = silences.size() != m->silences.size();
  for (size_t i = 0; !changed && i < silences.size(); ++i) {
    const Silence& a = silences[i];
    const auto& [b, active] = m->silences[i];
    changed = a.id != b.id || a.active(now) != active || a.starts_at != b.starts_at ||
              a.ends_at != b.ends_at || a.matchers.size() != b.matchers.size();
    for (size_t j = 0; !changed && j < a.matchers.size(); ++j) {
      // A regex may fail to decide (a match limit) and must say so every cycle.
      changed = a.matchers[j].regex || a.matchers[j].Text() != b.matchers[j].Text();
    }
  }
  if (changed) {
    m->silences.clear();
    for (const Silence& s : silences) m->silences.emplace_back(s, s.active(now));
  }
  return changed;
}

// The alerts of |u|'s plans, taken out of |m| and updated with |findings|
// (ApplyFindings, which moves their texts out); the other alerts were found again as they were, so
// only their silences are decided again. Everything goes back into |m|.
AlertTransition ApplyToMemory(const PlanUpdate& u, std::vector<Finding>* findings,
                              const std::vector<Silence>& silences, TimePoint now,
                              const ResolveContext& why, CycleMemory* m) {
  std::map<std::string, AlertRecord> affected;
  if (u.all) {
    affected.swap(m->alerts);
    m->alerts_of_plan.clear();
    m->firing = 0;
  }
  for (const std::string& name : u.all ? std::set<std::string>() : u.names) {
    auto of = m->alerts_of_plan.find(name);
    if (of == m->alerts_of_plan.end()) continue;
    for (const std::string& fp : of->second) {
      auto node = m->alerts.extract(fp);
      if (node.empty()) continue;
      m->firing -= node.mapped().firing() ? 1 : 0;
      affected.insert(std::move(node));
    }
    m->alerts_of_plan.erase(of);
  }
  // The findings' texts move into the alerts: they are dropped after.
  AlertTransition t = ApplyFindings(affected, std::move(*findings), silences, now, &why);
  for (const auto& [fp, a] : t.alerts) {
    m->alerts_of_plan[a.finding.plan].insert(fp);
    m->firing += a.firing() ? 1 : 0;
  }
  if (SilencesChanged(silences, now, m)) {
    for (auto& [fp, a] : m->alerts) {
      if (!a.firing()) continue;
      std::string by = MutingSilence(silences, a.labels, now, &t.errors);
      if (by == a.silenced_by) continue;
      // The history, as ReapplySilences writes it (the daemon's poll usually
      // got there first: Cycle::ApplySilences).
      bool ended = by.empty();
      t.events.push_back({fp, now,
                          ended ? AlertEvent::Kind::kUnsilenced : AlertEvent::Kind::kSilenced, "",
                          "", ended ? a.silenced_by : by});
      a.silenced_by = std::move(by);
      t.changed.push_back(fp);
    }
  }
  m->alerts.merge(t.alerts);  // disjoint: every key of t.alerts was taken out above
  return t;
}

// The groups PlanNotifications puts |alert| in; false when a route cannot
// decide or a receiver pushes every alert: then only planning every group
// is exact.
bool GroupsOf(const Config& config, const std::string& fp, const AlertRecord& alert,
              std::vector<CycleMemory::Group>* out) {
  std::string error;
  std::vector<RouteMatch> matches = MatchRoutes(config.route, alert.labels, &error);
  if (!error.empty()) return false;
  for (const RouteMatch& m : matches) {
    const Receiver* receiver = config.FindReceiver(m.route->receiver);
    if (!receiver) continue;
    if (receiver->settings && receiver->settings->PushesAlerts()) return false;
    out->emplace_back(receiver->name, GroupOf(m, alert.labels, fp).key);
  }
  return true;
}

// Moves |fp| to the groups it is in now, adding its old and new groups to
// |touched|. False as GroupsOf.
bool Regroup(const Config& config, const std::string& fp, CycleMemory* m,
             std::set<CycleMemory::Group>* touched) {
  std::vector<const CycleMemory::Group*>& groups = m->groups_of[fp];
  for (const CycleMemory::Group* g : groups) {
    touched->insert(*g);
    m->members[*g].erase(fp);
  }
  groups.clear();
  auto alert = m->alerts.find(fp);
  if (alert == m->alerts.end()) return true;
  std::vector<CycleMemory::Group> now;
  if (!GroupsOf(config, fp, alert->second, &now)) return false;
  for (const CycleMemory::Group& g : now) {
    touched->insert(g);
    auto member = m->members.try_emplace(g).first;
    member->second.insert(fp);
    groups.push_back(&member->first);  // the group's key, kept once in |members|
  }
  return true;
}

// The shortest repeat_interval of |route| and its children.
Seconds ShortestRepeat(const Route& route) {
  Seconds shortest = route.repeat_interval;
  for (const Route& child : route.routes) shortest = std::min(shortest, ShortestRepeat(child));
  return shortest;
}

// The groups a full planning could decide anything about at |now| although
// none of their alerts changed: a change waiting for group_wait, or a
// reminder that may be due (by the shortest repeat_interval).
void AddTimedGroups(const Config& config, const CycleMemory& m, TimePoint now,
                    std::set<CycleMemory::Group>* touched) {
  Seconds repeat = ShortestRepeat(config.route);
  for (const auto& [group, entry] : m.log) {
    if (entry.pending_since ||
        (entry.last_sent && now >= SaturatingAdd(*entry.last_sent, repeat))) {
      touched->insert(group);
    }
  }
}

NotifyPlan PlanWithMemory(const Config& config, const AlertTransition& t, TimePoint now,
                          Seconds resolved_window, CycleMemory* m,
                          std::map<std::string, AlertRecord>* planned) {
  std::set<CycleMemory::Group> touched;
  bool exact = m->groups_valid;
  if (!exact) {  // the first cycle (or after a fallback): index every alert
    m->groups_of.clear();
    m->members.clear();
    exact = true;
    for (const auto& [fp, a] : m->alerts) exact = exact && Regroup(config, fp, m, &touched);
  } else {
    for (const std::string& fp : t.changed) exact = exact && Regroup(config, fp, m, &touched);
  }
  m->groups_valid = exact;
  if (exact) AddTimedGroups(config, *m, now, &touched);
  // An inhibit rule's source may sit in any group: plan every group.
  exact = exact && config.inhibit_rules.empty();
  // (Almost) every group: planning them all costs less than copying their alerts.
  if (!exact || touched.size() * 10 > m->members.size() * 9) {
    return PlanNotifications(config, m->alerts, m->log, now, resolved_window);
  }
  // Every alert of each touched group: a full planning decides the same for
  // these groups and nothing for the others, whose alerts and log entries
  // are as the last planning left them. The decisions about other groups of
  // these alerts (seen here in part) are dropped.
  for (const CycleMemory::Group& g : touched) {
    auto members = m->members.find(g);
    if (members == m->members.end()) continue;
    for (const std::string& fp : members->second) planned->emplace(fp, m->alerts.at(fp));
  }
  NotifyPlan plan = PlanNotifications(config, *planned, m->log, now, resolved_window);
  std::erase_if(plan.notifications, [&](const GroupNotification& n) {
    return !touched.count({n.receiver->name, n.group.key});
  });
  std::erase_if(plan.log_updates, [&](const NotifyLogEntry& e) {
    return !touched.count({e.receiver, e.group_key});
  });
  return plan;
}

// Evaluates the plans |ids| of |m|'s snapshot (of |versions|), noting them
// in |m|'s plans, and appends their findings to |findings|: each plan's,
// then all of them in one vector of the right size (a first cycle's, grown
// by doubling, would be held twice while it grows).
void EvaluatePlans(const RuleSet& rules, TimePoint now, const std::vector<int64_t>& ids,
                   const std::map<int64_t, int64_t>& versions, CycleMemory* m,
                   std::vector<Finding>* findings) {
  PlanEvaluator evaluator(rules, now);
  std::vector<std::vector<Finding>> found(ids.size());
  size_t total = findings->size();
  for (size_t i = 0; i < ids.size(); ++i) {  // by id, as the plans come in a full evaluation
    Plan& plan = *PlanAt(m->snapshot.get(), ids[i]);
    auto version = versions.find(ids[i]);
    CycleMemory::PlanMemo memo{version == versions.end() ? 0 : version->second, plan.name, {}, 0};
    found[i] = evaluator.EvaluateAlone(&plan, &memo.notes);
    memo.findings = found[i].size();
    total += found[i].size();
    m->plans[ids[i]] = std::move(memo);
  }
  findings->reserve(total);
  for (std::vector<Finding>& plan_found : found) {
    std::move(plan_found.begin(), plan_found.end(), std::back_inserter(*findings));
    plan_found = {};  // freed as it goes
  }
}

}  // namespace

Result<PlanUpdate> Cycle::UpdatePlans(TimePoint now) {
  CycleMemory& m = *memory_;
  int64_t day = EvaluationDay(rules_, now);
  bool all = !m.plans_valid || m.store_serial != store_->serial() || m.day != day;
  auto want = [&](const PlanVersion& v) {
    auto it = m.plans.find(v.id);
    return all || it == m.plans.end() || it->second.version != v.version;
  };
  Result<VersionedPlans> loaded = store_->LoadPlansIf(want);
  if (!loaded.ok()) return loaded.status();
  if (!all && loaded->versioned && loaded->generation < m.generation) {
    all = true;  // the file went back (restored from a copy): versions may repeat
    loaded = store_->LoadPlansIf(want);
    if (!loaded.ok()) return loaded.status();
  }
  all = all || !loaded->versioned;  // no versions: every plan was loaded
  PlanUpdate u;
  u.all = all;
  if (all) {  // the alerts stay: they are the state DB's
    m.plans.clear();
    m.snapshot.reset();
  }
  if (!m.snapshot) m.snapshot = std::make_shared<std::vector<Plan>>();
  DropRemoved(loaded->versions, &m, &u);
  std::vector<int64_t> ids;
  for (Plan& p : loaded->plans) {
    if (auto memo = m.plans.find(p.id); memo != m.plans.end()) u.names.insert(memo->second.name);
    u.names.insert(p.name);
    ids.push_back(p.id);
    auto at = PlanAt(m.snapshot.get(), p.id);
    if (at != m.snapshot->end() && at->id == p.id) {
      *at = std::move(p);
    } else {
      m.snapshot->insert(at, std::move(p));
    }
  }
  std::map<int64_t, int64_t> versions;
  for (const PlanVersion& v : loaded->versions) versions[v.id] = v.version;
  EvaluatePlans(rules_, now, ids, versions, &m, &u.eval.findings);
  std::vector<const PlanNotes*> notes;
  for (const auto& [id, memo] : m.plans) notes.push_back(&memo.notes);
  NotesWarnings(rules_, notes, &u.eval.warnings, &u.eval.errors);
  u.eval.snapshot = m.snapshot;
  u.evaluated = static_cast<int>(ids.size());
  m.plans_valid = true;
  m.store_serial = store_->serial();
  m.generation = loaded->generation;
  m.day = day;
  return u;
}

Result<CycleResult> Cycle::EvaluateWithMemory(TimePoint now) {
  auto started = std::chrono::steady_clock::now();
  CycleMemory& m = *memory_;
  Result<PlanUpdate> update = UpdatePlans(now);
  if (!update.ok()) return update.status();
  if (!m.alerts_valid) {
    Result<std::map<std::string, AlertRecord>> alerts = state_->alerts().LoadAlerts();
    if (!alerts.ok()) return alerts.status();
    Result<NotifyLog> log = state_->alerts().LoadNotifyLog();
    if (!log.ok()) return log.status();
    m.alerts = std::move(alerts).value();
    m.log = std::move(log).value();
    m.alerts_of_plan.clear(), m.firing = 0;  // the index of the alerts as loaded
    for (const auto& [fp, a] : m.alerts) {
      m.alerts_of_plan[a.finding.plan].insert(fp);
      m.firing += a.firing() ? 1 : 0;
    }
    m.alerts_valid = true;
  }
  Result<std::vector<Silence>> silences = state_->silences().LoadSilences(now, false);
  if (!silences.ok()) return silences.status();

  CycleResult result;
  result.eval = std::move(update->eval);
  for (const auto& [id, memo] : m.plans) result.findings += static_cast<int>(memo.findings);
  result.plans = static_cast<int>(m.plans.size());
  result.plans_evaluated = update->evaluated;
  result.warnings = result.eval.warnings;
  result.errors = result.eval.errors;
  ResolveContext why = MakeResolveContext(rules_, m.snapshot.get());
  AlertTransition t = ApplyToMemory(*update, &result.eval.findings, *silences, now, why, &m);
  // A silence that ended announces nothing new (only changed alerts can
  // have come out of a silence).
  for (const std::string& fp : t.changed) RestoreNotified(m.alerts.at(fp), now, &m.log);
  result.eval.findings = {};                   // they live on as alerts: a first cycle's are many
  std::map<std::string, AlertRecord> planned;  // the alerts |plan| points to, if not m.alerts
  NotifyPlan plan = PlanWithMemory(config_, t, now, PushTtl(), &m, &planned);
  Result<CycleResult> done =
      Finish(std::move(result), Outcome{t, m.alerts, plan, now, started, false, m.firing});
  if (done.ok()) {
    for (const NotifyLogEntry& e : plan.log_updates) m.log[{e.receiver, e.group_key}] = e;
  }
  return done;
}

}  // namespace shihyo
