#include "state/state_store.h"

#include "state/state_connection.h"

namespace shihyo {

namespace {

constexpr int kStateVersion = 3;

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

// Version 2: why an alert resolved, its rule's digest, when it was last
// notified and to whom in this episode; the alert history.
constexpr const char* kStateMigration2 = R"sql(
ALTER TABLE alerts ADD COLUMN resolved_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE alerts ADD COLUMN rule_digest TEXT NOT NULL DEFAULT '';
ALTER TABLE alerts ADD COLUMN last_notified INTEGER;
ALTER TABLE alerts ADD COLUMN notified TEXT NOT NULL DEFAULT '[]';  -- JSON [[receiver, group_key]]
CREATE TABLE alert_events (
  id          INTEGER PRIMARY KEY,
  fingerprint TEXT NOT NULL,
  at          INTEGER NOT NULL,
  kind        TEXT NOT NULL,            -- fired, refired, notified, resolved, silenced, unsilenced
  receiver    TEXT NOT NULL DEFAULT '',
  message_id  TEXT NOT NULL DEFAULT '',
  detail      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX alert_events_by_fingerprint ON alert_events (fingerprint, id);
)sql";

// Version 3: the pending messages in the order they go out, by an index
// alone: finding the next few due ones no longer reads every pending
// message's row (created_at sits after the payload, a whole digest).
constexpr const char* kStateMigration3 = R"sql(
CREATE INDEX outbox_pending ON outbox (status, created_at, next_attempt_at);
)sql";

// At most this many events are kept per alert (the newest).
constexpr int kEventsPerAlert = 200;

// The alert history keeps, per alert, the events of the prune age and at
// most kEventsPerAlert of them; an alert's events go with its row.
int PruneEvents(SQLite::Database& db, TimePoint before) {
  SQLite::Statement old(db,
                        "DELETE FROM alert_events WHERE at < ?"
                        " OR fingerprint NOT IN (SELECT fingerprint FROM alerts)");
  old.bind(1, Secs(before));
  int n = old.exec();
  // Only the alerts over the limit are ranked (the index counts the rest).
  SQLite::Statement excess(
      db,
      "DELETE FROM alert_events WHERE id IN (SELECT id FROM (SELECT id,"
      " row_number() OVER (PARTITION BY fingerprint ORDER BY id DESC) AS nth"
      " FROM alert_events WHERE fingerprint IN (SELECT fingerprint FROM"
      " alert_events GROUP BY fingerprint HAVING count(*) > ?1)) WHERE nth > ?1)");
  excess.bind(1, kEventsPerAlert);
  return n + excess.exec();
}

}  // namespace

StateStore::StateStore(std::unique_ptr<StateConnection> connection)
    : connection_(std::move(connection)),
      alerts_(connection_.get()),
      silences_(connection_.get()),
      outbox_(connection_.get()) {}
StateStore::~StateStore() = default;

Result<std::unique_ptr<StateStore>> StateStore::Open(const std::string& path, int busy_timeout_ms) {
  if (Status regular = RequireRegularFile(path, "the state DB"); !regular.ok()) return regular;
  std::unique_ptr<StateConnection> c;
  Status s = GuardSqlite(path, "open", [&]() -> Status {
    c = std::make_unique<StateConnection>(path, busy_timeout_ms);
    c->db.exec("PRAGMA journal_mode = WAL");
    c->db.exec("PRAGMA synchronous = FULL");  // a committed message survives power loss
    int version = c->db.execAndGet("PRAGMA user_version").getInt();
    if (version > kStateVersion) {
      return Status::InvalidArgument(path + ": state schema version " + std::to_string(version) +
                                     " is newer than this shihyo");
    }
    if (version == 0) {
      int tables =
          c->db.execAndGet("SELECT count(*) FROM sqlite_master WHERE type = 'table'").getInt();
      if (tables > 0) return Status::InvalidArgument(path + ": not a shihyo state DB");
    }
    if (version < kStateVersion) {  // forward migrations, rows kept
      SQLite::Transaction txn(c->db);
      if (version < 1) c->db.exec(kStateSchema);
      if (version < 2) c->db.exec(kStateMigration2);
      if (version < 3) c->db.exec(kStateMigration3);
      c->db.exec("PRAGMA user_version = " + std::to_string(kStateVersion));
      txn.commit();
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return std::unique_ptr<StateStore>(new StateStore(std::move(c)));
}

Status StateStore::CommitCycle(const CycleWrite& w) {
  return GuardSqlite(connection_->path, "commit cycle", [&]() -> Status {
    SQLite::Transaction txn(connection_->db);
    WriteAlertRows(connection_->db, w.alerts);
    WriteLastSeenRows(connection_->db, w.seen);
    WriteEventRows(connection_->db, w.events);
    WriteNotifyLogRows(connection_->db, w.log);
    WriteMessageRows(connection_->db, w.messages);
    if (w.more_messages) WriteMessageRows(connection_->db, w.more_messages);
    if (w.evaluation) WriteEvaluationRow(connection_->db, *w.evaluation);
    txn.commit();
    return Status::Ok();
  });
}

Status StateStore::CheckWritable() {
  return GuardSqlite(connection_->path, "write check", [&]() -> Status {
    connection_->db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    connection_->db.exec("PRAGMA user_version = " + std::to_string(kStateVersion));
    return Status::Ok();
  });
}

void StateStore::BeginPoll() {
  connection_->in_poll = true;
  connection_->poll_data_version.reset();
}

Result<int> StateStore::Prune(TimePoint before) {
  int n = 0;
  Status st = GuardSqlite(connection_->path, "prune", [&]() -> Status {
    SQLite::Transaction txn(connection_->db);
    SQLite::Statement alerts(connection_->db,
                             "DELETE FROM alerts WHERE state = 'resolved' AND ends_at < ?");
    alerts.bind(1, Secs(before));
    n += alerts.exec();
    SQLite::Statement sent(
        connection_->db,
        "DELETE FROM outbox WHERE status IN ('sent', 'superseded') AND created_at < ?");
    sent.bind(1, Secs(before));
    n += sent.exec();
    SQLite::Statement evals(connection_->db, "DELETE FROM evaluations WHERE at < ?");
    evals.bind(1, Secs(before));
    n += evals.exec();
    n += PruneEvents(connection_->db, before);
    txn.commit();
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return n;
}

}  // namespace shihyo
