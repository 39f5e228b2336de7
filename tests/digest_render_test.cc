// What the digest says and in which order: summary first, critical first,
// one entry per rule and year on many indicators, every flagged cell marked,
// advice per check, rule ids only for administrators, why a resolved alert
// resolved, and links only to pages the daemon serves.
#include <catch2/catch.hpp>

#include "alert/alert_state.h"
#include "notify/advice.h"
#include "notify/digest.h"
#include "notify/resolved_reason.h"

namespace shihyo {
namespace {

constexpr const char* kPlan = "計画A";

struct Fixture {
  std::vector<AlertRecord> alerts;
  Plan plan;
  std::vector<Plan> snapshot;
  Receiver receiver{"kodomo", "email", nullptr};

  Fixture() {
    alerts.reserve(64);
    plan.id = 7;
    plan.name = kPlan;
  }

  // An indicator of |plan| at row |ordinal| with |values| for 2020….
  Indicator& AddIndicator(const std::string& name, int ordinal, const std::string& target,
                          const std::vector<std::string>& values) {
    Indicator ind;
    ind.name = name;
    ind.plan = kPlan;
    ind.project = "プロジェクト1:テスト";
    ind.ordinal = ordinal;
    ind.target_raw = target;
    ind.target = ParseCell(target);
    for (size_t i = 0; i < values.size(); ++i) {
      ind.observations.push_back({2020 + static_cast<int>(i), values[i], ParseCell(values[i])});
    }
    plan.indicators.push_back(ind);
    return plan.indicators.back();
  }

  AlertRecord& Alert(const Indicator& ind, const std::string& rule, const std::string& check,
                     Severity severity, std::optional<int> fy, const std::string& message) {
    AlertRecord a;
    a.fingerprint = "fp" + std::to_string(alerts.size());
    a.rule = rule;
    a.starts_at = *ParseTime("2026-11-28");
    AlertFinding& f = a.finding;
    f.rule = rule;
    f.check = check;
    f.severity = severity;
    f.plan = kPlan;
    f.project = ind.project;
    f.indicator = ind.name;
    f.ordinal = ind.ordinal;
    f.fiscal_year = fy;
    f.message = ind.name + "：" + message;
    auto ev = std::make_shared<IndicatorEvidence>();
    ev->target_raw = ind.target_raw;
    ev->target = ind.target;
    ev->series = ind.observations;
    f.evidence.indicator = ev;
    alerts.push_back(a);
    return alerts.back();
  }

  DigestContext Context(const std::string& url = "http://shihyo.test/") {
    snapshot = {plan};
    return DigestContext{&snapshot, *ParseTime("2026-11-28T09:00:00+09:00"), url};
  }

  GroupNotification Fresh() {
    GroupNotification n;
    n.receiver = &receiver;
    for (const AlertRecord& a : alerts) n.fresh.push_back(&a);
    return n;
  }
};

// A Kamaishi-like digest: one critical rise, a spike on the same indicator,
// a unit mismatch, and four indicators without their 令和6年度 value.
struct Kamaishi : Fixture {
  Kamaishi() {
    Indicator abuse =
        AddIndicator("児童虐待発生件数", 5, "0件", {"14件", "12件", "7件", "25件", ""});
    Indicator users = AddIndicator("利用者数", 1, "8,000人", {"3,200人", "3,831件", "", "", ""});
    Indicator a = AddIndicator("講座の回数", 2, "10回", {"1回", "2回", "3回", "4回", ""});
    Indicator b = AddIndicator("登録数", 3, "5,000人", {"1,748人", "3,188人", "5,070人", "", ""});
    Alert(abuse, "abuse_cases_rising", "rising", Severity::kCritical, 2023,
          "令和5年度は25件で、前年度の7件から18件増えました。状況の確認をお願いします。");
    Alert(abuse, "spike", "spike", Severity::kInfo, 2022,
          "令和4年度の7件は前後の年度から外れています。");
    Alert(users, "unit_mismatch", "unit_mismatch", Severity::kWarning, 2021, "単位が違います。");
    for (const Indicator* ind : {&abuse, &users, &a, &b}) {
      Alert(*ind, "missing_actual", "missing_actual", Severity::kWarning, 2024,
            "令和6年度の実績値が未記入です。");
    }
  }
};

size_t Count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + what.size())) ++n;
  return n;
}

