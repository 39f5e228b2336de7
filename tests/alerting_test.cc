// The alert lifecycle and the notification decisions, without servers.
#include <catch2/catch.hpp>
#include <fstream>
#include <set>

#include "alert/alert_state.h"
#include "alert/inhibit.h"
#include "alert/notify_planner.h"
#include "alert/route.h"
#include "base/regex.h"
#include "config/config.h"
#include "eval/evaluator.h"
#include "eval/rule_loader.h"
#include "fakes.h"
#include "notify/alert_json.h"
#include "store/store.h"

namespace shihyo {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

TimePoint T0() { return *ParseTime("2026-11-28T09:00:00+09:00"); }

Finding MakeFinding(const std::string& rule, const std::string& indicator, int fy,
                    Severity severity = Severity::kWarning) {
  Finding f;
  f.rule = rule;
  f.check = "rising";
  f.severity = severity;
  f.plan = "計画";
  f.project = "プロジェクト1:テスト";
  f.indicator = indicator;
  f.fiscal_year = fy;
  f.message = indicator + "：メッセージ";
  f.fingerprint = Fingerprint({rule, f.plan, indicator, std::to_string(fy)});
  return f;
}

TEST_CASE("alert_state: new, still firing, resolved, firing again", "[alerting]") {
  std::vector<Finding> findings = {MakeFinding("r", "A", 2023), MakeFinding("r", "B", 2023)};
  AlertTransition t1 = ApplyFindings({}, findings, {}, T0());
  CHECK(t1.fired.size() == 2);
  CHECK(t1.resolved.empty());
  const std::string fa = findings[0].fingerprint;
  CHECK(t1.alerts.at(fa).firing());
  CHECK(t1.alerts.at(fa).starts_at == T0());
  CHECK(t1.alerts.at(fa).labels.at("alertname") == "r");
  CHECK(t1.alerts.at(fa).labels.at("fiscal_year") == "2023");

  AlertTransition t2 = ApplyFindings(t1.alerts, findings, {}, T0() + hours(1));
  CHECK(t2.fired.empty());
  CHECK(t2.alerts.at(fa).starts_at == T0());  // the same episode
  CHECK(t2.alerts.at(fa).last_seen == T0() + hours(1));

  AlertTransition t3 = ApplyFindings(t2.alerts, {findings[1]}, {}, T0() + hours(2));
  CHECK(t3.resolved == std::vector<std::string>{fa});
  CHECK_FALSE(t3.alerts.at(fa).firing());
  CHECK(t3.alerts.at(fa).ends_at == T0() + hours(2));

  AlertTransition t4 = ApplyFindings(t3.alerts, findings, {}, T0() + hours(3));
  CHECK(t4.fired == std::vector<std::string>{fa});
  CHECK(t4.alerts.at(fa).starts_at == T0() + hours(3));
  CHECK_FALSE(t4.alerts.at(fa).ends_at);
}

TEST_CASE("alert_state: an alert found again as it was changes only its last_seen", "[alerting]") {
  std::vector<Finding> findings = {MakeFinding("r", "A", 2023), MakeFinding("r", "B", 2023)};
  const std::string fa = findings[0].fingerprint, fb = findings[1].fingerprint;
  AlertTransition t1 = ApplyFindings({}, findings, {}, T0());
  CHECK(t1.seen_only.empty());  // new: whole rows
  CHECK(t1.changed.size() == 2);
  findings[1].message = "B：変わったメッセージ";
  AlertTransition t2 = ApplyFindings(t1.alerts, findings, {}, T0() + hours(1));
  CHECK(t2.changed.size() == 2);
  CHECK(t2.seen_only == std::set<std::string>{fa});
  CHECK(t2.alerts.at(fa).last_seen == T0() + hours(1));
  CHECK(t2.alerts.at(fb).finding.message == "B：変わったメッセージ");
  // Silenced now: more than last_seen changes.
  Silence s{"s1", {{"indicator", "A", false, nullptr}}, T0(), T0() + hours(24), "t", ""};
  AlertTransition t3 = ApplyFindings(t2.alerts, findings, {s}, T0() + hours(2));
  CHECK(t3.seen_only == std::set<std::string>{fb});
  // Resolved and fired again: whole rows.
  AlertTransition t4 = ApplyFindings(t3.alerts, {findings[1]}, {s}, T0() + hours(3));
  AlertTransition t5 = ApplyFindings(t4.alerts, findings, {s}, T0() + hours(4));
  CHECK(t5.seen_only == std::set<std::string>{fb});
  CHECK(t5.alerts.at(fa).starts_at == T0() + hours(4));
}

TEST_CASE("alert_state: silences mute by matcher while in force", "[alerting]") {
  Silence s{"s1", {{"indicator", "A", false, nullptr}}, T0(), T0() + hours(24), "test", "確認中"};
  Silence re{"s2", {{"rule", "ab.*", true, nullptr}}, T0(), T0() + hours(24), "test", ""};
  REQUIRE(CompileSilence(&re).ok());
  auto t = ApplyFindings(
      {}, {MakeFinding("r", "A", 2023), MakeFinding("abc", "B", 2023), MakeFinding("r", "C", 2023)},
      {s, re}, T0() + hours(1));
  std::map<std::string, std::string> by_indicator;
  for (const auto& [fp, a] : t.alerts) by_indicator[a.labels.at("indicator")] = a.silenced_by;
  CHECK(by_indicator["A"] == "s1");
  CHECK(by_indicator["B"] == "s2");
  CHECK(by_indicator["C"] == "");
  auto later = ApplyFindings({}, {MakeFinding("r", "A", 2023)}, {s}, T0() + hours(25));
  CHECK_FALSE(later.alerts.begin()->second.silenced());
}

Config TwoReceivers() {
  Config c;
  Receiver mail;
  mail.name = "mail";
  Receiver critical;
  critical.name = "critical";
  c.receivers = {mail, critical};
  c.route.receiver = "mail";
  c.route.group_by = {"plan"};
  c.route.repeat_interval = hours(24);
  Route child;
  child = c.route;
  child.receiver = "critical";
  child.matchers.push_back(Matcher{"severity", "critical", nullptr, false});
  c.route.routes.push_back(child);
  return c;
}

struct Harness {
  Config config = TwoReceivers();
  std::map<std::string, AlertRecord> alerts;
  NotifyLog log;

