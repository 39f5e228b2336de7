#include "state/silence_store.h"

#include "state/state_connection.h"

namespace shihyo {

Status SilenceStore::AddSilence(const Silence& s) {
  return GuardSqlite(c_->path, "add silence", [&]() -> Status {
    nlohmann::json matchers = nlohmann::json::array();
    for (const SilenceMatcher& m : s.matchers) {
      nlohmann::json j = {{"label", m.label}, {"value", m.value}, {"regex", m.regex}};
      if (m.negate) j["negate"] = true;  // absent in rows written before != existed
      matchers.push_back(std::move(j));
    }
    SQLite::Statement q(
        c_->db,
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

Result<std::vector<Silence>> SilenceStore::LoadSilences(TimePoint now, bool include_expired) {
  std::vector<Silence> out;
  Status st = GuardSqlite(c_->path, "load silences", [&]() -> Status {
    SQLite::Statement q(c_->db,
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
                                              m.value("regex", false), nullptr,
                                              m.value("negate", false)});
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

Status SilenceStore::ExpireSilence(const std::string& id, TimePoint now) {
  return GuardSqlite(c_->path, "expire silence", [&]() -> Status {
    SQLite::Statement q(c_->db, "UPDATE silences SET ends_at = min(ends_at, ?) WHERE id = ?");
    q.bind(1, Secs(now));
    q.bind(2, id);
    if (q.exec() == 0) return Status::NotFound("no silence with id '" + id + "'");
    return Status::Ok();
  });
}

Result<bool> SilenceStore::ActiveChanged(TimePoint now) {
  std::string active;
  bool same = false;
  int64_t at = Secs(now);
  Status st = GuardSqlite(c_->path, "poll silences", [&]() -> Status {
    std::pair<int64_t, int64_t> key = c_->ChangeKey();
    if (active_seen_ && key == seen_key_ && at >= seen_at_ &&
        (!next_boundary_ || at < *next_boundary_)) {
      same = true;  // no row changed and no silence started or ended
      return Status::Ok();
    }
    SQLite::Statement q(c_->db,
                        "SELECT id, ends_at FROM silences WHERE starts_at <= ? AND ends_at > ?"
                        " ORDER BY id");
    q.bind(1, at);
    q.bind(2, at);
    while (q.executeStep()) {
      active += q.getColumn(0).getString() + "@" + std::to_string(q.getColumn(1).getInt64()) + "\n";
    }
    SQLite::Statement next(c_->db,
                           "SELECT min(t) FROM (SELECT starts_at AS t FROM silences WHERE"
                           " starts_at > ?1 UNION ALL SELECT ends_at FROM silences WHERE"
                           " ends_at > ?1)");
    next.bind(1, at);
    next.executeStep();
    std::optional<int64_t> boundary;
    if (!next.getColumn(0).isNull()) boundary = next.getColumn(0).getInt64();
    seen_key_ = key, seen_at_ = at, next_boundary_ = boundary;
    return Status::Ok();
  });
  if (!st.ok()) return st;
  if (same) return false;
  bool changed = !active_seen_ || *active_seen_ != active;
  active_seen_ = std::move(active);
  return changed;
}

}  // namespace shihyo
