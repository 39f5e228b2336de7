// Webhook delivery over HTTP(S): POST the message body with a stable
// X-Shihyo-Message-Id, the configured headers and, with a secret, an
// HMAC-SHA256 signature of the body. Thread-compatible.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "notify/message.h"
#include "notify/notifier.h"
#include "notify/webhook/webhook_kind.h"

namespace shihyo {

// "sha256=" + hex HMAC-SHA256 of |body| with |secret|.
std::string SignBody(const std::string& secret, const std::string& body);

// The request headers of |m| (without the signature, which needs the
// secret); configured header values are shown as "***" when
// |mask_configured| (preview).
std::vector<std::pair<std::string, std::string>> WebhookHeaders(const Message& m,
                                                                const WebhookSettings& settings,
                                                                bool mask_configured);

class WebhookNotifier : public Notifier {
 public:
  // |name| names the receiver in errors; |settings| must outlive the notifier.
  WebhookNotifier(std::string name, const WebhookSettings& settings)
      : name_(std::move(name)), settings_(settings) {}
  Status Send(const Message& message) override;

 private:
  std::string name_;
  const WebhookSettings& settings_;
};

}  // namespace shihyo