  NotifyPlan Cycle(const std::vector<Finding>& findings, TimePoint now) {
    alerts = ApplyFindings(alerts, findings, {}, now).alerts;
    NotifyPlan plan = PlanNotifications(config, alerts, log, now, hours(4));
    for (const NotifyLogEntry& e : plan.log_updates) log[{e.receiver, e.group_key}] = e;
    return plan;
  }
};

TEST_CASE("notify_planner: one digest per group, no repeats, reminder, resolved", "[alerting]") {
  Harness h;
  std::vector<Finding> findings = {MakeFinding("r", "A", 2023), MakeFinding("r", "B", 2023),
                                   MakeFinding("abuse", "C", 2023, Severity::kCritical)};
  NotifyPlan p1 = h.Cycle(findings, T0());
  REQUIRE(p1.notifications.size() == 2);
  for (const GroupNotification& n : p1.notifications) {
    CHECK(n.fresh.size() == (n.receiver->name == "critical" ? 1u : 2u));
    CHECK_FALSE(n.reminder);
  }
  CHECK(h.Cycle(findings, T0() + hours(1)).notifications.empty());

  NotifyPlan reminder = h.Cycle(findings, T0() + hours(25));
  REQUIRE(reminder.notifications.size() == 2);
  CHECK(reminder.notifications[0].reminder);
  CHECK(reminder.notifications[0].fresh.empty());

  // B resolves: only the mail group hears of it, with A still firing.
  NotifyPlan resolved = h.Cycle({findings[0], findings[2]}, T0() + hours(26));
  REQUIRE(resolved.notifications.size() == 1);
  const GroupNotification& n = resolved.notifications[0];
  CHECK(n.receiver->name == "mail");
  REQUIRE(n.resolved.size() == 1);
  CHECK(n.resolved[0]->labels.at("indicator") == "B");
  CHECK(n.ongoing.size() == 1);
  CHECK(h.Cycle({findings[0], findings[2]}, T0() + hours(27)).notifications.empty());
}

TEST_CASE("notify_planner: reminders saturate at the clock's bounds (issue 13 item 6)",
          "[alerting]") {
  // 301 years after the last message: now - last_sent wrapped (int64
  // nanoseconds hold 292 years) and the reminder never came.
  Harness h;
  h.config.route.routes.clear();
  h.config.route.repeat_interval = kMaxDuration;
  std::vector<Finding> findings = {MakeFinding("r", "A", 2023)};
  REQUIRE(h.Cycle(findings, *ParseTime("1900-01-01")).notifications.size() == 1);
  NotifyPlan late = h.Cycle(findings, *ParseTime("2200-12-31"));
  REQUIRE(late.notifications.size() == 1);
  CHECK(late.notifications[0].reminder);
  // A 100-year group_wait from 2200 ends at the end of time, not in the past.
  Harness waiting;
  waiting.config.route.routes.clear();
  waiting.config.route.group_wait = kMaxDuration;
  NotifyPlan held = waiting.Cycle(findings, *ParseTime("2200-12-31"));
  CHECK(held.notifications.empty());
  REQUIRE(held.next_flush);
  CHECK(*held.next_flush == TimePoint::max());
}

TEST_CASE("notify_planner: group_wait holds a new group back, then sends it all", "[alerting]") {
  Harness h;
  h.config.route.group_wait = minutes(5);
  h.config.route.routes.clear();
  NotifyPlan p1 = h.Cycle({MakeFinding("r", "A", 2023)}, T0());
  CHECK(p1.notifications.empty());
  REQUIRE(p1.next_flush);
  CHECK(*p1.next_flush == T0() + minutes(5));
  NotifyPlan p2 =
      h.Cycle({MakeFinding("r", "A", 2023), MakeFinding("r", "B", 2023)}, T0() + minutes(3));
  CHECK(p2.notifications.empty());
  NotifyPlan p3 =
      h.Cycle({MakeFinding("r", "A", 2023), MakeFinding("r", "B", 2023)}, T0() + minutes(5));
  REQUIRE(p3.notifications.size() == 1);
  CHECK(p3.notifications[0].fresh.size() == 2);
}

TEST_CASE("notify_planner: a change that went away before group_wait leaves no stale wait",
          "[alerting]") {
  Harness h;
  h.config.route.group_wait = minutes(5);
  h.config.route.routes.clear();
  CHECK(h.Cycle({MakeFinding("r", "A", 2023)}, T0()).notifications.empty());
  CHECK(h.Cycle({}, T0() + minutes(1)).notifications.empty());  // A gone before the flush
  // B, much later, still waits its own group_wait.
  NotifyPlan p = h.Cycle({MakeFinding("r", "B", 2023)}, T0() + hours(2));
  CHECK(p.notifications.empty());
  REQUIRE(p.next_flush);
  CHECK(*p.next_flush == T0() + hours(2) + minutes(5));
}

// A table with one indicator name in two measures, its unit wrong in both.
std::string TwoMeasureTable(const std::string& first_unit) {
  return "計画\nプロジェクト1:テスト\n①施策一\n指標内容\t目標値\t実績値\n\t\t令和2年度\t令和3年度\n"
         "利用者数\t100人\t50" +
         first_unit +
         "\t60人\n②施策二\n指標内容\t目標値\t実績値\n\t\t令和2年度\t令和3年度\n"
         "利用者数\t100人\t50件\t60人\n";
}

// Imports |table| into |db| and evaluates the unit rule on it with the real evaluator
// (the result keeps the plans its findings point into).
EvalResult EvaluateTable(const testing::TempDir& dir, const std::string& db,
                         const std::string& table) {
  std::string path = dir.File("table.txt");
  std::ofstream(path) << table;
  testing::CliRun run = testing::RunShihyo({"import", "--db", db, path});
  REQUIRE(run.code == 0);
  auto store = IndicatorStore::Open(db, IndicatorStore::Mode::kReadOnly);
  REQUIRE(store.ok());
  Result<std::vector<Plan>> plans = (*store)->LoadPlans();
  REQUIRE(plans.ok());
  std::string rules = dir.File("rules.yaml");
  std::ofstream(rules) << "rules:\n  - id: unit\n    check: unit_mismatch\n    severity: warning\n";
  RuleLoad load = LoadRules({rules});
  REQUIRE(load.ok());
  return Evaluate(load.rules, *plans, T0());
}

TEST_CASE("evaluator: one name in two measures is two alerts, and each resolves on its own",
          "[alerting]") {
  testing::TempDir dir;
  std::string db = dir.File("store.db");
  EvalResult first = EvaluateTable(dir, db, TwoMeasureTable("件"));
  const std::vector<Finding>& both = first.findings;
  REQUIRE(both.size() == 2);
  CHECK(both[0].indicator == both[1].indicator);
  CHECK(both[0].fiscal_year == both[1].fiscal_year);
  CHECK(both[0].fingerprint != both[1].fingerprint);
  AlertTransition t1 = ApplyFindings({}, both, {}, T0());
  REQUIRE(t1.alerts.size() == 2);
  std::map<std::string, std::string> measure_of;  // fingerprint → measure
  for (const auto& [fp, alert] : t1.alerts) measure_of[fp] = alert.finding.measure;
  CHECK(measure_of[both[0].fingerprint] != measure_of[both[1].fingerprint]);

  // Measure ① is corrected: only its alert resolves, ②'s keeps firing.
  EvalResult fixed = EvaluateTable(dir, db, TwoMeasureTable("人"));
  const std::vector<Finding>& left = fixed.findings;
  REQUIRE(left.size() == 1);
  AlertTransition t2 = ApplyFindings(t1.alerts, left, {}, T0() + hours(1));
  REQUIRE(t2.resolved.size() == 1);
  CHECK(t2.fired.empty());
  const AlertRecord& resolved = t2.alerts.at(t2.resolved[0]);
  CHECK(resolved.finding.measure.rfind("①", 0) == 0);
  const AlertRecord& still = t2.alerts.at(left[0].fingerprint);
  CHECK(still.firing());
  CHECK(still.finding.measure.rfind("②", 0) == 0);
}

TEST_CASE("notify_planner: send_resolved off, grouping off, continue", "[alerting]") {
  Harness h;
  h.config.route.routes.clear();
  h.config.route.send_resolved = false;
  h.config.route.group_each = true;
  h.config.route.group_by.clear();
  NotifyPlan p1 = h.Cycle({MakeFinding("r", "A", 2023), MakeFinding("r", "B", 2023)}, T0());
  CHECK(p1.notifications.size() == 2);  // one message per alert
  NotifyPlan p2 = h.Cycle({MakeFinding("r", "A", 2023)}, T0() + hours(1));
  CHECK(p2.notifications.empty());  // B resolved quietly

  Harness c;
  c.config.route.routes[0].continue_matching = true;
  Route also = c.config.route;
  also.routes.clear();
  also.receiver = "mail";
  also.matchers = {Matcher{"indicator", "C", nullptr, false}};
  c.config.route.routes.push_back(also);
  Labels labels = AlertLabels(MakeFinding("abuse", "C", 2023, Severity::kCritical));
  std::vector<RouteMatch> matches = MatchRoutes(c.config.route, labels);
  REQUIRE(matches.size() == 2);
  CHECK(matches[0].route->receiver == "critical");
  CHECK(matches[1].route->receiver == "mail");
  CHECK(MatchRoutes(c.config.route, AlertLabels(MakeFinding("r", "A", 2023)))[0].path == "0");
}

TEST_CASE(
    "route and silence regexes that cannot decide are reported, never a non-match "
    "(issue 13 item 9)",
    "[alerting]") {
  // Matches through '.*c', but '(a+)+b' backtracks past PCRE2's match limit first.
  std::string pattern = "^(?:(a+)+b|.*c)$";
  std::string name = std::string(40, 'a') + "c";
  Harness h;
  h.config.route.routes[0].matchers = {Matcher{"indicator", pattern, *Regex::Compile(pattern)}};
  Finding f = MakeFinding("r", name, 2023);
  std::string error;
  std::vector<RouteMatch> matches = MatchRoutes(h.config.route, AlertLabels(f), &error);
  REQUIRE(matches.size() == 1);
  CHECK(matches[0].route->receiver == "mail");  // the default, not a guess
  CHECK(error == "route 0.0 (receiver critical): indicator=~" + pattern + ": regular expression /" +
                     pattern + "/ could not be decided: match limit exceeded");
  NotifyPlan plan = h.Cycle({f}, T0());
  REQUIRE(plan.errors.size() == 1);
  CHECK_THAT(plan.errors[0],
             Catch::EndsWith("; alert r (" + name + ") sent to the default receiver mail"));
  REQUIRE(plan.notifications.size() == 1);
  CHECK(plan.notifications[0].receiver->name == "mail");

  // A silence that cannot decide does not mute, and says so.
  Silence s{"s1", {{"indicator", ".*c", true, nullptr}}, T0(), T0() + hours(2), "t", ""};
  REQUIRE(CompileSilence(&s).ok());
  s.matchers[0].compiled = *Regex::Compile(pattern);
  AlertTransition t = ApplyFindings({}, {f}, {s}, T0());
  CHECK_FALSE(t.alerts.begin()->second.silenced());
  REQUIRE(t.errors.size() == 1);
  CHECK_THAT(t.errors[0], Catch::StartsWith("silence s1: indicator=~.*c: regular expression"));
  CHECK_THAT(t.errors[0], Catch::EndsWith("treated as not silenced"));
}

TEST_CASE("notify_planner: a silenced alert is not sent; when the silence ends it is",
          "[alerting]") {
  Harness h;
  h.config.route.routes.clear();
  Finding a = MakeFinding("r", "A", 2023);
  Silence s{"s1", {{"indicator", "A", false, nullptr}}, T0(), T0() + hours(2), "t", ""};
  h.alerts = ApplyFindings(h.alerts, {a}, {s}, T0()).alerts;
  NotifyPlan p1 = PlanNotifications(h.config, h.alerts, h.log, T0(), hours(4));
  CHECK(p1.notifications.empty());
  for (const NotifyLogEntry& e : p1.log_updates) h.log[{e.receiver, e.group_key}] = e;
  NotifyPlan p2 = h.Cycle({a}, T0() + hours(3));
  REQUIRE(p2.notifications.size() == 1);
  CHECK(p2.notifications[0].fresh.size() == 1);
}

TEST_CASE("alert_json: an alert's finding is written as eval reports it and reads back whole",
          "[alerting]") {
  testing::TempDir dir;
  std::string db = dir.File("store.db");
  REQUIRE(testing::RunShihyo({"import", "--db", db, testing::KamaishiPath()}).code == 0);
  auto store = IndicatorStore::Open(db, IndicatorStore::Mode::kReadOnly);
  REQUIRE(store.ok());
  Result<std::vector<Plan>> plans = (*store)->LoadPlans();
  REQUIRE(plans.ok());
  RuleLoad rules = LoadRuleDir(testing::SourcePath("rules"));
  REQUIRE(rules.ok());
  EvalResult eval = Evaluate(rules.rules, *plans, *ParseTime("2026-11-28"));
  REQUIRE(eval.findings.size() > 10);
  for (const Finding& f : eval.findings) {
    nlohmann::json expected = FindingJson(f);
    nlohmann::json written = AlertFindingJson(ToAlertFinding(f));
    CHECK(written.dump() == expected.dump());
    CHECK(AlertFindingJson(AlertFindingFromJson(nlohmann::json::parse(written.dump()))).dump() ==
          expected.dump());
  }
}

}  // namespace
}  // namespace shihyo

