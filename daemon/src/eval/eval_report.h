// Renders an evaluation for people (a Japanese report grouped by project and
// indicator) and for scripts (the JSON contract of `shihyo eval`). Pure.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/clock.h"
#include "eval/evaluator.h"
#include "model/indicator.h"

namespace shihyo {

// {"now", "rules", "findings": [FindingJson…], "warnings", "summary":
// {"total", "by_severity", "by_check"}}.
nlohmann::json EvalJson(const EvalResult& result, TimePoint now, size_t rule_count);

// The report staff read: per plan (of result.snapshot) and project, per
// indicator its findings with severity and message, and the series they are
// about.
std::string RenderEvalText(const EvalResult& result, TimePoint now, size_t rule_count);

}  // namespace shihyo
