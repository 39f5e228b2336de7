#include "eval/rule_loader.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <set>
#include <thread>

#include "base/message_template.h"
#include "base/regex.h"
#include "eval/checks/registry.h"
#include "eval/expression.h"
#include "eval/rule_test.h"
#include "fakes.h"

namespace shihyo {
namespace {

using testing::SourcePath;
using testing::TempDir;

// Every check's name, in registry order, as errors list them.
std::string CheckNames() {
  std::string names;
  for (const CheckSpec* c : AllChecks()) names += (names.empty() ? "" : ", ") + c->name;
  return names;
}

// |text| with every |from| replaced by |to|.
std::string Replace(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = 0; (at = text.find(from, at)) != std::string::npos; at += to.size()) {
    text.replace(at, from.size(), to);
  }
  return text;
}

// Every tests/rules/bad/*.yaml names its first error in a "# expect:" line
// ({file}: the file's path; {checks}: the registered checks).
TEST_CASE("rule_loader: each broken rule file gives its precise error", "[rule_loader]") {
  auto files = ListRuleFiles(SourcePath("tests/rules/bad"));
  REQUIRE(files.ok());
  REQUIRE(files->size() >= 10);
  for (const std::string& file : *files) {
    CAPTURE(file);
    std::string first_line = testing::ReadFile(file).substr(0, testing::ReadFile(file).find('\n'));
    REQUIRE(first_line.rfind("# expect: ", 0) == 0);
    std::string expected =
        Replace(Replace(first_line.substr(10), "{file}", file), "{checks}", CheckNames());
    RuleLoad load = LoadRules({file});
    REQUIRE_FALSE(load.ok());
    CHECK(load.errors.front() == file + ":" + expected);
  }
}

TEST_CASE("rule_loader: every error of a file is reported, and none is activated",
          "[rule_loader]") {
  TempDir dir;
  std::string file = dir.Write("r.yaml",
                               "rules:\n"
                               "  - id: a\n"
                               "    check: rising\n"
                               "    params: {percent: x}\n"
                               "  - id: b\n"
                               "    check: nope\n"
                               "  - id: c\n"
                               "    check: unit_mismatch\n"
                               "    labels: [x]\n");
  RuleLoad load = LoadRules({file});
  // A bad value is one error, not also "rising needs a threshold".
  REQUIRE(load.errors.size() == 3);
  CHECK(load.errors[0] == file + ":4:23: rule 'a': 'percent': expected a number, found 'x'");
  CHECK_THAT(CheckNames(), Catch::StartsWith("unit_mismatch, unparseable, "));
  CHECK(load.errors[1] ==
        file + ":6:12: rule 'b': unknown check 'nope' (expected one of: " + CheckNames() + ")");
  CHECK(load.errors[2] ==
        file + ":9:13: rule 'c': 'labels': expected a mapping of names to strings, found a list");
}

TEST_CASE("rule_loader: ids are unique across files", "[rule_loader]") {
  TempDir dir;
  std::string a = dir.Write("a.yaml", "rules:\n  - id: x\n    check: unit_mismatch\n");
  std::string b = dir.Write("b.yaml", "rules:\n  - {id: x, check: annotated}\n");
  RuleLoad load = LoadRules({a, b});
  REQUIRE(load.errors.size() == 1);
  CHECK(load.errors[0] == b + ":2:10: rule 'x': duplicate id (already defined at " + a + ":2:9)");
}

TEST_CASE("rule_loader: a full rule is read into its parts", "[rule_loader]") {
  TempDir dir;
  std::string file = dir.Write("r.yaml", R"(
rules:
  - id: abuse
    check: rising
    severity: critical
    description: 虐待の件数
    select:
      name_matches: "虐待.*[件人]数"
      project: 3
      unit: 件
      direction: [increase, decrease]
    exclude:
      - name: 児童虐待発生件数(の減少)
    params: {percent: 20, step: 3, require_all: false}
    labels: {team: kodomo}
    message: "{{indicator}} {{fiscal_year_era}} {{#previous}}{{previous}}→{{/previous}}{{value}}"
  - id: off
    check: annotated
    enabled: false
overrides:
  - indicator: 公園の整備数
    aggregation: sum
    labels: {topic: parks}
)");
  RuleLoad load = LoadRules({file});
  REQUIRE(load.ok());
  REQUIRE(load.rules.rules.size() == 1);  // 'off' is disabled
  const Rule& r = load.rules.rules[0];
  CHECK(r.id == "abuse");
  CHECK(r.check == FindCheck("rising"));
  CHECK(r.severity == Severity::kCritical);
  CHECK(r.line == 3);
  REQUIRE(r.select.name_matches);
  CHECK(r.select.name_matches->Search("釜石市への児童虐待通告件数"));
  CHECK_FALSE(r.select.name_matches->Search("虐待に対しての市民への周知啓発回数"));
  CHECK(r.select.projects == std::vector<std::string>{"3"});
  CHECK(r.select.units == std::vector<std::string>{"件"});
  CHECK(r.select.directions.size() == 2);
  REQUIRE(r.exclude.size() == 1);
  CHECK(r.exclude[0].names == std::vector<std::string>{"児童虐待発生件数(の減少)"});
  CHECK(r.params.OptionalNumber("percent") == 20);
  CHECK(r.params.OptionalNumber("step") == 3);
  CHECK_FALSE(r.params.Bool("require_all"));
  CHECK(r.params.Int("consecutive") == 0);  // the spec's default
  CHECK_FALSE(r.params.Bool("include_annotated"));
  CHECK(r.labels.at("team") == "kodomo");
  REQUIRE(r.message);
  REQUIRE(load.rules.overrides.size() == 1);
  CHECK(load.rules.overrides[0].aggregation == Aggregation::kSum);
  CHECK(load.rules.overrides[0].labels.at("topic") == "parks");
}

TEST_CASE("rule_loader: the shipped rules load", "[rule_loader]") {
  RuleLoad load = LoadRuleDir(SourcePath("rules"));
  for (const std::string& e : load.errors) UNSCOPED_INFO(e);
  CHECK(load.ok());
  CHECK(load.rules.rules.size() >= 12);
}

TEST_CASE("rule_loader: an empty file has no rules; a missing directory is an error",
          "[rule_loader]") {
  TempDir dir;
  CHECK(LoadRules({dir.Write("empty.yaml", "")}).ok());
  RuleLoad missing = LoadRuleDir(dir.File("nope"));
  REQUIRE(missing.errors.size() == 1);
  CHECK_THAT(missing.errors[0], Catch::Contains("cannot read rule directory"));
}

TEST_CASE("regex: UTF mode matches characters, not bytes", "[rule_loader]") {
  auto re = Regex::Compile("^[件人]$");
  REQUIRE(re.ok());
  CHECK((*re)->Search("件"));
  CHECK((*re)->Search("人"));
  CHECK_FALSE((*re)->Search("件人"));
  size_t at = 0;
  auto bad = Regex::Compile("虐待(", &at);
  REQUIRE_FALSE(bad.ok());
  CHECK(at == 3);
}

TEST_CASE("expression: conditions over the variables, never code", "[rule_loader]") {
  auto e = Expression::Compile("value < target * 0.5 && defined(previous)");
  REQUIRE(e.ok());
  Expression::Variables v{};
  v.fill(std::nan(""));
  v[Expression::IndexOf("value")] = 10;
  v[Expression::IndexOf("target")] = 50;
  CHECK_FALSE((*e)->Holds(v));  // previous unknown
  v[Expression::IndexOf("previous")] = 8;
  CHECK((*e)->Holds(v));
  v[Expression::IndexOf("value")] = 30;
  CHECK_FALSE((*e)->Holds(v));
  size_t at = 0;
  auto bad = Expression::Compile("system(\"rm -rf /\")", &at);
  REQUIRE_FALSE(bad.ok());
  CHECK_FALSE(Expression::Compile("value <").ok());
  CHECK_FALSE(Expression::Compile("").ok());
}

TEST_CASE("expression: one compiled condition holds correctly on several threads",
          "[rule_loader]") {
  auto e = Expression::Compile("value > target");
  REQUIRE(e.ok());
  const Expression& expr = **e;
  std::vector<int> wrong(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&expr, &wrong, t] {
      Expression::Variables v{};
      for (int i = 0; i < 20000; ++i) {
        v[Expression::IndexOf("value")] = (i + t) % 2;  // holds on every other call
        v[Expression::IndexOf("target")] = 0.5;
        if (expr.Holds(v) != ((i + t) % 2 == 1)) ++wrong[t];
      }
    });
  }
  for (std::thread& t : threads) t.join();
  CHECK(wrong == std::vector<int>(4, 0));
}

