// RAII for libcurl handles and header lists, with the timeouts every
// transfer must have, and the mapping of curl results to Status. Used only
// by the notifiers. Not thread-safe; one handle per transfer.
#pragma once

#include <curl/curl.h>

#include <chrono>
#include <functional>
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

// A process-wide check asked at least once a second while any transfer runs
// or waits for an answer; when it returns true the transfer ends at once
// (Perform returns kUnavailable "interrupted"). The daemon uses it to honour
// SIGTERM and ping the watchdog. nullptr: none. Not thread-safe.
void SetTransferInterrupt(std::function<bool()> interrupted);

// Ends the transfer in flight at once by shutting its socket down: also a
// wait for a server's answer that libcurl does not interrupt for the check
// above (the SMTP reply to the end of DATA). Async-signal-safe: meant for a
// SIGTERM handler.
void InterruptTransfer();

class CurlHandle {
 public:
  // Bounds every wait by |timeout|: connecting, each server response (SMTP
  // replies, e.g. the one after DATA) and the whole transfer. No signals, TLS
  // verification per |tls_verify|, the transfer interrupt installed.
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
