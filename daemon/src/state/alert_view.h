// An alert as the edges show it: the one JSON object of an alert that
// `shihyo alerts --format json` and GET /api/v1/alerts print, its history,
// and when it was last notified. Pure; thread-safe.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "alert/alert_state.h"
#include "alert/notify_log.h"

namespace shihyo {

// "firing", "silenced" or "resolved".
std::string AlertStateName(const AlertRecord& a);

// When each alert was last sent as firing, per the notification log: what
// alerts written before AlertRecord::last_notified was kept fall back on.
std::map<std::string, TimePoint> NotifiedFromLog(const NotifyLog& log);

// The last notification naming |a|: its own record, or |from_log|'s when
// later (or when the record has none).
std::optional<TimePoint> LastNotified(const AlertRecord& a,
                                      const std::map<std::string, TimePoint>& from_log);

// {fingerprint, state, rule, severity, indicator, fiscal_year, starts_at,
// ends_at, last_notified, silenced_by, labels, message, resolved_reason};
// times in UTC ISO 8601, unset ones null.
nlohmann::json AlertRowJson(const AlertRecord& a, const std::optional<TimePoint>& last_notified);

// One event of the history: {at, kind} and, by kind, receiver and
// message_id and notified_as (notified), reason (resolved) or silence
// (silenced, unsilenced).
nlohmann::json AlertEventJson(const AlertEvent& event);
// The array of |events|, oldest first.
nlohmann::json AlertHistoryJson(const std::vector<AlertEvent>& events);

}  // namespace shihyo
