// Delivering the outbox: due messages are sent once each; transient failures
// are retried with exponential backoff and jitter until the message is older
// than max_age, then it is dead; permanent failures are dead at once.
// Delivery is at-least-once: a crash between sending and marking sent sends
// that one message again, with the same id. Not thread-safe.
#pragma once

#include <functional>
#include <random>
#include <string>
#include <vector>

#include "config.h"
#include "notifier.h"
#include "state_store.h"

namespace shihyo {

struct DeliveryReport {
  int sent = 0;
  int retrying = 0;
  int dead = 0;
  std::vector<std::string> dead_ids;  // died in this run
  std::vector<std::string> errors;    // one line per failed attempt
};

// The delay before attempt |attempts| + 1: initial × 2^(attempts-1), capped
// at max, scaled by |jitter| in [0.5, 1] so retries of many messages spread.
Seconds Backoff(const OutboxConfig& config, int attempts, double jitter);

class Outbox {
 public:
  // |store| and |notifiers| must outlive the outbox.
  Outbox(StateStore* store, Notifiers* notifiers, const OutboxConfig& config);

  // Sends every message due at |now| (at most |limit|). |keep_going| is
  // asked between messages (false: stop, e.g. on SIGTERM).
  Result<DeliveryReport> DeliverDue(TimePoint now, int limit = 1000,
                                    const std::function<bool()>& keep_going = nullptr);

  // For tests: a fixed jitter instead of a random one.
  void SetJitter(double jitter) { fixed_jitter_ = jitter; }

 private:
  StateStore* store_;
  Notifiers* notifiers_;
  OutboxConfig config_;
  std::mt19937 rng_{std::random_device{}()};
  double fixed_jitter_ = -1;
};

}  // namespace shihyo
