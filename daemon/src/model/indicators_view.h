// Renders the stored indicators: the JSON contract of `shihyo indicators
// --format json` and the terminal table. Pure; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "model/indicator.h"

namespace shihyo {

// A number as JSON: integral values as integers (5070, not 5070.0).
nlohmann::json NumberJson(std::optional<double> value);

// {"raw", "value", "unit", "status", "annotated"}; unit is null when none.
nlohmann::json CellJson(const std::string& raw, const CellValue& cell);

// {"name", "plan", "project", "measure", "department", "footnotes", "target",
//  "direction", "aggregation", "observations": [{"fiscal_year", "raw",
//  "value", "unit", "status", "annotated"}…]}.
nlohmann::json IndicatorJson(const Indicator& indicator);

// {"plans": [...], "indicators": [...]} in table order.
nlohmann::json IndicatorsJson(const std::vector<Plan>& plans);

// The stored tables for a terminal: per plan, per project and measure, one
// row per indicator with its target and yearly values.
std::string RenderIndicatorsText(const std::vector<Plan>& plans);

// 増加/減少/有無 and 各年/毎年/累計/合計: labels staff read.
const char* DirectionLabel(Direction d);
const char* AggregationLabel(Aggregation a);

}  // namespace shihyo
