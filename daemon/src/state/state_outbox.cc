// StateStore: silences, the outbox queue and pruning.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "state/state_store_impl.h"

namespace shihyo {

namespace {

constexpr const char* kEntryColumns =
    "payload, status, attempts, next_attempt_at, last_error, sent_at, id";

}  // namespace

Result<std::unique_ptr<StateLock>> StateLock::Acquire(const std::string& state_path) {
  std::string path = state_path + ".lock";
  int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Status::IOError(path + ": " + std::strerror(errno));
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    close(fd);
    return Status::Unavailable(state_path +
                               ": another shihyo daemon is using this state DB (is the service "
                               "running? then let it do the work, or stop it first)");
  }
  return std::unique_ptr<StateLock>(new StateLock(fd));
}

StateLock::~StateLock() { close(fd_); }

Status StateStore::AddSilence(const Silence& s) {
  return GuardSqlite(impl_->path, "add silence", [&]() -> Status {
    nlohmann::json matchers = nlohmann::json::array();
    for (const SilenceMatcher& m : s.matchers) {
      matchers.push_back({{"label", m.label}, {"value", m.value}, {"regex", m.regex}});
    }
    SQLite::Statement q(
        impl_->db,
        "INSERT INTO silences (id, matchers, starts_at, ends_at, created_by, comment)"
        " VALUES (?, ?, ?, ?, ?, ?)");
    q.bind(1, s.id);
    q.bind(2, Dump(matchers));
    q.bind(3, Secs(s.starts_at));
    q.bind(4, Secs(s.ends_at));
    q.bind(5, s.created_by);
    q.bind(6, s.comment);
    q.exec();
    return Status::Ok();
  });
}

