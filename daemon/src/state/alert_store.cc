#include "state/alert_store.h"

#include <algorithm>
#include <set>
#include <string_view>
#include <tuple>
#include <unordered_set>

#include "notify/alert_json.h"
#include "notify/alert_json_text.h"
#include "state/state_connection.h"

namespace shihyo {

namespace {

void ReadNotified(const std::string& text, AlertRecord* a) {
  nlohmann::json pairs = ParseJson(text);
  if (!pairs.is_array()) return;
  for (const auto& p : pairs) {
    if (p.is_array() && p.size() == 2 && p[0].is_string() && p[1].is_string())
      a->notified.emplace(p[0].get<std::string>(), p[1].get<std::string>());
  }
}

// The text of [[receiver, group_key], …].
std::string NotifiedText(const AlertRecord& a) {
  std::string out = "[";
  for (const auto& [receiver, group_key] : a.notified) {
    if (out.size() > 1) out += ',';
    out += '[';
    AlertJsonWriter::AppendString(&out, receiver);
    out += ',';
    AlertJsonWriter::AppendString(&out, group_key);
    out += ']';
  }
  return out + "]";
}

// Alerts about one indicator read back with equal evidence share it, as
// they did when evaluated (alert/alert_finding.h).
class EvidenceInterner {
 public:
  void Share(AlertFinding* f) {
    if (!f->evidence.indicator) return;
    auto& known = by_indicator_[{f->plan, f->project, f->measure, f->indicator}];
    if (known && *known == *f->evidence.indicator) {
      f->evidence.indicator = known;
    } else {
      known = f->evidence.indicator;
    }
  }

