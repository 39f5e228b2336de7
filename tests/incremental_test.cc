// The daemon's incremental cycle gives the alerts and messages a full cycle
// gives, whatever changed in between: a cell edited by another tool, an
// import, a silence, the date, a plan deleted.
#include <SQLiteCpp/SQLiteCpp.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "config/config.h"
#include "eval/checks/check.h"
#include "eval/rule_loader.h"
#include "fakes.h"
#include "import/progress_table.h"
#include "notify/alert_json.h"
#include "notify/receiver_registry.h"
#include "service/cycle.h"
#include "service/cycle_memory.h"
#include "state/state_store.h"
#include "store/store.h"

namespace shihyo {
namespace {

using std::chrono::hours;

ProgressTable Kamaishi() {
  auto t = ReadProgressTable(testing::KamaishiPath(), Encoding::kAuto);
  REQUIRE(t.ok());
  return std::move(t).value();
}

// Two plans in a store, and two state DBs that see the same history: one
// through cycles with a CycleMemory, one through full cycles.
struct World {
  testing::TempDir dir;
  std::string store_path = dir.File("store.db");
  Config config;
  RuleSet rules;
  std::unique_ptr<IndicatorStore> store;
  std::unique_ptr<StateStore> inc_state, full_state;
  CycleMemory memory;

  explicit World(
      const std::string& route = "route: {receiver: kodomo, group_by: [plan], group_wait: 0s}\n") {
    auto rw = IndicatorStore::Open(store_path, IndicatorStore::Mode::kReadWrite);
    REQUIRE(rw.ok());
    ProgressTable other = Kamaishi();
    other.title = "別の計画";
    REQUIRE((*rw)->Import({Kamaishi(), other}, "2026-11-28T00:00:00Z").ok());
    std::ofstream(dir.File("shihyo.yaml"))
        << "store: " << store_path << "\nstate: " << dir.File("state.db")
        << "\nrules: " << testing::SourcePath("rules")
        << "\nsmtp: {url: \"smtp://127.0.0.1:1\", starttls: \"off\", from: s@example.lg.jp}\n"
           "receivers:\n  - {name: kodomo, email: {to: [kodomo@example.lg.jp]}}\n"
           "  - {name: ops, email: {to: [ops@example.lg.jp]}}\n"
        << route;
    auto c = LoadConfig(dir.File("shihyo.yaml"), ReceiverConfigKinds());
    REQUIRE(c.ok());
    config = std::move(c).value();
    RuleLoad load = LoadRuleDir(config.rules);
    REQUIRE(load.ok());
    rules = std::move(load.rules);
    auto ro = IndicatorStore::Open(store_path, IndicatorStore::Mode::kReadOnly);
    REQUIRE(ro.ok());
    store = std::move(ro).value();
    auto a = StateStore::Open(dir.File("inc.db"));
    auto b = StateStore::Open(dir.File("full.db"));
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    inc_state = std::move(a).value();
    full_state = std::move(b).value();
  }

  // The messages of |headers| as queued in |state|'s outbox, in that order.
  static std::vector<Message> Queued(StateStore& state, const std::vector<Message>& headers) {
    auto outbox = state.outbox().ListOutbox("", 100000);
    REQUIRE(outbox.ok());
    std::vector<Message> out;
    for (const Message& h : headers) {
      for (const OutboxEntry& e : *outbox) {
        if (e.message.id != h.id) continue;
        CHECK(e.message.summary == h.summary);
        CHECK(e.message.receiver == h.receiver);
        CHECK(e.message.group_key == h.group_key);
        out.push_back(e.message);
      }
    }
    REQUIRE(out.size() == headers.size());
    return out;
  }

  // Runs both cycles at |now|, checks that they agree and returns the
  // incremental one's result (with its messages as queued).
  CycleResult Both(TimePoint now) {
    auto inc = Cycle(config, rules, store.get(), inc_state.get(), &memory).Evaluate(now, false);
    REQUIRE(inc.ok());
    auto full = Cycle(config, rules, store.get(), full_state.get()).Evaluate(now, false);
    REQUIRE(full.ok());
    CHECK(inc->findings == full->findings);
    CHECK(inc->plans == full->plans);
    CHECK(inc->firing == full->firing);
    CHECK(inc->fired == full->fired);
    CHECK(inc->resolved == full->resolved);
    CHECK(inc->warnings == full->warnings);
    // A committed cycle returns the messages' headers; their contents are
    // in the outbox.
    inc->messages = Queued(*inc_state, inc->messages);
    full->messages = Queued(*full_state, full->messages);
    REQUIRE(inc->messages.size() == full->messages.size());
    for (size_t i = 0; i < inc->messages.size(); ++i) {
      CHECK(!inc->messages[i].subject.empty());
      CHECK(inc->messages[i].subject == full->messages[i].subject);
      CHECK(inc->messages[i].text == full->messages[i].text);
      CHECK(inc->messages[i].summary == full->messages[i].summary);
    }
    auto full_alerts = full_state->alerts().LoadAlerts();
    auto inc_alerts = inc_state->alerts().LoadAlerts();
    REQUIRE(full_alerts.ok());
    REQUIRE(inc_alerts.ok());
    CHECK(Described(*inc_alerts) == Described(*full_alerts));
    CHECK(Described(memory.alerts) == Described(*full_alerts));
    // last_seen, written alone for an alert found again as it was, is in
    // the state DB as in the memory.
    REQUIRE(inc_alerts->size() == memory.alerts.size());
    for (const auto& [fp, a] : memory.alerts) CHECK(inc_alerts->at(fp).last_seen == a.last_seen);
    for (const auto& [fp, a] : *full_alerts) CHECK((!a.firing() || a.last_seen == now));
    return *inc;
  }

