// A notification as it waits in the outbox and goes out: an email digest, a
// webhook body, or an Alertmanager push. Plain data (its JSON form for the
// state DB is state/outbox_store.cc's business). Receiver settings that may change or are secret
// (SMTP server, URL, headers, signing secret) are looked up in the config when sending.
#pragma once

#include <string>
#include <vector>

#include "base/clock.h"
#include "base/status.h"

namespace shihyo {

struct Message {
  std::string id;  // stable: Message-ID of the email, X-Shihyo-Message-Id of a webhook
  std::string receiver;
  std::string kind;  // the receiver kind's name (notify/receiver_registry.h)
  std::string group_key;
  std::string summary;  // one line for logs and `outbox list`
  TimePoint created_at{};
  // a digest (the email kind)
  std::string subject;  // UTF-8; encoded per RFC 2047 when sent
  std::vector<std::string> to, cc, bcc;
  std::string text;  // text/plain part
  std::string html;  // text/html part
  // an HTTP body (the webhook and Alertmanager kinds)
  std::string content_type = "application/json";
  std::string body;
};

// A new message id: 32 random hex digits "@" |domain|, as a Message-ID wants.
std::string NewMessageId(const std::string& domain);

}  // namespace shihyo
