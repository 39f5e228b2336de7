// One cycle of the daemon: evaluate the rules over the indicator store,
// update the alerts, decide the notifications and write them to the outbox
// in the same transaction, then deliver what is due. A dry run (preview)
// computes the messages and changes nothing. Not thread-safe.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "alert/alert_state.h"
#include "alert/notify_planner.h"
#include "config/config.h"
#include "eval/evaluator.h"
#include "model/rule.h"
#include "notify/message.h"
#include "service/outbox.h"
#include "state/state_store.h"
#include "store/store.h"

namespace shihyo {

struct CycleMemory;
struct PlanUpdate;

struct CycleResult {
  // With a CycleMemory, |eval.findings| is empty (the findings live on as
  // alerts) and |eval.snapshot| is the memory's; |findings| counts them all.
  EvalResult eval;
  int findings = 0;         // findings of every plan
  int plans = 0;            // plans in the store
  int plans_evaluated = 0;  // plans (re)loaded and evaluated by this cycle
  double cpu_ms = 0;        // CPU time the cycle took (its thread)
  int firing = 0;           // alerts firing after the cycle
  int fired = 0;            // alerts that started firing
  int resolved = 0;         // alerts that resolved
  // Created (or, in a dry run, that would be). Of a committed evaluation,
  // only their headers (id, receiver, kind, group key, summary, created_at):
  // the contents are in the outbox.
  std::vector<Message> messages;
  std::optional<TimePoint> next_flush;          // a group waiting for group_wait is due then
  std::map<std::string, Inhibition> inhibited;  // muted by inhibit rules, by fingerprint
  int written = 0;  // alerts whose row ApplySilences wrote (0: it wrote nothing)
  std::vector<std::string> warnings;
  // What could not be decided (regexes over PCRE2's match limit in rules,
  // routes and silences; non-finite expressions): also in |warnings|.
  std::vector<std::string> errors;
};

class Cycle {
 public:
  // All must outlive the cycle. With |memory| (which must hold what earlier
  // cycles with the same rules left, or nothing), a cycle that is not a dry
  // run evaluates only the plans that changed since (all of them when
  // |memory| is empty, the store was reopened or records no versions, or
  // EvaluationDay changed) and leaves its own results there.
  Cycle(const Config& config, const RuleSet& rules, IndicatorStore* store, StateStore* state,
        CycleMemory* memory = nullptr);

  // Evaluates at |now| and commits alerts and new messages in one
  // transaction; with |dry_run|, writes nothing. The alerts are the same as
  // without a memory, except that an alert's last_seen is the last time its
  // plan was evaluated.
  Result<CycleResult> Evaluate(TimePoint now, bool dry_run);

  // Applies the silences active at |now| to the alerts as they are, without
  // evaluating, and commits what changes (silenced_by, the history, and the
  // messages that follow, e.g. an alert never announced whose silence
  // ended). Nothing is written when no alert's silence changed (decided
  // from the memory's alerts when it holds them).
  Result<CycleResult> ApplySilences(TimePoint now);

  // How long a pushed firing alert lasts unless pushed again (Alertmanager),
  // and how long resolved alerts are still pushed: 4 evaluation intervals.
  Seconds PushTtl() const;

 private:
  std::vector<Message> BuildMessages(const NotifyPlan& plan, const EvalResult& eval,
                                     TimePoint now) const;
  Result<CycleResult> EvaluateOnce(TimePoint now, bool dry_run);
  // The cycle with |memory_| (cycle_memory.cc).
  Result<CycleResult> EvaluateWithMemory(TimePoint now);
  Result<PlanUpdate> UpdatePlans(TimePoint now);
  // What Finish commits.
  struct Outcome {
    AlertTransition& transition;                 // its events are moved to the commit
    std::map<std::string, AlertRecord>& alerts;  // every alert after the cycle
    const NotifyPlan& plan;
    TimePoint now;
    std::chrono::steady_clock::time_point started;
    bool dry_run = false;
    std::optional<int> firing;  // of |alerts|, when known
  };
  // Messages and the commit of |o|, common to both paths.
  Result<CycleResult> Finish(CycleResult result, const Outcome& o);

  const Config& config_;
  const RuleSet& rules_;
  IndicatorStore* store_;
  StateStore* state_;
  CycleMemory* memory_;
};

// The domain of Message-IDs: the From domain, else "shihyo.invalid".
std::string MessageIdDomain(const Config& config);

}  // namespace shihyo
