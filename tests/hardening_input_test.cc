// Regression tests for issue 13 (hardening), the input side: regexes that
// backtrack past their limits, conditions that assign or divide by zero,
// templates and YAML nested without bound. Each case failed before its fix.
#include <catch2/catch.hpp>
#include <string>

#include "base/regex.h"
#include "fakes.h"
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

}  // namespace
}  // namespace shihyo