  // Every alert in one line each, all but last_seen (the last evaluation of
  // its plan, not of every plan, with a memory).
  static std::vector<std::string> Described(const std::map<std::string, AlertRecord>& alerts) {
    std::vector<std::string> out;
    for (const auto& [fp, a] : alerts) {
      out.push_back(fp + " " + a.rule + " " + LabelsJson(a.labels).dump() + " " +
                    (a.firing() ? "firing" : "resolved") + " " + std::to_string(Secs(a.starts_at)) +
                    " " + (a.ends_at ? std::to_string(Secs(*a.ends_at)) : "-") + " " +
                    a.silenced_by + " " + AlertFindingJson(a.finding).dump());
    }
    return out;
  }

  static int64_t Secs(TimePoint t) {
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
  }

  void Shell(const std::string& sql) {
    SQLite::Database shell(store_path, SQLite::OPEN_READWRITE);
    shell.exec("PRAGMA foreign_keys = ON");
    shell.exec(sql);
  }
};

const std::string kOtherIndicators =
    "(SELECT i.id FROM indicators i JOIN measures m ON i.measure_id = m.id"
    " JOIN projects pr ON m.project_id = pr.id JOIN plans p ON pr.plan_id = p.id"
    " WHERE p.name = '別の計画')";

// Every kind of change, with both cycles compared after each (World::Both).
void RunChanges(World& w) {
  TimePoint t = *ParseTime("2026-11-28T09:00:00+09:00");
  CycleResult first = w.Both(t);
  CHECK(first.plans_evaluated == 2);
  REQUIRE(first.firing > 4);

  // Nothing changed: nothing is evaluated again.
  CHECK(w.Both(t + hours(1)).plans_evaluated == 0);

  // A cell emptied and an indicator deleted with the sqlite3 shell in one
  // plan: new alerts fire, the deleted indicator's resolve.
  std::string fired_indicator;
  for (const auto& [fp, a] : w.memory.alerts) {
    if (a.finding.plan == "別の計画" && a.firing()) fired_indicator = a.finding.indicator;
  }
  REQUIRE_FALSE(fired_indicator.empty());
  w.Shell(
      "UPDATE observations SET raw = '', value = NULL, unit = NULL, status = 'missing'"
      " WHERE fiscal_year = 2021 AND raw <> '' AND indicator_id IN " +
      kOtherIndicators);
  w.Shell("DELETE FROM indicators WHERE name = '" + fired_indicator + "' AND id IN " +
          kOtherIndicators);
  CycleResult edited = w.Both(t + hours(2));
  CHECK(edited.plans_evaluated == 1);
  CHECK(edited.fired > 0);
  CHECK(edited.resolved > 0);

  // A silence over an alert of the plan that did not change.
  Silence s;
  s.id = "s1";
  s.matchers.push_back(SilenceMatcher{"plan", Kamaishi().title, false, nullptr, false});
  s.starts_at = t;
  s.ends_at = t + hours(24 * 30);
  s.created_by = "test";
  REQUIRE(w.inc_state->silences().AddSilence(s).ok());
  REQUIRE(w.full_state->silences().AddSilence(s).ok());
  CHECK(w.Both(t + hours(3)).plans_evaluated == 0);
  for (const auto& [fp, a] : w.memory.alerts) {
    if (a.firing() && a.finding.plan == Kamaishi().title) CHECK(a.silenced_by == "s1");
  }

  // The next day in Japan: missing_actual reads the date, so every plan.
  CHECK(w.Both(*ParseTime("2026-11-29T00:00:01+09:00")).plans_evaluated == 2);

  // An import that changes one cell of one plan.
  ProgressTable changed = Kamaishi();
  changed.projects[0].measures[0].indicators[0].actual_raw[1] = "";
  auto rw = IndicatorStore::Open(w.store_path, IndicatorStore::Mode::kReadWrite);
  REQUIRE(rw.ok());
  REQUIRE((*rw)->Import({changed}, "2026-11-29T01:00:00Z").ok());
  CycleResult imported = w.Both(*ParseTime("2026-11-29T12:00:00+09:00"));
  CHECK(imported.plans_evaluated == 1);
  CHECK(imported.fired > 0);

  // A plan deleted with the shell: its alerts resolve.
  w.Shell("DELETE FROM plans WHERE name = '別の計画'");
  CycleResult deleted = w.Both(*ParseTime("2026-11-29T13:00:00+09:00"));
  CHECK(deleted.plans_evaluated == 0);
  CHECK(deleted.plans == 1);
  CHECK(deleted.resolved > 0);
  for (const auto& [fp, a] : w.memory.alerts) {
    if (a.finding.plan == "別の計画") CHECK_FALSE(a.firing());
  }
  // Hours later: reminders and waiting groups, if the route has them.
  for (int h = 1; h <= 30; h += 7) w.Both(*ParseTime("2026-11-29T13:00:00+09:00") + hours(h));
}

TEST_CASE("incremental cycle: the same alerts and messages as a full one", "[incremental]") {
  World w;
  RunChanges(w);
}

TEST_CASE("incremental cycle: the same with group_wait, reminders and overlapping groups",
          "[incremental]") {
  World w(
      "route:\n  receiver: kodomo\n  group_by: [plan]\n  group_wait: 30m\n"
      "  repeat_interval: 5h\n  routes:\n"
      "    - {receiver: ops, group_by: [rule], match: {severity: warning}, continue: true}\n");
  RunChanges(w);
}

TEST_CASE("incremental cycle: a forgotten memory starts again from the state DB", "[incremental]") {
  World w;
  TimePoint t = *ParseTime("2026-11-28T09:00:00+09:00");
  w.Both(t);
  w.memory.Forget();
  CycleResult again = w.Both(t + hours(1));
  CHECK(again.plans_evaluated == 2);
  CHECK(again.fired == 0);  // the alerts came back from the state DB
}

// The daemon applies a silence at its next poll (Cycle::ApplySilences, which
// writes the alerts) and makes the memory reload them
// (CycleMemory::ForgetAlerts): later incremental cycles still agree with
// full ones, a change in one plan evaluates that plan only, and the end of
// the silence announces nothing as new.
TEST_CASE("incremental cycle: silences applied between evaluations", "[incremental]") {
  World w;
  TimePoint t = *ParseTime("2026-11-28T09:00:00+09:00");
  CycleResult first = w.Both(t);
  REQUIRE(first.messages.size() == 2);  // one digest per plan
  Silence s;
  s.id = "s1";
  s.matchers.push_back(SilenceMatcher{"plan", "別の計画", false, nullptr, false});
  s.starts_at = t;
  s.ends_at = t + hours(5);
  s.created_by = "test";
  for (StateStore* state : {w.inc_state.get(), w.full_state.get()}) {
    REQUIRE(state->silences().AddSilence(s).ok());
    auto applied = Cycle(w.config, w.rules, w.store.get(), state).ApplySilences(t + hours(1));
    REQUIRE(applied.ok());
    CHECK(applied->messages.empty());
  }
  w.memory.ForgetAlerts();
  w.Shell(
      "UPDATE observations SET raw = '', value = NULL, unit = NULL, status = 'missing'"
      " WHERE fiscal_year = 2021 AND raw <> '' AND indicator_id IN " +
      kOtherIndicators);
  CycleResult edited = w.Both(t + hours(2));
  CHECK(edited.plans_evaluated == 1);
  CHECK(edited.fired > 0);
  CHECK(edited.messages.empty());  // the new alerts are silenced
  for (const auto& [fp, a] : w.memory.alerts) {
    if (a.firing() && a.finding.plan == "別の計画") CHECK(a.silenced_by == "s1");
  }
  // The silence ends on its own: only the alerts never told are new.
  CycleResult after = w.Both(t + hours(6));
  CHECK(after.plans_evaluated == 0);
  REQUIRE(after.messages.size() == 1);
  std::string subject = after.messages[0].subject;
  CHECK(subject.find("新規アラート " + std::to_string(edited.fired) + "件") != std::string::npos);
}

// The rules' checks that do not declare CheckSpec::reads_clock give the
// same findings at any date: the incremental cycle relies on it.
TEST_CASE("evaluator: only checks that declare reads_clock depend on the date", "[incremental]") {
  World w;
  auto plans = w.store->LoadPlans();
  REQUIRE(plans.ok());
  auto at = [&](const char* when) {
    EvalResult r = Evaluate(w.rules, *plans, *ParseTime(when));
    std::vector<std::string> out;
    for (const Finding& f : r.findings) {
      bool clock = false;
      for (const Rule& rule : w.rules.rules) clock |= rule.id == f.rule && rule.check->reads_clock;
      if (!clock) out.push_back(f.fingerprint + " " + f.message + " " + FindingJson(f).dump());
    }
    return out;
  };
  std::vector<std::string> now = at("2026-11-28T09:00:00+09:00");
  CHECK(now.size() > 10);
  CHECK(at("2021-04-01T00:00:00+09:00") == now);
  CHECK(at("2031-12-31T23:59:59+09:00") == now);
  int64_t day = EvaluationDay(w.rules, *ParseTime("2026-11-28T00:00:00+09:00"));
  CHECK(EvaluationDay(w.rules, *ParseTime("2026-11-28T23:59:59+09:00")) == day);
  CHECK(EvaluationDay(w.rules, *ParseTime("2026-11-29T00:00:00+09:00")) == day + 1);
  CHECK(EvaluationDay(RuleSet{}, *ParseTime("2030-01-01")) == 0);
}

}  // namespace
}  // namespace shihyo
