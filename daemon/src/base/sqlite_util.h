// Internal: how SQLite errors become a Status, shared by the indicator store
// and the state store (the only .cc files that use SQLiteCpp).
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <string>

#include "base/status.h"

namespace shihyo {

// Runs |fn| and turns SQLite exceptions into a Status naming |path| and |what|.
// Busy and locked errors become kUnavailable (transient), others kIOError.
template <typename Fn>
Status GuardSqlite(const std::string& path, const char* what, Fn&& fn) {
  try {
    return fn();
  } catch (const SQLite::Exception& e) {
    int code = e.getErrorCode() & 0xff;
    std::string msg = path + ": " + what + ": " + e.what();
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED) return Status::Unavailable(msg);
    return Status::IOError(msg);
  }
}

}  // namespace shihyo
