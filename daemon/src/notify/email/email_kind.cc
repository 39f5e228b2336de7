#include "notify/email/email_kind.h"

#include "base/text.h"
#include "config/config_reader.h"
#include "notify/email/smtp_notifier.h"

namespace shihyo {

namespace {

const EmailSettings& SettingsOf(const Receiver& r) {
  static const EmailSettings kNone;
  const auto* s = r.SettingsAs<EmailSettings>();
  return s ? *s : kNone;
}

void AddAddresses(const EmailSettings& s, Message* m) {
  m->to = s.to;
  m->cc = s.cc;
  m->bcc = s.bcc;
}

class Email : public ReceiverKind {
 public:
  const char* name() const override { return "email"; }

  std::shared_ptr<const ReceiverSettings> ReadConfig(const YamlField& field,
                                                     const std::string& context,
                                                     ConfigReader* r) const override;

  Message BuildGroupMessage(const GroupNotification& n, const DigestContext& ctx,
                            const std::string& id) const override {
    return BuildEmail(n, ctx, id);
  }

  std::unique_ptr<Notifier> MakeNotifier(const Receiver&, const Config& config,
                                         const Clock& clock) const override {
    return config.smtp ? std::make_unique<SmtpNotifier>(*config.smtp, clock) : nullptr;
  }

  std::string Preview(const Message& m, const Receiver&, const Config& config,
                      TimePoint now) const override {
    return config.smtp ? RenderEmailPreview(m, *config.smtp, now) + "\n" : "";
  }

  Message TestMessage(const Receiver& r, const std::string& id, TimePoint now) const override {
    Message m = BaseTestMessage(r, id, now);
    AddAddresses(SettingsOf(r), &m);
    return m;
  }

  std::optional<Message> AdminMessage(const Receiver& r, const AdminNotice& notice) const override {
    Message m = BaseAdminMessage(r, notice);
    AddAddresses(SettingsOf(r), &m);
    return m;
  }
};

std::shared_ptr<const ReceiverSettings> Email::ReadConfig(const YamlField& field,
                                                          const std::string& context,
                                                          ConfigReader* r) const {
  auto s = std::make_shared<EmailSettings>();
  for (const YamlField& f : ReadFields(field.value, field.mark(), context + ": 'email'",
                                       {"to", "cc", "bcc"}, &r->errors)) {
    std::string what = context + ": 'email': '" + f.key + "'";
    std::vector<std::string> list =
        ReadStringList(f, what, &r->errors).value_or(std::vector<std::string>{});
    for (const std::string& a : list) {
      if (!ValidAddress(a))
        r->errors.Add(f.mark(), what + ": '" + EscapeControls(a) + "' is not an email address");
    }
    (f.key == "to" ? s->to : f.key == "cc" ? s->cc : s->bcc) = list;
  }
  if (s->to.empty() && s->cc.empty() && s->bcc.empty()) {
    r->errors.Add(field.mark(), context + ": 'email': needs at least one address in to, cc or bcc");
  }
  r->needs_smtp = field.mark();  // checked at the end: smtp may come later in the file
  return s;
}

}  // namespace

const ReceiverKind& EmailKind() {
  static const Email kind;
  return kind;
}

Message BuildEmail(const GroupNotification& n, const DigestContext& ctx, const std::string& id) {
  Message m;
  m.id = id;
  m.receiver = n.receiver->name;
  m.kind = "email";
  m.group_key = n.group.key;
  m.created_at = ctx.now;
  m.subject = DigestSubject(n, ctx);
  m.summary = m.subject;
  AddAddresses(SettingsOf(*n.receiver), &m);
  m.text = DigestText(n, ctx);
  m.html = DigestHtml(n, ctx);
  return m;
}

}  // namespace shihyo
