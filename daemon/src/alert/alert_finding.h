// What an alert keeps of the finding that raised it: the finding's facts and
// its evidence as owned plain data, without pointers into an evaluation, so
// that an alert read back from the state DB says what a fresh one says.
// Plain data and a pure conversion; thread-compatible.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "model/finding.h"
#include "model/indicator.h"
#include "model/rule.h"

namespace shihyo {

// The indicator as a finding saw it: its target and yearly series. Immutable
// once made and shared by every alert of that indicator (and evaluation), so
// that an indicator's 5-year series is held once however many rules fire on
// it.
struct IndicatorEvidence {
  std::string target_raw;
  CellValue target;
  Direction direction = Direction::kIncrease;
  Aggregation aggregation = Aggregation::kLevel;
  std::vector<Observation> series;  // fiscal year, raw and parsed cell
  std::vector<std::string> footnotes;

  bool operator==(const IndicatorEvidence&) const = default;
};

// The evidence of a finding: what the check computed, and the indicator as
// evaluated (its target and yearly series) when the finding names one.
struct AlertEvidence {
  // Figures by name as reported: numbers rounded to 6 decimals, non-finite
  // numbers as their text.
  std::map<std::string, std::variant<double, std::string>> figures;
  std::shared_ptr<const IndicatorEvidence> indicator;  // null: the finding names none

  bool has_indicator() const { return indicator != nullptr; }
  // |indicator|, or an empty one (no target, no series) when there is none.
  const IndicatorEvidence& indicator_or_empty() const;
  // Equal figures and equal indicators (by value).
  bool operator==(const AlertEvidence& o) const {
    return figures == o.figures &&
           (indicator == o.indicator || (indicator && o.indicator && *indicator == *o.indicator));
  }
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

// Shares the IndicatorEvidence of one indicator among the findings about it
// (by the Indicator's address: valid for one snapshot). Not thread-safe.
class EvidenceCache {
 public:
  // The evidence of |ind|, made on first use.
  std::shared_ptr<const IndicatorEvidence> Of(const Indicator& ind);

 private:
  std::map<const Indicator*, std::shared_ptr<const IndicatorEvidence>> by_indicator_;
};

// The owned copy of |finding| (its |source| indicator is copied into the
// evidence, or taken from |cache| when given; |finding| need not outlive the
// result).
AlertFinding ToAlertFinding(const Finding& finding, EvidenceCache* cache = nullptr);
// The same, moving |finding|'s texts (rule, plan, message, labels, …) into
// the result.
AlertFinding ToAlertFinding(Finding&& finding, EvidenceCache* cache = nullptr);

}  // namespace shihyo
