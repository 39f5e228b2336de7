#include "http/html_page.h"

#include "base/clock.h"
#include "notify/digest.h"
#include "store/store.h"

namespace shihyo {

namespace {

constexpr const char* kStyle = R"css(
body{font-family:"IPAGothic","IPAexGothic","Noto Sans CJK JP",sans-serif;margin:0;color:#222;
line-height:1.5;background:#fafafa}
header{background:#24527a;color:#fff;padding:.5em 1em}
header a{color:#fff;margin-right:1em;text-decoration:none;display:inline-block}
header strong{margin-right:1.5em}
main{padding:.5em 1em;max-width:72em}
h1{font-size:1.3em}h2{font-size:1.1em;margin-top:1.5em}h3{font-size:1em}
table{border-collapse:collapse;margin:.5em 0;background:#fff;display:block;overflow-x:auto}
th,td{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}
th{background:#eef2f6}
.num{text-align:right}
.sev-critical{background:#c62828;color:#fff;padding:0 .3em;border-radius:3px;white-space:nowrap}
.sev-warning{background:#ef8f00;color:#fff;padding:0 .3em;border-radius:3px;white-space:nowrap}
.sev-info{background:#546e7a;color:#fff;padding:0 .3em;border-radius:3px;white-space:nowrap}
.flagged{background:#ffebee}
.muted{color:#666}
.indicator{border:1px solid #ddd;background:#fff;padding:.5em;margin:.5em 0}
svg{max-width:100%;height:auto}
form label{display:inline-block;margin:.2em .8em .2em 0}
.error{color:#c62828}
.history td:nth-child(2){white-space:nowrap}
.history td:last-child{overflow-wrap:anywhere;min-width:10em}
)css";

}  // namespace

std::string Esc(const std::string& s) { return HtmlEscape(s); }

std::string UrlEncode(const std::string& s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

HttpResponse PageResponse(int status, const std::string& title, const std::string& body) {
  HttpResponse r;
  r.status = status;
  r.content_type = "text/html; charset=utf-8";
  r.body =
      "<!DOCTYPE html>\n<html lang=\"ja\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>" +
      Esc(title) +
      " - shihyo</title><link rel=\"stylesheet\" href=\"/style.css\"></head><body>"
      "<header><strong>shihyo 数値指標の監視</strong><nav><a href=\"/\">概要</a>"
      "<a href=\"/alerts\">アラート</a><a href=\"/silences\">サイレンス</a>"
      "<a href=\"/outbox\">送信キュー</a></nav></header><main>\n" +
      body + "\n</main></body></html>\n";
  return r;
}

HttpResponse NotFoundPage() {
  return PageResponse(404, "見つかりません",
                      "<h1>見つかりません</h1><p>このページはありません。<a "
                      "href=\"/\">概要</a>に戻ってください。</p>");
}

HttpResponse StyleSheet() {
  HttpResponse r;
  r.content_type = "text/css; charset=utf-8";
  r.body = kStyle;
  return r;
}

std::string JaTime(const std::optional<TimePoint>& t) {
  return t ? FormatJapaneseDateTime(*t) : "—";
}

std::string SeverityJa(const std::string& severity) {
  if (severity == "critical") return "重大";
  if (severity == "warning") return "警告";
  if (severity == "info") return "情報";
  return severity;
}

std::string StateJa(const std::string& state) {
  if (state == "firing") return "発生中";
  if (state == "silenced") return "抑止中";
  if (state == "resolved") return "解消";
  return state;
}

std::string SeverityBadge(const std::string& severity) {
  return "<span class=\"sev-" + Esc(severity) + "\">" + Esc(SeverityJa(severity)) + "</span>";
}

std::string AlertTable(const std::vector<const AlertRecord*>& alerts) {
  if (alerts.empty()) return "<p class=\"muted\">該当するアラートはありません。</p>";
  std::string out =
      "<table><tr><th>重要度</th><th>状態</th><th>指標</th><th>年度</th><th>内容</th>"
      "<th>ルール</th><th>開始</th></tr>";
  for (const AlertRecord* a : alerts) {
    std::string fy = LabelOf(*a, "fiscal_year");
    out += "<tr><td>" + SeverityBadge(LabelOf(*a, "severity")) + "</td><td>" +
           Esc(StateJa(AlertStateName(*a))) + "</td><td>" + Esc(LabelOf(*a, "indicator")) +
           "</td><td>" + (fy.empty() ? "—" : Esc(fy) + "年度") + "</td><td><a href=\"/alerts/" +
           UrlEncode(a->fingerprint) + "\">" + Esc(a->finding.message) + "</a></td><td>" +
           Esc(a->rule) + "</td><td>" + Esc(JaTime(a->starts_at)) + "</td></tr>";
  }
  return out + "</table>";
}

Result<std::vector<Plan>> LoadPlans(const DaemonStatus& status) {
  auto store = IndicatorStore::Open(status.store, IndicatorStore::Mode::kReadOnly, 1000);
  if (!store.ok()) return store.status();
  return (*store)->LoadPlans();
}

}  // namespace shihyo
