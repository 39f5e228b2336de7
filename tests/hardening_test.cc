// Regression tests for issue 13 (hardening): input that used to wrap time,
// hang, silently mis-match or cost unbounded memory is refused with a clear
// error. The input-side cases (regexes, templates, YAML) are in
// hardening_input_test.cc.
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <catch2/catch.hpp>
#include <set>
#include <sstream>

#include "base/clock.h"
#include "base/text.h"
#include "config/config.h"
#include "eval/evaluator.h"
#include "eval/rule_loader.h"
#include "fakes.h"
#include "model/value_parser.h"
#include "notify/email/smtp_notifier.h"
#include "notify/receiver_registry.h"
#include "service/repeated_warning.h"

namespace shihyo {
namespace {

using testing::TempDir;

// A valid config with |extra| appended (top-level keys).
std::string ConfigWith(const std::string& route_extra, const std::string& extra) {
  return "store: s.db\nstate: st.db\nrules: r\n"
         "receivers:\n  - {name: h, webhook: {url: 'http://127.0.0.1:1/h'}}\n"
         "route:\n  receiver: h\n" +
         route_extra + extra;
}

TEST_CASE("hardening: every config duration is bounded (issue 13 item 1)", "[hardening]") {
  TempDir dir;
  std::string file =
      dir.Write("big.yaml", ConfigWith("  group_wait: 2d\n  repeat_interval: 110000d\n",
                                       "evaluation: {interval: 110000d, poll_interval: 2d}\n"
                                       "outbox: {max_backoff: 8d, max_age: 3651d}\n"));
  Result<Config> c = LoadConfig(file, shihyo::ReceiverConfigKinds());
  REQUIRE_FALSE(c.ok());
  std::string all = c.status().message();
  for (const std::string& expected : {
           file + ":8:15: route: 'group_wait': at most 1d",
           file + ":9:20: route: 'repeat_interval': at most 3650d",
           file + ":10:24: 'evaluation': 'interval': at most 7d",
           file + ":10:48: 'evaluation': 'poll_interval': at most 1d",
           file + ":11:23: 'outbox': 'max_backoff': at most 7d",
           file + ":11:36: 'outbox': 'max_age': at most 3650d",
       }) {
    CAPTURE(all);
    CHECK_THAT(all, Catch::Contains(expected));
  }
  // Beyond any bound (301 years): still "at most", not "not a duration".
  Result<Config> huge =
      LoadConfig(dir.Write("huge.yaml", ConfigWith("", "outbox: {max_age: 110000d}\n")),
                 shihyo::ReceiverConfigKinds());
  REQUIRE_FALSE(huge.ok());
  CHECK_THAT(huge.status().message(), Catch::EndsWith("'outbox': 'max_age': at most 3650d"));
  // The limits themselves are accepted.
  Result<Config> edge =
      LoadConfig(dir.Write("edge.yaml", ConfigWith("  repeat_interval: 3650d\n",
                                                   "evaluation: {interval: 7d, poll_interval: 1d}\n"
                                                   "outbox: {max_backoff: 7d, max_age: 3650d}\n")),
                 shihyo::ReceiverConfigKinds());
  REQUIRE(edge.ok());
  CHECK(edge->route.repeat_interval == Seconds(3650LL * 86400));
  CHECK(ParseDuration("36500d") == kMaxDuration);
  CHECK_FALSE(ParseDuration("36501d"));
  CHECK_FALSE(ParseDuration("99999999999999999999999d"));
  CHECK_FALSE(ParseMillis("110000d"));
}

TEST_CASE("hardening: webhook and Alertmanager timeouts are 1s to 1h (issue 13 item 9d)",
          "[hardening]") {
  TempDir dir;
  std::string file =
      dir.Write("t.yaml",
                "store: s.db\nstate: st.db\nrules: r\nreceivers:\n"
                "  - {name: h, webhook: {url: 'http://127.0.0.1:1/h', timeout: 2h}}\n"
                "  - {name: a, alertmanager: {url: 'http://127.0.0.1:1', timeout: 110000000d}}\n"
                "  - {name: z, webhook: {url: 'http://127.0.0.1:1/z', timeout: 0s}}\n"
                "route:\n  receiver: h\n");
  Result<Config> c = LoadConfig(file, shihyo::ReceiverConfigKinds());
  REQUIRE_FALSE(c.ok());
  std::string all = c.status().message();
  CAPTURE(all);
  CHECK_THAT(all, Catch::Contains(file + ":5:"));
  CHECK_THAT(all, Catch::Contains("'timeout': at most 1h"));
  CHECK_THAT(all, Catch::Contains(file + ":6:"));
  CHECK_THAT(all, Catch::Contains(file + ":7:"));
  CHECK_THAT(all, Catch::Contains("at least 1s"));
  Result<Config> edge =
      LoadConfig(dir.Write("edge.yaml",
                           "store: s.db\nstate: st.db\nrules: r\nreceivers:\n"
                           "  - {name: h, webhook: {url: 'http://127.0.0.1:1/h', timeout: 1h}}\n"
                           "  - {name: a, alertmanager: {url: 'http://127.0.0.1:1', timeout: 1s}}\n"
                           "route:\n  receiver: h\n"),
                 shihyo::ReceiverConfigKinds());
  CHECK(edge.ok());
}

TEST_CASE("hardening: max_age and max_backoff not below initial_backoff (issue 13 item 6)",
          "[hardening]") {
  TempDir dir;
  std::string age = dir.Write(
      "age.yaml", ConfigWith("", "outbox: {initial_backoff: 1h, max_backoff: 2h, max_age: 30m}\n"));
  Result<Config> c = LoadConfig(age, shihyo::ReceiverConfigKinds());
  REQUIRE_FALSE(c.ok());
  CHECK(c.status().message() ==
        age +
            ":8:57: 'outbox': 'max_age' (30m) is shorter than 'initial_backoff' (1h): a message "
            "would be dead before its first retry");
  std::string backoff = dir.Write(
      "backoff.yaml", ConfigWith("", "outbox: {initial_backoff: 10m, max_backoff: 1m}\n"));
  c = LoadConfig(backoff, shihyo::ReceiverConfigKinds());
  REQUIRE_FALSE(c.ok());
  CHECK(c.status().message() ==
        backoff + ":8:45: 'outbox': 'max_backoff' (1m) is shorter than 'initial_backoff' (10m)");
  // The defaults count too: a 2h first retry is above the default 30m ceiling.
  c = LoadConfig(dir.Write("default.yaml", ConfigWith("", "outbox: {initial_backoff: 2h}\n")),
                 shihyo::ReceiverConfigKinds());
  REQUIRE_FALSE(c.ok());
  CHECK_THAT(c.status().message(), Catch::Contains("'max_backoff' (30m) is shorter"));
  c = LoadConfig(
      dir.Write("ok.yaml", ConfigWith("", "outbox: {initial_backoff: 1m, max_age: 1m}\n")),
      shihyo::ReceiverConfigKinds());
  CHECK(c.ok());
}

TEST_CASE("hardening: time arithmetic saturates instead of wrapping (issue 13 item 1)",
          "[hardening]") {
  using std::chrono::hours;
  CHECK(SaturatingAdd(TimePoint::max() - hours(1), hours(2)) == TimePoint::max());
  CHECK(SaturatingAdd(TimePoint::min() + hours(1), hours(-2)) == TimePoint::min());
  CHECK(SaturatingSub(TimePoint::min() + hours(1), hours(2)) == TimePoint::min());
  CHECK(SaturatingAdd(TimePoint(), Seconds(kMaxDuration) * 1000) == TimePoint::max());
  TimePoint t = *ParseTime("2026-11-28");
  CHECK(SaturatingAdd(t, hours(3)) == t + hours(3));
  CHECK(SaturatingSub(t, hours(3)) == t - hours(3));
  auto mono = std::chrono::steady_clock::time_point::max();
  CHECK(SaturatingAdd(mono, std::chrono::milliseconds(5)) == mono);
  // Years TimePoint cannot hold: the deadline is "never", not a date in 1700.
  CHECK(FiscalYearEnd(3000) == TimePoint::max());
  CHECK(FiscalYearEnd(1000) == TimePoint::min());
  CHECK(FiscalYearEnd(2200) > FiscalYearEnd(2024));
  for (const char* far : {"9999-01-01", "2263-01-01", "1899-12-31T00:00:00Z"}) {
    CAPTURE(far);
    Result<TimePoint> p = ParseTime(far);
    REQUIRE_FALSE(p.ok());
    CHECK_THAT(p.status().message(), Catch::EndsWith("(years 1900 to 2200)"));
  }
  CHECK(ParseTime("2200-12-31T23:59:59Z").ok());
}

TEST_CASE("hardening: a deadline beyond the clock's range never passes (issue 13 item 6)",
          "[hardening]") {
  // FiscalYearEnd(2300) saturates at TimePoint::max(); adding grace_days
  // wrapped to a date long past, and the empty year was reported overdue.
  TempDir dir;
  dir.Write("r.yaml",
            "rules:\n  - id: missing\n    check: missing_actual\n"
            "    severity: warning\n");
  RuleLoad load = LoadRuleDir(dir.path());
  REQUIRE(load.ok());
  Plan plan;
  plan.name = "p";
  Indicator ind;
  ind.plan = "p";
  ind.name = "x";
  ind.target_raw = "10件";
  ind.target = ParseCell("10件");
  ind.observations = {{2299, "3件", ParseCell("3件")}, {2300, "", ParseCell("")}};
  plan.indicators = {ind};
  EvalResult r = Evaluate(load.rules, {plan}, *ParseTime("2200-12-31"));
  CHECK(r.findings.empty());
  ind.observations = {{2020, "3件", ParseCell("3件")}, {2021, "", ParseCell("")}};
  plan.indicators = {ind};
  CHECK(Evaluate(load.rules, {plan}, *ParseTime("2026-11-28")).findings.size() == 1);
}

TEST_CASE(
    "hardening: a rule's regex or expression that cannot decide is reported "
    "(issue 13 items 9, 10)",
    "[hardening]") {
  TempDir dir;
  dir.Write("r.yaml",
            "rules:\n"
            "  - id: catastrophic\n    check: expression\n    severity: warning\n"
            "    select: {name_matches: '^(?:(a+)+b|.*c)$'}\n"
            "    params: {condition: 'value > 0'}\n"
            "  - id: excluded\n    check: expression\n    severity: warning\n"
            "    exclude: [{name_matches: '^(?:(a+)+b|.*c)$'}]\n"
            "    params: {condition: 'value > 0'}\n"
            "  - id: infinite\n    check: expression\n    severity: warning\n"
            "    params: {condition: 'value / (value - value)'}\n");
  RuleLoad load = LoadRuleDir(dir.path());
  REQUIRE(load.ok());
  Plan plan;
  plan.name = "p";
  Indicator ind;
  ind.plan = "p";
  ind.name = std::string(40, 'a') + "c";  // matches through '.*c', past the limit first
  ind.observations = {{2023, "3件", ParseCell("3件")}};
  plan.indicators = {ind};
  EvalResult r = Evaluate(load.rules, {plan}, *ParseTime("2026-11-28"));
  // Selected as if the select matched and the exclude did not: never silently left out.
  std::set<std::string> fired;
  for (const Finding& f : r.findings) fired.insert(f.rule);
  CHECK(fired == std::set<std::string>{"catastrophic", "excluded"});  // 3/0 is not true
  REQUIRE(r.errors.size() == 3);
  std::string file = dir.File("r.yaml");
  CHECK(r.errors[0] == file +
                           ":2: rule catastrophic: could not decide: name_matches: regular "
                           "expression /^(?:(a+)+b|.*c)$/ could not be decided: match limit "
                           "exceeded");
  CHECK_THAT(r.errors[1], Catch::StartsWith(file + ":7: rule excluded: could not decide: "));
  CHECK_THAT(
      r.errors[2],
      Catch::StartsWith(file + ":12: rule infinite: could not decide: " + ind.name + " 2023: "));
  CHECK(r.warnings == r.errors);
}

TEST_CASE("hardening: a message refused for its size is shortened, not dropped (issue 13 item 4)",
          "[hardening]") {
  Message m;
  m.subject = "[shihyo] 新規アラート 54件";
  m.html = std::string(200000, 'h');
  m.text = "shihyo（指標チェック）からのお知らせです。\n";
  while (m.text.size() < 100000) m.text += "● 指標名がとても長い指標の行です\n";
  m.text += "\n--\nこのメールは shihyo が自動で送信しています。\n詳細: http://x/\n";
  Message s = Shortened(m);
  CHECK(s.subject == m.subject);
  CHECK(s.html.empty());
  CHECK(s.text.size() < kShortenedTextBytes + 1024);
  CHECK_THAT(s.text, Catch::StartsWith("※ このお知らせは大きすぎて"));
  CHECK_THAT(s.text, Catch::Contains("shihyo alerts"));
  CHECK_THAT(s.text, Catch::Contains("…（以下省略）…"));
  CHECK_THAT(s.text, Catch::EndsWith("詳細: http://x/\n"));
  CHECK(FindInvalidUtf8(s.text) == std::string::npos);  // cut between characters
  // A small message loses only its HTML part.
  Message small = m;
  small.text = "本文\n\n--\nフッター\n";
  CHECK_THAT(Shortened(small).text, Catch::EndsWith("\n\n本文\n\n--\nフッター\n"));
}

// The lines spdlog writes while this object lives.
class CapturedLog {
 public:
  CapturedLog() : previous_(spdlog::default_logger()) {
    auto logger = std::make_shared<spdlog::logger>(
        "test", std::make_shared<spdlog::sinks::ostream_sink_st>(out_));
    logger->set_pattern("%l %v");
    spdlog::set_default_logger(logger);
  }
  ~CapturedLog() { spdlog::set_default_logger(previous_); }
  std::vector<std::string> Lines() const {
    std::vector<std::string> lines;
    std::istringstream in(out_.str());
    for (std::string l; std::getline(in, l);) lines.push_back(l);
    return lines;
  }

