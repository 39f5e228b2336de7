// StateStore: the daemon's own SQLite file (under StateDirectory=): alerts,
// the notification log, silences, the outbox and the evaluation history.
// A cycle's alert changes and the messages they cause are written in one
// transaction, so a crash loses nothing and sends nothing twice beyond the
// message in flight. All SQL stays in state_store*.cc. One instance per thread.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "alert/alert_state.h"
#include "alert/notify_planner.h"
#include "base/status.h"
#include "notify/message.h"

namespace shihyo {

struct OutboxEntry {
  Message message;
  std::string status;  // pending, sent, dead, superseded
  int attempts = 0;
  TimePoint next_attempt_at{};
  std::string last_error;
  std::optional<TimePoint> sent_at;
};

struct EvaluationRecord {
  TimePoint at{};
  int findings = 0;
  int firing = 0;
  int fired = 0;
  int resolved = 0;
  int messages = 0;
  int64_t duration_ms = 0;
};

// What one cycle writes, all or nothing.
struct CycleWrite {
  std::vector<const AlertRecord*> alerts;
  std::vector<NotifyLogEntry> log;
  std::vector<Message> messages;
  std::optional<EvaluationRecord> evaluation;
};

// Exclusive use of a state DB by one daemon (or one `daemon --once`): two
// writers would plan and send the same notifications. An flock on
// "<state>.lock", released when the object is destroyed or the process dies.
class StateLock {
 public:
  // kUnavailable when another process holds it.
  static Result<std::unique_ptr<StateLock>> Acquire(const std::string& state_path);
  ~StateLock();
  StateLock(const StateLock&) = delete;
  StateLock& operator=(const StateLock&) = delete;

 private:
  explicit StateLock(int fd) : fd_(fd) {}
  int fd_;
};

class StateStore {
 public:
  // Opens |path|, creating and migrating it. Busy waits up to |busy_timeout_ms|.
  static Result<std::unique_ptr<StateStore>> Open(const std::string& path,
                                                  int busy_timeout_ms = 5000);
  ~StateStore();
  StateStore(const StateStore&) = delete;
  StateStore& operator=(const StateStore&) = delete;

  Result<std::map<std::string, AlertRecord>> LoadAlerts();
  Result<NotifyLog> LoadNotifyLog();

  // Writes |write| in one transaction. Pending Alertmanager pushes of a
  // receiver that gets a new push are superseded by it (the new one carries
  // every alert the old ones did).
  Status CommitCycle(const CycleWrite& write);

  // Silences.
  Status AddSilence(const Silence& silence);
  // Silences that have not ended before |now| (all of them with |include_expired|).
  Result<std::vector<Silence>> LoadSilences(TimePoint now, bool include_expired);
  // Ends silence |id| at |now|; kNotFound when there is none.
  Status ExpireSilence(const std::string& id, TimePoint now);

  // The outbox.
  // Pending messages due at |now|, oldest first.
  Result<std::vector<OutboxEntry>> DueMessages(TimePoint now, int limit);
  // Every message with |status| ("" for all), newest first.
  Result<std::vector<OutboxEntry>> ListOutbox(const std::string& status, int limit);
  Status MarkSent(const std::string& id, TimePoint now, int attempts);
  Status MarkRetry(const std::string& id, int attempts, TimePoint next_attempt,
                   const std::string& error);
  Status MarkDead(const std::string& id, int attempts, const std::string& error);
  // Puts dead (or all not-sent) messages back in the queue, due at |now|:
  // |ids| empty means every dead message. Returns how many.
  Result<int> Requeue(const std::vector<std::string>& ids, TimePoint now);
  // Pending messages, and when the earliest of them is due.
  Result<int> PendingCount();
  Result<std::optional<TimePoint>> NextAttempt();

  // Deletes resolved alerts that ended before |before| and sent messages
  // older than it. Returns the number of rows removed.
  Result<int> Prune(TimePoint before);

  struct Impl;

 private:
  explicit StateStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace shihyo
