#include "notify/webhook/webhook_notifier.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdio>

#include "notify/http_post.h"

namespace shihyo {

std::string SignBody(const std::string& secret, const std::string& body) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), mac, &len);
  std::string hex = "sha256=";
  char buf[3];
  for (unsigned int i = 0; i < len; ++i) {
    std::snprintf(buf, sizeof buf, "%02x", mac[i]);
    hex += buf;
  }
  return hex;
}

std::vector<std::pair<std::string, std::string>> WebhookHeaders(const Message& m,
                                                                const WebhookSettings& w,
                                                                bool mask_configured) {
  std::vector<std::pair<std::string, std::string>> h = BaseHttpHeaders(m.content_type, m.id);
  for (const auto& [k, v] : w.headers) h.emplace_back(k, mask_configured ? "***" : v);
  return h;
}

Status WebhookNotifier::Send(const Message& m) {
  // The URL may carry credentials: name the receiver, not the URL.
  HttpPostOptions o{
      settings_.url, {}, settings_.timeout, settings_.tls_verify, "webhook '" + name_ + "'"};
  for (const auto& [k, v] : WebhookHeaders(m, settings_, false)) o.headers.push_back(k + ": " + v);
  if (!settings_.secret.empty()) {
    Result<std::string> secret = ReadSecret(settings_.secret);
    if (!secret.ok()) return Status::Unavailable("webhook secret: " + secret.status().message());
    o.headers.push_back(settings_.signature_header + ": " + SignBody(*secret, m.body));
  }
  return HttpPost(o, m.body);
}

}  // namespace shihyo
