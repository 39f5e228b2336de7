#include "notify/webhook/webhook_notifier.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdio>

#include "base/curl_handle.h"

namespace shihyo {

namespace {

size_t Collect(char* data, size_t size, size_t n, void* out) {
  auto* body = static_cast<std::string*>(out);
  if (body->size() < 4096) body->append(data, size * n);
  return size * n;
}

}  // namespace

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

std::string PostUrl(const Receiver& r) {
  if (r.kind == Receiver::Kind::kAlertmanager) {
    std::string base = r.alertmanager.url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base + "/api/v2/alerts";
  }
  return r.webhook.url;
}

std::vector<std::pair<std::string, std::string>> WebhookHeaders(const Message& m, const Receiver& r,
                                                                bool mask_configured) {
  std::vector<std::pair<std::string, std::string>> h = {
      {"Content-Type", m.content_type},
      {"User-Agent", "shihyo"},
      {"X-Shihyo-Message-Id", m.id},
  };
  if (r.kind == Receiver::Kind::kWebhook) {
    for (const auto& [k, v] : r.webhook.headers) h.emplace_back(k, mask_configured ? "***" : v);
  }
  return h;
}

Status HttpNotifier::Send(const Message& m) {
  bool am = receiver_.kind == Receiver::Kind::kAlertmanager;
  Seconds timeout = am ? receiver_.alertmanager.timeout : receiver_.webhook.timeout;
  bool verify = am ? receiver_.alertmanager.tls_verify : receiver_.webhook.tls_verify;
  CurlHandle curl(timeout, verify);
  CURL* c = curl.get();
  std::string url = PostUrl(receiver_);
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, m.body.c_str());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(m.body.size()));
  CurlList headers;
  for (const auto& [k, v] : WebhookHeaders(m, receiver_, false)) headers.Append(k + ": " + v);
  if (!am && !receiver_.webhook.secret.empty()) {
    Result<std::string> secret = ReadSecret(receiver_.webhook.secret);
    if (!secret.ok()) return Status::Unavailable("webhook secret: " + secret.status().message());
    headers.Append(receiver_.webhook.signature_header + ": " + SignBody(*secret, m.body));
  }
  headers.Append("Expect:");  // no 100-continue round trip
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  std::string answer;
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, Collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &answer);
  // The URL may carry credentials: name the receiver, not the URL.
  std::string what = std::string(am ? "Alertmanager" : "webhook") + " '" + receiver_.name + "'";
  Status s = curl.Perform(what);
  if (!s.ok()) return s;
  return HttpStatus(curl.ResponseCode(), what, answer);
}

}  // namespace shihyo
