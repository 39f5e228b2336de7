// Selectors and check parameters of rule files.
#include <algorithm>

#include "base/regex.h"
#include "eval/checks/check.h"
#include "eval/expression.h"
#include "eval/rule_loader_internal.h"
#include "model/value_parser.h"

namespace shihyo {

void ErrorInScalar(const YamlField& field, size_t offset, const std::string& message,
                   YamlErrors* errors) {
  YAML::Mark mark = field.mark();
  bool one_line = field.value.IsScalar() && field.value.Scalar().find('\n') == std::string::npos;
  if (one_line && offset != std::string::npos) {
    mark = MarkInScalar(field.value, offset);  // |offset| counts characters
  }
  errors->Add(mark, message);
}

namespace {

std::shared_ptr<const Regex> ReadRegex(const YamlField& f, const std::string& what,
                                       YamlErrors* errors) {
  std::optional<std::string> pattern = ReadString(f, what, errors);
  if (!pattern) return nullptr;
  size_t at = std::string::npos;
  Result<std::shared_ptr<const Regex>> re = Regex::Compile(*pattern, &at);
  if (!re.ok()) {
    ErrorInScalar(f, at, what + ": invalid regular expression: " + re.status().message(), errors);
    return nullptr;
  }
  return *re;
}

template <typename T>
std::vector<T> ReadEnumList(const YamlField& f, const std::string& what,
                            std::optional<T> (*from_name)(std::string_view), const char* expected,
                            YamlErrors* errors) {
  std::vector<T> out;
  std::optional<std::vector<std::string>> names = ReadStringList(f, what, errors);
  if (!names) return out;
  for (const std::string& n : *names) {
    if (std::optional<T> v = from_name(n)) {
      out.push_back(*v);
    } else {
      errors->Add(f.mark(), what + ": unknown value '" + n + "' (expected " + expected + ")");
    }
  }
  return out;
}

}  // namespace

Selector ReadSelector(const YamlField& field, const std::string& context, YamlErrors* errors) {
  static const std::vector<std::string> kKeys = {
      "name", "name_matches", "project",   "project_matches", "measure_matches", "department",
      "plan", "unit",         "direction", "aggregation",     "labels"};
  Selector s;
  for (const YamlField& f : ReadFields(field.value, field.mark(), context, kKeys, errors)) {
    std::string what = context + ": '" + f.key + "'";
    if (f.key == "name") {
      s.names = ReadStringList(f, what, errors).value_or(std::vector<std::string>{});
    } else if (f.key == "name_matches") {
      s.name_matches = ReadRegex(f, what, errors);
    } else if (f.key == "project") {
      s.projects = ReadStringList(f, what, errors).value_or(std::vector<std::string>{});
    } else if (f.key == "project_matches") {
      s.project_matches = ReadRegex(f, what, errors);
    } else if (f.key == "measure_matches") {
      s.measure_matches = ReadRegex(f, what, errors);
    } else if (f.key == "department") {
      s.departments = ReadStringList(f, what, errors).value_or(std::vector<std::string>{});
    } else if (f.key == "plan") {
      s.plans = ReadStringList(f, what, errors).value_or(std::vector<std::string>{});
    } else if (f.key == "unit") {
      for (const std::string& u :
           ReadStringList(f, what, errors).value_or(std::vector<std::string>{})) {
        s.units.push_back(CanonicalUnit(u));
      }
    } else if (f.key == "direction") {
      s.directions = ReadEnumList<Direction>(f, what, DirectionFromName,
                                             "increase, decrease or boolean", errors);
    } else if (f.key == "aggregation") {
      s.aggregations = ReadEnumList<Aggregation>(f, what, AggregationFromName,
                                                 "level, per_year, cumulative or sum", errors);
    } else if (f.key == "labels") {
      s.labels = ReadStringMap(f, what, errors).value_or(std::map<std::string, std::string>{});
    }
  }
  return s;
}

namespace {

using ParamValue = std::optional<CheckParams::Value>;

ParamValue ReadUnitPairs(const YamlField& f, const std::string& what, YamlErrors* e) {
  if (!f.value.IsSequence()) {
    e->Add(f.mark(), what + ": expected a list of unit pairs such as [[件, 人]]");
    return std::nullopt;
  }
  CheckParams::UnitPairs pairs;
  for (const YAML::Node& pair : f.value) {
    if (!pair.IsSequence() || pair.size() != 2 || !pair[0].IsScalar() || !pair[1].IsScalar()) {
      e->Add(pair.Mark(), what + ": expected a pair of units such as [件, 人]");
      continue;
    }
    pairs.emplace_back(CanonicalUnit(pair[0].Scalar()), CanonicalUnit(pair[1].Scalar()));
  }
  return pairs;
}

// "up, down or both".
std::string Alternatives(const std::vector<std::string>& words) {
  std::string out;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += i + 1 == words.size() ? " or " : ", ";
    out += words[i];
  }
  return out;
}

ParamValue ReadChoice(const YamlField& f, const std::string& what, const ParamSpec& spec,
                      YamlErrors* e) {
  std::optional<std::string> v = ReadString(f, what, e);
  if (!v) return std::nullopt;
  if (std::find(spec.choices.begin(), spec.choices.end(), *v) == spec.choices.end()) {
    e->Add(f.mark(),
           what + ": unknown value '" + *v + "' (expected " + Alternatives(spec.choices) + ")");
    return std::nullopt;
  }
  return *v;
}

ParamValue ReadCondition(const YamlField& f, const std::string& what, YamlErrors* e) {
  std::optional<std::string> v = ReadString(f, what, e);
  if (!v) return std::nullopt;
  size_t at = std::string::npos;
  Result<std::shared_ptr<const Expression>> expr = Expression::Compile(*v, &at);
  if (!expr.ok()) {
    std::string names;
    for (const std::string& n : Expression::VariableNames())
      names += (names.empty() ? "" : ", ") + n;
    ErrorInScalar(
        f, at,
        what + ": invalid expression: " + expr.status().message() + " (variables: " + names + ")",
        e);
    return std::nullopt;
  }
  return CheckParams::Condition{*v, *expr};
}

// Reads |f| as |spec| declares it; nullopt after reporting an error.
ParamValue ReadValue(const YamlField& f, const ParamSpec& spec, const std::string& what,
                     YamlErrors* e) {
  switch (spec.type) {
    case ParamType::kBool:
      if (auto v = ReadBool(f, what, e)) return *v;
      return std::nullopt;
    case ParamType::kInt:
      if (auto v = ReadInt(f, what, static_cast<int>(spec.min), static_cast<int>(spec.max), e)) {
        return *v;
      }
      return std::nullopt;
    case ParamType::kNumber:
      if (auto v = ReadNumber(f, what, spec.min, spec.max, e)) return *v;
      return std::nullopt;
    case ParamType::kChoice:
      return ReadChoice(f, what, spec, e);
    case ParamType::kUnitPairs:
      return ReadUnitPairs(f, what, e);
    case ParamType::kCondition:
      return ReadCondition(f, what, e);
  }
  return std::nullopt;
}

// "needs a 'condition'" / "needs at least one of 'percent', 'step' or 'consecutive'".
std::string Needs(const std::vector<std::string>& keys) {
  if (keys.size() == 1) return "needs a '" + keys[0] + "'";
  std::vector<std::string> quoted;
  for (const std::string& k : keys) quoted.push_back("'" + k + "'");
  return "needs at least one of " + Alternatives(quoted);
}

CheckParams Defaults(const CheckSpec& check) {
  CheckParams params;
  for (const ParamSpec& spec : check.params) {
    if (spec.fallback) params.Set(spec.key, *spec.fallback);
  }
  return params;
}

// Reads the given params into |params|; returns their keys (bad values too).
std::vector<std::string> ReadGiven(const YamlField& field, const CheckSpec& check,
                                   const std::string& context, CheckParams* params,
                                   YamlErrors* errors) {
  std::vector<std::string> allowed, given;
  for (const ParamSpec& spec : check.params) allowed.push_back(spec.key);
  std::string ctx = context + ": params of check '" + check.name + "'";
  if (allowed.empty() && field.value.IsMap() && field.value.size() > 0) {
    errors->Add(field.mark(), ctx + ": this check takes no parameters");
    return given;
  }
  for (const YamlField& f : ReadFields(field.value, field.mark(), ctx, allowed, errors)) {
    for (const ParamSpec& spec : check.params) {
      if (f.key != spec.key) continue;
      if (ParamValue v = ReadValue(f, spec, context + ": '" + f.key + "'", errors)) {
        params->Set(spec.key, std::move(*v));
      }
    }
    given.push_back(f.key);
  }
  return given;
}

}  // namespace

CheckParams ReadParams(const YamlField* field, const CheckSpec& check, const YAML::Mark& rule_mark,
                       const std::string& context, YamlErrors* errors) {
  CheckParams params = Defaults(check);
  std::vector<std::string> given;
  if (field && !field->value.IsNull()) given = ReadGiven(*field, check, context, &params, errors);
  if (check.needs_one_of.empty()) return params;
  for (const std::string& key : check.needs_one_of) {
    if (std::find(given.begin(), given.end(), key) != given.end()) return params;
  }
  errors->Add(field ? field->mark() : rule_mark,
              context + ": check '" + check.name + "' " + Needs(check.needs_one_of) + " in params");
  return params;
}

}  // namespace shihyo
