// Delivering the outbox: due messages are sent once each; transient failures
// are retried with exponential backoff and jitter until the message is older
// than max_age, then it is dead; permanent failures are dead at once.
// Delivery is at-least-once: a crash between sending and marking sent sends
// that one message again, with the same id. Not thread-safe.
#pragma once

#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "base/clock.h"
#include "config/config.h"
#include "notify/notifier.h"
#include "state/outbox_store.h"

namespace shihyo {

struct DeliveryReport {
  int sent = 0;
  int retrying = 0;
  int dead = 0;
  std::vector<std::string> dead_ids;  // died in this run
  std::vector<std::string> errors;    // one line per failed attempt
  // Sent, but some recipients refused: "id (receiver): addr (550 …), …".
  std::vector<std::string> partially_refused;
  std::map<std::string, int> sent_by, failed_by;  // by receiver: sent, failed attempts
};

// The delay before attempt |attempts| + 1: initial × 2^(attempts-1), capped
// at max, scaled by |jitter| in [0.5, 1] so retries of many messages spread.
Seconds Backoff(const OutboxConfig& config, int attempts, double jitter);

class Outbox {
 public:
  // |store|, |notifiers| and |clock| must outlive the outbox.
  Outbox(OutboxStore* store, Notifiers* notifiers, const OutboxConfig& config, const Clock& clock);

  // Sends the messages due now (at most |limit|), reading the clock before
  // each one so that slow sends do not shorten the backoff of later ones.
  // When a receiver fails transiently, its other due messages wait for the
  // same backoff instead of each timing out in turn. |keep_going| is asked
  // between messages (false: stop, e.g. on SIGTERM); after |budget| the
  // batch stops too, so the caller's loop keeps polling.
  Result<DeliveryReport> DeliverDue(int limit = 1000,
                                    const std::function<bool()>& keep_going = nullptr,
                                    std::chrono::seconds budget = std::chrono::seconds(60));

  // For tests: a fixed jitter instead of a random one.
  void SetJitter(double jitter) { fixed_jitter_ = jitter; }

 private:
  using Deferred =
      std::map<std::string, std::pair<TimePoint, std::string>>;  // receiver → until, why
  // Sends |e| (or defers it with its receiver), noting what happened in |report|.
  Status DeliverOne(const OutboxEntry& e, Deferred* deferred, DeliveryReport* report);

  OutboxStore* store_;
  Notifiers* notifiers_;
  OutboxConfig config_;
  const Clock& clock_;
  std::mt19937 rng_{std::random_device{}()};
  double fixed_jitter_ = -1;
};

}  // namespace shihyo