namespace shihyo {
namespace {

TEST_CASE("notify_planner: group_interval, not group_wait, paces a notified group (issue 11)",
          "[alerting]") {
  Harness h;
  h.config.route.routes.clear();
  h.config.route.group_wait = std::chrono::seconds(30);
  h.config.route.group_interval = minutes(5);
  Finding a = MakeFinding("r", "A", 2023), b = MakeFinding("r", "B", 2023);
  CHECK(h.Cycle({a}, T0()).notifications.empty());  // a new group waits group_wait
  REQUIRE(h.Cycle({a}, T0() + std::chrono::seconds(30)).notifications.size() == 1);
  // B joins the notified group 1 minute later: due 5 minutes after the last message.
  NotifyPlan joined = h.Cycle({a, b}, T0() + minutes(1));
  CHECK(joined.notifications.empty());
  REQUIRE(joined.next_flush);
  CHECK(*joined.next_flush == T0() + std::chrono::seconds(30) + minutes(5));
  NotifyPlan sent = h.Cycle({a, b}, T0() + std::chrono::seconds(30) + minutes(5));
  REQUIRE(sent.notifications.size() == 1);
  CHECK(sent.notifications[0].fresh.size() == 1);
  // Long after the last message, a resolved alert is told at once: no group_wait.
  NotifyPlan resolved = h.Cycle({b}, T0() + hours(1));
  REQUIRE(resolved.notifications.size() == 1);
  CHECK(resolved.notifications[0].resolved.size() == 1);
  // With every alert gone and told, the group is new again: group_wait.
  REQUIRE(h.Cycle({}, T0() + hours(2)).notifications.size() == 1);
  NotifyPlan again = h.Cycle({a}, T0() + hours(3));
  CHECK(again.notifications.empty());
  CHECK(*again.next_flush == T0() + hours(3) + std::chrono::seconds(30));
}

TEST_CASE("notify_planner: preview plans a waiting group as it will go out (issue 11)",
          "[alerting]") {
  Harness h;
  h.config.route.routes.clear();
  h.config.route.group_wait = std::chrono::seconds(30);
  h.alerts = ApplyFindings({}, {MakeFinding("r", "A", 2023)}, {}, T0()).alerts;
  NotifyPlan now = PlanNotifications(h.config, h.alerts, h.log, T0(), hours(4));
  CHECK(now.notifications.empty());
  NotifyPlan ahead = PlanNotifications(h.config, h.alerts, h.log, T0(), hours(4), true);
  REQUIRE(ahead.notifications.size() == 1);
  CHECK(ahead.notifications[0].fresh.size() == 1);
  REQUIRE(ahead.next_flush);
  CHECK(*ahead.next_flush == T0() + std::chrono::seconds(30));
}

InhibitRule StatusOnlyMutesMissing(std::vector<std::string> equal) {
  InhibitRule r;
  r.source_matchers = {*ParseMatcherText("rule=\"status_only\"")};
  r.target_matchers = {*ParseMatcherText("rule=~\"missing_.*\"")};
  r.equal = std::move(equal);
  r.where = "shihyo.yaml:40";
  return r;
}

TEST_CASE("inhibit: a firing source mutes targets with equal labels, not itself (issue 11)",
          "[alerting]") {
  Harness h;
  h.config.route.routes.clear();
  h.config.inhibit_rules = {StatusOnlyMutesMissing({"indicator"})};
  Finding status_a = MakeFinding("status_only", "A", 2024);
  Finding missing_a = MakeFinding("missing_actual", "A", 2024);
  Finding missing_b = MakeFinding("missing_actual", "B", 2024);
  NotifyPlan p = h.Cycle({status_a, missing_a, missing_b}, T0());
  REQUIRE(p.inhibited.size() == 1);
  const Inhibition& why = p.inhibited.at(missing_a.fingerprint);
  CHECK(why.rule == "missing_actual");
  CHECK(why.source_fingerprint == status_a.fingerprint);
  CHECK(why.source_rule == "status_only");
  CHECK(why.where == "shihyo.yaml:40");
  REQUIRE(p.notifications.size() == 1);
  std::set<std::string> sent;
  for (const AlertRecord* a : p.notifications[0].fresh) sent.insert(a->fingerprint);
  CHECK(sent == std::set<std::string>{status_a.fingerprint, missing_b.fingerprint});
  // The source resolves: the target is no longer inhibited and is told as new.
  NotifyPlan after = h.Cycle({missing_a, missing_b}, T0() + hours(1));
  CHECK(after.inhibited.empty());
  REQUIRE(after.notifications.size() == 1);
  REQUIRE(after.notifications[0].fresh.size() == 1);
  CHECK(after.notifications[0].fresh[0]->fingerprint == missing_a.fingerprint);

  // An alert matching both sides cannot mute itself, nor another that does.
  InhibitRule both;
  both.source_matchers = {*ParseMatcherText("check=rising")};
  both.target_matchers = {*ParseMatcherText("check=rising")};
  auto alerts = ApplyFindings({}, {status_a, missing_a}, {}, T0()).alerts;
  CHECK(InhibitedAlerts({both}, alerts).empty());
  // Without `equal`, one source mutes every target.
  CHECK(InhibitedAlerts({StatusOnlyMutesMissing({})},
                        ApplyFindings({}, {status_a, missing_a, missing_b}, {}, T0()).alerts)
            .size() == 2);
}

struct PushSettings : ReceiverSettings {
  bool PushesAlerts() const override { return true; }
};

TEST_CASE("notify_planner: silenced and inhibited alerts stay in Alertmanager pushes (issue 11)",
          "[alerting]") {
  Config c;
  Receiver am;
  am.name = "am";
  am.settings = std::make_shared<PushSettings>();
  c.receivers = {am};
  c.route.receiver = "am";
  c.inhibit_rules = {StatusOnlyMutesMissing({"indicator"})};
  Finding status_a = MakeFinding("status_only", "A", 2024);
  Finding missing_a = MakeFinding("missing_actual", "A", 2024);
  Finding other = MakeFinding("r", "C", 2024);
  Silence s{"s1", {{"indicator", "C", false, nullptr}}, T0(), T0() + hours(2), "t", ""};
  auto alerts = ApplyFindings({}, {status_a, missing_a, other}, {s}, T0()).alerts;
  REQUIRE(alerts.at(other.fingerprint).silenced());
  NotifyPlan p = PlanNotifications(c, alerts, {}, T0(), hours(4));
  REQUIRE(p.pushes.size() == 1);
  CHECK(p.pushes[0].alerts.size() == 3);
}

}  // namespace
}  // namespace shihyo
