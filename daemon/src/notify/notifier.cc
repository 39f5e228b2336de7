#include "notify/notifier.h"

#include "notify/email/smtp_notifier.h"
#include "notify/webhook/webhook_notifier.h"

namespace shihyo {

Notifiers::Notifiers(const Config& config) {
  for (const Receiver& r : config.receivers) {
    if (r.kind == Receiver::Kind::kEmail) {
      if (config.smtp) by_name_[r.name] = std::make_unique<SmtpNotifier>(*config.smtp);
    } else {
      by_name_[r.name] = std::make_unique<HttpNotifier>(r);
    }
  }
}

Notifier* Notifiers::For(const std::string& receiver) {
  auto it = by_name_.find(receiver);
  return it == by_name_.end() ? nullptr : it->second.get();
}

void Notifiers::Set(const std::string& receiver, std::unique_ptr<Notifier> notifier) {
  by_name_[receiver] = std::move(notifier);
}

}  // namespace shihyo
