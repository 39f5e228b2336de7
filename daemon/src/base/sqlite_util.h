// Internal: how SQLite errors become a Status, shared by the indicator store
// and the state store (the only .cc files that use SQLiteCpp).
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <filesystem>
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

// kIOError when |path| exists and is not a regular file (or a symlink to
// one): SQLite's open() of a FIFO blocks until a writer appears, with SIGTERM
// already blocked in the daemon. |what| names the file ("the state DB").
inline Status RequireRegularFile(const std::string& path, const char* what) {
  std::error_code ec;
  std::filesystem::file_status st = std::filesystem::status(path, ec);
  if (!std::filesystem::exists(st) || std::filesystem::is_regular_file(st)) return Status::Ok();
  return Status::IOError(path + ": not a regular file (" + what + " is an SQLite file)");
}

}  // namespace shihyo
