#include "notify/http_post.h"

#include "base/curl_handle.h"

namespace shihyo {

namespace {

size_t Collect(char* data, size_t size, size_t n, void* out) {
  auto* body = static_cast<std::string*>(out);
  if (body->size() < 4096) body->append(data, size * n);
  return size * n;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> BaseHttpHeaders(const std::string& content_type,
                                                                 const std::string& id) {
  return {{"Content-Type", content_type}, {"User-Agent", "shihyo"}, {"X-Shihyo-Message-Id", id}};
}

Status HttpPost(const HttpPostOptions& o, const std::string& body) {
  CurlHandle curl(o.timeout, o.tls_verify);
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, o.url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  // A server that trickles (under 1 byte/s for the timeout) is given up on.
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, static_cast<long>(o.timeout.count()));
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  CurlList headers;
  for (const std::string& h : o.headers) headers.Append(h);
  headers.Append("Expect:");  // no 100-continue round trip
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  std::string answer;
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, Collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &answer);
  Status s = curl.Perform(o.what);
  if (!s.ok()) return s;
  return HttpStatus(curl.ResponseCode(), o.what, answer);
}

}  // namespace shihyo
