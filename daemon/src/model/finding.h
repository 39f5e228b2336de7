// A finding: what a rule found about one indicator (and fiscal year), with the
// message staff read and the evidence that proves it. Plain data; |source|
// points into the EvalResult snapshot it came from.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "model/indicator.h"
#include "model/rule.h"

namespace shihyo {

// A computed figure of a finding: a number (shown with digit grouping) or text.
struct Figure {
  std::string name;
  std::variant<double, std::string> value;
};

struct Finding {
  std::string rule;   // rule id
  std::string check;  // the check's name, as in rule files
  Severity severity = Severity::kWarning;
  std::string plan;
  std::string project;  // heading; "" when none
  int project_number = 0;
  std::string measure;
  std::string indicator;  // the indicator's name as in the table
  std::string department;
  int ordinal = 0;  // the indicator's position in its table
  std::optional<int> fiscal_year;
  std::string message;      // rendered, Japanese
  std::string fingerprint;  // stable: rule, plan, project, measure, indicator, fiscal year
  std::map<std::string, std::string> labels;  // the rule's and the indicator's
  std::vector<std::string> related;           // other indicators involved
  std::vector<Figure> figures;                // what the check computed
  // The indicator as evaluated (overrides applied): its target and series
  // are the rest of the evidence. Owned by EvalResult::snapshot.
  const Indicator* source = nullptr;
};

// {"target": {...}, "direction", "aggregation", "series": [{fiscal_year, raw,
// value, unit, status, annotated}…], "figures": {name: number or text},
// "footnotes"}.
nlohmann::json EvidenceJson(const Finding& finding);

// The JSON of a finding in `shihyo eval --format json`: rule, check,
// severity, plan, project, measure, indicator, ordinal (its row in the table),
// department, fiscal_year, fiscal_year_era, message, fingerprint, labels,
// related, evidence.
nlohmann::json FindingJson(const Finding& finding);

// FNV-1a 64 over the parts joined by U+001F, as 16 hex digits (the hash
// Alertmanager uses for its fingerprints).
std::string Fingerprint(const std::vector<std::string>& parts);

}  // namespace shihyo