TEST_CASE("digest: summary first, then the critical alert with what to do", "[digest]") {
  Kamaishi k;
  GroupNotification n = k.Fresh();
  DigestContext ctx = k.Context();
  std::string text = DigestText(n, ctx);
  size_t summary = text.find("解消していないアラート: 重大 1件・警告 5件・情報 1件");
  size_t critical = text.find("━━ 重大：すぐに確認してください（1件）━━");
  size_t rest = text.find("━━ アラート ━━");
  REQUIRE(summary != std::string::npos);
  REQUIRE(critical != std::string::npos);
  REQUIRE(rest != std::string::npos);
  CHECK(summary < critical);
  CHECK(critical < rest);
  CHECK(text.find("【重大】児童虐待発生件数（新規・2026年11月28日検出）", critical) < rest);
  CHECK(text.find("→ 対応: " + CheckAdvice("rising", Severity::kCritical), critical) < rest);
  CHECK(text.find("詳細: http://shihyo.test/alerts/fp0", critical) < rest);
  std::string html = DigestHtml(n, ctx);
  size_t html_summary = html.find("class=\"summary\"");
  size_t html_critical = html.find("class=\"critical\"");
  REQUIRE(html_summary != std::string::npos);
  CHECK(html_summary < html_critical);
  CHECK(html_critical < html.find("class=\"group\""));
  CHECK(html.find("class=\"group\"") < html.find("class=\"block\""));
}

TEST_CASE("digest: one entry for a rule and year on many indicators", "[digest]") {
  Kamaishi k;
  GroupNotification n = k.Fresh();
  DigestContext ctx = k.Context();
  std::string text = DigestText(n, ctx);
  CHECK(Count(text, "【警告】令和6年度の実績が未記入：4指標\n") == 1);
  CHECK_THAT(text, Catch::Contains("    利用者数、講座の回数、登録数、児童虐待発生件数\n"));
  CHECK(Count(text, "令和6年度の実績値が未記入です") == 0);
  // The indicators with other alerts keep a block, which names the grouped one.
  CHECK(Count(text, "【警告】令和6年度の実績が未記入（まとめて上に記載）") == 2);
  CHECK(Count(text, "\n● ") == 2);
  std::string html = DigestHtml(n, ctx);
  CHECK(Count(html, "class=\"group\"") == 1);
  CHECK(Count(html, "<span class=\"name\">") == 4);
  CHECK(Count(html, "class=\"block\"") == 2);
  CHECK_THAT(html, Catch::Contains("<b>令和6年度の実績が未記入：4指標</b>"));
  CHECK(GroupTitle("target_unreachable", std::nullopt).empty());  // messages differ: never grouped
}

TEST_CASE("digest: one table per indicator marks every flagged cell", "[digest]") {
  Kamaishi k;
  GroupNotification n = k.Fresh();
  std::string html = DigestHtml(n, k.Context());
  size_t block = html.find("class=\"block\"");
  size_t next = html.find("class=\"block\"", block + 1);
  std::string abuse = html.substr(block, next - block);
  CHECK_THAT(abuse, Catch::Contains("児童虐待発生件数"));
  CHECK(Count(abuse, "class=\"series\"") == 1);
  // 25件 (critical), 7件 (info) and the empty 令和6年度 (grouped warning).
  CHECK(Count(abuse, "class=\"flagged\"") == 3);
  CHECK_THAT(abuse,
             Catch::Contains("<b>25件</b><br><font color=\"#c62828\"><small>【重大】</small>"));
  CHECK_THAT(abuse,
             Catch::Contains("<b>7件</b><br><font color=\"#1565c0\"><small>【情報】</small>"));
  CHECK(Count(abuse, "class=\"bar\"") == 6);  // five years and the target
  CHECK(html.find("<svg") == std::string::npos);
  CHECK(html.find("<img") == std::string::npos);
  std::string text = DigestText(n, k.Context());
  CHECK_THAT(text, Catch::Contains("25件*"));
  CHECK_THAT(text, Catch::Contains("7件*"));
}

