// Internal to rule_loader: reading selectors and check parameters.
#pragma once

#include <string>

#include "base/yaml_util.h"
#include "model/rule.h"

namespace shihyo {

// Reads a selector mapping (name, name_matches, project, …) under |context|.
Selector ReadSelector(const YamlField& field, const std::string& context, YamlErrors* errors);

// Reads the params mapping of a rule of |check| as its spec declares them;
// an absent field gives the defaults. Reports a missing parameter the check
// needs (rising: a threshold; expression: a condition); compiles conditions.
CheckParams ReadParams(const YamlField* field, const CheckSpec& check, const YAML::Mark& rule_mark,
                       const std::string& context, YamlErrors* errors);

// Reports a compile error inside a scalar: at the character |offset| of its
// text when the scalar is one line, else at the scalar.
void ErrorInScalar(const YamlField& field, size_t offset, const std::string& message,
                   YamlErrors* errors);

}  // namespace shihyo
