#include "notify/webhook/webhook_kind.h"

#include "base/message_template.h"
#include "notify/webhook/webhook_notifier.h"
#include "notify/webhook/webhook_payload.h"

namespace shihyo {

namespace {

class Webhook : public ReceiverKind {
 public:
  const char* name() const override { return "webhook"; }

  std::shared_ptr<const ReceiverSettings> ReadConfig(const YamlField& field,
                                                     const std::string& context,
                                                     ConfigReader* reader) const override {
    return ReadWebhookConfig(field, context, reader);
  }

  Message BuildGroupMessage(const GroupNotification& n, const DigestContext& ctx,
                            const std::string& id) const override {
    return BuildWebhook(n, ctx, id);
  }

  std::unique_ptr<Notifier> MakeNotifier(const Receiver& r, const Config&,
                                         const Clock&) const override {
    const auto* w = r.SettingsAs<WebhookSettings>();
    return w ? std::make_unique<WebhookNotifier>(r.name, *w) : nullptr;
  }

  std::string Preview(const Message& m, const Receiver& r, const Config&,
                      TimePoint) const override {
    const auto* w = r.SettingsAs<WebhookSettings>();
    if (!w) return "";
    auto headers = WebhookHeaders(m, *w, true);
    if (!w->secret.empty()) {
      headers.emplace_back(w->signature_header, "sha256=… (HMAC of the body, at send time)");
    }
    return HttpPreview(w->url, headers, m.body);
  }

  Message TestMessage(const Receiver& r, const std::string& id, TimePoint now) const override {
    return BaseTestMessage(r, id, now);
  }

  std::optional<Message> AdminMessage(const Receiver& r, const AdminNotice& notice) const override;
};

std::optional<Message> Webhook::AdminMessage(const Receiver& r, const AdminNotice& notice) const {
  const auto* w = r.SettingsAs<WebhookSettings>();
  if (!w || w->format == WebhookSettings::Format::kAlertmanager) return std::nullopt;
  Message m = BaseAdminMessage(r, notice);
  m.content_type = w->content_type;
  if (w->format == WebhookSettings::Format::kTemplate && w->compiled_template) {
    nlohmann::json context = {{"receiver", r.name},
                              {"status", "admin"},
                              {"summary", notice.subject},
                              {"text", m.text},
                              {"count_new", "0"},
                              {"count_firing", "0"},
                              {"count_resolved", "0"},
                              {"message_id", m.id},
                              {"external_url", notice.external_url},
                              {"alerts", nlohmann::json::array()}};
    bool json = m.content_type.find("json") != std::string::npos;
    m.body = w->compiled_template->RenderJson(context, json);
  }
  return m;
}

}  // namespace

const ReceiverKind& WebhookKind() {
  static const Webhook kind;
  return kind;
}

}  // namespace shihyo
