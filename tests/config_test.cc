#include "config/config.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <ctime>

#include "base/clock.h"
#include "base/time_zone.h"
#include "eval/rule_loader.h"
#include "fakes.h"
#include "notify/email/email_kind.h"
#include "notify/receiver_registry.h"
#include "notify/webhook/webhook_kind.h"

namespace shihyo {
namespace {

using testing::TempDir;

const char* kGood = R"(
store: store.db
state: /var/lib/shihyo/state.db
rules: rules.d
external_url: https://shihyo.example.lg.jp
admin_receiver: ops
evaluation: {interval: 30m, poll_interval: 2s}
smtp:
  url: smtp://mail.example.lg.jp:587
  starttls: required
  user: shihyo
  password_file: smtp-password
  from: "shihyo <shihyo@example.lg.jp>"
  timeout: 20s
receivers:
  - name: kodomo
    email: {to: [kodomo@example.lg.jp], bcc: [audit@example.lg.jp]}
  - name: ops
    webhook: {url: "https://chat.example/hook", format: template, template: '{"text": "{{summary}}"}'}
  - name: am
    alertmanager: {url: "http://127.0.0.1:9093"}
route:
  receiver: kodomo
  group_by: [plan, project]
  group_wait: 30s
  repeat_interval: 3d
  routes:
    - receiver: am
      match_re: {severity: "critical|warning"}
      continue: true
    - receiver: ops
      match: {check: unparseable}
      group_by: [...]
      send_resolved: false
outbox: {initial_backoff: 10s, max_backoff: 10m, max_age: 12h}
)";

TEST_CASE("config: a full config is read, relative paths from its directory", "[config]") {
  TempDir dir;
  Result<Config> c = LoadConfig(dir.Write("shihyo.yaml", kGood), ReceiverConfigKinds());
  REQUIRE(c.ok());
  CHECK(c->store == dir.File("store.db"));
  CHECK(c->state == "/var/lib/shihyo/state.db");
  CHECK(c->rules == dir.File("rules.d"));
  CHECK(c->evaluation_interval == Seconds(1800));
  CHECK(c->smtp->password.file == dir.File("smtp-password"));
  CHECK(c->smtp->timeout == Seconds(20));
  REQUIRE(c->receivers.size() == 3);
  REQUIRE(c->receivers[0].SettingsAs<EmailSettings>());
  CHECK(c->receivers[0].SettingsAs<EmailSettings>()->bcc ==
        std::vector<std::string>{"audit@example.lg.jp"});
  const auto* hook = c->receivers[1].SettingsAs<WebhookSettings>();
  REQUIRE(hook);
  CHECK(hook->format == WebhookSettings::Format::kTemplate);
  CHECK(hook->compiled_template);
  CHECK(c->receivers[2].kind == "alertmanager");
  CHECK(c->receivers[2].settings->PushesAlerts());
  CHECK(c->route.group_by == std::vector<std::string>{"plan", "project"});
  REQUIRE(c->route.routes.size() == 2);
  // Children inherit what they do not set.
  CHECK(c->route.routes[0].repeat_interval == Seconds(3 * 86400));
  CHECK(c->route.routes[0].group_by == c->route.group_by);
  CHECK(c->route.routes[0].continue_matching);
  CHECK(c->route.routes[1].group_each);
  CHECK_FALSE(c->route.routes[1].send_resolved);
  CHECK(c->outbox.max_age == Seconds(12 * 3600));
}

TEST_CASE("config: every problem is reported with file:line:column", "[config]") {
  TempDir dir;
  std::string file = dir.Write("bad.yaml", R"(store: s.db
state: st.db
rules: r
smtp:
  url: http://mail
  password: hunter2
  from: nobody
receivers:
  - name: kodomo
    email: {to: ["a@example.lg.jp\r\nBcc: x@example.com"]}
  - name: hook
    webhook: {url: "https://x/h", secret: abc, fromat: shihyo}
route:
  receiver: nobody
  repeat_interval: 5 minutes
  routes:
    - match: {"bad-label": x}
treshold: 1
)");
  Result<Config> c = LoadConfig(file, ReceiverConfigKinds());
  REQUIRE_FALSE(c.ok());
  std::string all = c.status().message();
  for (const std::string& expected : {
           file + ":5:8: 'smtp': 'url': expected smtp://host:port or smtps://host:port",
           file + ":6:13: 'smtp': 'password' is not read from this file: put it in "
                  "'password_file' or 'password_env'",
           file + ":7:9: 'smtp': 'from': not an email address",
           file + ":10:17: receiver 'kodomo': 'email': 'to': 'a@example.lg.jp\\x0D\\x0ABcc: "
                  "x@example.com' is not an email address",
           file +
               ":12:48: receiver 'hook': 'webhook': unknown key 'fromat' (did you mean 'format'?)",
           file + ":12:43: receiver 'hook': 'webhook': 'secret' is not read from this file: put "
                  "it in 'secret_file' or 'secret_env'",
           file + ":14:13: route: 'receiver': no receiver named 'nobody'",
           file + ":15:20: route: 'repeat_interval': expected a duration such as 30s, 5m, 2h or "
                  "7d, found '5 minutes'",
           file + ":17:14: route > route: 'match': 'bad-label' is not a label name",
           file + ":18:1: config: unknown key 'treshold' (expected one of: store, state, rules, "
                  "external_url, admin_receiver, evaluation, smtp, receivers, route, "
                  "inhibit_rules, outbox, log_level, http, timezone)",
       }) {
    CAPTURE(expected);
    CHECK_THAT(all, Catch::Contains(expected));
  }
  CHECK(all.find("hunter2") == std::string::npos);  // never repeated, never logged
}

TEST_CASE("config: missing sections and broken YAML", "[config]") {
  TempDir dir;
  Result<Config> empty = LoadConfig(dir.Write("e.yaml", "store: s.db\n"), ReceiverConfigKinds());
  REQUIRE_FALSE(empty.ok());
  CHECK_THAT(empty.status().message(), Catch::Contains("missing 'state'"));
  CHECK_THAT(empty.status().message(), Catch::Contains("missing 'route'"));
  Result<Config> syntax = LoadConfig(dir.Write("s.yaml", "store: [\n"), ReceiverConfigKinds());
  REQUIRE_FALSE(syntax.ok());
  CHECK_THAT(syntax.status().message(), Catch::StartsWith(dir.File("s.yaml") + ":"));
  Result<Config> no_smtp = LoadConfig(
      dir.Write("n.yaml",
                "store: a\nstate: b\nrules: c\nreceivers:\n  - {name: x, email: {to: [a@b.c]}}\n"
                "route: {receiver: x}\n"),
      ReceiverConfigKinds());
  REQUIRE_FALSE(no_smtp.ok());
  CHECK_THAT(no_smtp.status().message(),
             Catch::Contains("an email receiver needs an 'smtp' section"));
  Result<Config> missing = LoadConfig(dir.File("nope.yaml"), ReceiverConfigKinds());
  REQUIRE_FALSE(missing.ok());
  CHECK_THAT(missing.status().message(), Catch::Contains("cannot open for reading"));
}

TEST_CASE("config: alias loops in routes and zero timeouts are refused", "[config]") {
  TempDir dir;
  std::string base =
      "store: a\nstate: b\nrules: c\nreceivers:\n  - {name: h, webhook: {url: "
      "'http://127.0.0.1:1/h', "
      "timeout: 0s}}\n";
  Result<Config> c =
      LoadConfig(dir.Write("loop.yaml", base + "route: &r {receiver: h, routes: [*r]}\n"),
                 ReceiverConfigKinds());
  REQUIRE_FALSE(c.ok());
  CHECK_THAT(c.status().message(), Catch::Contains("(an alias loop?)"));
  CHECK_THAT(c.status().message(), Catch::Contains("'timeout': at least 1s"));
}

TEST_CASE("config: a receiver has exactly one of the registry's kinds", "[config]") {
  TempDir dir;
  std::string file = dir.Write("k.yaml",
                               "store: a\nstate: b\nrules: c\nreceivers:\n  - {name: none}\n"
                               "  - {name: two, webhook: {url: 'http://x/h'}, alertmanager: {url: "
                               "'http://x'}}\nroute: {receiver: none}\n");
  Result<Config> c = LoadConfig(file, ReceiverConfigKinds());
  REQUIRE_FALSE(c.ok());
  CHECK_THAT(c.status().message(),
             Catch::Contains(file + ":5:5: receiver 'none': needs exactly one of 'email', "
                                    "'webhook', 'alertmanager'"));
  CHECK_THAT(c.status().message(), Catch::Contains(file + ":6:5: receiver 'two': needs exactly"));
  for (const ReceiverKind* kind : ReceiverKinds()) CHECK(FindReceiverKind(kind->name()) == kind);
  CHECK(FindReceiverKind("pager") == nullptr);
}

TEST_CASE("config: durations and secrets", "[config]") {
  CHECK(ParseDuration("30s") == Seconds(30));
  CHECK(ParseDuration("5m") == Seconds(300));
  CHECK(ParseDuration("2h") == Seconds(7200));
  CHECK(ParseDuration("7d") == Seconds(7 * 86400));
  CHECK(ParseDuration("90") == Seconds(90));
  CHECK_FALSE(ParseDuration("5 minutes"));
  CHECK_FALSE(ParseDuration("-1s"));
  CHECK_FALSE(ParseDuration(""));
  TempDir dir;
  CHECK(*ReadSecret({dir.Write("pw", "s3cret\n"), ""}) == "s3cret");
  setenv("SHIHYO_TEST_SECRET", "from-env", 1);
  CHECK(*ReadSecret({"", "SHIHYO_TEST_SECRET"}) == "from-env");
  CHECK(ReadSecret({"", "SHIHYO_TEST_UNSET_VARIABLE"}).status().IsNotFound());
}

}  // namespace
}  // namespace shihyo

