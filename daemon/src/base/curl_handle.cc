#include "base/curl_handle.h"

namespace shihyo {

namespace {

struct GlobalInit {
  GlobalInit() { curl_global_init(CURL_GLOBAL_DEFAULT); }
};

}  // namespace

CurlHandle::CurlHandle(std::chrono::seconds timeout, bool tls_verify) {
  static GlobalInit init;  // once, before the first handle
  curl_ = curl_easy_init();
  curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl_, CURLOPT_TIMEOUT, static_cast<long>(timeout.count()));
  curl_easy_setopt(curl_, CURLOPT_CONNECTTIMEOUT, static_cast<long>(timeout.count()));
  curl_easy_setopt(curl_, CURLOPT_SSL_VERIFYPEER, tls_verify ? 1L : 0L);
  curl_easy_setopt(curl_, CURLOPT_SSL_VERIFYHOST, tls_verify ? 2L : 0L);
  curl_easy_setopt(curl_, CURLOPT_ERRORBUFFER, error_);
  curl_easy_setopt(curl_, CURLOPT_FOLLOWLOCATION, 0L);
}

CurlHandle::~CurlHandle() { curl_easy_cleanup(curl_); }

Status CurlHandle::Perform(const std::string& what) {
  error_[0] = '\0';
  CURLcode rc = curl_easy_perform(curl_);
  if (rc == CURLE_OK) return Status::Ok();
  std::string detail = error_[0] ? error_ : curl_easy_strerror(rc);
  return Status::Unavailable(what + ": " + detail);
}

long CurlHandle::ResponseCode() const {
  long code = 0;
  curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &code);
  return code;
}

Status HttpStatus(long code, const std::string& what, const std::string& body) {
  if (code >= 200 && code < 300) return Status::Ok();
  std::string msg = what + ": HTTP " + std::to_string(code);
  if (!body.empty()) msg += ": " + body.substr(0, 200);
  if (code == 408 || code == 429 || code >= 500) return Status::Unavailable(msg);
  return Status::InvalidArgument(msg);
}

}  // namespace shihyo
