// The status pages (Japanese, server-rendered, no JavaScript): the router
// and the overview, alerts, silences and outbox pages.
#include <algorithm>

#include "http/html_page.h"
#include "state/state_store.h"

namespace shihyo {

namespace {

const char* const kSeverities[] = {"critical", "warning", "info"};

bool IsHex(const std::string& s) {
  return !s.empty() && s.size() <= 128 &&
         std::all_of(s.begin(), s.end(), [](char c) { return std::isxdigit(c) != 0; });
}

std::string Query(const HttpRequest& r, const char* key) {
  auto it = r.query.find(key);
  return it == r.query.end() ? "" : it->second;
}

// A button posting to |action| with the CSRF token; "" when writes are off.
std::string PostButton(const DaemonStatus& status, const std::string& action,
                       const std::string& label) {
  std::string csrf = CsrfToken(status);
  if (csrf.empty()) return "";
  return "<form method=\"post\" action=\"" + Esc(action) +
         "\"><input type=\"hidden\" name=\"csrf\" value=\"" + Esc(csrf) +
         "\"><button type=\"submit\">" + Esc(label) + "</button></form>";
}

std::string StatusSection(const DaemonStatus& s, const StateView& view) {
  std::string out = "<h2>動作状況</h2><table>";
  out += "<tr><th>最終評価</th><td>" + Esc(JaTime(s.last_evaluation)) + "</td></tr>";
  out += "<tr><th>ルール</th><td>" + std::to_string(s.rules) + "件 読み込み済み";
  if (!s.rule_errors.empty()) {
    out += "<br><span class=\"error\">最後の再読み込みに失敗しました（前のルールで動作中）:</span>";
    for (const std::string& e : s.rule_errors) out += "<br>" + Esc(e);
  }
  out += "</td></tr><tr><th>送信キュー</th><td><a href=\"/outbox\">送信待ち " +
         std::to_string(OutboxCount(view, "pending")) + "件、送信不能 " +
         std::to_string(OutboxCount(view, "dead")) + "件</a></td></tr></table>";
  return out;
}

std::string PlanRows(const std::vector<Plan>& plans, const StateView& view) {
  std::string out =
      "<h2>計画</h2><table><tr><th>計画</th><th>指標数</th><th>重大</th><th>警告</th><th>情報</"
      "th><th>最終取り込み</th></tr>";
  for (const Plan& p : plans) {
    std::map<std::string, int> counts;
    for (const auto& [fp, a] : view.alerts) {
      if (a.firing() && !a.silenced() && LabelOf(a, "plan") == p.name)
        ++counts[LabelOf(a, "severity")];
    }
    out += "<tr><td><a href=\"/plans/" + std::to_string(p.id) + "\">" + Esc(p.name) +
           "</a></td><td class=\"num\">" + std::to_string(p.indicators.size()) + "</td>";
    for (const char* sev : kSeverities) {
      out += "<td class=\"num\"><a href=\"/alerts?plan=" + UrlEncode(p.name) +
             "&amp;severity=" + sev + "\">" + std::to_string(counts[sev]) + "</a></td>";
    }
    out += "<td>" + Esc(p.imported_at) + "</td></tr>";
  }
  return out + "</table>";
}

// The alerts of |view| that pass the filters of |r| (state: firing by default).
std::vector<const AlertRecord*> Filtered(const HttpRequest& r, const StateView& view) {
  std::string state = Query(r, "state");
  std::vector<const AlertRecord*> out;
  for (const auto& [fp, a] : view.alerts) {
    std::string s = AlertStateName(a);
    bool state_ok = state == "all" || (state.empty() ? a.firing() : s == state);
    auto match = [&](const char* key, const std::string& value) {
      std::string want = Query(r, key);
      return want.empty() || want == value;
    };
    if (state_ok && match("severity", LabelOf(a, "severity")) && match("rule", a.rule) &&
        match("plan", LabelOf(a, "plan")) && match("indicator", LabelOf(a, "indicator"))) {
      out.push_back(&a);
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const AlertRecord* x, const AlertRecord* y) {
    return x->finding.severity > y->finding.severity;
  });
  return out;
}

std::string Select(const char* name, const char* label, const std::vector<std::string>& values,
                   const std::string& chosen) {
  std::string out = "<label>" + std::string(label) + " <select name=\"" + name +
                    "\"><option value=\"\">すべて</option>";
  for (const std::string& v : values) {
    std::string text = std::string(name) == "severity" ? SeverityJa(v)
                       : std::string(name) == "state"  ? StateJa(v)
                                                       : v;
    if (v == "all") text = "解消を含むすべて";
    out += "<option value=\"" + Esc(v) + "\"" + (v == chosen ? " selected" : "") + ">" + Esc(text) +
           "</option>";
  }
  return out + "</select></label>";
}

std::string FilterForm(const HttpRequest& r, const StateView& view) {
  std::set<std::string> rules, plans, indicators;
  for (const auto& [fp, a] : view.alerts) {
    rules.insert(a.rule), plans.insert(LabelOf(a, "plan"));
    indicators.insert(LabelOf(a, "indicator"));
  }
  auto list = [](const std::set<std::string>& s) {
    return std::vector<std::string>(s.begin(), s.end());
  };
  return "<form method=\"get\" action=\"/alerts\">" +
         Select("severity", "重要度", {"critical", "warning", "info"}, Query(r, "severity")) +
         Select("state", "状態", {"firing", "silenced", "resolved", "all"}, Query(r, "state")) +
         Select("rule", "ルール", list(rules), Query(r, "rule")) +
         Select("plan", "計画", list(plans), Query(r, "plan")) +
         Select("indicator", "指標", list(indicators), Query(r, "indicator")) +
         " <button type=\"submit\">絞り込む</button></form>";
}

std::string EventJa(const AlertEvent& e) {
  switch (e.kind) {
    case AlertEvent::Kind::kFired:
      return "発生";
    case AlertEvent::Kind::kRefired:
      return "再発生";
    case AlertEvent::Kind::kNotified:
      return "通知";
    case AlertEvent::Kind::kResolved:
      return "解消";
    case AlertEvent::Kind::kSilenced:
      return "サイレンス開始";
    case AlertEvent::Kind::kUnsilenced:
      return "サイレンス終了";
  }
  return "";
}

std::string EventDetailJa(const AlertEvent& e) {
  if (e.kind == AlertEvent::Kind::kResolved) return ResolvedReasonJa(e.detail);
  if (e.kind == AlertEvent::Kind::kSilenced || e.kind == AlertEvent::Kind::kUnsilenced)
    return "サイレンス " + e.detail;
  if (e.kind != AlertEvent::Kind::kNotified) return "";
  std::string as = e.detail == "new"        ? "新規"
                   : e.detail == "ongoing"  ? "継続中"
                   : e.detail == "reminder" ? "再通知"
                   : e.detail == "resolved" ? "解消"
                                            : e.detail;
  return e.receiver + " へ（" + as + "）メッセージ " + e.message_id;
}

}  // namespace

std::string ResolvedReasonJa(const std::string& reason) {
  if (reason == kResolvedValueChanged) return "指標の値が変わりました";
  if (reason == kResolvedRuleChanged) return "ルールが変更されました（値は変わっていません）";
  if (reason == kResolvedRuleRemoved) return "ルールが削除されました";
  if (reason == kResolvedIndicatorRemoved) return "指標が表から削除されました";
  return "検出されなくなりました";
}

std::string AlertHistorySection(StateStore* state, const std::string& fingerprint) {
  std::string out = "<h2>履歴</h2>";
  Result<std::vector<AlertEvent>> events = state->alerts().LoadEvents(fingerprint);
  if (!events.ok()) return out + "<p class=\"muted\">履歴は今は読めません。</p>";
  if (events->empty()) return out + "<p class=\"muted\">記録された履歴はありません。</p>";
  out += "<table class=\"history\"><tr><th>日時</th><th>出来事</th><th>詳細</th></tr>";
  for (auto it = events->rbegin(); it != events->rend(); ++it) {
    out += "<tr><td>" + Esc(JaTime(it->at)) + "</td><td>" + Esc(EventJa(*it)) + "</td><td>" +
           Esc(EventDetailJa(*it)) + "</td></tr>";
  }
  return out + "</table>";
}

HttpResponse OverviewPage(const DaemonStatus& status) {
  auto state = OpenState(status);
  if (!state.ok()) return Unavailable(state.status());
  Result<StateView> view = LoadStateView(state->get(), status);
  if (!view.ok()) return Unavailable(view.status());
  std::string body = "<h1>概要</h1>" + StatusSection(status, *view);
  Result<std::vector<Plan>> plans = LoadPlans(status);
  if (plans.ok()) {
    body += PlanRows(*plans, *view);
  } else {
    body += "<h2>計画</h2><p class=\"muted\">指標データベースはまだ読めません。</p>";
  }
  return PageResponse(200, "概要", body);
}

HttpResponse AlertsPage(const HttpRequest& request, const DaemonStatus& status) {
  auto state = OpenState(status);
  if (!state.ok()) return Unavailable(state.status());
  Result<StateView> view = LoadStateView(state->get(), status);
  if (!view.ok()) return Unavailable(view.status());
  std::vector<const AlertRecord*> alerts = Filtered(request, *view);
  std::string body = "<h1>アラート</h1>" + FilterForm(request, *view) + "<p>" +
                     std::to_string(alerts.size()) + "件</p>" + AlertTable(alerts);
  return PageResponse(200, "アラート", body);
}

HttpResponse SilencesPage(const DaemonStatus& status) {
  auto state = OpenState(status);
  if (!state.ok()) return Unavailable(state.status());
  auto silences = (*state)->silences().LoadSilences(std::chrono::system_clock::now(), false);
  if (!silences.ok()) return Unavailable(silences.status());
  std::string body = "<h1>サイレンス</h1>";
  if (silences->empty()) body += "<p class=\"muted\">有効なサイレンスはありません。</p>";
  if (!silences->empty()) {
    body += "<table><tr><th>条件</th><th>期限</th><th>作成者</th><th>コメント</th><th>id</th></tr>";
    for (const Silence& s : *silences) {
      std::string matchers;
      for (const SilenceMatcher& m : s.matchers) matchers += Esc(m.Text()) + "<br>";
      body += "<tr><td>" + matchers + "</td><td>" + Esc(JaTime(s.ends_at)) + "</td><td>" +
              Esc(s.created_by) + "</td><td>" + Esc(s.comment) + "</td><td>" + Esc(s.id) +
              PostButton(status, "/silences/" + UrlEncode(s.id) + "/expire", "解除") + "</td></tr>";
    }
    body += "</table>";
  }
  body +=
      "<p class=\"muted\">追加と解除は <code>shihyo silence add</code> / <code>shihyo silence "
      "expire</code> で行います。</p>";
  return PageResponse(200, "サイレンス", body);
}

HttpResponse OutboxPage(const DaemonStatus& status) {
  auto state = OpenState(status);
  if (!state.ok()) return Unavailable(state.status());
  auto entries = (*state)->outbox().ListOutbox("", 100);
  if (!entries.ok()) return Unavailable(entries.status());
  std::string body =
      "<h1>送信キュー</h1><p>最新100件</p><table><tr><th>状態</th><th>宛先</th><th>件名</th>"
      "<th>試行</th><th>作成</th><th>送信</th><th>最後のエラー</th></tr>";
  for (const OutboxEntry& e : *entries) {
    body += "<tr><td>" + Esc(e.status) + "</td><td>" + Esc(e.message.receiver) + "</td><td>" +
            Esc(e.message.summary) + "</td><td class=\"num\">" + std::to_string(e.attempts) +
            "</td><td>" + Esc(JaTime(e.message.created_at)) + "</td><td>" + Esc(JaTime(e.sent_at)) +
            "</td><td>" + Esc(e.last_error) + "</td></tr>";
  }
  body += "</table>" + PostButton(status, "/outbox/retry", "送信不能のメッセージをすべて再送") +
          "<p class=\"muted\">送信不能のメッセージの再送は <code>shihyo outbox retry</code> "
          "でも行えます。</p>";
  return PageResponse(200, "送信キュー", body);
}

HttpResponse ServePage(const HttpRequest& request, const DaemonStatus& status) {
  const std::string& p = request.path;
  if (p == "/" || p.empty()) return OverviewPage(status);
  if (p == "/style.css") return StyleSheet();
  if (p == "/alerts" || p == "/alerts/") return AlertsPage(request, status);
  if (p == "/silences") return SilencesPage(status);
  if (p == "/outbox") return OutboxPage(status);
  const std::string kAlert = "/alerts/", kPlan = "/plans/";
  if (p.rfind(kAlert, 0) == 0 && IsHex(p.substr(kAlert.size())))
    return AlertPage(p.substr(kAlert.size()), status);
  if (p.rfind(kPlan, 0) == 0) {
    std::string id = p.substr(kPlan.size());
    if (!id.empty() && id.size() <= 18 && id.find_first_not_of("0123456789") == std::string::npos)
      return PlanPage(id, status);
  }
  return NotFoundPage();
}

}  // namespace shihyo