// The checks below come from the registry: a new check is covered by adding it.
TEST_CASE("checks: every registered check has a complete spec", "[checks]") {
  REQUIRE_FALSE(AllChecks().empty());
  std::set<std::string> names;
  for (const CheckSpec* c : AllChecks()) {
    CAPTURE(c->name);
    CHECK(names.insert(c->name).second);
    CHECK(FindCheck(c->name) == c);
    CHECK_FALSE(c->doc.empty());
    CHECK((c->per_indicator == nullptr) != (c->over_set == nullptr));
    CHECK(MessageTemplate::Compile(c->default_message, PlaceholdersFor(*c)).ok());
    std::set<std::string> keys;
    for (const ParamSpec& p : c->params) CHECK(keys.insert(p.key).second);
    for (const std::string& key : c->needs_one_of) CHECK(keys.count(key) == 1);
  }
  CHECK(FindCheck("nope") == nullptr);
}

// A value the loader accepts for |p|, as YAML.
std::string ValidValue(const ParamSpec& p) {
  switch (p.type) {
    case ParamType::kBool:
      return "true";
    case ParamType::kInt:
      return std::to_string(static_cast<int>(p.max));
    case ParamType::kNumber:
      return std::to_string(p.max);
    case ParamType::kChoice:
      return p.choices.front();
    case ParamType::kUnitPairs:
      return "[[件, 人]]";
    case ParamType::kCondition:
      return "\"value > 0\"";
  }
  return "";
}

