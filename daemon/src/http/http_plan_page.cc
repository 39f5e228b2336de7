// The plan page (every indicator with its years, a chart and its alerts)
// and the page of one alert.
#include <cstdio>
#include <set>

#include "http/html_page.h"
#include "notify/alert_json.h"
#include "state/state_store.h"

namespace shihyo {

namespace {

// "令和2年度" for 2019 on, "平成30年度" before (the tables' own spelling).
std::string YearJa(int fy) {
  if (fy >= 2019) return fy == 2019 ? "令和元年度" : "令和" + std::to_string(fy - 2018) + "年度";
  return "平成" + std::to_string(fy - 1988) + "年度";
}

// The firing alerts of the indicator at |ordinal| of |plan|.
std::vector<const AlertRecord*> AlertsOf(const StateView& view, const Plan& plan, int ordinal) {
  std::vector<const AlertRecord*> out;
  for (const auto& [fp, a] : view.alerts) {
    if (a.firing() && a.finding.plan == plan.name && a.finding.ordinal == ordinal)
      out.push_back(&a);
  }
  return out;
}

// Compact, for a phone: severity, year and the message linking to the alert.
std::string AlertList(const std::vector<const AlertRecord*>& alerts) {
  std::string out = "<ul>";
  for (const AlertRecord* a : alerts) {
    out += "<li>" + SeverityBadge(LabelOf(*a, "severity")) + " " +
           (a->finding.fiscal_year ? YearJa(*a->finding.fiscal_year) + " " : "") +
           "<a href=\"/alerts/" + UrlEncode(a->fingerprint) + "\">" + Esc(a->finding.message) +
           "</a></li>";
  }
  return out + "</ul>";
}

std::string IndicatorBlock(const Plan& plan, const Indicator& ind, const StateView& view) {
  std::vector<const AlertRecord*> alerts = AlertsOf(view, plan, ind.ordinal);
  std::set<int> flagged;
  for (const AlertRecord* a : alerts) {
    if (a->finding.fiscal_year) flagged.insert(*a->finding.fiscal_year);
  }
  std::string out = "<div class=\"indicator\" id=\"i" + std::to_string(ind.ordinal) + "\"><h3>" +
                    Esc(ind.name) + "</h3>";
  if (!ind.department.empty()) out += "<p class=\"muted\">担当: " + Esc(ind.department) + "</p>";
  out += "<table><tr><th>目標値</th>";
  for (const Observation& o : ind.observations) out += "<th>" + YearJa(o.fiscal_year) + "</th>";
  out += "</tr><tr><td>" + Esc(ind.target_raw.empty() ? "—" : ind.target_raw) + "</td>";
  for (const Observation& o : ind.observations) {
    bool f = flagged.count(o.fiscal_year) > 0;
    out += std::string("<td") + (f ? " class=\"flagged\"" : "") + ">" +
           (o.raw.empty() ? "<span class=\"muted\">(空欄)</span>" : Esc(o.raw)) + "</td>";
  }
  out += "</tr></table>";
  out += IndicatorChart(ind, std::vector<int>(flagged.begin(), flagged.end()));
  for (const std::string& note : ind.footnotes) out += "<p class=\"muted\">" + Esc(note) + "</p>";
  if (!alerts.empty()) out += "<h4>この指標のアラート</h4>" + AlertList(alerts);
  return out + "</div>";
}

// 424, 0.25, 1.5e+06: as a reader writes it.
std::string Number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

std::string EvidenceSection(const AlertRecord& a) {
  const IndicatorEvidence& ev = a.finding.evidence.indicator_or_empty();
  std::string out;
  if (a.finding.evidence.has_indicator()) {
    out += "<h2>指標の値</h2><table><tr><th>目標値</th>";
    for (const Observation& o : ev.series) out += "<th>" + YearJa(o.fiscal_year) + "</th>";
    out += "</tr><tr><td>" + Esc(ev.target_raw) + "</td>";
    for (const Observation& o : ev.series) {
      bool f = a.finding.fiscal_year == o.fiscal_year;
      out += std::string("<td") + (f ? " class=\"flagged\"" : "") + ">" + Esc(o.raw) + "</td>";
    }
    out += "</tr></table>";
    Indicator ind;
    ind.name = a.finding.indicator;
    ind.target_raw = ev.target_raw;
    ind.target = ev.target;
    ind.direction = ev.direction;
    ind.observations = ev.series;
    std::vector<int> flagged;
    if (a.finding.fiscal_year) flagged.push_back(*a.finding.fiscal_year);
    out += IndicatorChart(ind, flagged);
  }
  if (!a.finding.evidence.figures.empty()) {
    out += "<h2>計算値</h2><table>";
    for (const auto& [name, v] : a.finding.evidence.figures) {
      std::string text = std::holds_alternative<double>(v) ? Number(std::get<double>(v))
                                                           : std::get<std::string>(v);
      out += "<tr><th>" + Esc(name) + "</th><td>" + Esc(text) + "</td></tr>";
    }
    out += "</table>";
  }
  return out;
}

std::string Row(const char* th, const std::string& html) {
  return std::string("<tr><th>") + th + "</th><td>" + html + "</td></tr>";
}

// One row per receiver that was sent the alert: when, to whom.
std::string NotifiedRows(const StateView& view, const std::string& fingerprint) {
  auto it = view.notified_by.find(fingerprint);
  if (it == view.notified_by.end()) return "";
  std::string out;
  for (const auto& [receiver, at] : it->second) {
    out += Row("通知先", Esc(receiver) + "（" + Esc(JaTime(at)) + "）");
  }
  return out;
}

}  // namespace

HttpResponse PlanPage(const std::string& id, const DaemonStatus& status) {
  Result<std::vector<Plan>> plans = LoadPlans(status);
  if (!plans.ok()) return Unavailable(plans.status());
  const Plan* plan = nullptr;
  for (const Plan& p : *plans) {
    if (std::to_string(p.id) == id) plan = &p;
  }
  if (!plan) return NotFoundPage();
  auto state = OpenState(status);
  if (!state.ok()) return Unavailable(state.status());
  Result<StateView> view = LoadStateView(state->get(), status);
  if (!view.ok()) return Unavailable(view.status());
  std::string body = "<h1>" + Esc(plan->name) + "</h1><p class=\"muted\">" +
                     YearJa(plan->first_year) + "〜" + YearJa(plan->last_year) + "・取り込み " +
                     Esc(plan->imported_at) + "</p>";
  std::string project = "\x01", measure = "\x01";
  for (const Indicator& ind : plan->indicators) {
    if (ind.project != project) {
      project = ind.project, measure = "\x01";
      if (!project.empty()) body += "<h2>" + Esc(project) + "</h2>";
    }
    if (ind.measure != measure) {
      measure = ind.measure;
      if (!measure.empty()) body += "<p><strong>" + Esc(measure) + "</strong></p>";
    }
    body += IndicatorBlock(*plan, ind, *view);
  }
  return PageResponse(200, plan->name, body);
}

HttpResponse AlertPage(const std::string& fingerprint, const DaemonStatus& status) {
  auto state = OpenState(status);
  if (!state.ok()) return Unavailable(state.status());
  Result<StateView> view = LoadStateView(state->get(), status);
  if (!view.ok()) return Unavailable(view.status());
  auto it = view->alerts.find(fingerprint);
  if (it == view->alerts.end()) return NotFoundPage();
  const AlertRecord& a = it->second;
  const AlertFinding& f = a.finding;
  std::string plan_link = Esc(f.plan);
  if (Result<std::vector<Plan>> plans = LoadPlans(status); plans.ok()) {
    for (const Plan& p : *plans) {
      if (p.name == f.plan)
        plan_link = "<a href=\"/plans/" + std::to_string(p.id) + "#i" + std::to_string(f.ordinal) +
                    "\">" + Esc(f.plan) + "</a>";
    }
  }
  std::string body =
      "<h1>" + Esc(f.message) + "</h1><table>" + Row("状態", Esc(StateJa(AlertStateName(a)))) +
      Row("重要度", SeverityBadge(LabelOf(a, "severity"))) + Row("計画", plan_link) +
      Row("プロジェクト", Esc(f.project)) + Row("施策", Esc(f.measure)) +
      Row("指標", Esc(f.indicator)) + Row("年度", f.fiscal_year ? YearJa(*f.fiscal_year) : "—") +
      Row("担当", Esc(f.department)) + Row("ルール", Esc(a.rule + " (" + f.check + ")"));
  body += "</table><h2>経過</h2><table>" + Row("発生", Esc(JaTime(a.starts_at))) +
          Row("最終検出", Esc(JaTime(a.last_seen))) +
          Row("最終通知", Esc(JaTime(LastNotified(a, view->notified)))) +
          NotifiedRows(*view, a.fingerprint) + Row("解消", Esc(JaTime(a.ends_at))) +
          (a.firing() ? "" : Row("解消の理由", Esc(ResolvedReasonJa(a.resolved_reason)))) +
          Row("サイレンス", a.silenced() ? Esc(a.silenced_by) : "—") + "</table>";
  body += AlertHistorySection(state->get(), a.fingerprint);
  body += EvidenceSection(a);
  body += "<h2>ラベル</h2><table>";
  for (const auto& [k, v] : a.labels)
    body += "<tr><th>" + Esc(k) + "</th><td>" + Esc(v) + "</td></tr>";
  body += "</table><p class=\"muted\">fingerprint " + Esc(a.fingerprint) + "</p>";
  return PageResponse(200, f.message, body);
}

}  // namespace shihyo
