// Internal to http/: the frame of every status page (Japanese, no scripts,
// one stylesheet from /style.css) and what the pages share. Every value
// from a table, a rule or the state DB goes through Esc(). Thread-safe.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "alert/alert_state.h"
#include "http/http_internal.h"
#include "model/indicator.h"

namespace shihyo {

// |s| escaped for HTML text and quoted attribute values (and inline SVG).
std::string Esc(const std::string& s);
// |s| percent-encoded for a query value or a path segment.
std::string UrlEncode(const std::string& s);

// A whole page: <title>, the navigation, |body| (already HTML).
HttpResponse PageResponse(int status, const std::string& title, const std::string& body);
// The 404 page.
HttpResponse NotFoundPage();
// The stylesheet.
HttpResponse StyleSheet();

// "2026年11月28日 18:05" (Japan time), "—" when unset.
std::string JaTime(const std::optional<TimePoint>& t);
// 重大 / 警告 / 情報 for "critical" / "warning" / "info"; the name itself otherwise.
std::string SeverityJa(const std::string& severity);
// 発生中 / 抑止中 / 解消 for "firing" / "silenced" / "resolved".
std::string StateJa(const std::string& state);
// <span class="sev-…">重大</span>
std::string SeverityBadge(const std::string& severity);
// Why an alert resolved, as staff read it (AlertRecord::resolved_reason).
std::string ResolvedReasonJa(const std::string& reason);
// <h2>履歴</h2> and the history of alert |fingerprint| (Japan time), newest
// first; a line saying it cannot be read when the state DB refuses.
std::string AlertHistorySection(StateStore* state, const std::string& fingerprint);
// A table of |alerts|, each linking to /alerts/<fingerprint>.
std::string AlertTable(const std::vector<const AlertRecord*>& alerts);

// The plans of the indicator store of |status|, opened read-only.
Result<std::vector<Plan>> LoadPlans(const DaemonStatus& status);

// Page handlers (http_pages.cc, http_plan_page.cc).
HttpResponse OverviewPage(const DaemonStatus& status);
HttpResponse AlertsPage(const HttpRequest& request, const DaemonStatus& status);
HttpResponse AlertPage(const std::string& fingerprint, const DaemonStatus& status);
HttpResponse PlanPage(const std::string& id, const DaemonStatus& status);
HttpResponse SilencesPage(const DaemonStatus& status);
HttpResponse OutboxPage(const DaemonStatus& status);

// The inline SVG chart of |indicator|: actuals per year, the target line,
// years in |flagged| marked. Every text in it escaped.
std::string IndicatorChart(const Indicator& indicator, const std::vector<int>& flagged);

}  // namespace shihyo
