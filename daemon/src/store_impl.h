// Internal to the store module: the SQLite connection behind IndicatorStore.
// Included only by store*.cc.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <string>

#include "store.h"

namespace shihyo {

struct IndicatorStore::Impl {
  Impl(const std::string& p, int flags, int busy_timeout_ms)
      : path(p), db(p, flags, busy_timeout_ms) {}
  std::string path;
  SQLite::Database db;
};

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

// Binds "" as NULL-free text and std::optional<double> as REAL or NULL.
inline void BindOptional(SQLite::Statement& st, int index, const std::optional<double>& v) {
  if (v) {
    st.bind(index, *v);
  } else {
    st.bind(index);
  }
}

}  // namespace shihyo
