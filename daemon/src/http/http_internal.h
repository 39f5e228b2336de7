// Internal to http/: what the API, metrics and page handlers share. Every
// function reads the state DB or the store anew; thread-safe.
#pragma once

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "alert/alert_state.h"
#include "alert/notify_log.h"
#include "base/status.h"
#include "http/http_server.h"
#include "http/status_board.h"
#include "state/alert_view.h"

namespace shihyo {

class StateStore;

// What a request reads of the state DB.
struct StateView {
  std::map<std::string, AlertRecord> alerts;  // by fingerprint
  // Last notified as firing per the notification log, by fingerprint: use
  // LastNotified() (state/alert_view.h), which prefers the alert's own record.
  std::map<std::string, TimePoint> notified;
  // Each receiver that was last sent the alert as firing, and when, by fingerprint.
  std::map<std::string, std::vector<std::pair<std::string, TimePoint>>> notified_by;
  std::map<std::pair<std::string, std::string>, int> outbox;  // (receiver, status) → count
  std::set<std::string> inhibited;  // DaemonStatus::inhibited, for the alerts' state
};

// Opens the state DB of |status| for this request (read only in effect).
Result<std::unique_ptr<StateStore>> OpenState(const DaemonStatus& status);
// Alerts, last notifications and outbox counts; which alerts are inhibited
// comes from |status| (the daemon's last evaluation).
Result<StateView> LoadStateView(StateStore* state, const DaemonStatus& status);

// The label |key| of |a|, "" when absent.
std::string LabelOf(const AlertRecord& a, const char* key);
// Outbox messages with |status| over every receiver.
int OutboxCount(const StateView& view, const std::string& status);

// An alert as `shihyo alerts --format json` prints it (AlertRowJson).
nlohmann::json AlertJson(const AlertRecord& a, const StateView& view);

HttpResponse JsonResponse(int status, const nlohmann::json& body);
HttpResponse TextResponse(int status, const std::string& text);
// 503 with the reason, for a state DB that cannot be read now.
HttpResponse Unavailable(const Status& why);

// The handlers (http_api.cc, http_metrics.cc, http_pages*.cc); nullopt-like
// 404 responses come from the router.
HttpResponse ServeApi(const HttpRequest& request, const DaemonStatus& status);
HttpResponse ServeMetrics(const DaemonStatus& status);
HttpResponse ServePage(const HttpRequest& request, const DaemonStatus& status);
// POST and DELETE (http_write.cc): authorized by the token, forms also by
// their CSRF token; 404 for paths that take no writes.
HttpResponse ServeWrite(const HttpRequest& request, const DaemonStatus& status);
// The CSRF token the forms carry (HMAC of the write token), "" when writes
// are off or the token cannot be read.
std::string CsrfToken(const DaemonStatus& status);

}  // namespace shihyo
