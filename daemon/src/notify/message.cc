#include "notify/message.h"

#include <cstdio>
#include <random>

namespace shihyo {

namespace {

const char* KindName(Receiver::Kind k) {
  switch (k) {
    case Receiver::Kind::kEmail:
      return "email";
    case Receiver::Kind::kWebhook:
      return "webhook";
    case Receiver::Kind::kAlertmanager:
      return "alertmanager";
  }
  return "email";
}

}  // namespace

nlohmann::json MessageToJson(const Message& m) {
  return {{"id", m.id},
          {"receiver", m.receiver},
          {"kind", KindName(m.kind)},
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

Result<Message> MessageFromJson(const nlohmann::json& j) {
  try {
    Message m;
    m.id = j.at("id").get<std::string>();
    m.receiver = j.at("receiver").get<std::string>();
    std::string kind = j.at("kind").get<std::string>();
    if (kind == "email") {
      m.kind = Receiver::Kind::kEmail;
    } else if (kind == "webhook") {
      m.kind = Receiver::Kind::kWebhook;
    } else if (kind == "alertmanager") {
      m.kind = Receiver::Kind::kAlertmanager;
    } else {
      return Status::InvalidArgument("unknown message kind '" + kind + "'");
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

std::string NewMessageId(const std::string& domain) {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(rng()),
                static_cast<unsigned long long>(rng()));
  return std::string(buf) + "@" + domain;
}

}  // namespace shihyo
