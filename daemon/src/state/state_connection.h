// Internal to state/: the one SQLite connection the alert, silence and outbox
// stores share, and the row writes a cycle makes in one transaction.
// Included only by state/*.cc. One instance per thread.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/sqlite_util.h"
#include "state/alert_store.h"
#include "state/outbox_store.h"

namespace shihyo {

struct StateConnection {
  StateConnection(const std::string& p, int timeout)
      : path(p), db(p, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE, timeout) {}
  std::string path;
  SQLite::Database db;

  // What changes whenever the DB may have: PRAGMA data_version (commits of
  // other connections, e.g. the CLI or the HTTP threads) and the rows this
  // connection changed. An idle poll compares it instead of querying.
  // After StateStore::BeginPoll, data_version is read once until the next
  // BeginPoll: the stores asked in one poll share one read transaction, and
  // another process's commit in between is seen at the next poll (the key a
  // store keeps is then older than what it read, never newer). Throws
  // SQLite::Exception (the caller guards).
  std::pair<int64_t, int64_t> ChangeKey() {
    if (!poll_data_version) {
      if (!data_version) data_version.emplace(db, "PRAGMA data_version");
      data_version->tryReset();  // after a step that threw
      data_version->executeStep();
      int64_t v = data_version->getColumn(0).getInt64();
      data_version->reset();  // ends the read transaction
      if (!in_poll) return {v, db.getTotalChanges()};
      poll_data_version = v;
    }
    return {*poll_data_version, db.getTotalChanges()};
  }
  std::optional<SQLite::Statement> data_version;  // prepared once
  bool in_poll = false;                           // BeginPoll was called
  std::optional<int64_t> poll_data_version;       // read in this poll
};

// Times are whole seconds since the Unix epoch.
inline int64_t Secs(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}
inline TimePoint FromSecs(int64_t s) { return TimePoint(std::chrono::seconds(s)); }

inline std::string Dump(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

inline nlohmann::json ParseJson(const std::string& text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  return j.is_discarded() ? nlohmann::json() : j;
}

// The writes of a cycle, for use inside the caller's transaction; they throw
// SQLite::Exception (the caller guards). alert_store.cc:
void WriteAlertRows(SQLite::Database& db, const std::vector<const AlertRecord*>& alerts);
// Updates the last_seen of |alerts| alone (their rows exist).
void WriteLastSeenRows(SQLite::Database& db, const std::vector<const AlertRecord*>& alerts);
void WriteEventRows(SQLite::Database& db, const std::vector<AlertEvent>& events);
void WriteNotifyLogRows(SQLite::Database& db, const std::vector<NotifyLogEntry>& log);
void WriteEvaluationRow(SQLite::Database& db, const EvaluationRecord& evaluation);
// outbox_store.cc: the outbox's payload column, the message as JSON; as
// text, Dump() of the JSON without building it.
nlohmann::json MessageToJson(const Message& m);
std::string MessagePayload(const Message& m);
// Queues |messages|; a message of a kind that
// ReplacesPending() supersedes its receiver's pending ones of that kind.
void WriteMessageRows(SQLite::Database& db, const std::vector<Message>& messages);
// The same for the messages |next| makes one at a time (nullopt: no more),
// each released once written.
void WriteMessageRows(SQLite::Database& db, const MessageSource& next);

}  // namespace shihyo
