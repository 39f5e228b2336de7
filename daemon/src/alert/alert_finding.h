// What an alert keeps of the finding that raised it: the finding's facts and
// its evidence as owned plain data, without pointers into an evaluation, so
// that an alert read back from the state DB says what a fresh one says.
// Plain data and a pure conversion; thread-compatible.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "model/finding.h"
#include "model/indicator.h"
#include "model/rule.h"

namespace shihyo {

// The evidence of a finding: what the check computed, and the indicator as
// evaluated (its target and yearly series) when the finding names one.
struct AlertEvidence {
  // Figures by name as reported: numbers rounded to 6 decimals, non-finite
  // numbers as their text.
  std::map<std::string, std::variant<double, std::string>> figures;
  bool has_indicator = false;  // false: the fields below are unset
  std::string target_raw;
  CellValue target;
  Direction direction = Direction::kIncrease;
  Aggregation aggregation = Aggregation::kLevel;
  std::vector<Observation> series;  // fiscal year, raw and parsed cell
  std::vector<std::string> footnotes;

  bool operator==(const AlertEvidence&) const = default;
};

struct AlertFinding {
  std::string rule;   // rule id
  std::string check;  // the check's name, as in rule files
  Severity severity = Severity::kWarning;
  std::string plan;
  std::string project;  // "" when none
  std::string measure;  // "" when none
  std::string indicator;
  int ordinal = 0;         // the indicator's row in its table
  std::string department;  // "" when none
  std::optional<int> fiscal_year;
  std::string message;  // rendered, Japanese
  std::string fingerprint;
  std::map<std::string, std::string> labels;  // the rule's and the indicator's
  std::vector<std::string> related;
  AlertEvidence evidence;

  bool operator==(const AlertFinding&) const = default;
};

// The owned copy of |finding| (its |source| indicator is copied into the
// evidence; |finding| need not outlive the result).
AlertFinding ToAlertFinding(const Finding& finding);

}  // namespace shihyo
