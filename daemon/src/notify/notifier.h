// How a message leaves shihyo. One Notifier per receiver; retries are the
// outbox's business, not the notifier's. Implementations are thread-compatible.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "config/config.h"
#include "notify/message.h"

namespace shihyo {

class Notifier {
 public:
  virtual ~Notifier() = default;
  // Delivers |message| once. kUnavailable: try again later (connection
  // refused, timeout, SMTP 4xx, HTTP 408/429/5xx); any other error is
  // permanent (SMTP 5xx, HTTP 4xx) and the message goes dead.
  virtual Status Send(const Message& message) = 0;
  // After a Send that succeeded: the recipients the server refused although
  // others took the message ("addr (550 …)"), then forgotten. Only email
  // has recipients to refuse.
  virtual std::vector<std::string> TakeRefused() { return {}; }
  // After a Send that succeeded: what the receiver should know of how it
  // went ("shortened: …"), then forgotten.
  virtual std::vector<std::string> TakeNotes() { return {}; }
};

// The notifiers of a config, by receiver name. |config| and |clock| must
// outlive it.
class Notifiers {
 public:
  Notifiers() = default;
  Notifiers(const Config& config, const Clock& clock);

  // The notifier for |receiver|, or nullptr when the config has none.
  Notifier* For(const std::string& receiver);

  // For tests: use |notifier| for |receiver|.
  void Set(const std::string& receiver, std::unique_ptr<Notifier> notifier);

 private:
  std::map<std::string, std::unique_ptr<Notifier>> by_name_;
};

}  // namespace shihyo
