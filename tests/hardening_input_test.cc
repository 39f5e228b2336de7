// Regression tests for issue 13 (hardening), the input side: regexes that
// backtrack past their limits, conditions that assign or divide by zero,
// templates and YAML nested without bound. Each case failed before its fix.
#include <catch2/catch.hpp>
#include <string>

#include "base/message_template.h"
#include "base/regex.h"
#include "config/config.h"
#include "eval/expression.h"
#include "eval/rule_loader.h"
#include "fakes.h"
#include "notify/receiver_registry.h"
namespace shihyo {
namespace {

using testing::TempDir;

TEST_CASE("hardening: a regex match limit is an error, not a non-match (issue 13 item 9)",
          "[hardening]") {
  auto re = Regex::Compile("^(?:(a+)+b|.*c)$");
  REQUIRE(re.ok());
  // The name matches through '.*c', but '(a+)+b' backtracks past the limit first.
  std::string name = std::string(40, 'a') + "c";
  Result<bool> m = (*re)->Match(name);
  REQUIRE_FALSE(m.ok());
  CHECK(m.status().message() ==
        "regular expression /^(?:(a+)+b|.*c)$/ could not be decided: match limit exceeded");
  // The old entry point still answers false, but counts and keeps the error.
  CHECK((*re)->error_count() == 0);
  CHECK_FALSE((*re)->Search(name));
  CHECK((*re)->error_count() == 1);
  CHECK((*re)->last_error() == m.status().message());
  // Ordinary matches are unchanged.
  CHECK(*(*re)->Match("aab"));
  CHECK(*(*re)->Match("xyzc"));
  CHECK_FALSE(*(*re)->Match("aaa"));
  CHECK((*re)->error_count() == 1);
}

TEST_CASE("hardening: a condition cannot assign (issue 13 item 10)", "[hardening]") {
  struct Case {
    const char* source;
    size_t at;
  };
  for (const Case& c : {Case{"value = 5", 6}, Case{"ratio < 50 && value=5", 19},
                        Case{"value += 1", 6}, Case{"年 > 1 || value = 0", 15}}) {
    CAPTURE(c.source);
    size_t at = std::string::npos;
    auto e = Expression::Compile(c.source, &at);
    REQUIRE_FALSE(e.ok());
    CHECK(e.status().message() == "assignment is not allowed in a condition (did you mean '=='?)");
    CHECK(at == c.at);
  }
  for (const char* ok : {"value == 5", "value <= 5", "value >= 5", "value != 5"}) {
    CAPTURE(ok);
    CHECK(Expression::Compile(ok).ok());
  }
}

TEST_CASE("hardening: an infinite condition is an error, not true (issue 13 item 10)",
          "[hardening]") {
  size_t at = 99;
  auto constant = Expression::Compile("1/0", &at);
  REQUIRE_FALSE(constant.ok());
  CHECK(constant.status().message() == "the condition is always infinite (a division by zero?)");
  CHECK(at == 0);
  auto e = Expression::Compile("value / (target - 8000)");
  REQUIRE(e.ok());
  Expression::Variables vars;
  vars.fill(std::nan(""));
  vars[Expression::IndexOf("value")] = 4801;
  vars[Expression::IndexOf("target")] = 8000;
  Result<bool> r = (*e)->Evaluate(vars);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message() ==
        "condition 'value / (target - 8000)' is infinite (a division by zero?)");
  CHECK_FALSE((*e)->Holds(vars));
  vars[Expression::IndexOf("target")] = 9000;
  CHECK(*(*e)->Evaluate(vars));
  vars[Expression::IndexOf("target")] = std::nan("");
  CHECK_FALSE(*(*e)->Evaluate(vars));  // unknown: NaN, quietly not true
}

TEST_CASE("hardening: check reports an assignment at its column (issue 13 item 10)",
          "[hardening]") {
  TempDir dir;
  std::string file = dir.Write("a.yaml",
                               "rules:\n  - id: eq\n    check: expression\n"
                               "    params: {condition: \"value = 5\"}\n");
  RuleLoad load = LoadRules({file});
  REQUIRE(load.errors.size() == 1);
  CHECK(load.errors[0] ==
        file +
            ":4:32: rule 'eq': 'condition': invalid expression: assignment is not allowed in "
            "a condition (did you mean '=='?) (variables: value, target, previous, change, "
            "change_percent, ratio, year, first_year, last_year, years_left, total, best_gain)");
}

TEST_CASE("hardening: template sections nest at most 16 deep (issue 13 item 11)", "[hardening]") {
  auto nested = [](int depth) {
    std::string s;
    for (int i = 0; i < depth; ++i) s += "{{#previous}}";
    s += "{{value}}";
    for (int i = 0; i < depth; ++i) s += "{{/previous}}";
    return s;
  };
  const std::set<std::string> known = {"previous", "value"};
  CHECK(MessageTemplate::Compile(nested(16), known).ok());
  size_t at = 0;
  auto deep = MessageTemplate::Compile(nested(2000), known, &at);
  REQUIRE_FALSE(deep.ok());
  CHECK(deep.status().message() == "sections nested more than 16 deep");
  CHECK(at == 16 * 13);  // the 17th {{#previous}}
  std::string big(MessageTemplate::kMaxSourceBytes + 1, 'x');
  auto huge = MessageTemplate::Compile(big, known, &at);
  REQUIRE_FALSE(huge.ok());
  CHECK(huge.status().message() == "the template is 65537 bytes long (at most 65536)");
}

TEST_CASE("hardening: deep YAML is a file:line:col error (issue 13 item 14)", "[hardening]") {
  TempDir dir;
  std::string flow = dir.Write("flow.yaml", "store: s.db\nroute: " + std::string(100000, '['));
  Result<Config> c = LoadConfig(flow, shihyo::ReceiverConfigKinds());
  REQUIRE_FALSE(c.ok());
  CHECK(c.status().message() == flow + ":2:71: YAML nested more than 64 levels deep");
  std::string closed = "rules:\n  - id: x\n    labels: " + std::string(1500, '{') + "a: 1" +
                       std::string(1500, '}') + "\n";
  RuleLoad load = LoadRules({dir.Write("r.yaml", closed)});
  REQUIRE(load.errors.size() == 1);
  CHECK(load.errors[0] == dir.File("r.yaml") + ":3:74: YAML nested more than 64 levels deep");
  std::string block;
  for (int i = 0; i < 100; ++i) block += std::string(2 * i, ' ') + "k" + std::to_string(i) + ":\n";
  load = LoadRules({dir.Write("b.yaml", block)});
  REQUIRE(load.errors.size() == 1);
  CHECK(load.errors[0] == dir.File("b.yaml") + ":65:129: YAML nested more than 64 levels deep");
  std::string dashes = "rules:\n  - ";
  for (int i = 0; i < 100; ++i) dashes += "- ";
  load = LoadRules({dir.Write("d.yaml", dashes + "x\n")});
  REQUIRE(load.errors.size() == 1);
  CHECK(load.errors[0] == dir.File("d.yaml") + ":2:3: YAML nested more than 64 levels deep");
}

TEST_CASE("hardening: the depth estimate passes what people write", "[hardening]") {
  // Quotes, comments and block scalars with brackets and indentation are not nesting.
  TempDir dir;
  std::string text =
      "rules:\n  - id: x\n    check: expression\n    params:\n"
      "      condition: \"value > 1 # [[[[\"\n"
      "    description: '" +
      std::string(100, '[') +
      "'\n"
      "    # " +
      std::string(100, '{') +
      "\n"
      "    message: |\n";
  for (int i = 0; i < 100; ++i) text += std::string(6 + i, ' ') + "[{\n";
  text += "    labels: {a: '[', b: \"{\"}\n";
  RuleLoad load = LoadRules({dir.Write("ok.yaml", text)});
  for (const std::string& e : load.errors) CHECK_THAT(e, !Catch::Contains("nested"));
}

}  // namespace
}  // namespace shihyo
