// `shihyo daemon --once` and `shihyo preview`: one turn of the daemon's work
// outside its loop, from a loaded config and an open state DB: take the
// state DB's lock, load the rules, open the indicator store, run the cycle
// and deliver what is due. A dry run (preview) locks, changes and sends
// nothing. Not thread-safe.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "config/config.h"
#include "service/cycle.h"
#include "service/outbox.h"
#include "state/state_store.h"

namespace shihyo {

struct OnceOptions {
  TimePoint now{};
  bool dry_run = false;
  // The outbox's clock (retry times) and the notifiers' (the email Date
  // header). Both must outlive the call; unused in a dry run.
  const Clock* outbox_clock = nullptr;
  const Clock* send_clock = nullptr;
  // Called with the cycle's result before anything is delivered.
  std::function<void(const CycleResult&)> evaluated;
};

struct OnceReport {
  std::vector<std::string> rule_errors;  // not empty: the rules are invalid, nothing was done
  CycleResult cycle;
  DeliveryReport delivery;  // not in a dry run
  int pending = 0;          // not in a dry run: messages left in the outbox
};

// Runs one turn on |state| (which belongs to |config|). kUnavailable when
// another daemon holds the state DB's lock; other errors from the indicator
// store, the cycle or the outbox.
Result<OnceReport> RunOnce(const Config& config, StateStore* state, const OnceOptions& options);

}  // namespace shihyo
