// One cycle of the daemon: evaluate the rules over the indicator store,
// update the alerts, decide the notifications and write them to the outbox
// in the same transaction, then deliver what is due. A dry run (preview)
// computes the messages and changes nothing. Not thread-safe.
#pragma once

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

struct CycleResult {
  EvalResult eval;
  int firing = 0;                               // alerts firing after the cycle
  int fired = 0;                                // alerts that started firing
  int resolved = 0;                             // alerts that resolved
  std::vector<Message> messages;                // created (or, in a dry run, that would be)
  std::optional<TimePoint> next_flush;          // a group waiting for group_wait is due then
  std::map<std::string, Inhibition> inhibited;  // muted by inhibit rules, by fingerprint
  std::vector<std::string> warnings;
  // What could not be decided (regexes over PCRE2's match limit in rules,
  // routes and silences; non-finite expressions): also in |warnings|.
  std::vector<std::string> errors;
};

class Cycle {
 public:
  // All must outlive the cycle.
  Cycle(const Config& config, const RuleSet& rules, IndicatorStore* store, StateStore* state);

  // Evaluates at |now| and commits alerts and new messages in one
  // transaction; with |dry_run|, writes nothing.
  Result<CycleResult> Evaluate(TimePoint now, bool dry_run);

  // Applies the silences active at |now| to the alerts as they are, without
  // evaluating, and commits what changes (silenced_by, the history, and the
  // messages that follow, e.g. an alert never announced whose silence
  // ended). Nothing is written when no alert's silence changed.
  Result<CycleResult> ApplySilences(TimePoint now);

  // How long a pushed firing alert lasts unless pushed again (Alertmanager),
  // and how long resolved alerts are still pushed: 4 evaluation intervals.
  Seconds PushTtl() const;

 private:
  std::vector<Message> BuildMessages(const NotifyPlan& plan, const EvalResult& eval,
                                     TimePoint now) const;

  const Config& config_;
  const RuleSet& rules_;
  IndicatorStore* store_;
  StateStore* state_;
};

// The domain of Message-IDs: the From domain, else "shihyo.invalid".
std::string MessageIdDomain(const Config& config);

}  // namespace shihyo
