// Why alerts resolve, the alert history in the state DB, and silences that
// neither re-announce an alert nor lose when it was last notified (issues
// 11 and 12).
#include <SQLiteCpp/SQLiteCpp.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "alert/alert_state.h"
#include "alert/notify_planner.h"
#include "eval/evaluator.h"
#include "eval/rule_loader.h"
#include "fakes.h"
#include "notify/webhook/webhook_payload.h"
#include "state/alert_view.h"
#include "state/state_store.h"
#include "store/store.h"

namespace shihyo {
namespace {

using std::chrono::hours;

TimePoint T0() { return *ParseTime("2026-11-28T09:00:00+09:00"); }

const char* const kAbuseRule =
    "rules:\n"
    "  - id: abuse_cases_rising\n"
    "    check: rising\n"
    "    severity: critical\n"
    "    select:\n"
    "      name_matches: \"虐待.*(発生|通告|相談)件数\"\n"
    "    params:\n"
    "      percent: PERCENT\n"
    "      step: 3\n"
    "      require_all: true\n";

// The Kamaishi table, with |from| replaced by |to| in it.
std::string Kamaishi(const std::string& from = "", const std::string& to = "") {
  std::string text = testing::ReadFile(testing::KamaishiPath());
  if (!from.empty()) {
    size_t at = text.find(from);
    REQUIRE(at != std::string::npos);
    text.replace(at, from.size(), to);
  }
  return text;
}

// One evaluation of the abuse rule (with |percent|) over |table|, imported
// into a store of its own, and what it did to |alerts|.
struct Run {
  EvalResult eval;
  AlertTransition t;
};

Run Evaluate(const testing::TempDir& dir, const std::string& table, int percent,
             const std::map<std::string, AlertRecord>& alerts, TimePoint now) {
  static int n = 0;
  std::string name = "run" + std::to_string(++n);
  std::string path = dir.File(name + ".txt"), db = dir.File(name + ".db");
  std::ofstream(path) << table;
  REQUIRE(testing::RunShihyo({"import", "--db", db, path}).code == 0);
  auto store = IndicatorStore::Open(db, IndicatorStore::Mode::kReadOnly);
  REQUIRE(store.ok());
  Result<std::vector<Plan>> plans = (*store)->LoadPlans();
  REQUIRE(plans.ok());
  std::string rule = kAbuseRule;
  rule.replace(rule.find("PERCENT"), 7, std::to_string(percent));
  std::string rules = dir.File(name + ".yaml");
  std::ofstream(rules) << rule;
  RuleLoad load = LoadRules({rules});
  REQUIRE(load.ok());
  Run run;
  run.eval = shihyo::Evaluate(load.rules, *plans, now);
  ResolveContext why = MakeResolveContext(load.rules, run.eval.snapshot.get());
  run.t = ApplyFindings(alerts, run.eval.findings, {}, now, &why);
  return run;
}

const AlertRecord* Find(const std::map<std::string, AlertRecord>& alerts,
                        const std::string& indicator, const std::string& year) {
  for (const auto& [fp, a] : alerts) {
    if (a.labels.count("indicator") && a.labels.at("indicator").find(indicator) == 0 &&
        a.labels.at("fiscal_year") == year)
      return &a;
  }
  return nullptr;
}

TEST_CASE("resolved_reason: a loosened threshold is rule_changed, a fixed cell value_changed",
          "[history]") {
  testing::TempDir dir;
  Run first = Evaluate(dir, Kamaishi(), 20, {}, T0());
  const AlertRecord* cases = Find(first.t.alerts, "児童虐待発生件数", "2023");
  REQUIRE(cases);  // 7→25
  CHECK_FALSE(cases->rule_digest.empty());

  SECTION("the rule file loosens the threshold; the count stays 25") {
    Run loosened = Evaluate(dir, Kamaishi(), 500, first.t.alerts, T0() + hours(1));
    const AlertRecord* a = Find(loosened.t.alerts, "児童虐待発生件数", "2023");
    REQUIRE(a);
    CHECK_FALSE(a->firing());
    CHECK(a->resolved_reason == "rule_changed");
  }
  SECTION("the cell is corrected (25 → 8)") {
    Run fixed =
        Evaluate(dir, Kamaishi("7件\t25件", "7件\t8件"), 20, first.t.alerts, T0() + hours(1));
    const AlertRecord* a = Find(fixed.t.alerts, "児童虐待発生件数", "2023");
    REQUIRE(a);
    CHECK_FALSE(a->firing());
    CHECK(a->resolved_reason == "value_changed");
    // The other abuse count did not change, and keeps firing.
    const AlertRecord* notices = Find(fixed.t.alerts, "釜石市への児童虐待通告件数", "2023");
    REQUIRE(notices);
    CHECK(notices->firing());
  }
  SECTION("the rule is removed") {
    ResolveContext none;
    AlertTransition t = ApplyFindings(first.t.alerts, {}, {}, T0() + hours(1), &none);
    REQUIRE_FALSE(t.resolved.empty());
    for (const std::string& fp : t.resolved)
      CHECK(t.alerts.at(fp).resolved_reason == "rule_removed");
  }
  SECTION("the indicator leaves the table") {
    std::vector<Plan> empty;
    ResolveContext why;
    why.snapshot = &empty;
    why.rule_digests["abuse_cases_rising"] = cases->rule_digest;
    AlertTransition t = ApplyFindings(first.t.alerts, {}, {}, T0() + hours(1), &why);
    CHECK(t.alerts.at(cases->fingerprint).resolved_reason == "indicator_removed");
  }
  SECTION("firing again clears the reason; the history says fired, resolved, refired") {
    Run loosened = Evaluate(dir, Kamaishi(), 500, first.t.alerts, T0() + hours(1));
    Run again = Evaluate(dir, Kamaishi(), 20, loosened.t.alerts, T0() + hours(2));
    const AlertRecord* a = Find(again.t.alerts, "児童虐待発生件数", "2023");
    REQUIRE(a);
    CHECK(a->firing());
    CHECK(a->resolved_reason.empty());
    std::vector<std::string> kinds;
    for (const Run* r : {&first, &loosened, &again}) {
      for (const AlertEvent& e : r->t.events) {
        if (e.fingerprint == a->fingerprint) kinds.push_back(AlertEventKindName(e.kind));
      }
    }
    CHECK(kinds == std::vector<std::string>{"fired", "resolved", "refired"});
  }
}

TEST_CASE("RuleDigest: equal for the same definition, different when a parameter changes",
          "[history]") {
  testing::TempDir dir;
  auto digest = [&](const std::string& text) {
    static int n = 0;
    std::string path = dir.File("r" + std::to_string(++n) + ".yaml");
    std::ofstream(path) << text;
    RuleLoad load = LoadRules({path});
    REQUIRE(load.ok());
    return RuleDigest(load.rules.rules.at(0));
  };
  std::string base = kAbuseRule;
  base.replace(base.find("PERCENT"), 7, "20");
  std::string other = base;
  other.replace(other.find("step: 3"), 7, "step: 4");
  CHECK(digest(base) == digest(base));
  CHECK(digest(base) != digest(other));
  CHECK(digest(base).size() == 16);
}

Config OneReceiver() {
  Config c;
  Receiver mail;
  mail.name = "mail";
  c.receivers = {mail};
  c.route.receiver = "mail";
  c.route.group_by = {"plan"};
  c.route.repeat_interval = hours(24);
  return c;
}

Finding MakeFinding(const std::string& indicator) {
  Finding f;
  f.rule = "r";
  f.check = "rising";
  f.plan = "計画";
  f.indicator = indicator;
  f.fiscal_year = 2023;
  f.message = indicator + "：メッセージ";
  f.fingerprint = Fingerprint({"r", f.plan, indicator, "2023"});
  return f;
}

// The daemon's cycle without an evaluation: the alerts, the log, the plan,
// and the history recorded as service/cycle.cc records it.
struct Harness {
  Config config = OneReceiver();
  std::map<std::string, AlertRecord> alerts;
  NotifyLog log;
  std::vector<AlertEvent> events;

