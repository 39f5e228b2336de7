// The router, the health checks and the JSON API (/api/v1/…).
#include <nlohmann/json.hpp>

#include "http/http_handler.h"
#include "http/http_internal.h"
#include "notify/alert_json.h"
#include "state/state_store.h"

namespace shihyo {

namespace {

constexpr int kBusyTimeoutMs = 1000;  // a request waits this long for a writer, then 503

nlohmann::json OptionalTime(const std::optional<TimePoint>& t) {
  return t ? nlohmann::json(FormatIso8601(*t)) : nlohmann::json();
}

HttpResponse ApiAlerts(const HttpRequest& request, const DaemonStatus& status) {
  auto state = OpenState(status);
  if (!state.ok()) return Unavailable(state.status());
  Result<StateView> view = LoadStateView(state->get(), status);
  if (!view.ok()) return Unavailable(view.status());
  auto all = request.query.find("all");
  bool include_resolved =
      all != request.query.end() && (all->second == "1" || all->second == "true");
  nlohmann::json list = nlohmann::json::array();
  for (const auto& [fp, a] : view->alerts) {
    if (include_resolved || a.firing()) list.push_back(AlertJson(a, *view));
  }
  return JsonResponse(200, {{"alerts", list}});
}

// GET /api/v1/alerts/<fingerprint>: the alert as /api/v1/alerts lists it,
// with its history; 404 for an unknown one.
HttpResponse ApiAlert(const std::string& fingerprint, const DaemonStatus& status) {
  auto state = OpenState(status);
  if (!state.ok()) return Unavailable(state.status());
  Result<StateView> view = LoadStateView(state->get(), status);
  if (!view.ok()) return Unavailable(view.status());
  auto it = view->alerts.find(fingerprint);
  if (it == view->alerts.end()) return JsonResponse(404, {{"error", "no such alert"}});
  Result<std::vector<AlertEvent>> events = (*state)->alerts().LoadEvents(fingerprint);
  if (!events.ok()) return Unavailable(events.status());
  nlohmann::json alert = AlertJson(it->second, *view);
  alert["history"] = AlertHistoryJson(*events);
  return JsonResponse(200, alert);
}

// GET /api/v2/alerts: the firing alerts as Alertmanager's API lists them
// (for tools that read Alertmanager: karma, amtool's queries, Grafana).
HttpResponse ApiV2Alerts(const DaemonStatus& status) {
  auto state = OpenState(status);
  if (!state.ok()) return Unavailable(state.status());
  Result<StateView> view = LoadStateView(state->get(), status);
  if (!view.ok()) return Unavailable(view.status());
  nlohmann::json list = nlohmann::json::array();
  for (const auto& [fp, a] : view->alerts) {
    if (!a.firing()) continue;
    nlohmann::json silenced = nlohmann::json::array();
    if (a.silenced()) silenced.push_back(a.silenced_by);
    list.push_back({{"labels", a.labels},
                    {"annotations", AlertAnnotationsJson(a)},
                    {"startsAt", FormatIso8601(a.starts_at)},
                    {"endsAt", "0001-01-01T00:00:00Z"},
                    {"updatedAt", FormatIso8601(a.last_seen)},
                    {"generatorURL", GeneratorUrl(status.external_url, a)},
                    {"fingerprint", a.fingerprint},
                    {"receivers", nlohmann::json::array()},
                    {"status",
                     {{"state", a.silenced() ? "suppressed" : "active"},
                      {"silencedBy", silenced},
                      {"inhibitedBy", nlohmann::json::array()}}}});
  }
  return JsonResponse(200, list);
}

HttpResponse ApiSilences(const DaemonStatus& status) {
  auto state = OpenState(status);
  if (!state.ok()) return Unavailable(state.status());
  auto silences = (*state)->silences().LoadSilences(std::chrono::system_clock::now(), false);
  if (!silences.ok()) return Unavailable(silences.status());
  nlohmann::json list = nlohmann::json::array();
  for (const Silence& s : *silences) {
    nlohmann::json matchers = nlohmann::json::array();
    for (const SilenceMatcher& m : s.matchers) {
      matchers.push_back(
          {{"label", m.label}, {"value", m.value}, {"regex", m.regex}, {"negate", m.negate}});
    }
    list.push_back({{"id", s.id},
                    {"matchers", matchers},
                    {"starts_at", FormatIso8601(s.starts_at)},
                    {"ends_at", FormatIso8601(s.ends_at)},
                    {"created_by", s.created_by},
                    {"comment", s.comment}});
  }
  return JsonResponse(200, {{"silences", list}});
}

HttpResponse ApiStatus(const DaemonStatus& status) {
  nlohmann::json outbox = nlohmann::json::object();
  if (auto state = OpenState(status); state.ok()) {
    if (Result<StateView> view = LoadStateView(state->get(), status); view.ok()) {
      for (const char* s : {"pending", "sent", "dead", "superseded"}) {
        outbox[s] = OutboxCount(*view, s);
      }
    }
  }
  return JsonResponse(
      200, {{"version", SHIHYO_VERSION},
            {"started_at", FormatIso8601(status.started_at)},
            {"ready", status.ready},
            {"last_evaluation", OptionalTime(status.last_evaluation)},
            {"last_evaluation_reason", status.last_evaluation_reason},
            {"firing", status.firing},
            {"evaluations", status.evaluations},
            {"evaluation_failures", status.evaluation_failures},
            {"rules", status.rules},
            {"rule_reloads", status.rule_reloads},
            {"rule_reload_failures", status.rule_reload_failures},
            {"rule_errors", status.rule_errors},
            {"store_data_version",
             status.data_version ? nlohmann::json(*status.data_version) : nlohmann::json()},
            {"store_changed_at", OptionalTime(status.store_changed_at)},
            {"outbox", outbox}});
}

}  // namespace

Result<std::unique_ptr<StateStore>> OpenState(const DaemonStatus& status) {
  return StateStore::Open(status.state, kBusyTimeoutMs);
}

Result<StateView> LoadStateView(StateStore* state, const DaemonStatus& status) {
  StateView view;
  view.inhibited = status.inhibited;
  auto alerts = state->alerts().LoadAlerts();
  if (!alerts.ok()) return alerts.status();
  view.alerts = std::move(alerts).value();
  auto log = state->alerts().LoadNotifyLog();
  if (!log.ok()) return log.status();
  for (const auto& [key, e] : *log) {
    if (!e.last_sent) continue;
    for (const std::string& fp : e.firing)
      view.notified_by[fp].emplace_back(e.receiver, *e.last_sent);
  }
  view.notified = NotifiedFromLog(*log);
  auto counts = state->outbox().CountByReceiver();
  if (!counts.ok()) return counts.status();
  view.outbox = std::move(counts).value();
  return view;
}

std::string LabelOf(const AlertRecord& a, const char* key) {
  auto it = a.labels.find(key);
  return it == a.labels.end() ? "" : it->second;
}

int OutboxCount(const StateView& view, const std::string& status) {
  int n = 0;
  for (const auto& [key, count] : view.outbox) n += key.second == status ? count : 0;
  return n;
}

nlohmann::json AlertJson(const AlertRecord& a, const StateView& view) {
  nlohmann::json row = AlertRowJson(a, LastNotified(a, view.notified));
  // As `shihyo alerts` shows it: firing but muted by the config's inhibit_rules.
  if (row["state"] == "firing" && view.inhibited.count(a.fingerprint)) row["state"] = "inhibited";
  return row;
}

HttpResponse JsonResponse(int status, const nlohmann::json& body) {
  HttpResponse r;
  r.status = status;
  r.content_type = "application/json";
  // Invalid UTF-8 from a table is replaced, never an exception; <, > and &
  // are escaped so that the body is inert even if sniffed as HTML.
  std::string text = body.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
  for (char c : text) {
    if (c == '<') {
      r.body += "\\u003c";
    } else if (c == '>') {
      r.body += "\\u003e";
    } else if (c == '&') {
      r.body += "\\u0026";
    } else {
      r.body += c;
    }
  }
  r.body += "\n";
  return r;
}

HttpResponse TextResponse(int status, const std::string& text) {
  HttpResponse r;
  r.status = status;
  r.body = text + "\n";
  return r;
}

HttpResponse Unavailable(const Status& why) {
  return TextResponse(503, "state DB not readable now: " + why.message());
}

HttpResponse ServeApi(const HttpRequest& request, const DaemonStatus& status) {
  if (request.path == "/api/v1/alerts") return ApiAlerts(request, status);
  const std::string kAlert = "/api/v1/alerts/";
  if (request.path.rfind(kAlert, 0) == 0)
    return ApiAlert(request.path.substr(kAlert.size()), status);
  if (request.path == "/api/v1/silences") return ApiSilences(status);
  if (request.path == "/api/v1/status") return ApiStatus(status);
  if (request.path == "/api/v2/alerts") return ApiV2Alerts(status);
  return JsonResponse(404, {{"error", "not found"}});
}

HttpHandler MakeShihyoHandler(const StatusBoard* board) {
  return [board](const HttpRequest& request) -> HttpResponse {
    DaemonStatus status = board->Get();
    const std::string& p = request.path;
    if (request.method == "POST" || request.method == "DELETE") return ServeWrite(request, status);
    if (p == "/-/healthy") return TextResponse(200, "OK");
    if (p == "/-/ready") {
      return status.ready ? TextResponse(200, "ready")
                          : TextResponse(503, "not ready: no evaluation yet");
    }
    if (p == "/metrics") return ServeMetrics(status);
    if (p.rfind("/api/", 0) == 0) return ServeApi(request, status);
    return ServePage(request, status);
  };
}

}  // namespace shihyo
