// Email rendering and header safety.
#include "notify/digest.h"

#include <catch2/catch.hpp>

#include "alert/alert_state.h"
#include "fakes.h"
#include "notify/email/email_kind.h"
#include "notify/email/smtp_notifier.h"
#include "notify/resolved_reason.h"
#include "notify/webhook/webhook_notifier.h"

namespace shihyo {
namespace {

TEST_CASE("smtp: non-ASCII header text is RFC 2047 encoded in whole characters", "[digest]") {
  CHECK(EncodeHeaderText("plain ascii") == "plain ascii");
  std::string subject = "[shihyo] 新規アラート 7件 — 第2期釜石市子ども・子育て支援事業計画";
  std::string encoded = EncodeHeaderText(subject);
  CHECK(encoded.rfind("=?UTF-8?B?", 0) == 0);
  size_t start = 0;
  int words = 0;
  while (start < encoded.size()) {
    size_t end = encoded.find(' ', start);
    if (end == std::string::npos) end = encoded.size();
    std::string word = encoded.substr(start, end - start);
    CHECK(word.size() <= 75);
    CHECK(word.rfind("=?UTF-8?B?", 0) == 0);
    CHECK(word.substr(word.size() - 2) == "?=");
    ++words;
    start = end + 1;
  }
  CHECK(words >= 2);
  CHECK(encoded.find('\r') == std::string::npos);
  CHECK(encoded.find('\n') == std::string::npos);
}

TEST_CASE("smtp: no data can add or change a header", "[digest]") {
  Message m;
  m.id = "abc@example.lg.jp";
  m.receiver = "kodomo\r\nBcc: x@example.com";
  m.subject = "件名\r\nBcc: x@example.com\nX-Evil: 1";
  m.to = {"kodomo@example.lg.jp"};
  SmtpConfig smtp;
  smtp.from = "shihyo <shihyo@example.lg.jp>";
  std::vector<std::string> headers = EmailHeaders(m, smtp, *ParseTime("2026-11-28"));
  for (const std::string& h : headers) {
    CAPTURE(h);
    CHECK(h.find('\r') == std::string::npos);
    CHECK(h.find('\n') == std::string::npos);
    CHECK(h.rfind("Bcc", 0) != 0);
    CHECK(h.rfind("X-Evil", 0) != 0);
  }
  CHECK(headers[0] == "Date: Sat, 28 Nov 2026 00:00:00 +0900");
  CHECK(headers[1] == "From: shihyo <shihyo@example.lg.jp>");
  CHECK(headers[2] == "To: kodomo@example.lg.jp");
  CHECK(headers[4] == "Message-ID: <abc@example.lg.jp>");
  CHECK(BareAddress("shihyo <shihyo@example.lg.jp>") == "shihyo@example.lg.jp");
}

TEST_CASE("smtp: a long subject is folded, names are encoded", "[digest]") {
  Message m;
  m.id = "abc@example.lg.jp";
  m.subject =
      "[shihyo] 新規アラート 54件 — 第2期釜石市子ども・子育て支援事業計画 "
      "重点プロジェクト進捗状況【数値指標】";
  m.to = {"子ども課 <kodomo@example.lg.jp>"};
  SmtpConfig smtp;
  smtp.from = "指標監視 <shihyo@example.lg.jp>";
  std::vector<std::string> headers = EmailHeaders(m, smtp, *ParseTime("2026-11-28"));
  CHECK(headers[1].rfind("From: =?UTF-8?B?", 0) == 0);
  CHECK_THAT(headers[1], Catch::EndsWith(" <shihyo@example.lg.jp>"));
  CHECK(headers[2].rfind("To: =?UTF-8?B?", 0) == 0);
  const std::string& subject = headers[3];
  REQUIRE(subject.rfind("Subject: ", 0) == 0);
  size_t start = 0;
  int lines = 0;
  while (start <= subject.size()) {
    size_t end = subject.find("\r\n", start);
    std::string line =
        subject.substr(start, end == std::string::npos ? std::string::npos : end - start);
    CHECK(line.size() <= 78);
    if (lines > 0) CHECK(line[0] == ' ');  // a continuation, never a new header
    CHECK(line.find('\n') == std::string::npos);
    ++lines;
    if (end == std::string::npos) break;
    start = end + 2;
  }
  CHECK(lines >= 3);
}

TEST_CASE("webhook: HMAC-SHA256 signature of the body", "[digest]") {
  // RFC 4231 test case 2.
  CHECK(SignBody("Jefe", "what do ya want for nothing?") ==
        "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST_CASE("digest: subject, sections and current values of resolved alerts", "[digest]") {
  auto email = std::make_shared<EmailSettings>();
  email->to = {"kodomo@example.lg.jp"};
  Receiver r{"kodomo", "email", email};
  auto alert = [](const std::string& fp, const std::string& indicator, bool firing) {
    AlertRecord a;
    a.fingerprint = fp;
    a.state = firing ? AlertRecord::State::kFiring : AlertRecord::State::kResolved;
    a.finding.plan = "計画A";
    a.finding.project = "プロジェクト1:テスト";
    a.finding.indicator = indicator;
    a.finding.rule = "r";
    a.finding.severity = Severity::kCritical;
    a.finding.fiscal_year = 2023;
    a.finding.message = indicator + "：25件に増えました";
    auto ev = std::make_shared<IndicatorEvidence>();
    ev->target_raw = "0件";
    ev->series = {{2023, "25件", ParseCell("25件")}};
    a.finding.evidence.indicator = ev;
    return a;
  };
  AlertRecord fresh = alert("1", "発生件数", true);
  AlertRecord gone = alert("2", "利用者数", false);
  gone.ends_at = *ParseTime("2026-11-29");
  Plan plan;
  plan.name = "計画A";
  Indicator users;
  users.name = "利用者数";
  users.project = "プロジェクト1:テスト";
  users.target_raw = "8,000人";
  users.observations = {{2023, "4,858人", ParseCell("4,858人")}};
  plan.indicators = {users};
  std::vector<Plan> snapshot = {plan};
  GroupNotification n;
  n.receiver = &r;
  n.group.labels = {{"plan", "計画A"}};
  n.fresh = {&fresh};
  // An import removed this one's indicator: resolved as removed, not fixed (issue 13 item 5).
  AlertRecord removed = alert("3", "廃止された指標", false);
  n.resolved = {&gone, &removed};
  DigestContext ctx{&snapshot, *ParseTime("2026-11-29T10:00:00+09:00"), "http://x"};
  CHECK(DigestSubject(n, ctx) == "[shihyo] 新規アラート 1件・解消 1件・表から削除 1件 — 計画A");
  Message m = BuildEmail(n, ctx, "id@x");
  CHECK(m.to == email->to);
  CHECK_THAT(m.text, Catch::Contains("2026年11月29日 10:00 時点　新規 1件・継続 0件・解消 1件・"
                                     "表から削除 1件"));
  size_t removed_at = m.text.find("━━ 表から削除された指標のアラート ━━");
  REQUIRE(removed_at != std::string::npos);
  CHECK(m.text.find("廃止された指標", removed_at) != std::string::npos);
  CHECK(m.text.find("【表から削除】", removed_at) != std::string::npos);
  CHECK(m.text.find("表から削除されたため解消", removed_at) != std::string::npos);
  CHECK(m.text.find("削除前の実績", removed_at) != std::string::npos);
  CHECK(m.text.find("廃止された指標") > removed_at);  // not among the fixed ones
  CHECK_THAT(m.html, Catch::Contains(">表から削除された指標のアラート</div>"));
  CHECK_THAT(m.text, Catch::Contains("【重大】25件に増えました（新規・"));
  size_t resolved_at = m.text.find("━━ 解消したアラート ━━");
  REQUIRE(resolved_at != std::string::npos);
  // Why: the value changed, old (the alert's evidence) → new (the store now).
  CHECK(m.text.find("値が変わりました（令和5年度 25件 → 4,858人、目標 0件 → 8,000人）",
                    resolved_at) != std::string::npos);
  CHECK_THAT(m.html, Catch::Contains(">解消したアラート</div>"));
  CHECK_THAT(m.html, Catch::Contains("4,858人"));
}

TEST_CASE("digest: HTML escapes what the data says", "[digest]") {
  Receiver r;
  r.name = "kodomo";
  AlertRecord a;
  a.fingerprint = "1";
  a.finding.plan = "p";
  a.finding.indicator = "<script>alert(1)</script>";
  a.finding.rule = "r";
  a.finding.severity = Severity::kInfo;
  a.finding.message = "a & b < c";
  GroupNotification n;
  n.receiver = &r;
  n.fresh = {&a};
  DigestContext ctx{nullptr, *ParseTime("2026-11-28"), ""};
  std::string html = DigestHtml(n, ctx);
  CHECK(html.find("<script>") == std::string::npos);
  CHECK_THAT(html, Catch::Contains("&lt;script&gt;"));
  CHECK_THAT(html, Catch::Contains("a &amp; b &lt; c"));
}

}  // namespace
}  // namespace shihyo