  NotifyPlan Plan(AlertTransition t, TimePoint now) {
    RestoreNotified(t.alerts, now, &log);
    NotifyPlan plan = PlanNotifications(config, t.alerts, log, now, hours(4));
    std::vector<Message> messages;
    for (const GroupNotification& n : plan.notifications) {
      Message m;
      m.id = "m" + std::to_string(events.size()) + "@test";
      m.receiver = n.receiver->name;
      m.group_key = n.group.key;
      messages.push_back(m);
    }
    RecordNotifications(plan, messages, now, &t.alerts, &t);
    for (const NotifyLogEntry& e : plan.log_updates) log[{e.receiver, e.group_key}] = e;
    events.insert(events.end(), t.events.begin(), t.events.end());
    alerts = t.alerts;
    return plan;
  }
};

TEST_CASE("silences: an alert whose silence ends is not announced as new again (issue 11)",
          "[history]") {
  Harness h;
  Finding a = MakeFinding("A");
  NotifyPlan p1 = h.Plan(ApplyFindings({}, {a}, {}, T0()), T0());
  REQUIRE(p1.notifications.size() == 1);
  CHECK(p1.notifications[0].fresh.size() == 1);
  CHECK(h.alerts.at(a.fingerprint).last_notified == T0());

  Silence s{"s1", {{"indicator", "A", false, nullptr}}, T0() + hours(1), T0() + hours(3), "t", ""};
  // The silence starts: applied without an evaluation, nothing is sent.
  AlertTransition silenced = ReapplySilences(h.alerts, {s}, T0() + hours(1));
  REQUIRE(silenced.changed == std::vector<std::string>{a.fingerprint});
  CHECK(h.Plan(silenced, T0() + hours(1)).notifications.empty());
  CHECK(h.alerts.at(a.fingerprint).silenced_by == "s1");
  CHECK(h.alerts.at(a.fingerprint).last_notified == T0());  // kept while silenced

  // It ends: the alert is still the one notified, not a new one.
  AlertTransition ended = ReapplySilences(h.alerts, {s}, T0() + hours(3));
  REQUIRE(ended.changed.size() == 1);
  CHECK(h.Plan(ended, T0() + hours(3)).notifications.empty());
  CHECK(h.Plan(ApplyFindings(h.alerts, {a}, {s}, T0() + hours(4)), T0() + hours(4))
            .notifications.empty());

  // It resolves: the resolved notice goes out, and last_notified stays.
  NotifyPlan resolved = h.Plan(ApplyFindings(h.alerts, {}, {}, T0() + hours(5)), T0() + hours(5));
  REQUIRE(resolved.notifications.size() == 1);
  CHECK(resolved.notifications[0].resolved.size() == 1);
  const AlertRecord& r = h.alerts.at(a.fingerprint);
  CHECK_FALSE(r.firing());
  CHECK(r.last_notified == T0() + hours(5));

  std::vector<std::string> kinds;
  for (const AlertEvent& e : h.events) {
    kinds.push_back(std::string(AlertEventKindName(e.kind)) +
                    (e.detail.empty() ? "" : ":" + e.detail));
  }
  CHECK(kinds == std::vector<std::string>{"fired", "notified:new", "silenced:s1", "unsilenced:s1",
                                          "resolved", "notified:resolved"});
  CHECK(h.events[1].receiver == "mail");
  CHECK(h.events[1].message_id.find("@test") != std::string::npos);
}

TEST_CASE("silences: an alert silenced before it was ever sent is new when the silence ends",
          "[history]") {
  Harness h;
  Finding a = MakeFinding("A");
  Silence s{"s1", {{"indicator", "A", false, nullptr}}, T0(), T0() + hours(1), "t", ""};
  CHECK(h.Plan(ApplyFindings({}, {a}, {s}, T0()), T0()).notifications.empty());
  NotifyPlan after = h.Plan(ReapplySilences(h.alerts, {s}, T0() + hours(1)), T0() + hours(1));
  REQUIRE(after.notifications.size() == 1);
  CHECK(after.notifications[0].fresh.size() == 1);
}

TEST_CASE("state DB: version 1 migrates keeping its alerts; the history commits and prunes",
          "[history]") {
  testing::TempDir dir;
  std::string path = dir.File("state.db");
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec(
        "CREATE TABLE alerts (fingerprint TEXT PRIMARY KEY, rule TEXT NOT NULL, labels TEXT NOT "
        "NULL, finding TEXT NOT NULL, state TEXT NOT NULL CHECK (state IN ('firing', "
        "'resolved')), starts_at INTEGER NOT NULL, ends_at INTEGER, last_seen INTEGER NOT NULL, "
        "silenced_by TEXT NOT NULL DEFAULT '');"
        "CREATE TABLE notify_log (receiver TEXT NOT NULL, group_key TEXT NOT NULL, last_sent "
        "INTEGER, firing TEXT NOT NULL DEFAULT '[]', pending_since INTEGER, PRIMARY KEY "
        "(receiver, group_key));"
        "CREATE TABLE silences (id TEXT PRIMARY KEY, matchers TEXT NOT NULL, starts_at INTEGER "
        "NOT NULL, ends_at INTEGER NOT NULL, created_by TEXT NOT NULL, comment TEXT NOT NULL);"
        "CREATE TABLE outbox (id TEXT PRIMARY KEY, receiver TEXT NOT NULL, kind TEXT NOT NULL, "
        "group_key TEXT NOT NULL, summary TEXT NOT NULL, payload TEXT NOT NULL, status TEXT NOT "
        "NULL, attempts INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL, "
        "next_attempt_at INTEGER NOT NULL, last_error TEXT NOT NULL DEFAULT '', sent_at "
        "INTEGER);"
        "CREATE TABLE evaluations (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, findings INTEGER "
        "NOT NULL, firing INTEGER NOT NULL, fired INTEGER NOT NULL, resolved INTEGER NOT NULL, "
        "messages INTEGER NOT NULL, duration_ms INTEGER NOT NULL);"
        "INSERT INTO alerts VALUES ('abc', 'r', '{\"indicator\":\"A\"}', '{}', 'firing', 100, "
        "NULL, 100, '');"
        "PRAGMA user_version = 1;");
  }
  auto state = StateStore::Open(path);
  REQUIRE(state.ok());
  {
    SQLite::Database db(path, SQLite::OPEN_READONLY);
    CHECK(db.execAndGet("PRAGMA user_version").getInt() == 3);
    CHECK(db.execAndGet("SELECT count(*) FROM sqlite_master WHERE name = 'outbox_pending'")
              .getInt() == 1);
  }
  auto alerts = (*state)->alerts().LoadAlerts();
  REQUIRE(alerts.ok());
  REQUIRE(alerts->count("abc") == 1);
  AlertRecord a = alerts->at("abc");
  CHECK(a.labels.at("indicator") == "A");
  CHECK(a.resolved_reason.empty());
  CHECK_FALSE(a.last_notified);

