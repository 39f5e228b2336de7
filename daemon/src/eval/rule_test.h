// `shihyo test`: rule unit tests written in YAML. Each test gives a small
// table of indicators inline, a `now`, and the findings the rules under test
// must and must not produce. Reads files; otherwise pure.
//
//   rules: ..                 # rule directory or list of rule files, relative to this file,
//                             # or rules inline: [{id: x, check: annotated}]
//   now: 2026-11-28           # default for every test
//   fiscal_years: [令和2年度, 令和3年度, 令和4年度, 令和5年度, 令和6年度]
//   tests:
//     - name: 発生件数の急増は重大
//       indicators:
//         - {name: 児童虐待発生件数(の減少), target: 0件, actuals: [14件, 12件, 7件, 25件, ""]}
//       expect:
//         - {rule: abuse_cases_rising, indicator: 児童虐待発生件数(の減少), fiscal_year: 2023}
//       expect_not:
//         - {rule: rising_against_target, indicator: 児童虐待発生件数(の減少)}
#pragma once

#include <set>
#include <string>
#include <vector>

namespace shihyo {

struct RuleTestReport {
  int tests = 0;
  int passed = 0;
  // Errors in the test files themselves ("file:line:col: …"); these fail the run.
  std::vector<std::string> errors;
  // What to print: a line per test, and for a failure a diff of expected and
  // found findings.
  std::string output;
  // The checks of the findings that the tests expected and found.
  std::set<std::string> checks_found;
  // No tests at all is a failure too: a typo in a path must not pass.
  bool ok() const { return errors.empty() && tests > 0 && passed == tests; }
};

// Runs every test in |paths| (files, or directories holding *.yaml test files).
RuleTestReport RunRuleTests(const std::vector<std::string>& paths);

}  // namespace shihyo