 private:
  using Key = std::tuple<std::string, std::string, std::string, std::string>;
  std::map<Key, std::shared_ptr<const IndicatorEvidence>> by_indicator_;
};

// Notes in |t| that |fps| were told to |n|'s receiver as |detail| by |message_id|.
void Notified(const GroupNotification& n, const std::vector<const AlertRecord*>& alerts,
              const char* detail, const std::string& message_id, TimePoint now,
              std::unordered_set<std::string_view>* changed,
              std::map<std::string, AlertRecord>* records, AlertTransition* t) {
  bool firing = std::string(detail) != "resolved";
  for (const AlertRecord* alert : alerts) {
    auto it = records->find(alert->fingerprint);
    if (it == records->end()) continue;
    AlertRecord& a = it->second;
    a.last_notified = now;
    if (firing) a.notified.emplace(n.receiver->name, n.group.key);
    t->seen_only.erase(a.fingerprint);  // its whole row is written
    t->events.push_back(
        {a.fingerprint, now, AlertEvent::Kind::kNotified, n.receiver->name, message_id, detail});
    if (changed->insert(it->first).second) t->changed.push_back(a.fingerprint);
  }
}

}  // namespace

void RecordNotifications(const NotifyPlan& plan, const std::vector<Message>& messages,
                         TimePoint now, std::map<std::string, AlertRecord>* alerts,
                         AlertTransition* t) {
  size_t told = 0;  // one event each: a first cycle's are many
  for (const GroupNotification& n : plan.notifications) {
    told += n.fresh.size() + n.ongoing.size() + n.resolved.size();
  }
  t->events.reserve(t->events.size() + told);
  // The fingerprints of |t->changed| (which cannot grow past this reserve:
  // the views stay valid) and of the records (whose keys stay put).
  t->changed.reserve(t->changed.size() + told);
  std::unordered_set<std::string_view> changed(t->changed.begin(), t->changed.end());
  std::vector<bool> used(messages.size(), false);
  for (const GroupNotification& n : plan.notifications) {
    std::string id;
    for (size_t i = 0; i < messages.size(); ++i) {
      if (used[i] || messages[i].receiver != n.receiver->name ||
          messages[i].group_key != n.group.key)
        continue;
      used[i] = true;
      id = messages[i].id;
      break;
    }
    if (id.empty()) continue;  // no message was built (a kind that sends none)
    Notified(n, n.fresh, "new", id, now, &changed, alerts, t);
    Notified(n, n.ongoing, n.reminder ? "reminder" : "ongoing", id, now, &changed, alerts, t);
    Notified(n, n.resolved, "resolved", id, now, &changed, alerts, t);
  }
}

Result<std::map<std::string, AlertRecord>> AlertStore::LoadAlerts() {
  std::map<std::string, AlertRecord> alerts;
  EvidenceInterner evidence;
  Status s = GuardSqlite(c_->path, "load alerts", [&]() -> Status {
    SQLite::Statement q(c_->db,
                        "SELECT fingerprint, rule, labels, finding, state, starts_at, ends_at,"
                        " last_seen, silenced_by, resolved_reason, rule_digest, last_notified,"
                        " notified FROM alerts");
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
      evidence.Share(&a.finding);
      a.state = q.getColumn(4).getString() == "firing" ? AlertRecord::State::kFiring
                                                       : AlertRecord::State::kResolved;
      a.starts_at = FromSecs(q.getColumn(5).getInt64());
      if (!q.getColumn(6).isNull()) a.ends_at = FromSecs(q.getColumn(6).getInt64());
      a.last_seen = FromSecs(q.getColumn(7).getInt64());
      a.silenced_by = q.getColumn(8).getString();
      a.resolved_reason = q.getColumn(9).getString();
      a.rule_digest = q.getColumn(10).getString();
      if (!q.getColumn(11).isNull()) a.last_notified = FromSecs(q.getColumn(11).getInt64());
      ReadNotified(q.getColumn(12).getString(), &a);
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

void WriteAlertRows(SQLite::Database& db, const std::vector<const AlertRecord*>& written) {
  // In key order: each row then goes next to the last in the fingerprint
  // index, which a first cycle's (random) order would scatter over pages the
  // page cache cannot hold. Only the rowids differ; nothing reads by them.
  std::vector<const AlertRecord*> alerts = written;
  std::sort(alerts.begin(), alerts.end(), [](const AlertRecord* a, const AlertRecord* b) {
    return a->fingerprint < b->fingerprint;
  });
  SQLite::Statement q(db,
                      "INSERT OR REPLACE INTO alerts (fingerprint, rule, labels, finding, state,"
                      " starts_at, ends_at, last_seen, silenced_by, resolved_reason, rule_digest,"
                      " last_notified, notified) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  AlertJsonWriter json;  // the alerts (and their evidence) outlive it
  for (const AlertRecord* a : alerts) {
    q.bind(1, a->fingerprint);
    q.bind(2, a->rule);
    std::string labels = AlertJsonWriter::LabelsText(a->labels);
    std::string finding = json.Finding(a->finding);
    std::string notified = NotifiedText(*a);
    q.bindNoCopy(3, labels);  // they outlive exec()
    q.bindNoCopy(4, finding);
    q.bind(5, a->firing() ? "firing" : "resolved");
    q.bind(6, Secs(a->starts_at));
    a->ends_at ? q.bind(7, Secs(*a->ends_at)) : q.bind(7);
    q.bind(8, Secs(a->last_seen));
    q.bind(9, a->silenced_by);
    q.bind(10, a->resolved_reason);
    q.bind(11, a->rule_digest);
    a->last_notified ? q.bind(12, Secs(*a->last_notified)) : q.bind(12);
    q.bindNoCopy(13, notified);
    q.exec();
    q.reset();
  }
}

void WriteLastSeenRows(SQLite::Database& db, const std::vector<const AlertRecord*>& alerts) {
  if (alerts.empty()) return;
  SQLite::Statement q(db, "UPDATE alerts SET last_seen = ? WHERE fingerprint = ?");
  for (const AlertRecord* a : alerts) {
    q.bind(1, Secs(a->last_seen));
    q.bind(2, a->fingerprint);
    q.exec();
    q.reset();
  }
}

void WriteEventRows(SQLite::Database& db, const std::vector<AlertEvent>& events) {
  SQLite::Statement q(db,
                      "INSERT INTO alert_events (fingerprint, at, kind, receiver, message_id,"
                      " detail) VALUES (?, ?, ?, ?, ?, ?)");
  // By fingerprint (each alert's own events in their order): the index by
  // fingerprint is then written in order, as the alert rows are. Events
  // are read per alert, by id, only.
  std::vector<const AlertEvent*> order;
  order.reserve(events.size());
  for (const AlertEvent& e : events) order.push_back(&e);
  std::stable_sort(order.begin(), order.end(), [](const AlertEvent* a, const AlertEvent* b) {
    return a->fingerprint < b->fingerprint;
  });
  for (const AlertEvent* event : order) {
    const AlertEvent& e = *event;
    q.bind(1, e.fingerprint);
    q.bind(2, Secs(e.at));
    q.bind(3, AlertEventKindName(e.kind));
    q.bind(4, e.receiver);
    q.bind(5, e.message_id);
    q.bind(6, e.detail);
    q.exec();
    q.reset();
  }
}

Result<std::vector<AlertEvent>> AlertStore::LoadEvents(const std::string& fingerprint) {
  std::vector<AlertEvent> events;
  Status s = GuardSqlite(c_->path, "load alert history", [&]() -> Status {
    SQLite::Statement q(c_->db,
                        "SELECT at, kind, receiver, message_id, detail FROM alert_events"
                        " WHERE fingerprint = ? ORDER BY id");
    q.bind(1, fingerprint);
    while (q.executeStep()) {
      std::optional<AlertEvent::Kind> kind = AlertEventKindFromName(q.getColumn(1).getString());
      if (!kind) continue;  // written by a newer shihyo
      events.push_back({fingerprint, FromSecs(q.getColumn(0).getInt64()), *kind,
                        q.getColumn(2).getString(), q.getColumn(3).getString(),
                        q.getColumn(4).getString()});
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return events;
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
