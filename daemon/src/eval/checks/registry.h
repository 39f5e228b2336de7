// The table of checks: every check's spec (eval/checks/check.h), in the order
// `unknown check` errors list them. Built on first use; thread-safe.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "eval/checks/check.h"

namespace shihyo {

// Every check, in registry order. The pointers live as long as the process.
const std::vector<const CheckSpec*>& AllChecks();

// The check called |name| (as in rule files), or null.
const CheckSpec* FindCheck(std::string_view name);

// The placeholders a message of |check| may use: the common ones (indicator,
// plan, value, fiscal_year_era, …) and the figures of the check.
std::set<std::string> PlaceholdersFor(const CheckSpec& check);

// Runs |rule|'s check over |indicators| (selected, overrides applied, in
// table order) and appends what it finds to |out|. Linear in the number of
// observations; duplicate_series hashes series instead of comparing pairs.
// What the check cannot decide goes to |errors| (if given).
void RunCheck(const Rule& rule, const std::vector<const Indicator*>& indicators, TimePoint now,
              std::vector<RawFinding>* out, std::vector<std::string>* errors = nullptr);

}  // namespace shihyo
