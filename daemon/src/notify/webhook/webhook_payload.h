// The bodies shihyo posts: its own JSON digest, Alertmanager's webhook
// payload (version 4, so existing receivers work), a template body for chat
// tools, and the alert list of Alertmanager's /api/v2/alerts. Pure.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "alert/notify_planner.h"
#include "notify/digest.h"
#include "notify/message.h"

namespace shihyo {

// shihyo's webhook JSON (README.md, "Webhooks"):
// {"version": "1", "id", "receiver", "status", "group_key", "group_labels",
//  "external_url", "counts": {"new", "firing", "resolved"}, "alerts": [{"status",
//  "new", "fingerprint", "starts_at", "ends_at", "labels", "rule", "check",
//  "severity", "plan", "project", "indicator", "fiscal_year", "message",
//  "evidence", "current"}]}
nlohmann::json ShihyoWebhookJson(const GroupNotification& n, const DigestContext& ctx,
                                 const std::string& id);

// Alertmanager's webhook payload, version "4".
nlohmann::json AlertmanagerWebhookJson(const GroupNotification& n, const DigestContext& ctx,
                                       int max_alerts);

// The webhook message for |n| in the receiver's format.
Message BuildWebhook(const GroupNotification& n, const DigestContext& ctx, const std::string& id);

// The body of POST /api/v2/alerts: firing alerts end at now + |ttl| unless
// re-sent, resolved ones at their end time.
nlohmann::json AlertmanagerPushJson(const AlertmanagerPush& push, const DigestContext& ctx,
                                    Seconds ttl);

Message BuildAlertmanagerPush(const AlertmanagerPush& push, const DigestContext& ctx, Seconds ttl,
                              const std::string& id);

}  // namespace shihyo
