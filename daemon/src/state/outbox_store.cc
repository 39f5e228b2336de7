#include "state/outbox_store.h"

#include "notify/alert_json_text.h"
#include "notify/receiver_registry.h"
#include "state/state_connection.h"

namespace shihyo {

namespace {

constexpr const char* kEntryColumns =
    "payload, status, attempts, next_attempt_at, last_error, sent_at, id";

// Appends "key": |value| to the object |out| has begun (|*first| until a
// member is written).
void Member(std::string* out, bool* first, const char* key, const std::string& value) {
  *out += *first ? "\"" : ",\"";
  *first = false;
  *out += key;
  *out += "\":";
  AlertJsonWriter::AppendString(out, value);
}

void Member(std::string* out, bool* first, const char* key,
            const std::vector<std::string>& values) {
  *out += *first ? "\"" : ",\"";
  *first = false;
  *out += key;
  *out += "\":[";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) *out += ',';
    AlertJsonWriter::AppendString(out, values[i]);
  }
  *out += ']';
}

}  // namespace

nlohmann::json MessageToJson(const Message& m) {
  return {{"id", m.id},
          {"receiver", m.receiver},
          {"kind", m.kind},
          {"group_key", m.group_key},
          {"summary", m.summary},
          {"created_at", FormatIso8601(m.created_at)},
          {"subject", m.subject},
          {"to", m.to},
          {"cc", m.cc},
          {"bcc", m.bcc},
          {"text", m.text},
          {"html", m.html},
          {"content_type", m.content_type},
          {"body", m.body}};
}

std::string MessagePayload(const Message& m) {
  std::string out = "{";
  out.reserve(m.text.size() + m.html.size() + m.body.size() + 1024);
  bool first = true;
  Member(&out, &first, "bcc", m.bcc);  // the keys sorted, as Dump() writes them
  Member(&out, &first, "body", m.body);
  Member(&out, &first, "cc", m.cc);
  Member(&out, &first, "content_type", m.content_type);
  Member(&out, &first, "created_at", FormatIso8601(m.created_at));
  Member(&out, &first, "group_key", m.group_key);
  Member(&out, &first, "html", m.html);
  Member(&out, &first, "id", m.id);
  Member(&out, &first, "kind", m.kind);
  Member(&out, &first, "receiver", m.receiver);
  Member(&out, &first, "subject", m.subject);
  Member(&out, &first, "summary", m.summary);
  Member(&out, &first, "text", m.text);
  Member(&out, &first, "to", m.to);
  return out + "}";
}

namespace {

Result<Message> MessageFromJson(const nlohmann::json& j) {
  try {
    Message m;
    m.id = j.at("id").get<std::string>();
    m.receiver = j.at("receiver").get<std::string>();
    m.kind = j.at("kind").get<std::string>();
    if (!FindReceiverKind(m.kind)) {
      return Status::InvalidArgument("unknown message kind '" + m.kind + "'");
    }
    m.group_key = j.value("group_key", "");
    m.summary = j.value("summary", "");
    Result<TimePoint> created = ParseTime(j.value("created_at", ""));
    if (created.ok()) m.created_at = *created;
    m.subject = j.value("subject", "");
    m.to = j.value("to", std::vector<std::string>{});
    m.cc = j.value("cc", std::vector<std::string>{});
    m.bcc = j.value("bcc", std::vector<std::string>{});
    m.text = j.value("text", "");
    m.html = j.value("html", "");
    m.content_type = j.value("content_type", "application/json");
    m.body = j.value("body", "");
    return m;
  } catch (const nlohmann::json::exception& e) {
    return Status::InvalidArgument(std::string("malformed message: ") + e.what());
  }
}

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

}  // namespace

