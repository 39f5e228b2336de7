// The JSON form of an alert's finding, for the edges that speak JSON: the
// state DB's alert rows and the alerts of shihyo's webhook body. The layout
// is that of a finding in `shihyo eval --format json`. Pure; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "alert/alert_finding.h"
#include "alert/alert_state.h"

namespace shihyo {

// {"k": "v", …} of |labels|.
nlohmann::json LabelsJson(const Labels& labels);

// {"target": {raw, value, unit, status, annotated}, "direction",
// "aggregation", "series": [{fiscal_year, raw, value, unit, status,
// annotated}…], "figures": {name: number or text}, "footnotes"}; the
// indicator's fields only when |evidence| has one.
nlohmann::json AlertEvidenceJson(const AlertEvidence& evidence);

// rule, check, severity, plan, project, measure, indicator, ordinal,
// department, fiscal_year, fiscal_year_era, message, fingerprint, labels,
// related, evidence ("" fields as null).
nlohmann::json AlertFindingJson(const AlertFinding& finding);

// Alertmanager's annotations of |alert|: {"summary": the message,
// "description": "目標 <target> / 実績 <year>: <raw> / …"}.
nlohmann::json AlertAnnotationsJson(const AlertRecord& alert);

// <external_url>/alerts/<fingerprint>: where the alert is shown.
std::string GeneratorUrl(const std::string& external_url, const AlertRecord& alert);

// The inverse of AlertFindingJson. Lenient, as befits rows written by an
// earlier version: a missing or mistyped field keeps its default.
AlertFinding AlertFindingFromJson(const nlohmann::json& json);

}  // namespace shihyo