TEST_CASE("digest: severity shows without CSS, by colour attribute and label", "[digest]") {
  Kamaishi k;
  GroupNotification n = k.Fresh();
  std::string html = DigestHtml(n, k.Context());
  CHECK_THAT(html, Catch::Contains("bgcolor=\"#c62828\" style=\"background:#c62828;color:#ffffff;"
                                   "padding:1px 4px;white-space:nowrap;font-size:12px;font-"
                                   "weight:bold\"><font color=\"#ffffff\"><b>【重大】</b>"));
  CHECK_THAT(html, Catch::Contains("bgcolor=\"#f9a825\""));
  CHECK_THAT(html, Catch::Contains("<b>【警告】</b>"));
  CHECK_THAT(html, Catch::Contains("<b>【情報】</b>"));
  CHECK_THAT(html, Catch::Contains("<b>重大 1件</b>"));
}

TEST_CASE("digest: advice follows the check; rule ids only for administrators", "[digest]") {
  Kamaishi k;
  GroupNotification n = k.Fresh();
  DigestContext ctx = k.Context();
  CHECK(CheckAdvice("rising", Severity::kCritical).find("状況を確認") != std::string::npos);
  CHECK(CheckAdvice("rising", Severity::kCritical) !=
        CheckAdvice("unit_mismatch", Severity::kWarning));
  CHECK(CheckAdvice("unit_mismatch", Severity::kWarning).find("取り込み直して") !=
        std::string::npos);
  CHECK(CheckAdvice("no_such_check", Severity::kInfo).find("取り込み直して") != std::string::npos);
  std::string text = DigestText(n, ctx), html = DigestHtml(n, ctx);
  CHECK_THAT(text, Catch::Contains("→ 対応: " + CheckAdvice("unit_mismatch", Severity::kWarning)));
  for (const std::string& part : {text, html}) {
    size_t admin = part.find("管理者向け");
    REQUIRE(admin != std::string::npos);
    for (const char* rule : {"abuse_cases_rising", "missing_actual", "unit_mismatch", "spike"}) {
      CAPTURE(rule);
      CHECK(part.find(rule) > admin);
    }
  }
  CHECK_THAT(text, Catch::EndsWith("管理者向け: ルール abuse_cases_rising 1件・missing_actual 4件・"
                                   "spike 1件・unit_mismatch 1件／通知先 kodomo\n"));
}

TEST_CASE("digest: links point at the daemon's pages, and only with external_url", "[digest]") {
  Kamaishi k;
  GroupNotification n = k.Fresh();
  DigestContext with = k.Context("http://shihyo.test/");
  std::string html = DigestHtml(n, with);
  CHECK_THAT(html, Catch::Contains("href=\"http://shihyo.test/alerts/fp0\""));
  CHECK_THAT(html, Catch::Contains("href=\"http://shihyo.test/plans/7#i5\""));
  CHECK_THAT(html, Catch::Contains("href=\"http://shihyo.test/alerts\""));
  DigestContext without = k.Context("");
  for (const std::string& part : {DigestHtml(n, without), DigestText(n, without)}) {
    CHECK(part.find("href") == std::string::npos);
    CHECK(part.find("http") == std::string::npos);
    CHECK(part.find("詳細") == std::string::npos);
  }
}

struct Resolved : Fixture {
  AlertRecord* alert;
  Resolved() {
    Indicator ind = AddIndicator("児童虐待発生件数", 5, "0件", {"14件", "12件", "7件", "25件"});
    alert = &Alert(ind, "abuse_cases_rising", "rising", Severity::kCritical, 2023,
                   "令和5年度は25件で、前年度の7件から18件増えました。状況の確認をお願いします。");
    alert->state = AlertRecord::State::kResolved;
    alert->ends_at = *ParseTime("2026-11-29");
  }
  GroupNotification Notice() {
    GroupNotification n;
    n.receiver = &receiver;
    n.resolved = {alert};
    return n;
  }
};