namespace {

// Writes |m| with |msg| (INSERT INTO outbox), superseding first with
// |supersede| what it replaces.
void WriteMessageRow(SQLite::Statement& supersede, SQLite::Statement& msg, const Message& m) {
  const ReceiverKind* kind = FindReceiverKind(m.kind);
  if (kind && kind->ReplacesPending()) {
    supersede.bind(1, m.receiver);
    supersede.bind(2, m.kind);
    supersede.exec();
    supersede.reset();
  }
  std::string payload = MessagePayload(m);
  msg.bind(1, m.id);
  msg.bind(2, m.receiver);
  msg.bind(3, m.kind);
  msg.bind(4, m.group_key);
  msg.bind(5, m.summary);
  msg.bindNoCopy(6, payload);  // it outlives exec()
  msg.bind(7, Secs(m.created_at));
  msg.bind(8, Secs(m.created_at));
  msg.exec();
  msg.reset();
}

void WriteMessages(SQLite::Database& db, const std::vector<Message>* messages,
                   const MessageSource* next) {
  SQLite::Statement supersede(db,
                              "UPDATE outbox SET status = 'superseded' WHERE receiver = ?"
                              " AND kind = ? AND status = 'pending'");
  SQLite::Statement msg(db,
                        "INSERT INTO outbox (id, receiver, kind, group_key, summary, payload,"
                        " status, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?,"
                        " 'pending', ?, ?)");
  if (messages) {
    for (const Message& m : *messages) WriteMessageRow(supersede, msg, m);
  }
  if (next) {
    while (std::optional<Message> m = (*next)()) WriteMessageRow(supersede, msg, *m);
  }
}

}  // namespace

void WriteMessageRows(SQLite::Database& db, const std::vector<Message>& messages) {
  WriteMessages(db, &messages, nullptr);
}

void WriteMessageRows(SQLite::Database& db, const MessageSource& next) {
  WriteMessages(db, nullptr, &next);
}

bool OutboxStore::NoneDue(const ChangeKey& key, TimePoint now) const {
  return none_due_ && none_due_->first == key && (!none_due_->second || now < *none_due_->second);
}

