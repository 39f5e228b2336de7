#include "state/state_store_impl.h"

namespace shihyo {

namespace {

constexpr int kStateVersion = 1;

// Times are whole seconds since the Unix epoch.
constexpr const char* kStateSchema = R"sql(
CREATE TABLE alerts (
  fingerprint TEXT PRIMARY KEY,
  rule        TEXT NOT NULL,
  labels      TEXT NOT NULL,            -- JSON object
  finding     TEXT NOT NULL,            -- JSON of the last finding (message, evidence)
  state       TEXT NOT NULL CHECK (state IN ('firing', 'resolved')),
  starts_at   INTEGER NOT NULL,
  ends_at     INTEGER,
  last_seen   INTEGER NOT NULL,
  silenced_by TEXT NOT NULL DEFAULT ''
);
CREATE TABLE notify_log (
  receiver      TEXT NOT NULL,
  group_key     TEXT NOT NULL,
  last_sent     INTEGER,
  firing        TEXT NOT NULL DEFAULT '[]',  -- JSON array of fingerprints last sent as firing
  pending_since INTEGER,
  PRIMARY KEY (receiver, group_key)
);
CREATE TABLE silences (
  id         TEXT PRIMARY KEY,
  matchers   TEXT NOT NULL,               -- JSON [{label, value, regex}]
  starts_at  INTEGER NOT NULL,
  ends_at    INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  comment    TEXT NOT NULL
);
CREATE TABLE outbox (
  id              TEXT PRIMARY KEY,       -- Message-ID / X-Shihyo-Message-Id
  receiver        TEXT NOT NULL,
  kind            TEXT NOT NULL,
  group_key       TEXT NOT NULL,
  summary         TEXT NOT NULL,
  payload         TEXT NOT NULL,          -- JSON of the message
  status          TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'dead', 'superseded')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  created_at      INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  last_error      TEXT NOT NULL DEFAULT '',
  sent_at         INTEGER
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE TABLE evaluations (
  id          INTEGER PRIMARY KEY,
  at          INTEGER NOT NULL,
  findings    INTEGER NOT NULL,
  firing      INTEGER NOT NULL,
  fired       INTEGER NOT NULL,
  resolved    INTEGER NOT NULL,
  messages    INTEGER NOT NULL,
  duration_ms INTEGER NOT NULL
);
)sql";

}  // namespace

StateStore::StateStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
StateStore::~StateStore() = default;

