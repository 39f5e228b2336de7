// One HTTP(S) POST with libcurl, for the receiver kinds that post (webhook,
// Alertmanager): the body, the headers, and the answer mapped to a Status.
// Thread-compatible.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "base/status.h"
#include "config/config.h"

namespace shihyo {

struct HttpPostOptions {
  std::string url;
  std::vector<std::string> headers;  // "Name: value" lines
  Seconds timeout{10};
  bool tls_verify = true;
  std::string what;  // names the receiver in messages, never the URL (it may hold credentials)
};

// Posts |body| once. kUnavailable for a transient failure (no connection,
// timeout, HTTP 408/429/5xx); another error for a permanent one (HTTP 4xx).
Status HttpPost(const HttpPostOptions& options, const std::string& body);

// The headers every post of message |id| carries: Content-Type, User-Agent,
// X-Shihyo-Message-Id.
std::vector<std::pair<std::string, std::string>> BaseHttpHeaders(const std::string& content_type,
                                                                 const std::string& id);

}  // namespace shihyo
