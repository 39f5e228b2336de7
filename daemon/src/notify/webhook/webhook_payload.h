// The bodies a webhook posts: shihyo's own JSON digest, Alertmanager's
// webhook payload (version 4, so existing receivers work) and a template body
// for chat tools. Pure.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "alert/notify_planner.h"
#include "notify/digest.h"
#include "notify/message.h"
#include "notify/webhook/webhook_kind.h"

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

}  // namespace shihyo