Result<std::unique_ptr<StateStore>> StateStore::Open(const std::string& path, int busy_timeout_ms) {
  if (Status regular = RequireRegularFile(path, "the state DB"); !regular.ok()) return regular;
  std::unique_ptr<Impl> impl;
  Status s = GuardSqlite(path, "open", [&]() -> Status {
    impl = std::make_unique<Impl>(path, busy_timeout_ms);
    impl->db.exec("PRAGMA journal_mode = WAL");
    impl->db.exec("PRAGMA synchronous = FULL");  // a committed message survives power loss
    int version = impl->db.execAndGet("PRAGMA user_version").getInt();
    if (version > kStateVersion) {
      return Status::InvalidArgument(path + ": state schema version " + std::to_string(version) +
                                     " is newer than this shihyo");
    }
    if (version == 0) {
      int tables =
          impl->db.execAndGet("SELECT count(*) FROM sqlite_master WHERE type = 'table'").getInt();
      if (tables > 0) return Status::InvalidArgument(path + ": not a shihyo state DB");
      SQLite::Transaction txn(impl->db);
      impl->db.exec(kStateSchema);
      impl->db.exec("PRAGMA user_version = " + std::to_string(kStateVersion));
      txn.commit();
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return std::unique_ptr<StateStore>(new StateStore(std::move(impl)));
}

Result<std::map<std::string, AlertRecord>> StateStore::LoadAlerts() {
  std::map<std::string, AlertRecord> alerts;
  Status s = GuardSqlite(impl_->path, "load alerts", [&]() -> Status {
    SQLite::Statement q(impl_->db,
                        "SELECT fingerprint, rule, labels, finding, state, starts_at, ends_at,"
                        " last_seen, silenced_by FROM alerts");
    while (q.executeStep()) {
      AlertRecord a;
      a.fingerprint = q.getColumn(0).getString();
      a.rule = q.getColumn(1).getString();
      nlohmann::json labels = ParseJson(q.getColumn(2).getString());
      if (labels.is_object()) {
        for (const auto& [k, v] : labels.items()) {
          if (v.is_string()) a.labels[k] = v.get<std::string>();
        }
      }
      a.finding = ParseJson(q.getColumn(3).getString());
      a.state = q.getColumn(4).getString() == "firing" ? AlertRecord::State::kFiring
                                                       : AlertRecord::State::kResolved;
      a.starts_at = FromSecs(q.getColumn(5).getInt64());
      if (!q.getColumn(6).isNull()) a.ends_at = FromSecs(q.getColumn(6).getInt64());
      a.last_seen = FromSecs(q.getColumn(7).getInt64());
      a.silenced_by = q.getColumn(8).getString();
      alerts.emplace(a.fingerprint, std::move(a));
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return alerts;
}

Result<NotifyLog> StateStore::LoadNotifyLog() {
  NotifyLog log;
  Status s = GuardSqlite(impl_->path, "load notification log", [&]() -> Status {
    SQLite::Statement q(
        impl_->db, "SELECT receiver, group_key, last_sent, firing, pending_since FROM notify_log");
    while (q.executeStep()) {
      NotifyLogEntry e;
      e.receiver = q.getColumn(0).getString();
      e.group_key = q.getColumn(1).getString();
      if (!q.getColumn(2).isNull()) e.last_sent = FromSecs(q.getColumn(2).getInt64());
      nlohmann::json firing = ParseJson(q.getColumn(3).getString());
      if (firing.is_array()) {
        for (const auto& fp : firing) {
          if (fp.is_string()) e.firing.insert(fp.get<std::string>());
        }
      }
      if (!q.getColumn(4).isNull()) e.pending_since = FromSecs(q.getColumn(4).getInt64());
      log.emplace(std::make_pair(e.receiver, e.group_key), std::move(e));
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return log;
}

Status StateStore::CommitCycle(const CycleWrite& w) {
  return GuardSqlite(impl_->path, "commit cycle", [&]() -> Status {
    SQLite::Transaction txn(impl_->db);
    SQLite::Statement alert(
        impl_->db,
        "INSERT OR REPLACE INTO alerts (fingerprint, rule, labels, finding, state,"
        " starts_at, ends_at, last_seen, silenced_by)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (const AlertRecord* a : w.alerts) {
      nlohmann::json labels = nlohmann::json::object();
      for (const auto& [k, v] : a->labels) labels[k] = v;
      alert.bind(1, a->fingerprint);
      alert.bind(2, a->rule);
      alert.bind(3, Dump(labels));
      alert.bind(4, Dump(a->finding));
      alert.bind(5, a->firing() ? "firing" : "resolved");
      alert.bind(6, Secs(a->starts_at));
      a->ends_at ? alert.bind(7, Secs(*a->ends_at)) : alert.bind(7);
      alert.bind(8, Secs(a->last_seen));
      alert.bind(9, a->silenced_by);
      alert.exec();
      alert.reset();
    }
    SQLite::Statement log(
        impl_->db,
        "INSERT OR REPLACE INTO notify_log (receiver, group_key, last_sent, firing,"
        " pending_since) VALUES (?, ?, ?, ?, ?)");
    for (const NotifyLogEntry& e : w.log) {
      log.bind(1, e.receiver);
      log.bind(2, e.group_key);
      e.last_sent ? log.bind(3, Secs(*e.last_sent)) : log.bind(3);
      log.bind(4, Dump(nlohmann::json(e.firing)));
      e.pending_since ? log.bind(5, Secs(*e.pending_since)) : log.bind(5);
      log.exec();
      log.reset();
    }
    SQLite::Statement supersede(impl_->db,
                                "UPDATE outbox SET status = 'superseded' WHERE receiver = ?"
                                " AND kind = 'alertmanager' AND status = 'pending'");
    SQLite::Statement msg(impl_->db,
                          "INSERT INTO outbox (id, receiver, kind, group_key, summary, payload,"
                          " status, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?,"
                          " 'pending', ?, ?)");
    for (const Message& m : w.messages) {
      nlohmann::json payload = MessageToJson(m);
      if (m.kind == Receiver::Kind::kAlertmanager) {
        supersede.bind(1, m.receiver);
        supersede.exec();
        supersede.reset();
      }
      msg.bind(1, m.id);
      msg.bind(2, m.receiver);
      msg.bind(3, payload["kind"].get<std::string>());
      msg.bind(4, m.group_key);
      msg.bind(5, m.summary);
      msg.bind(6, Dump(payload));
      msg.bind(7, Secs(m.created_at));
      msg.bind(8, Secs(m.created_at));
      msg.exec();
      msg.reset();
    }
    if (w.evaluation) {
      const EvaluationRecord& e = *w.evaluation;
      SQLite::Statement ev(impl_->db,
                           "INSERT INTO evaluations (at, findings, firing, fired, resolved,"
                           " messages, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?)");
      ev.bind(1, Secs(e.at));
      ev.bind(2, e.findings);
      ev.bind(3, e.firing);
      ev.bind(4, e.fired);
      ev.bind(5, e.resolved);
      ev.bind(6, e.messages);
      ev.bind(7, e.duration_ms);
      ev.exec();
    }
    txn.commit();
    return Status::Ok();
  });
}

}  // namespace shihyo
