// Internal to the state_store module: the SQLite connection and helpers.
// Included only by state_store*.cc.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <nlohmann/json.hpp>
#include <string>

#include "base/sqlite_util.h"
#include "state/state_store.h"

namespace shihyo {

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

struct StateStore::Impl {
  Impl(const std::string& p, int timeout)
      : path(p), db(p, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE, timeout) {}
  std::string path;
  SQLite::Database db;

  OutboxEntry ReadEntry(SQLite::Statement& q) {
    OutboxEntry e;
    Result<Message> m = MessageFromJson(ParseJson(q.getColumn(0).getString()));
    if (m.ok()) e.message = *m;
    e.status = q.getColumn(1).getString();
    e.attempts = q.getColumn(2).getInt();
    e.next_attempt_at = FromSecs(q.getColumn(3).getInt64());
    e.last_error = q.getColumn(4).getString();
    if (!q.getColumn(5).isNull()) e.sent_at = FromSecs(q.getColumn(5).getInt64());
    if (e.message.id.empty()) e.message.id = q.getColumn(6).getString();
    return e;
  }
};

}  // namespace shihyo
