// What staff should do about an alert, by its check: correct and re-import a
// data error, confirm the situation for a real change, review the plan for a
// target; and the title under which the digest groups one rule firing on
// many indicators. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>

#include "model/rule.h"

namespace shihyo {

// One sentence (or two) in Japanese for staff: what to do about an alert of
// |check| (the check's name as in rule files) at |severity|. Never empty: an
// unknown check gets a general sentence.
std::string CheckAdvice(const std::string& check, Severity severity);

// The title of a digest entry that groups the alerts of one rule for one
// fiscal year on many indicators, e.g. "令和6年度の実績が未記入"; "" when
// alerts of |check| say more than the indicator and year (their messages
// differ by value) and are never grouped.
std::string GroupTitle(const std::string& check, std::optional<int> fiscal_year);

}  // namespace shihyo