 private:
  std::ostringstream out_;
  std::shared_ptr<spdlog::logger> previous_;
};

TEST_CASE("hardening: a warning repeated every poll is logged once per 10 minutes (item 6)",
          "[hardening]") {
  CapturedLog log;
  RepeatedWarning w("state DB not writable");
  auto t = std::chrono::steady_clock::time_point() + std::chrono::hours(1);
  CHECK(w.Fail("disk full", t));  // starts an episode: the caller tells the admin
  for (int i = 1; i <= 599; ++i) CHECK_FALSE(w.Fail("disk full", t + std::chrono::seconds(i)));
  REQUIRE(log.Lines() == std::vector<std::string>{"warning state DB not writable: disk full"});
  CHECK_FALSE(w.Fail("disk full", t + std::chrono::seconds(600)));
  CHECK(log.Lines().back() ==
        "warning state DB not writable: disk full (still failing; 599 repeats not logged)");
  CHECK_FALSE(w.Fail("I/O error", t + std::chrono::seconds(601)));  // a new message: logged
  CHECK(log.Lines().size() == 3);
  CHECK(w.failures() == 602);
  CHECK(w.Recover(t + std::chrono::seconds(700)));
  CHECK(log.Lines().back() == "info state DB not writable: recovered after 602 failures in 700s");
  CHECK_FALSE(w.Recover(t + std::chrono::seconds(701)));  // once
  CHECK(log.Lines().size() == 4);
  CHECK(w.Fail("disk full", t + std::chrono::seconds(800)));  // a new episode
  CHECK(log.Lines().size() == 5);
}

}  // namespace
}  // namespace shihyo