TEST_CASE("checks: a rule of each check loads its params as the spec declares", "[checks]") {
  TempDir dir;
  for (const CheckSpec* c : AllChecks()) {
    CAPTURE(c->name);
    std::string params, placeholders;
    for (const ParamSpec& p : c->params) params += ", " + p.key + ": " + ValidValue(p);
    for (const std::string& name : PlaceholdersFor(*c)) placeholders += "{{" + name + "}}";
    std::string file =
        dir.Write(c->name + ".yaml", "rules:\n  - {id: r, check: " + c->name + ", params: {" +
                                         params.substr(params.empty() ? 0 : 2) + "}, message: '" +
                                         placeholders + "'}\n");
    RuleLoad load = LoadRules({file});
    for (const std::string& e : load.errors) UNSCOPED_INFO(e);
    REQUIRE(load.ok());
    const Rule& rule = load.rules.rules.at(0);
    CHECK(rule.check == c);
    for (const ParamSpec& p : c->params) CHECK(rule.params.Has(p.key));
    // Without params a rule gets the defaults, or an error naming what it needs.
    file = dir.Write(c->name + ".yaml", "rules:\n  - {id: r, check: " + c->name + "}\n");
    load = LoadRules({file});
    CHECK(load.errors.size() == (c->needs_one_of.empty() ? 0u : 1u));
    if (!load.ok()) CHECK_THAT(load.errors[0], Catch::Contains("needs"));
  }
}

TEST_CASE("checks: README's check table has each check's line", "[checks]") {
  std::string readme = testing::ReadFile(SourcePath("README.md"));
  for (const CheckSpec* c : AllChecks()) {
    CAPTURE(c->name);
    CHECK_THAT(readme, Catch::Contains("| `" + c->name + "` | " + c->doc + " |"));
  }
}

TEST_CASE("checks: the rule tests in rules/tests/ find each check", "[checks]") {
  RuleTestReport report = RunRuleTests({SourcePath("rules/tests")});
  for (const std::string& e : report.errors) UNSCOPED_INFO(e);
  REQUIRE(report.ok());
  for (const CheckSpec* c : AllChecks()) {
    CAPTURE(c->name);
    CHECK(report.checks_found.count(c->name) == 1);
  }
}

TEST_CASE("rule tests: rules written inline in the test file", "[checks]") {
  TempDir dir;
  std::string tests = R"(now: 2026-11-28
fiscal_years: [令和5年度, 令和6年度]
tests:
  - name: 単位違い
    indicators:
      - {name: 利用者数, target: 100人, actuals: [50件, ""]}
    expect:
      - {rule: units, indicator: 利用者数, fiscal_year: 2023}
)";
  std::string good =
      dir.Write("good.yaml", "rules:\n  - {id: units, check: unit_mismatch}\n" + tests);
  RuleTestReport report = RunRuleTests({good});
  for (const std::string& e : report.errors) UNSCOPED_INFO(e);
  CHECK(report.ok());
  CHECK(report.checks_found == std::set<std::string>{"unit_mismatch"});

  std::string bad = dir.Write("bad.yaml", "rules:\n  - {id: units, check: unit_mismach}\n" + tests);
  report = RunRuleTests({bad});
  REQUIRE_FALSE(report.errors.empty());
  CHECK(report.errors[0] == bad + ":2:3: rules under test: " + bad +
                                ":2:24: rule 'units': unknown check 'unit_mismach' (did you "
                                "mean 'unit_mismatch'?)");
}

}  // namespace
}  // namespace shihyo
