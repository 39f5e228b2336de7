// One receiver kind behind one interface: how its section of shihyo.yaml is
// read, the messages it makes of a cycle's notifications, how they are sent,
// previewed and tested, and how it tells the admin. One folder per kind under
// notify/; the registry (notify/receiver_registry.h) lists them. Kinds are
// stateless and thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "alert/notify_planner.h"
#include "base/clock.h"
#include "config/config.h"
#include "notify/digest.h"
#include "notify/message.h"
#include "notify/notifier.h"

namespace shihyo {

// What the daemon tells its admin receiver: rule or config reload failures,
// dead messages.
struct AdminNotice {
  std::string id;
  std::string subject;
  std::string text;                // the plain-text body
  std::vector<std::string> lines;  // the problems, one per line
  std::string external_url;
  TimePoint created_at{};
};

class ReceiverKind {
 public:
  virtual ~ReceiverKind() = default;

  // The kind's key under receivers[] in shihyo.yaml, and Message::kind.
  virtual const char* name() const = 0;

  // Reads the kind's section |field| of the receiver |context| names
  // ("receiver 'x'"); every problem goes to |reader| as file:line:col.
  virtual std::shared_ptr<const ReceiverSettings> ReadConfig(const YamlField& field,
                                                             const std::string& context,
                                                             ConfigReader* reader) const = 0;

  // The message for one group notification to |n.receiver|, a receiver of
  // this kind; |id| is its stable message id.
  virtual Message BuildGroupMessage(const GroupNotification& n, const DigestContext& ctx,
                                    const std::string& id) const = 0;

  // The message pushing |push| to a receiver whose settings PushesAlerts();
  // firing alerts last |ttl| unless pushed again. Kinds that do not push
  // return a message with an empty body.
  virtual Message BuildPush(const ReceiverPush& push, const DigestContext& ctx, Seconds ttl,
                            const std::string& id) const;

  // True when a new message to a receiver replaces its pending ones (a push
  // carries every alert the older ones did).
  virtual bool ReplacesPending() const { return false; }

  // The notifier delivering to |receiver|, or nullptr when |config| lacks
  // what it needs. |config| and |clock| must outlive it.
  virtual std::unique_ptr<Notifier> MakeNotifier(const Receiver& receiver, const Config& config,
                                                 const Clock& clock) const = 0;

  // What `shihyo preview` shows of |m| for |receiver|, as if sent at |now|.
  virtual std::string Preview(const Message& m, const Receiver& receiver, const Config& config,
                              TimePoint now) const = 0;

  // The message of `shihyo send-test` for |receiver|.
  virtual Message TestMessage(const Receiver& receiver, const std::string& id,
                              TimePoint now) const = 0;

  // The admin notice as a message for |receiver|, or nullopt when the
  // receiver cannot take one (it understands alerts only).
  virtual std::optional<Message> AdminMessage(const Receiver& receiver,
                                              const AdminNotice& notice) const = 0;
};

// The parts every kind's test message shares: ids, subject, text, HTML and
// shihyo's JSON test body {"version", "id", "receiver", "status": "test",
// "message", "alerts": []}.
Message BaseTestMessage(const Receiver& receiver, const std::string& id, TimePoint now);

// The parts every kind's admin message shares: ids, subject, text, HTML and
// shihyo's JSON admin body {"version", "id", "receiver", "status": "admin",
// "summary", "errors"}.
Message BaseAdminMessage(const Receiver& receiver, const AdminNotice& notice);

// What preview shows of an HTTP POST: the URL, the headers, then the body
// (pretty-printed when it is JSON).
std::string HttpPreview(const std::string& url,
                        const std::vector<std::pair<std::string, std::string>>& headers,
                        const std::string& body);

}  // namespace shihyo
