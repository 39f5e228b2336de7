#include "notify/alertmanager/alertmanager_kind.h"

#include "config/config_reader.h"
#include "notify/alert_json.h"
#include "notify/http_post.h"

namespace shihyo {

namespace {

std::string PostUrl(const AlertmanagerSettings& s) {
  std::string base = s.url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/api/v2/alerts";
}

class AlertmanagerNotifier : public Notifier {
 public:
  // |receiver| and |settings| must outlive the notifier.
  AlertmanagerNotifier(const Receiver& receiver, const AlertmanagerSettings& settings)
      : receiver_(receiver), settings_(settings) {}

  Status Send(const Message& m) override {
    HttpPostOptions o{PostUrl(settings_),
                      {},
                      settings_.timeout,
                      settings_.tls_verify,
                      "Alertmanager '" + receiver_.name + "'"};
    for (const auto& [k, v] : BaseHttpHeaders(m.content_type, m.id))
      o.headers.push_back(k + ": " + v);
    return HttpPost(o, m.body);
  }

 private:
  const Receiver& receiver_;
  const AlertmanagerSettings& settings_;
};

class Alertmanager : public ReceiverKind {
 public:
  const char* name() const override { return "alertmanager"; }

  std::shared_ptr<const ReceiverSettings> ReadConfig(const YamlField& field,
                                                     const std::string& context,
                                                     ConfigReader* r) const override {
    auto s = std::make_shared<AlertmanagerSettings>();
    bool has_url = false;
    for (const YamlField& f : ReadFields(field.value, field.mark(), context + ": 'alertmanager'",
                                         {"url", "timeout", "tls_verify"}, &r->errors)) {
      std::string what = context + ": 'alertmanager': '" + f.key + "'";
      if (f.key == "url") has_url = true, s->url = r->HttpUrl(f, what);
      if (f.key == "timeout") s->timeout = r->Timeout(f, what).value_or(s->timeout);
      if (f.key == "tls_verify") s->tls_verify = ReadBool(f, what, &r->errors).value_or(true);
    }
    if (field.value.IsMap() && !has_url)
      r->errors.Add(field.mark(), context + ": 'alertmanager': missing 'url'");
    return s;
  }

  Message BuildGroupMessage(const GroupNotification& n, const DigestContext& ctx,
                            const std::string& id) const override {
    // The planner pushes to Alertmanager receivers; it never groups for them.
    Message m;
    m.id = id;
    m.receiver = n.receiver->name;
    m.kind = name();
    m.created_at = ctx.now;
    return m;
  }

  Message BuildPush(const ReceiverPush& push, const DigestContext& ctx, Seconds ttl,
                    const std::string& id) const override {
    Message m;
    m.id = id;
    m.receiver = push.receiver->name;
    m.kind = name();
    m.group_key = "alertmanager";
    m.created_at = ctx.now;
    int firing = 0;
    for (const AlertRecord* a : push.alerts) firing += a->firing() ? 1 : 0;
    m.summary = "Alertmanager: " + std::to_string(firing) + " firing, " +
                std::to_string(push.alerts.size() - firing) + " resolved";
    m.body = AlertmanagerPushJson(push, ctx, ttl)
                 .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return m;
  }

  bool ReplacesPending() const override { return true; }

  std::unique_ptr<Notifier> MakeNotifier(const Receiver& r, const Config&,
                                         const Clock&) const override {
    const auto* s = r.SettingsAs<AlertmanagerSettings>();
    return s ? std::make_unique<AlertmanagerNotifier>(r, *s) : nullptr;
  }

  std::string Preview(const Message& m, const Receiver& r, const Config&,
                      TimePoint) const override {
    const auto* s = r.SettingsAs<AlertmanagerSettings>();
    return HttpPreview(s ? PostUrl(*s) : "", BaseHttpHeaders(m.content_type, m.id), m.body);
  }

  Message TestMessage(const Receiver& r, const std::string& id, TimePoint now) const override {
    // A real alert, so that it shows in Alertmanager's UI and reaches its
    // receivers; it ends by itself after five minutes.
    Message m = BaseTestMessage(r, id, now);
    nlohmann::json alert = {
        {"labels",
         {{"alertname", "ShihyoTest"},
          {"receiver", r.name},
          {"severity", "info"},
          {"source", "shihyo send-test"},
          {"message_id", id}}},
        {"annotations",
         {{"summary", "shihyo のテスト通知です（対応は不要です）"},
          {"description", "shihyo send-test で受信者 " + r.name + " へ送ったテストです。"}}},
        {"startsAt", FormatIso8601(now)},
        {"endsAt", FormatIso8601(SaturatingAdd(now, std::chrono::minutes(5)))}};
    m.body = nlohmann::json::array({alert}).dump();
    return m;
  }

  std::optional<Message> AdminMessage(const Receiver&, const AdminNotice&) const override {
    return std::nullopt;  // Alertmanager takes alerts only
  }
};

}  // namespace

const ReceiverKind& AlertmanagerKind() {
  static const Alertmanager kind;
  return kind;
}

nlohmann::json AlertmanagerPushJson(const ReceiverPush& push, const DigestContext& ctx,
                                    Seconds ttl) {
  nlohmann::json alerts = nlohmann::json::array();
  for (const AlertRecord* a : push.alerts) {
    TimePoint ends = a->firing() ? SaturatingAdd(ctx.now, ttl) : a->ends_at.value_or(ctx.now);
    alerts.push_back({{"labels", LabelsJson(a->labels)},
                      {"annotations", AlertAnnotationsJson(*a)},
                      {"startsAt", FormatIso8601(a->starts_at)},
                      {"endsAt", FormatIso8601(ends)},
                      {"generatorURL", GeneratorUrl(ctx.external_url, *a)}});
  }
  return alerts;
}

}  // namespace shihyo
