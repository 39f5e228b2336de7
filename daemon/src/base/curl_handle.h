// RAII for libcurl handles and header lists, with the timeouts every
// transfer must have, and the mapping of curl results to Status. Used only
// by the notifiers. Not thread-safe; one handle per transfer.
#pragma once

#include <curl/curl.h>

#include <chrono>
#include <string>

#include "base/status.h"

namespace shihyo {

class CurlList {
 public:
  CurlList() = default;
  ~CurlList() { curl_slist_free_all(list_); }
  CurlList(const CurlList&) = delete;
  CurlList& operator=(const CurlList&) = delete;
  void Append(const std::string& line) { list_ = curl_slist_append(list_, line.c_str()); }
  curl_slist* get() const { return list_; }

 private:
  curl_slist* list_ = nullptr;
};

class CurlHandle {
 public:
  // Sets |timeout| for the whole transfer and for connecting, no signals, and
  // TLS verification per |tls_verify|.
  CurlHandle(std::chrono::seconds timeout, bool tls_verify);
  ~CurlHandle();
  CurlHandle(const CurlHandle&) = delete;
  CurlHandle& operator=(const CurlHandle&) = delete;

  CURL* get() const { return curl_; }

  // Runs the transfer. |what| names it in errors ("SMTP to smtp://…").
  // Transport failures are kUnavailable.
  Status Perform(const std::string& what);

  // The last response code (HTTP status or SMTP reply), 0 when none.
  long ResponseCode() const;

 private:
  CURL* curl_;
  char error_[CURL_ERROR_SIZE] = {0};
};

// HTTP status → Status: 2xx ok; 408, 429 and 5xx kUnavailable; others
// (3xx, 4xx) permanent kInvalidArgument. |body| (the start of the answer)
// goes into the message.
Status HttpStatus(long code, const std::string& what, const std::string& body);

}  // namespace shihyo