  a.state = AlertRecord::State::kResolved;
  a.ends_at = T0();
  a.resolved_reason = "value_changed";
  a.last_notified = T0();
  a.notified.emplace("mail", "plan=計画");
  CycleWrite w;
  w.alerts.push_back(&a);
  for (int i = 0; i < 205; ++i) {
    w.events.push_back({"abc", T0() + std::chrono::seconds(i), AlertEvent::Kind::kNotified, "mail",
                        "m" + std::to_string(i), "ongoing"});
  }
  w.events.push_back(
      {"abc", T0() + hours(1), AlertEvent::Kind::kResolved, "", "", "value_changed"});
  REQUIRE((*state)->CommitCycle(w).ok());
  auto back = (*state)->alerts().LoadAlerts();
  REQUIRE(back.ok());
  const AlertRecord& b = back->at("abc");
  CHECK(b.resolved_reason == "value_changed");
  CHECK(b.last_notified == T0());
  CHECK(b.notified.count({"mail", "plan=計画"}) == 1);
  CHECK(AlertRowJson(b, LastNotified(b, {}))["last_notified"] == FormatIso8601(T0()));
  CHECK(AlertRowJson(b, std::nullopt)["resolved_reason"] == "value_changed");

  REQUIRE((*state)->Prune(T0() - hours(1)).ok());  // keeps the newest 200 of the alert
  auto events = (*state)->alerts().LoadEvents("abc");
  REQUIRE(events.ok());
  REQUIRE(events->size() == 200);
  CHECK(events->back().kind == AlertEvent::Kind::kResolved);
  CHECK(events->back().detail == "value_changed");
  CHECK(events->front().message_id == "m6");
  CHECK(AlertEventJson(events->back())["reason"] == "value_changed");
  CHECK(AlertEventJson(events->front())["receiver"] == "mail");

