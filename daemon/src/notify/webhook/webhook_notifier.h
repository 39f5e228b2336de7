// Webhook and Alertmanager delivery over HTTP(S) with libcurl: POST the
// message body with a stable X-Shihyo-Message-Id, the configured headers and,
// with a secret, an HMAC-SHA256 signature of the body.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "config/config.h"
#include "notify/message.h"
#include "notify/notifier.h"

namespace shihyo {

// "sha256=" + hex HMAC-SHA256 of |body| with |secret|.
std::string SignBody(const std::string& secret, const std::string& body);

// The request headers of |m| for |receiver| (without the signature, which
// needs the secret); configured header values are shown as "***" when
// |mask_configured| (preview).
std::vector<std::pair<std::string, std::string>> WebhookHeaders(const Message& m,
                                                                const Receiver& receiver,
                                                                bool mask_configured);

// The URL a message for |receiver| is posted to.
std::string PostUrl(const Receiver& receiver);

class HttpNotifier : public Notifier {
 public:
  // |receiver| (a webhook or an Alertmanager) must outlive the notifier.
  explicit HttpNotifier(const Receiver& receiver) : receiver_(receiver) {}
  Status Send(const Message& message) override;

 private:
  const Receiver& receiver_;
};

}  // namespace shihyo
