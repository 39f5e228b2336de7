// Selectors and check parameters of rule files.
#include <algorithm>
#include <functional>

#include "base/regex.h"
#include "eval/expression.h"
#include "eval/rule_loader_internal.h"
#include "model/value_parser.h"

namespace shihyo {

void ErrorInScalar(const YamlField& field, size_t offset, const std::string& message,
                   YamlErrors* errors) {
  YAML::Mark mark = field.mark();
  bool one_line = field.value.IsScalar() && field.value.Scalar().find('\n') == std::string::npos;
  if (one_line && offset != std::string::npos) {
    mark = ScalarTextMark(field.value);
    mark.column += static_cast<int>(offset);
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

using ParamReader =
    std::function<void(const YamlField&, const std::string& what, CheckParams*, YamlErrors*)>;

struct ParamSpec {
  const char* key;
  std::vector<Check> checks;
  ParamReader read;
};

ParamReader Bool(bool CheckParams::*member) {
  return [member](const YamlField& f, const std::string& what, CheckParams* p, YamlErrors* e) {
    if (auto v = ReadBool(f, what, e)) p->*member = *v;
  };
}

ParamReader Number(double CheckParams::*member, double min, double max) {
  return [=](const YamlField& f, const std::string& what, CheckParams* p, YamlErrors* e) {
    if (auto v = ReadNumber(f, what, min, max, e)) p->*member = *v;
  };
}

ParamReader OptionalNumber(std::optional<double> CheckParams::*member, double min, double max) {
  return [=](const YamlField& f, const std::string& what, CheckParams* p, YamlErrors* e) {
    if (auto v = ReadNumber(f, what, min, max, e)) p->*member = *v;
  };
}

ParamReader Int(int CheckParams::*member, int min, int max) {
  return [=](const YamlField& f, const std::string& what, CheckParams* p, YamlErrors* e) {
    if (auto v = ReadInt(f, what, min, max, e)) p->*member = *v;
  };
}

void ReadEquivalentUnits(const YamlField& f, const std::string& what, CheckParams* p,
                         YamlErrors* e) {
  bool ok = f.value.IsSequence();
  if (ok) {
    for (const YAML::Node& pair : f.value) {
      if (!pair.IsSequence() || pair.size() != 2 || !pair[0].IsScalar() || !pair[1].IsScalar()) {
        e->Add(pair.Mark(), what + ": expected a pair of units such as [件, 人]");
        continue;
      }
      p->equivalent_units.emplace_back(CanonicalUnit(pair[0].Scalar()),
                                       CanonicalUnit(pair[1].Scalar()));
    }
    return;
  }
  e->Add(f.mark(), what + ": expected a list of unit pairs such as [[件, 人]]");
}

void ReadSpikeDirection(const YamlField& f, const std::string& what, CheckParams* p,
                        YamlErrors* e) {
  std::optional<std::string> v = ReadString(f, what, e);
  if (!v) return;
  if (*v == "up" || *v == "down" || *v == "both") {
    p->spike_up = *v != "down";
    p->spike_down = *v != "up";
  } else {
    e->Add(f.mark(), what + ": unknown value '" + *v + "' (expected up, down or both)");
  }
}

void ReadCondition(const YamlField& f, const std::string& what, CheckParams* p, YamlErrors* e) {
  std::optional<std::string> v = ReadString(f, what, e);
  if (!v) return;
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
    return;
  }
  p->condition = *v;
  p->expression = *expr;
}

const std::vector<ParamSpec>& ParamSpecs() {
  using C = Check;
  static const std::vector<ParamSpec> specs = {
      {"include_annotated",
       {C::kTargetMissed, C::kTargetUnreachable, C::kRising, C::kSpike, C::kCumulativeDecrease,
        C::kExpression},
       Bool(&CheckParams::include_annotated)},
      {"equivalent_units", {C::kUnitMismatch}, ReadEquivalentUnits},
      {"include_target", {C::kUnparseable, C::kAnnotated}, Bool(&CheckParams::include_target)},
      {"grace_days", {C::kMissingActual}, Int(&CheckParams::grace_days, 0, 3650)},
      {"status_only_every_year", {C::kMissingActual}, Bool(&CheckParams::status_only_every_year)},
      {"not_available_is_missing",
       {C::kMissingActual},
       Bool(&CheckParams::not_available_is_missing)},
      {"slack", {C::kTargetUnreachable}, Number(&CheckParams::slack, 0.01, 100)},
      {"percent", {C::kRising}, OptionalNumber(&CheckParams::percent, 0, 1e6)},
      {"step", {C::kRising}, OptionalNumber(&CheckParams::step, 0, 1e15)},
      {"require_all", {C::kRising}, Bool(&CheckParams::require_all)},
      {"consecutive", {C::kRising}, Int(&CheckParams::consecutive, 2, 100)},
      {"factor", {C::kSpike}, Number(&CheckParams::factor, 1.01, 1000)},
      {"min_step", {C::kSpike}, Number(&CheckParams::min_step, 0, 1e15)},
      {"direction", {C::kSpike}, ReadSpikeDirection},
      {"min_values", {C::kDuplicateSeries}, Int(&CheckParams::min_values, 2, 100)},
      {"ignore_constant", {C::kDuplicateSeries}, Bool(&CheckParams::ignore_constant)},
      {"condition", {C::kExpression}, ReadCondition},
      {"latest_only", {C::kExpression}, Bool(&CheckParams::latest_only)},
  };
  return specs;
}

}  // namespace

CheckParams ReadParams(const YamlField* field, Check check, const YAML::Mark& rule_mark,
                       const std::string& context, YamlErrors* errors) {
  CheckParams params;
  std::vector<std::string> allowed;
  for (const ParamSpec& spec : ParamSpecs()) {
    if (std::find(spec.checks.begin(), spec.checks.end(), check) != spec.checks.end()) {
      allowed.push_back(spec.key);
    }
  }
  std::vector<std::string> given;
  if (field && !(field->value.IsNull())) {
    std::string ctx = context + ": params of check '" + CheckName(check) + "'";
    if (allowed.empty() && field->value.IsMap() && field->value.size() > 0) {
      errors->Add(field->mark(), ctx + ": this check takes no parameters");
      return params;
    }
    for (const YamlField& f : ReadFields(field->value, field->mark(), ctx, allowed, errors)) {
      for (const ParamSpec& spec : ParamSpecs()) {
        if (f.key == spec.key) spec.read(f, context + ": '" + f.key + "'", &params, errors);
      }
      given.push_back(f.key);
    }
  }
  auto has = [&](const char* key) {
    return std::find(given.begin(), given.end(), key) != given.end();
  };
  YAML::Mark where = field ? field->mark() : rule_mark;
  if (check == Check::kRising && !has("percent") && !has("step") && !has("consecutive")) {
    errors->Add(where, context +
                           ": check 'rising' needs at least one of 'percent', 'step' or "
                           "'consecutive' in params");
  }
  if (check == Check::kExpression && !has("condition")) {
    errors->Add(where, context + ": check 'expression' needs a 'condition' in params");
  }
  return params;
}

}  // namespace shihyo
