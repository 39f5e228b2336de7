// StateStore: the daemon's own SQLite file (under StateDirectory=), holding
// the alert, silence and outbox stores on one connection. A cycle's alert
// changes and the messages they cause are written in one transaction, so a
// crash loses nothing and sends nothing twice beyond the message in flight.
// All SQL stays in state/*.cc. One instance per thread.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "state/alert_store.h"
#include "state/outbox_store.h"
#include "state/silence_store.h"
#include "state/state_lock.h"

namespace shihyo {

// What one cycle writes, all or nothing.
struct CycleWrite {
  std::vector<const AlertRecord*> alerts;
  std::vector<const AlertRecord*> seen;  // alerts whose last_seen alone changed
  std::vector<AlertEvent> events;        // appended to the alert history
  std::vector<NotifyLogEntry> log;
  std::vector<Message> messages;
  // More messages, written after |messages|: made one at a time inside the
  // transaction, so that only one is held in memory (a first cycle's
  // digests are large). Empty: none.
  MessageSource more_messages;
  std::optional<EvaluationRecord> evaluation;
};

class StateStore {
 public:
  // Opens |path|, creating and migrating it. Busy waits up to |busy_timeout_ms|.
  static Result<std::unique_ptr<StateStore>> Open(const std::string& path,
                                                  int busy_timeout_ms = 5000);
  ~StateStore();
  StateStore(const StateStore&) = delete;
  StateStore& operator=(const StateStore&) = delete;

  // The stores, valid as long as this object.
  AlertStore& alerts() { return alerts_; }
  SilenceStore& silences() { return silences_; }
  OutboxStore& outbox() { return outbox_; }

  // Writes |write| in one transaction. Pending pushes of a receiver that
  // gets a new push (a kind that ReplacesPending(), Alertmanager) are
  // superseded by it: the new one carries every alert the old ones did.
  Status CommitCycle(const CycleWrite& write);

  // Deletes resolved alerts that ended before |before|, sent messages,
  // evaluations and alert events older than it, the events of alerts no
  // longer kept, and all but the newest 200 events of each alert. Returns
  // the number of rows removed.
  Result<int> Prune(TimePoint before);

  // After a full disk or an I/O error: gives back to the file system the
  // space the write-ahead log holds (wal_checkpoint(TRUNCATE)), then proves
  // that a write commits again (one page). kIOError while writes still fail.
  Status CheckWritable();
  // Starts a poll of the daemon loop: from now on the state DB's
  // data_version (whether another process committed) is read once per poll
  // by the outbox and silence stores together (see StateConnection).
  void BeginPoll();

 private:
  explicit StateStore(std::unique_ptr<StateConnection> connection);
  std::unique_ptr<StateConnection> connection_;
  AlertStore alerts_;
  SilenceStore silences_;
  OutboxStore outbox_;
};

}  // namespace shihyo
