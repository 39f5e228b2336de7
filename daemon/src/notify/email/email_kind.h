// The email receiver kind: a Japanese digest per group notification, sent
// over SMTP (the config's smtp section) to the receiver's addresses.
// Settings are plain data after loading; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "notify/digest.h"
#include "notify/receiver_kind.h"

namespace shihyo {

struct EmailSettings : ReceiverSettings {
  std::vector<std::string> to, cc, bcc;
};

// The kind, as the registry lists it.
const ReceiverKind& EmailKind();

// The email for |n| (to/cc/bcc from its receiver); |id| is its Message-ID.
Message BuildEmail(const GroupNotification& n, const DigestContext& ctx, const std::string& id);

}  // namespace shihyo
