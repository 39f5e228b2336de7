// What the daemon keeps from one cycle to the next, so that a cycle reloads
// and re-evaluates only the plans whose version changed in the store, reuses
// the findings of the others (as the alerts they raised) and writes only the
// alerts that changed. Owned by the daemon loop; filled and read by Cycle
// (service/cycle.cc) only. Not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "alert/alert_state.h"
#include "alert/notify_log.h"
#include "eval/evaluator.h"
#include "model/indicator.h"

namespace shihyo {

struct CycleMemory {
  // Forgets everything: the next cycle reloads every plan and the alerts
  // and evaluates every plan. The owner calls it when the rules or the
  // config are reloaded; Cycle calls it after a failed cycle.
  void Forget();
  // Forgets the alerts and the notification log only (they changed in the
  // state DB: Cycle::ApplySilences): the next cycle reloads them.
  void ForgetAlerts();

  // Drops the resolved alerts that ended before |before|, as StateStore::
  // Prune does in the state DB; at most once an hour (of |before|): the
  // others wait, unchanged, until the next time.
  void Prune(TimePoint before);
  std::optional<TimePoint> pruned;  // |before| of the last Prune that ran

  // What the last evaluation of one plan left.
  struct PlanMemo {
    int64_t version = 0;  // PlanVersion::version it was evaluated at
    std::string name;
    PlanNotes notes;  // what it added to the warnings
    size_t findings = 0;
  };

  // The plans as last evaluated: valid for the rules of the cycle that
  // filled them, at the EvaluationDay |day|, from the store object with
  // IndicatorStore::serial() |store_serial|.
  bool plans_valid = false;
  uint64_t store_serial = 0;
  int64_t generation = 0;
  int64_t day = 0;
  std::map<int64_t, PlanMemo> plans;            // by plan id
  std::shared_ptr<std::vector<Plan>> snapshot;  // by plan id, overrides applied

  // Every alert as committed to the state DB by the last cycle (the state
  // DB's alerts have no other writer while the daemon holds its lock).
  bool alerts_valid = false;
  std::map<std::string, AlertRecord> alerts;                    // by fingerprint
  std::map<std::string, std::set<std::string>> alerts_of_plan;  // fingerprints by finding.plan
  int firing = 0;                                               // firing alerts in |alerts|
  NotifyLog log;  // the state DB's notification log, with |alerts|
  // The silences the last cycle applied and whether each was active then:
  // while they stay the same, the alerts that did not change keep theirs.
  std::vector<std::pair<Silence, bool>> silences;

  // The notification groups (receiver, group key) of every alert in
  // |alerts|, as PlanNotifications forms them, so that a cycle plans only
  // the groups whose alerts changed or whose timers are due. Invalid while
  // a route cannot decide (a regex limit) or a receiver pushes every alert
  // (Alertmanager): every cycle then plans every group.
  using Group = std::pair<std::string, std::string>;
  bool groups_valid = false;
  // By fingerprint: keys of |members|, whose entries are never erased
  // (only cleared together with |groups_of|).
  std::map<std::string, std::vector<const Group*>> groups_of;
  std::map<Group, std::set<std::string>> members;  // fingerprints by group
};

}  // namespace shihyo