Result<bool> OutboxStore::MaybeDue(TimePoint now) {
  bool maybe = true;
  Status st = GuardSqlite(c_->path, "check due messages", [&]() -> Status {
    maybe = !NoneDue(c_->ChangeKey(), now);
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return maybe;
}

Result<std::vector<OutboxEntry>> OutboxStore::DueMessages(TimePoint now, int limit) {
  std::vector<OutboxEntry> out;
  Status st = GuardSqlite(c_->path, "load due messages", [&]() -> Status {
    ChangeKey key = c_->ChangeKey();  // before the query: a later commit changes it
    if (NoneDue(key, now)) return Status::Ok();
    none_due_.reset();
    // The due rows by the index alone, then each row: a message's columns
    // after its payload are read through the payload's pages.
    SQLite::Statement due(c_->db,
                          "SELECT rowid FROM outbox INDEXED BY outbox_pending"
                          " WHERE status = 'pending' AND next_attempt_at <= ?"
                          " ORDER BY created_at, rowid LIMIT ?");
    due.bind(1, Secs(now));
    due.bind(2, limit);
    std::vector<int64_t> rows;
    while (due.executeStep()) rows.push_back(due.getColumn(0).getInt64());
    SQLite::Statement q(c_->db,
                        std::string("SELECT ") + kEntryColumns + " FROM outbox WHERE rowid = ?");
    for (int64_t row : rows) {
      q.bind(1, row);
      if (q.executeStep()) out.push_back(ReadEntry(q));
      q.reset();
    }
    if (out.empty()) {
      SQLite::Column c =
          c_->db.execAndGet("SELECT min(next_attempt_at) FROM outbox WHERE status = 'pending'");
      none_due_.emplace(key, c.isNull() ? std::nullopt : std::optional(FromSecs(c.getInt64())));
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Result<std::vector<OutboxEntry>> OutboxStore::ListOutbox(const std::string& status, int limit) {
  std::vector<OutboxEntry> out;
  Status st = GuardSqlite(c_->path, "list outbox", [&]() -> Status {
    SQLite::Statement q(c_->db, std::string("SELECT ") + kEntryColumns + " FROM outbox" +
                                    (status.empty() ? "" : " WHERE status = ?") +
                                    " ORDER BY created_at DESC, rowid DESC LIMIT ?");
    int i = 1;
    if (!status.empty()) q.bind(i++, status);
    q.bind(i, limit);
    while (q.executeStep()) out.push_back(ReadEntry(q));
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Status OutboxStore::MarkSent(const std::string& id, TimePoint now, int attempts,
                             const std::string& note) {
  return GuardSqlite(c_->path, "mark sent", [&]() -> Status {
    SQLite::Statement q(c_->db,
                        "UPDATE outbox SET status = 'sent', sent_at = ?, attempts = ?,"
                        " last_error = ? WHERE id = ?");
    q.bind(1, Secs(now));
    q.bind(2, attempts);
    q.bind(3, note);
    q.bind(4, id);
    q.exec();
    return Status::Ok();
  });
}

Status OutboxStore::MarkRetry(const std::string& id, int attempts, TimePoint next_attempt,
                              const std::string& error) {
  return GuardSqlite(c_->path, "mark retry", [&]() -> Status {
    SQLite::Statement q(c_->db,
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

Status OutboxStore::MarkDead(const std::string& id, int attempts, const std::string& error) {
  return GuardSqlite(c_->path, "mark dead", [&]() -> Status {
    SQLite::Statement q(
        c_->db, "UPDATE outbox SET status = 'dead', attempts = ?, last_error = ? WHERE id = ?");
    q.bind(1, attempts);
    q.bind(2, error);
    q.bind(3, id);
    q.exec();
    return Status::Ok();
  });
}

Result<int> OutboxStore::Requeue(const std::vector<std::string>& ids, TimePoint now) {
  int n = 0;
  Status st = GuardSqlite(c_->path, "requeue", [&]() -> Status {
    SQLite::Transaction txn(c_->db);
    if (ids.empty()) {
      SQLite::Statement q(c_->db,
                          "UPDATE outbox SET status = 'pending', next_attempt_at = ?, attempts = 0"
                          " WHERE status = 'dead'");
      q.bind(1, Secs(now));
      n = q.exec();
    } else {
      SQLite::Statement q(c_->db,
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

Result<int> OutboxStore::PendingCount() {
  int n = 0;
  Status st = GuardSqlite(c_->path, "count pending", [&]() -> Status {
    ChangeKey key = c_->ChangeKey();
    if (pending_ && pending_->first == key) {
      n = pending_->second;
      return Status::Ok();
    }
    n = c_->db.execAndGet("SELECT count(*) FROM outbox WHERE status = 'pending'").getInt();
    pending_.emplace(key, n);
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return n;
}

Result<std::map<std::pair<std::string, std::string>, int>> OutboxStore::CountByReceiver() {
  std::map<std::pair<std::string, std::string>, int> counts;
  Status st = GuardSqlite(c_->path, "count messages", [&]() -> Status {
    SQLite::Statement q(c_->db, "SELECT receiver, status, count(*) FROM outbox GROUP BY 1, 2");
    while (q.executeStep()) {
      counts[{q.getColumn(0).getString(), q.getColumn(1).getString()}] = q.getColumn(2).getInt();
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return counts;
}

Result<std::optional<TimePoint>> OutboxStore::NextAttempt() {
  std::optional<TimePoint> next;
  Status st = GuardSqlite(c_->path, "next attempt", [&]() -> Status {
    SQLite::Column c =
        c_->db.execAndGet("SELECT min(next_attempt_at) FROM outbox WHERE status = 'pending'");
    if (!c.isNull()) next = FromSecs(c.getInt64());
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return next;
}

}  // namespace shihyo
