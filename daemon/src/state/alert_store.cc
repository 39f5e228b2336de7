#include "state/alert_store.h"

#include "notify/alert_json.h"
#include "state/state_connection.h"

namespace shihyo {

Result<std::map<std::string, AlertRecord>> AlertStore::LoadAlerts() {
  std::map<std::string, AlertRecord> alerts;
  Status s = GuardSqlite(c_->path, "load alerts", [&]() -> Status {
    SQLite::Statement q(c_->db,
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
      a.finding = AlertFindingFromJson(ParseJson(q.getColumn(3).getString()));
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

Result<NotifyLog> AlertStore::LoadNotifyLog() {
  NotifyLog log;
  Status s = GuardSqlite(c_->path, "load notification log", [&]() -> Status {
    SQLite::Statement q(
        c_->db, "SELECT receiver, group_key, last_sent, firing, pending_since FROM notify_log");
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

void WriteAlertRows(SQLite::Database& db, const std::vector<const AlertRecord*>& alerts) {
  SQLite::Statement q(db,
                      "INSERT OR REPLACE INTO alerts (fingerprint, rule, labels, finding, state,"
                      " starts_at, ends_at, last_seen, silenced_by)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  for (const AlertRecord* a : alerts) {
    q.bind(1, a->fingerprint);
    q.bind(2, a->rule);
    q.bind(3, Dump(LabelsJson(a->labels)));
    q.bind(4, Dump(AlertFindingJson(a->finding)));
    q.bind(5, a->firing() ? "firing" : "resolved");
    q.bind(6, Secs(a->starts_at));
    a->ends_at ? q.bind(7, Secs(*a->ends_at)) : q.bind(7);
    q.bind(8, Secs(a->last_seen));
    q.bind(9, a->silenced_by);
    q.exec();
    q.reset();
  }
}

void WriteNotifyLogRows(SQLite::Database& db, const std::vector<NotifyLogEntry>& log) {
  SQLite::Statement q(db,
                      "INSERT OR REPLACE INTO notify_log (receiver, group_key, last_sent, firing,"
                      " pending_since) VALUES (?, ?, ?, ?, ?)");
  for (const NotifyLogEntry& e : log) {
    q.bind(1, e.receiver);
    q.bind(2, e.group_key);
    e.last_sent ? q.bind(3, Secs(*e.last_sent)) : q.bind(3);
    q.bind(4, Dump(nlohmann::json(e.firing)));
    e.pending_since ? q.bind(5, Secs(*e.pending_since)) : q.bind(5);
    q.exec();
    q.reset();
  }
}

void WriteEvaluationRow(SQLite::Database& db, const EvaluationRecord& e) {
  SQLite::Statement q(db,
                      "INSERT INTO evaluations (at, findings, firing, fired, resolved,"
                      " messages, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?)");
  q.bind(1, Secs(e.at));
  q.bind(2, e.findings);
  q.bind(3, e.firing);
  q.bind(4, e.fired);
  q.bind(5, e.resolved);
  q.bind(6, e.messages);
  q.bind(7, e.duration_ms);
  q.exec();
}

}  // namespace shihyo
