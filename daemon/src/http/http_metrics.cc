// /metrics in the Prometheus text exposition format (version 0.0.4).
#include <cmath>
#include <cstdio>
#include <set>

#include "http/http_internal.h"
#include "model/rule.h"
#include "state/state_store.h"

namespace shihyo {

namespace {

// A label value: backslash, double quote and newline escaped.
std::string LabelValue(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string Number(double v) {
  if (std::isnan(v)) return "NaN";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

double Seconds(TimePoint t) { return std::chrono::duration<double>(t.time_since_epoch()).count(); }

class Exposition {
 public:
  void Family(const char* name, const char* type, const char* help) {
    out_ += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
  }
  // |labels|: {{"name", "value"}, …}.
  void Sample(const std::string& name,
              const std::vector<std::pair<std::string, std::string>>& labels, double value) {
    out_ += name;
    if (!labels.empty()) {
      out_ += "{";
      for (size_t i = 0; i < labels.size(); ++i) {
        out_ += (i ? "," : "") + labels[i].first + "=\"" + LabelValue(labels[i].second) + "\"";
      }
      out_ += "}";
    }
    out_ += " " + Number(value) + "\n";
  }
  void Gauge(const char* name, const char* help, double value) {
    Family(name, "gauge", help);
    Sample(name, {}, value);
  }
  void Counter(const char* name, const char* help, double value) {
    Family(name, "counter", help);
    Sample(name, {}, value);
  }
  const std::string& text() const { return out_; }

 private:
  std::string out_;
};

void DaemonMetrics(const DaemonStatus& s, Exposition* e) {
  e->Family("shihyo_build_info", "gauge", "The shihyo version, always 1.");
  e->Sample("shihyo_build_info", {{"version", SHIHYO_VERSION}}, 1);
  e->Gauge("shihyo_start_time_seconds", "When the daemon started, seconds since the epoch.",
           Seconds(s.started_at));
  e->Gauge("shihyo_ready", "1 once an evaluation has succeeded since the start.", s.ready);
  e->Counter("shihyo_evaluations_total", "Evaluations that completed.",
             static_cast<double>(s.evaluations));
  e->Counter("shihyo_evaluation_failures_total",
             "Evaluations skipped because the store or the state DB could not be read.",
             static_cast<double>(s.evaluation_failures));
  e->Family("shihyo_evaluation_duration_seconds", "summary", "Time taken by evaluations.");
  e->Sample("shihyo_evaluation_duration_seconds_sum", {}, s.evaluation_seconds);
  e->Sample("shihyo_evaluation_duration_seconds_count", {}, static_cast<double>(s.evaluations));
  e->Gauge("shihyo_last_evaluation_timestamp_seconds",
           "When the last evaluation completed, seconds since the epoch (0: none yet).",
           s.last_evaluation ? Seconds(*s.last_evaluation) : 0);
  e->Gauge("shihyo_rules", "Rules in force.", s.rules);
  e->Counter("shihyo_rule_reloads_total", "Rule reloads attempted.",
             static_cast<double>(s.rule_reloads));
  e->Counter("shihyo_rule_reload_failures_total",
             "Rule reloads that failed (the previous rules stayed in force).",
             static_cast<double>(s.rule_reload_failures));
  e->Gauge("shihyo_store_data_version", "The indicator store's PRAGMA data_version (-1: not open).",
           s.data_version ? static_cast<double>(*s.data_version) : -1);
  e->Gauge("shihyo_store_last_change_timestamp_seconds",
           "When the daemon last saw the indicator store change (0: not yet).",
           s.store_changed_at ? Seconds(*s.store_changed_at) : 0);
  e->Family("shihyo_notifications_sent_total", "counter", "Notifications sent, by receiver.");
  for (const auto& [r, n] : s.sent)
    e->Sample("shihyo_notifications_sent_total", {{"receiver", r}}, static_cast<double>(n));
  e->Family("shihyo_notifications_failed_total", "counter",
            "Failed delivery attempts, by receiver.");
  for (const auto& [r, n] : s.failed)
    e->Sample("shihyo_notifications_failed_total", {{"receiver", r}}, static_cast<double>(n));
}

void StateMetrics(const StateView& view, Exposition* e) {
  std::map<std::pair<std::string, std::string>, int> alerts;
  for (const char* state : {"firing", "silenced", "resolved"}) {
    for (Severity sev : {Severity::kInfo, Severity::kWarning, Severity::kCritical}) {
      alerts[{state, SeverityName(sev)}] = 0;
    }
  }
  for (const auto& [fp, a] : view.alerts) ++alerts[{AlertStateName(a), LabelOf(a, "severity")}];
  e->Family("shihyo_alerts", "gauge",
            "Alerts in the state DB by state (firing, silenced, resolved) and severity.");
  for (const auto& [key, n] : alerts) {
    e->Sample("shihyo_alerts", {{"state", key.first}, {"severity", key.second}}, n);
  }
  e->Family("shihyo_outbox_messages", "gauge", "Messages in the outbox by receiver and status.");
  for (const auto& [key, n] : view.outbox) {
    e->Sample("shihyo_outbox_messages", {{"receiver", key.first}, {"status", key.second}}, n);
  }
}

}  // namespace

HttpResponse ServeMetrics(const DaemonStatus& status) {
  Exposition e;
  DaemonMetrics(status, &e);
  auto state = OpenState(status);
  Result<StateView> view =
      state.ok() ? LoadStateView(state->get(), status) : Result<StateView>(state.status());
  e.Gauge("shihyo_state_readable", "1 when this scrape could read the state DB.", view.ok());
  if (view.ok()) StateMetrics(*view, &e);
  HttpResponse r;
  r.content_type = "text/plain; version=0.0.4; charset=utf-8";
  r.body = e.text();
  return r;
}

}  // namespace shihyo
