// The outbox in the state DB: messages waiting to be delivered, and what
// became of them. Messages are queued by StateStore::CommitCycle with the
// alert changes that cause them; the delivery loop marks them here. One
// instance per thread; borrows StateStore's connection.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "notify/message.h"

namespace shihyo {

struct StateConnection;

// Makes the messages of a cycle one at a time: the next one, or nullopt
// when there are no more.
using MessageSource = std::function<std::optional<Message>()>;

struct OutboxEntry {
  Message message;
  std::string status;  // pending, sent, dead, superseded
  int attempts = 0;
  TimePoint next_attempt_at{};
  std::string last_error;
  std::optional<TimePoint> sent_at;
};

class OutboxStore {
 public:
  // |connection| must outlive the store.
  explicit OutboxStore(StateConnection* connection) : c_(connection) {}
  OutboxStore(const OutboxStore&) = delete;
  OutboxStore& operator=(const OutboxStore&) = delete;

  // Pending messages due at |now|, oldest first. While the state DB has not
  // changed since a call that found none due, answers from memory until the
  // earliest pending message falls due (an idle poll costs one PRAGMA).
  Result<std::vector<OutboxEntry>> DueMessages(TimePoint now, int limit);
  // False when DueMessages(now) would answer none from memory.
  Result<bool> MaybeDue(TimePoint now);
  // Every message with |status| ("" for all), newest first.
  Result<std::vector<OutboxEntry>> ListOutbox(const std::string& status, int limit);
  // |note| (kept in last_error) says what went wrong although the message
  // was sent, e.g. the recipients the SMTP server refused.
  Status MarkSent(const std::string& id, TimePoint now, int attempts, const std::string& note = "");
  Status MarkRetry(const std::string& id, int attempts, TimePoint next_attempt,
                   const std::string& error);
  Status MarkDead(const std::string& id, int attempts, const std::string& error);
  // Puts dead (or all not-sent) messages back in the queue, due at |now|:
  // |ids| empty means every dead message. Returns how many; kNotFound names
  // an id that is neither dead nor pending.
  Result<int> Requeue(const std::vector<std::string>& ids, TimePoint now);
  // Pending messages (from memory while the state DB has not changed), and
  // when the earliest of them is due.
  Result<int> PendingCount();
  // Messages by (receiver, status), for the status page and /metrics.
  Result<std::map<std::pair<std::string, std::string>, int>> CountByReceiver();
  Result<std::optional<TimePoint>> NextAttempt();

 private:
  using ChangeKey = std::pair<int64_t, int64_t>;
  StateConnection* c_;
  // When nothing was due: the state DB's change key then, and the earliest
  // pending message's due time (none: no pending message).
  std::optional<std::pair<ChangeKey, std::optional<TimePoint>>> none_due_;
  std::optional<std::pair<ChangeKey, int>> pending_;  // the key and the count

  bool NoneDue(const ChangeKey& key, TimePoint now) const;
};

}  // namespace shihyo