TEST_CASE("digest: why a resolved alert resolved, for every reason", "[digest]") {
  Resolved r;
  DigestContext ctx = r.Context();
  CHECK(ResolvedReasonOf(*r.alert, ctx) == "");  // nothing differs: not known why
  CHECK(ResolvedReasonText(*r.alert, "", ctx) ==
        "次の評価で当てはまらなくなりました（表の値は変わっていません）。");
  CHECK(ResolvedReasonText(*r.alert, "rule_changed", ctx) ==
        "ルールの条件が変わり、当てはまらなくなりました（値は変わっていません）。");
  CHECK(ResolvedReasonText(*r.alert, "rule_removed", ctx) ==
        "このアラートを出したルールが削除されました。値が直ったのではありません。");
  CHECK(ResolvedReasonText(*r.alert, "indicator_removed", ctx) ==
        "取り込んだ表から指標がなくなりました。値が直ったのではありません。");
  CHECK(ResolvedReasonText(*r.alert, "silenced", ctx) ==
        "サイレンスで通知を止めたため、以後はお知らせしません。");
  // A loosened threshold: the count did not change, and the email says so
  // instead of repeating 「…増えました。状況の確認をお願いします」 as news.
  std::string text = DigestText(r.Notice(), ctx);
  CHECK_THAT(text, Catch::Contains("  【解消】次の評価で当てはまらなくなりました（表の値は変わって"
                                   "いません）。（2026年11月29日に解消）\n      もとのお知らせ: "));

  r.alert->silenced_by = "s1";  // resolved while a silence muted it, nothing changed
  CHECK(ResolvedReasonOf(*r.alert, ctx) == "silenced");
  r.alert->silenced_by.clear();

  r.plan.indicators[0].observations[3] = {2023, "12件", ParseCell("12件")};
  r.plan.indicators[0].target_raw = "5件";
  ctx = r.Context();
  CHECK(ResolvedReasonOf(*r.alert, ctx) == "value_changed");
  CHECK(ValueChanges(*r.alert, ctx) ==
        std::vector<std::string>{"令和5年度 25件 → 12件", "目標 0件 → 5件"});
  CHECK(ResolvedReasonText(*r.alert, "value_changed", ctx) ==
        "値が変わりました（令和5年度 25件 → 12件、目標 0件 → 5件）。");
  CHECK(ResolvedReasonText(*r.alert, "rule_changed", ctx) ==
        "ルールの条件が変わり、当てはまらなくなりました（値も変わりました：令和5年度 25件 → "
        "12件、目標 0件 → 5件）。");
  CHECK_THAT(DigestHtml(r.Notice(), ctx),
             Catch::Contains("値が変わりました（令和5年度 25件 → 12件"));

  r.plan.indicators.clear();
  ctx = r.Context();
  CHECK(ResolvedReasonOf(*r.alert, ctx) == "indicator_removed");
  CHECK(DigestSubject(r.Notice(), ctx) == "[shihyo] 表から削除 1件 — 計画A");
}

TEST_CASE("digest: resolved alerts of one rule and year are one entry too", "[digest]") {
  Fixture f;
  for (int i = 0; i < 5; ++i) {
    Indicator& ind = f.AddIndicator("指標" + std::to_string(i), i, "10回", {"1回", ""});
    f.Alert(ind, "missing_actual", "missing_actual", Severity::kWarning, 2021, "未記入です。");
    ind.observations[1] = {2021, "3回", ParseCell("3回")};  // filled in since
    f.alerts.back().state = AlertRecord::State::kResolved;
  }
  GroupNotification n;
  n.receiver = &f.receiver;
  for (const AlertRecord& a : f.alerts) n.resolved.push_back(&a);
  DigestContext ctx = f.Context();
  std::string text = DigestText(n, ctx);
  CHECK(Count(text, "【解消】令和3年度の実績が未記入：5指標") == 1);
  CHECK_THAT(text, Catch::Contains("指標0（令和3年度 （空欄） → 3回）、"));
  CHECK(DigestSubject(n, ctx) == "[shihyo] 解消 5件 — 計画A");
}

}  // namespace
}  // namespace shihyo