Result<std::vector<Silence>> StateStore::LoadSilences(TimePoint now, bool include_expired) {
  std::vector<Silence> out;
  Status st = GuardSqlite(impl_->path, "load silences", [&]() -> Status {
    SQLite::Statement q(impl_->db,
                        std::string("SELECT id, matchers, starts_at, ends_at, created_by, comment"
                                    " FROM silences") +
                            (include_expired ? "" : " WHERE ends_at > ?") + " ORDER BY starts_at");
    if (!include_expired) q.bind(1, Secs(now));
    while (q.executeStep()) {
      Silence s;
      s.id = q.getColumn(0).getString();
      nlohmann::json matchers = ParseJson(q.getColumn(1).getString());
      if (matchers.is_array()) {
        for (const auto& m : matchers) {
          s.matchers.push_back(SilenceMatcher{m.value("label", ""), m.value("value", ""),
                                              m.value("regex", false), nullptr});
        }
      }
      // Compiled once per load; a bad stored regex simply never matches.
      (void)CompileSilence(&s);
      s.starts_at = FromSecs(q.getColumn(2).getInt64());
      s.ends_at = FromSecs(q.getColumn(3).getInt64());
      s.created_by = q.getColumn(4).getString();
      s.comment = q.getColumn(5).getString();
      out.push_back(std::move(s));
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Status StateStore::ExpireSilence(const std::string& id, TimePoint now) {
  return GuardSqlite(impl_->path, "expire silence", [&]() -> Status {
    SQLite::Statement q(impl_->db, "UPDATE silences SET ends_at = min(ends_at, ?) WHERE id = ?");
    q.bind(1, Secs(now));
    q.bind(2, id);
    if (q.exec() == 0) return Status::NotFound("no silence with id '" + id + "'");
    return Status::Ok();
  });
}

Result<std::vector<OutboxEntry>> StateStore::DueMessages(TimePoint now, int limit) {
  std::vector<OutboxEntry> out;
  Status st = GuardSqlite(impl_->path, "load due messages", [&]() -> Status {
    SQLite::Statement q(impl_->db, std::string("SELECT ") + kEntryColumns +
                                       " FROM outbox WHERE status = 'pending' AND"
                                       " next_attempt_at <= ? ORDER BY created_at, rowid LIMIT ?");
    q.bind(1, Secs(now));
    q.bind(2, limit);
    while (q.executeStep()) out.push_back(impl_->ReadEntry(q));
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Result<std::vector<OutboxEntry>> StateStore::ListOutbox(const std::string& status, int limit) {
  std::vector<OutboxEntry> out;
  Status st = GuardSqlite(impl_->path, "list outbox", [&]() -> Status {
    SQLite::Statement q(impl_->db, std::string("SELECT ") + kEntryColumns + " FROM outbox" +
                                       (status.empty() ? "" : " WHERE status = ?") +
                                       " ORDER BY created_at DESC, rowid DESC LIMIT ?");
    int i = 1;
    if (!status.empty()) q.bind(i++, status);
    q.bind(i, limit);
    while (q.executeStep()) out.push_back(impl_->ReadEntry(q));
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Status StateStore::MarkSent(const std::string& id, TimePoint now, int attempts) {
  return GuardSqlite(impl_->path, "mark sent", [&]() -> Status {
    SQLite::Statement q(impl_->db,
                        "UPDATE outbox SET status = 'sent', sent_at = ?, attempts = ?,"
                        " last_error = '' WHERE id = ?");
    q.bind(1, Secs(now));
    q.bind(2, attempts);
    q.bind(3, id);
    q.exec();
    return Status::Ok();
  });
}

Status StateStore::MarkRetry(const std::string& id, int attempts, TimePoint next_attempt,
                             const std::string& error) {
  return GuardSqlite(impl_->path, "mark retry", [&]() -> Status {
    SQLite::Statement q(impl_->db,
                        "UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ?"
                        " WHERE id = ?");
    q.bind(1, attempts);
    q.bind(2, Secs(next_attempt));
    q.bind(3, error);
    q.bind(4, id);
    q.exec();
    return Status::Ok();
  });
}

Status StateStore::MarkDead(const std::string& id, int attempts, const std::string& error) {
  return GuardSqlite(impl_->path, "mark dead", [&]() -> Status {
    SQLite::Statement q(
        impl_->db, "UPDATE outbox SET status = 'dead', attempts = ?, last_error = ? WHERE id = ?");
    q.bind(1, attempts);
    q.bind(2, error);
    q.bind(3, id);
    q.exec();
    return Status::Ok();
  });
}

Result<int> StateStore::Requeue(const std::vector<std::string>& ids, TimePoint now) {
  int n = 0;
  Status st = GuardSqlite(impl_->path, "requeue", [&]() -> Status {
    SQLite::Transaction txn(impl_->db);
    if (ids.empty()) {
      SQLite::Statement q(impl_->db,
                          "UPDATE outbox SET status = 'pending', next_attempt_at = ?, attempts = 0"
                          " WHERE status = 'dead'");
      q.bind(1, Secs(now));
      n = q.exec();
    } else {
      SQLite::Statement q(impl_->db,
                          "UPDATE outbox SET status = 'pending', next_attempt_at = ?, attempts = 0"
                          " WHERE id = ? AND status IN ('dead', 'pending')");
      for (const std::string& id : ids) {
        q.bind(1, Secs(now));
        q.bind(2, id);
        int changed = q.exec();
        q.reset();
        if (changed == 0)
          return Status::NotFound("no dead or pending message with id '" + id + "'");
        n += changed;
      }
    }
    txn.commit();
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return n;
}

Result<int> StateStore::PendingCount() {
  int n = 0;
  Status st = GuardSqlite(impl_->path, "count pending", [&]() -> Status {
    n = impl_->db.execAndGet("SELECT count(*) FROM outbox WHERE status = 'pending'").getInt();
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return n;
}

Result<std::optional<TimePoint>> StateStore::NextAttempt() {
  std::optional<TimePoint> next;
  Status st = GuardSqlite(impl_->path, "next attempt", [&]() -> Status {
    SQLite::Column c =
        impl_->db.execAndGet("SELECT min(next_attempt_at) FROM outbox WHERE status = 'pending'");
    if (!c.isNull()) next = FromSecs(c.getInt64());
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return next;
}

Result<int> StateStore::Prune(TimePoint before) {
  int n = 0;
  Status st = GuardSqlite(impl_->path, "prune", [&]() -> Status {
    SQLite::Transaction txn(impl_->db);
    SQLite::Statement alerts(impl_->db,
                             "DELETE FROM alerts WHERE state = 'resolved' AND ends_at < ?");
    alerts.bind(1, Secs(before));
    n += alerts.exec();
    SQLite::Statement sent(
        impl_->db, "DELETE FROM outbox WHERE status IN ('sent', 'superseded') AND created_at < ?");
    sent.bind(1, Secs(before));
    n += sent.exec();
    SQLite::Statement evals(impl_->db, "DELETE FROM evaluations WHERE at < ?");
    evals.bind(1, Secs(before));
    n += evals.exec();
    txn.commit();
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return n;
}

}  // namespace shihyo
