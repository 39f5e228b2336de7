#include "notify/receiver_kind.h"

#include <nlohmann/json.hpp>

#include "notify/digest.h"

namespace shihyo {

Message ReceiverKind::BuildPush(const ReceiverPush& push, const DigestContext& ctx, Seconds,
                                const std::string& id) const {
  Message m;
  m.id = id;
  m.receiver = push.receiver->name;
  m.kind = name();
  m.created_at = ctx.now;
  return m;
}

Message BaseTestMessage(const Receiver& r, const std::string& id, TimePoint now) {
  Message m;
  m.id = id;
  m.receiver = r.name;
  m.kind = r.kind;
  m.created_at = now;
  m.subject = "[shihyo] テスト送信（" + r.name + "）";
  m.summary = m.subject;
  m.text = "shihyo からのテスト送信です。このメールが届いていれば、受信者「" + r.name +
           "」の設定は正しく動いています。\n";
  std::string line = m.text.substr(0, m.text.size() - 1);  // without the final \n
  m.html = "<p>" + HtmlEscape(line) + "</p>";
  nlohmann::json body = {{"version", "1"},     {"id", m.id},
                         {"receiver", r.name}, {"status", "test"},
                         {"message", m.text},  {"alerts", nlohmann::json::array()}};
  m.body = body.dump();
  return m;
}

Message BaseAdminMessage(const Receiver& r, const AdminNotice& notice) {
  Message m;
  m.id = notice.id;
  m.receiver = r.name;
  m.kind = r.kind;
  m.group_key = "admin";
  m.created_at = notice.created_at;
  m.subject = notice.subject;
  m.summary = notice.subject;
  m.text = notice.text;
  // Rule errors and receivers' answers: anyone's text, escaped.
  m.html = HtmlPre(m.text);
  m.body = nlohmann::json{{"version", "1"},
                          {"id", m.id},
                          {"receiver", r.name},
                          {"status", "admin"},
                          {"summary", notice.subject},
                          {"errors", notice.lines}}
               .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return m;
}

std::string HttpPreview(const std::string& url,
                        const std::vector<std::pair<std::string, std::string>>& headers,
                        const std::string& body) {
  std::string out = "POST " + url + "\n";
  for (const auto& [k, v] : headers) out += k + ": " + v + "\n";
  nlohmann::json pretty = nlohmann::json::parse(body, nullptr, false);
  return out + "\n" + (pretty.is_discarded() ? body : pretty.dump(2)) + "\n\n";
}

}  // namespace shihyo
