#include "state/alert_view.h"

#include <algorithm>

namespace shihyo {

namespace {

nlohmann::json OptionalTime(const std::optional<TimePoint>& t) {
  return t ? nlohmann::json(FormatIso8601(*t)) : nlohmann::json();
}

std::string LabelValue(const AlertRecord& a, const char* key) {
  auto it = a.labels.find(key);
  return it == a.labels.end() ? "" : it->second;
}

}  // namespace

std::string AlertStateName(const AlertRecord& a) {
  return a.firing() ? (a.silenced() ? "silenced" : "firing") : "resolved";
}

std::map<std::string, TimePoint> NotifiedFromLog(const NotifyLog& log) {
  std::map<std::string, TimePoint> notified;
  for (const auto& [key, e] : log) {
    if (!e.last_sent) continue;
    for (const std::string& fp : e.firing) {
      auto [it, added] = notified.emplace(fp, *e.last_sent);
      if (!added) it->second = std::max(it->second, *e.last_sent);
    }
  }
  return notified;
}

std::optional<TimePoint> LastNotified(const AlertRecord& a,
                                      const std::map<std::string, TimePoint>& from_log) {
  std::optional<TimePoint> last = a.last_notified;
  auto it = from_log.find(a.fingerprint);
  if (it != from_log.end() && (!last || *last < it->second)) last = it->second;
  return last;
}

nlohmann::json AlertRowJson(const AlertRecord& a, const std::optional<TimePoint>& last_notified) {
  return {{"fingerprint", a.fingerprint},
          {"state", AlertStateName(a)},
          {"rule", a.rule},
          {"severity", LabelValue(a, "severity")},
          {"indicator", LabelValue(a, "indicator")},
          {"fiscal_year", LabelValue(a, "fiscal_year")},
          {"starts_at", FormatIso8601(a.starts_at)},
          {"ends_at", OptionalTime(a.ends_at)},
          {"last_notified", OptionalTime(last_notified)},
          {"silenced_by", a.silenced_by},
          {"labels", a.labels},
          {"message", a.finding.message},
          {"resolved_reason", a.resolved_reason}};
}

nlohmann::json AlertEventJson(const AlertEvent& e) {
  nlohmann::json j = {{"at", FormatIso8601(e.at)}, {"kind", AlertEventKindName(e.kind)}};
  switch (e.kind) {
    case AlertEvent::Kind::kNotified:
      j["receiver"] = e.receiver;
      j["message_id"] = e.message_id;
      j["notified_as"] = e.detail;
      break;
    case AlertEvent::Kind::kResolved:
      j["reason"] = e.detail;
      break;
    case AlertEvent::Kind::kSilenced:
    case AlertEvent::Kind::kUnsilenced:
      j["silence"] = e.detail;
      break;
    default:
      break;
  }
  return j;
}

nlohmann::json AlertHistoryJson(const std::vector<AlertEvent>& events) {
  nlohmann::json list = nlohmann::json::array();
  for (const AlertEvent& e : events) list.push_back(AlertEventJson(e));
  return list;
}

}  // namespace shihyo
