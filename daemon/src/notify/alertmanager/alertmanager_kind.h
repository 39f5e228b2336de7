// The Alertmanager receiver kind: every cycle pushes the firing alerts (and
// those resolved lately) to <url>/api/v2/alerts, so that an existing
// Alertmanager's routing, silences and HA take over. Thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "notify/receiver_kind.h"

namespace shihyo {

struct AlertmanagerSettings : ReceiverSettings {
  std::string url;  // base URL; alerts go to <url>/api/v2/alerts
  Seconds timeout{10};
  bool tls_verify = true;

  bool PushesAlerts() const override { return true; }
};

// The kind, as the registry lists it.
const ReceiverKind& AlertmanagerKind();

// The body of POST /api/v2/alerts: firing alerts end at now + |ttl| unless
// re-sent, resolved ones at their end time.
nlohmann::json AlertmanagerPushJson(const ReceiverPush& push, const DigestContext& ctx,
                                    Seconds ttl);

}  // namespace shihyo