namespace shihyo {
namespace {

const char* kRouting = R"(store: s.db
state: st.db
rules: r
receivers:
  - {name: a, alertmanager: {url: "http://127.0.0.1:9093"}}
  - {name: b, alertmanager: {url: "http://127.0.0.1:9094"}}
route:
  receiver: a
  group_wait: 30s
  routes:
    - receiver: b
      group_interval: 2m
      routes:
        - {receiver: a, group_wait: 10s}
    - {receiver: b, group_wait: 1m}
inhibit_rules:
  - source_matchers: ['check="status_only"']
    target_matchers: ['check =~ "missing_.*"', 'severity!=critical']
    equal: [plan, indicator]
  - source_match: {severity: critical}
    target_match_re: {severity: "warning|info"}
)";

TEST_CASE("config: group_interval is inherited, else the group_wait in force (issue 11)",
          "[config]") {
  TempDir dir;
  Result<Config> c = LoadConfig(dir.Write("shihyo.yaml", kRouting), ReceiverConfigKinds());
  REQUIRE(c.ok());
  CHECK(c->route.group_interval == Seconds(30));
  CHECK(c->route.routes[0].group_interval == Seconds(120));
  CHECK(c->route.routes[0].routes[0].group_wait == Seconds(10));
  CHECK(c->route.routes[0].routes[0].group_interval == Seconds(120));  // set above: inherited
  CHECK(c->route.routes[1].group_interval == Seconds(60));             // never set: its group_wait
}

TEST_CASE("config: inhibit_rules as Alertmanager writes them (issue 11)", "[config]") {
  TempDir dir;
  std::string file = dir.Write("shihyo.yaml", kRouting);
  Result<Config> c = LoadConfig(file, ReceiverConfigKinds());
  REQUIRE(c.ok());
  REQUIRE(c->inhibit_rules.size() == 2);
  const InhibitRule& r = c->inhibit_rules[0];
  CHECK(r.where == file + ":17");
  REQUIRE(r.source_matchers.size() == 1);
  CHECK(r.source_matchers[0].label == "check");
  CHECK(r.source_matchers[0].value == "status_only");
  REQUIRE(r.target_matchers.size() == 2);
  CHECK(r.target_matchers[0].regex);
  CHECK(r.target_matchers[0].value == "missing_.*");
  CHECK(r.target_matchers[1].negate);
  CHECK_FALSE(r.target_matchers[1].regex);
  CHECK(r.equal == std::vector<std::string>{"plan", "indicator"});
  CHECK(c->inhibit_rules[1].target_matchers[0].regex);

  std::string bad = dir.Write("bad.yaml", R"(store: s.db
state: st.db
rules: r
receivers: [{name: a, alertmanager: {url: "http://127.0.0.1:9093"}}]
route: {receiver: a, group_interval: 2 minutes}
inhibit_rules:
  - source_matchers: ['check="status_only', 'bad-label=x']
    target_matchers: ['rule=~"(unclosed"']
    equal: [indicator, "no such"]
    eqaul: [plan]
  - target_matchers: [severity=warning]
timezone: Asia/Tokio
)");
  Result<Config> b = LoadConfig(bad, ReceiverConfigKinds());
  REQUIRE_FALSE(b.ok());
  std::string all = b.status().message();
  for (const std::string& expected : {
           bad + ":5:38: route: 'group_interval': expected a duration such as 30s, 5m, 2h or 7d, "
                 "found '2 minutes'",
           bad + ":7:23: inhibit rule 1: 'source_matchers': 'check=\"status_only': unterminated "
                 "quoted value",
           bad + ":7:45: inhibit rule 1: 'source_matchers': 'bad-label=x': 'bad-label' is not a "
                 "label name",
           bad + ":8:23: inhibit rule 1: 'target_matchers': 'rule=~\"(unclosed\"': invalid "
                 "regular expression",
           bad + ":9:12: inhibit rule 1: 'equal': 'no such' is not a label name",
           bad + ":10:5: inhibit rule 1: unknown key 'eqaul' (did you mean 'equal'?)",
           bad + ":11:5: inhibit rule 2: missing 'source_matchers'",
           bad + ":12:11: 'timezone': unknown time zone 'Asia/Tokio': not in /usr/share/zoneinfo "
                 "(a tz database name such as Asia/Tokyo or UTC)",
       }) {
    CAPTURE(expected);
    CHECK_THAT(all, Catch::Contains(expected));
  }
}

// The offset and abbreviation localtime_r gives in zone |name| at |t|.
std::pair<long, std::string> LibcAt(const std::string& name, std::time_t t) {
  setenv("TZ", name.c_str(), 1);
  tzset();
  std::tm tm{};
  localtime_r(&t, &tm);
  return {tm.tm_gmtoff, tm.tm_zone};
}

TEST_CASE("time_zone: TZif zones agree with the C library, rules beyond 2037 too (issue 11)",
          "[config]") {
  const char* old_tz = std::getenv("TZ");
  std::string saved = old_tz ? old_tz : "";
  for (const char* name : {"Asia/Tokyo", "Europe/Berlin", "America/New_York", "Australia/Sydney",
                           "Australia/Lord_Howe", "America/Sao_Paulo", "UTC", "Asia/Kolkata"}) {
    Result<std::shared_ptr<const TimeZone>> z = LoadTimeZone(name);
    REQUIRE(z.ok());
    // Every ~11 days from 1950 to 2100: transitions, the TZ string after them.
    for (std::time_t t = -631152000; t < 4102444800; t += 86400 * 11 + 3607) {
      auto [offset, abbrev] = LibcAt(std::string(":") + name, t);
      TimeZone::Info info = (*z)->At(std::chrono::system_clock::from_time_t(t));
      CAPTURE(name, t);
      REQUIRE(info.offset.count() == offset);
      REQUIRE(info.abbrev == abbrev);
    }
  }
  if (old_tz)
    setenv("TZ", saved.c_str(), 1);
  else
    unsetenv("TZ");
  tzset();
  CHECK_FALSE(LoadTimeZone("../etc/passwd").ok());
  CHECK_FALSE(LoadTimeZone("/etc/localtime").ok());
  CHECK_FALSE(TimeZone::FromTzif("x", "TZif2 not really").ok());
  // A version 1 file of one type: UT offset |utoff| called "ABC".
  auto one_type = [](int32_t utoff) {
    std::string b = "TZif";
    b += std::string(16, '\0');
    auto be32 = [&b](uint32_t v) {
      for (int shift = 24; shift >= 0; shift -= 8) b += static_cast<char>((v >> shift) & 0xff);
    };
    for (uint32_t count : {0u, 0u, 0u, 0u, 1u, 4u})
      be32(count);  // is{ut,std}, leap, time, type, char
    be32(static_cast<uint32_t>(utoff));
    b += std::string("\0\0", 2);  // isdst, designation index
    b += std::string("ABC\0", 4);
    return b;
  };
  auto nine = TimeZone::FromTzif("x", one_type(9 * 3600));
  REQUIRE(nine.ok());
  CHECK((*nine)->At(std::chrono::system_clock::now()).offset == std::chrono::hours(9));
  // Found by fuzz.timezones: an offset of days is refused, not shown.
  auto absurd = TimeZone::FromTzif("x", one_type(30 * 3600));
  REQUIRE_FALSE(absurd.ok());
  CHECK(absurd.status().message().find("UT offset out of range") != std::string::npos);
  CHECK_FALSE(TimeZone::FromTzif("x", one_type(-90000)).ok());
}

TEST_CASE("rule_loader: a misspelled check still has its params checked (issue 11)", "[config]") {
  TempDir dir;
  std::string file = dir.Write("a.yaml", R"(rules:
  - id: reach
    check: target_unreachabel
    params: {slak: 1.0}
  - id: rise
    chek: rising
    params: {percnt: 10}
  - id: far
    check: nothing_like_any
    params: {x: 1}
)");
  RuleLoad load = LoadRules({file});
  CHECK(load.rules.rules.empty());
  std::vector<std::string> expected = {
      file +
          ":3:12: rule 'reach': unknown check 'target_unreachabel' (did you mean "
          "'target_unreachable'?)",
      file +
          ":4:14: rule 'reach': params of check 'target_unreachable': unknown key 'slak' "
          "(did you mean 'slack'?)",
      file + ":6:5: rule 'rise': unknown key 'chek' (did you mean 'check'?)",
      file + ":5:5: rule 'rise': missing required key 'check' (one of: " + "",
      file +
          ":7:14: rule 'rise': params of check 'rising': unknown key 'percnt' (did you mean "
          "'percent'?)",
      file +
          ":7:13: rule 'rise': check 'rising' needs at least one of 'percent', 'step' or "
          "'consecutive' in params",
      file + ":9:12: rule 'far': unknown check 'nothing_like_any' (expected one of: "};
  REQUIRE(load.errors.size() == expected.size());  // nothing guessed for 'far'
  for (size_t i = 0; i < expected.size(); ++i) {
    CAPTURE(i);
    CHECK_THAT(load.errors[i], Catch::StartsWith(expected[i]));
  }
}

TEST_CASE("clock: times shown to people follow the configured timezone (issue 11)", "[config]") {
  TimePoint t = *ParseTime("2026-07-01T00:30:00Z");
  CHECK(FormatJapaneseDateTime(t) == "2026年7月1日 09:30");
  SetDisplayZone(*LoadTimeZone("Europe/Berlin"));
  CHECK(FormatJapaneseDateTime(t) == "2026年7月1日 02:30");
  CHECK(FormatLocalDateTime(t) == "2026-07-01 02:30");
  CHECK(DisplayZoneAbbrev(t) == "CEST");
  SetDisplayZone(*LoadTimeZone("America/New_York"));
  CHECK(FormatJapaneseDate(t) == "2026年6月30日");
  SetDisplayZone(nullptr);
  CHECK(FormatLocalDateTime(t) == "2026-07-01 09:30");
  CHECK(DisplayZoneAbbrev(t) == "JST");
}

}  // namespace
}  // namespace shihyo
