// The checks of DESIGN.md: pure functions from (rule, selected indicators,
// now) to raw findings with their figures. No SQLite, no I/O, no logging, no
// state; thread-safe.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "base/clock.h"
#include "model/finding.h"
#include "model/indicator.h"
#include "model/rule.h"

namespace shihyo {

// What a check found, before the message is rendered.
struct RawFinding {
  const Indicator* indicator = nullptr;
  std::optional<int> fiscal_year;         // nullopt: about the indicator as a whole
  std::vector<Figure> figures;            // placeholders and evidence specific to the check
  std::vector<const Indicator*> related;  // other indicators involved (duplicate_series)
};

// Runs |rule|'s check over |indicators| (selected, overrides applied, in
// table order) and appends what it finds to |out|. Linear in the number of
// observations; duplicate_series hashes series instead of comparing pairs.
void RunCheck(const Rule& rule, const std::vector<const Indicator*>& indicators, TimePoint now,
              std::vector<RawFinding>* out);

// The placeholders a message template of |check| may use.
const std::set<std::string>& PlaceholdersFor(Check check);

// The Japanese message a rule of |check| gets when it sets none.
const char* DefaultMessage(Check check);

// A usable number of an indicator in one fiscal year.
struct Point {
  int fiscal_year = 0;
  double value = 0;
  const Observation* observation = nullptr;
};

// The years holding a number (status kValue), in order; ※-annotated values
// only with |include_annotated|.
std::vector<Point> NumericSeries(const Indicator& indicator, bool include_annotated);

// Whether |value| meets |target| in |direction|.
bool Meets(double value, double target, Direction direction);

// 3142 → "3,142"; 12.5 → "12.5"; at most |decimals| (0–2) decimals.
std::string FormatNumber(double value, int decimals = 2);

}  // namespace shihyo
