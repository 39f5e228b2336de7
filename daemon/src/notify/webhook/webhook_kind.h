// The webhook receiver kind: a POST per group notification, in shihyo's own
// JSON, Alertmanager's webhook payload or a template body for chat tools,
// optionally signed. Settings are plain data after loading; thread-safe.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "config/config.h"
#include "notify/receiver_kind.h"

namespace shihyo {

class MessageTemplate;

struct WebhookSettings : ReceiverSettings {
  enum class Format {
    kShihyo,        // shihyo's own JSON (README.md documents it)
    kAlertmanager,  // Alertmanager's webhook payload, version 4
    kTemplate,      // |body_template| rendered per message (chat tools)
  };
  std::string url;
  Format format = Format::kShihyo;
  std::string body_template;
  std::shared_ptr<const MessageTemplate> compiled_template;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  SecretSource secret;  // HMAC-SHA256 of the body, hex, in |signature_header|
  std::string signature_header = "X-Shihyo-Signature";
  Seconds timeout{10};
  bool tls_verify = true;
  int max_alerts = 0;  // alertmanager format: truncate beyond this many (0 = all)
};

// The kind, as the registry lists it.
const ReceiverKind& WebhookKind();

// Reads a receiver's 'webhook' section (webhook_config.cc).
std::shared_ptr<const ReceiverSettings> ReadWebhookConfig(const YamlField& field,
                                                          const std::string& context,
                                                          ConfigReader* reader);

}  // namespace shihyo