  // The alert pruned, its history goes with it.
  REQUIRE((*state)->Prune(T0() + hours(2)).ok());
  CHECK((*state)->alerts().LoadEvents("abc")->empty());
}

TEST_CASE("webhook: resolved_reason keeps its values, resolved_cause says why", "[history]") {
  Config config = OneReceiver();
  std::vector<AlertRecord> resolved(3);
  const char* causes[] = {"rule_changed", "indicator_removed", ""};
  GroupNotification n;
  n.receiver = &config.receivers[0];
  n.route = &config.route;
  n.group.key = "mail/0/{}";
  for (int i = 0; i < 3; ++i) {
    AlertRecord& a = resolved[i];
    a.fingerprint = "fp" + std::to_string(i);
    a.state = AlertRecord::State::kResolved;
    a.ends_at = T0();
    a.resolved_reason = causes[i];
    n.resolved.push_back(&a);
  }
  std::vector<Plan> snapshot;  // every indicator gone: only the third falls back on it
  nlohmann::json body = ShihyoWebhookJson(n, DigestContext{&snapshot, T0(), ""}, "id");
  REQUIRE(body["alerts"].size() == 3);
  CHECK(body["alerts"][0]["resolved_reason"] == "no_longer_found");
  CHECK(body["alerts"][0]["resolved_cause"] == "rule_changed");
  CHECK(body["alerts"][1]["resolved_reason"] == "removed");
  CHECK(body["alerts"][1]["resolved_cause"] == "indicator_removed");
  CHECK(body["alerts"][2]["resolved_reason"] == "removed");
  CHECK(body["alerts"][2]["resolved_cause"] == "");
}

}  // namespace
}  // namespace shihyo
