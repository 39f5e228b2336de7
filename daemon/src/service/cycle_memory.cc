// The daemon's incremental cycle: only the plans whose version changed in the
// store are reloaded and evaluated; the alerts of the others stay as the
// memory holds them (only their silences are decided again), and only the
// alerts that changed are written.
#include "service/cycle_memory.h"

#include <algorithm>
#include <set>

#include "service/cycle.h"
#include "store/store.h"

namespace shihyo {

void CycleMemory::Forget() { *this = CycleMemory(); }

void CycleMemory::Prune(TimePoint before) {
  std::erase_if(alerts, [&](const auto& entry) {
    const AlertRecord& a = entry.second;
    return !a.firing() && a.ends_at && *a.ends_at < before;
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

// The alerts of |u|'s plans, taken out of |m| and updated with |findings|
// (ApplyFindings); the other alerts were found again as they were, so only
// their silences are decided again. Everything goes back into |m|.
AlertTransition ApplyToMemory(const PlanUpdate& u, const std::vector<Finding>& findings,
                              const std::vector<Silence>& silences, TimePoint now, CycleMemory* m) {
  std::map<std::string, AlertRecord> affected;
  if (u.all) {
    affected.swap(m->alerts);
  } else {
    for (auto it = m->alerts.begin(); it != m->alerts.end();) {
      auto next = std::next(it);
      if (u.names.count(it->second.finding.plan)) affected.insert(m->alerts.extract(it));
      it = next;
    }
  }
  AlertTransition t = ApplyFindings(affected, findings, silences, now);
  for (auto& [fp, a] : m->alerts) {
    if (!a.firing()) continue;
    std::string by = MutingSilence(silences, a.labels, now, &t.errors);
    if (by == a.silenced_by) continue;
    a.silenced_by = std::move(by);
    t.changed.push_back(fp);
  }
  m->alerts.merge(t.alerts);  // disjoint: every key of t.alerts was taken out above
  return t;
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
  PlanEvaluator evaluator(rules_, now);
  for (int64_t id : ids) {  // by id, as the plans come in a full evaluation
    Plan& plan = *PlanAt(m.snapshot.get(), id);
    CycleMemory::PlanMemo memo{versions[id], plan.name, {}, 0};
    std::vector<Finding> found = evaluator.EvaluateAlone(&plan, &memo.notes);
    memo.findings = found.size();
    std::move(found.begin(), found.end(), std::back_inserter(u.eval.findings));
    m.plans[id] = std::move(memo);
  }
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
    m.alerts = std::move(alerts).value();
    m.alerts_valid = true;
  }
  Result<std::vector<Silence>> silences = state_->silences().LoadSilences(now, false);
  if (!silences.ok()) return silences.status();
  Result<NotifyLog> log = state_->alerts().LoadNotifyLog();
  if (!log.ok()) return log.status();

  CycleResult result;
  result.eval = std::move(update->eval);
  for (const auto& [id, memo] : m.plans) result.findings += static_cast<int>(memo.findings);
  result.plans = static_cast<int>(m.plans.size());
  result.plans_evaluated = update->evaluated;
  result.warnings = result.eval.warnings;
  result.errors = result.eval.errors;
  AlertTransition t = ApplyToMemory(*update, result.eval.findings, *silences, now, &m);
  return Finish(std::move(result), t, m.alerts, *log, now, false, started);
}

}  // namespace shihyo
