// A check (one file each in eval/checks/) is a spec: name, doc line, parameters,
// placeholders, default message, function; plus the helpers checks share.
// Specs are immutable, check functions pure (`now` is an input); thread-safe.
#pragma once

#include <optional>
#include <string>
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

// What a check function gets besides the indicators.
struct CheckContext {
  const CheckParams& params;  // the rule's, with the check's defaults filled in
  TimePoint now;
  // What the check could not decide (an expression with no finite result):
  // reported as the rule's errors, never taken as "not found". May be null.
  std::vector<std::string>* errors = nullptr;
};

// How the loader reads a parameter and what the check reads back.
enum class ParamType {
  kBool,       // true/false → CheckParams::Bool
  kInt,        // an integer in [min, max] → Int
  kNumber,     // a number in [min, max] → Number, or OptionalNumber without a default
  kChoice,     // one of |choices| → Text
  kUnitPairs,  // [[件, 人], …], canonical units → Pairs
  kCondition,  // a muparser condition, compiled → GetCondition
};

// One parameter a rule may give its check under `params:`.
struct ParamSpec {
  std::string key;
  ParamType type = ParamType::kBool;
  std::optional<CheckParams::Value> fallback = {};  // the default; none: unset unless given
  double min = 0;                                   // kInt, kNumber: inclusive bounds
  double max = 0;
  std::vector<std::string> choices = {};  // kChoice
};

ParamSpec BoolParam(std::string key, bool fallback);
ParamSpec IntParam(std::string key, int fallback, int min, int max);
// Without |fallback| the parameter is unset unless a rule gives it.
ParamSpec NumberParam(std::string key, std::optional<double> fallback, double min, double max);
ParamSpec ChoiceParam(std::string key, std::string fallback, std::vector<std::string> choices);
ParamSpec UnitPairsParam(std::string key);
ParamSpec ConditionParam(std::string key);
// include_annotated (false): arithmetic on ※-annotated values, a different
// quantity by default. Shared by the checks that compute with values.
ParamSpec IncludeAnnotatedParam();
// include_target (false): also look at the target cell.
ParamSpec IncludeTargetParam();

// Looks at one indicator (selected, overrides applied) and appends findings.
using IndicatorCheckFn = void (*)(const CheckContext& ctx, const Indicator& indicator,
                                  std::vector<RawFinding>* out);
// Looks at all selected indicators at once, in table order (duplicate_series).
using SetCheckFn = void (*)(const CheckContext& ctx,
                            const std::vector<const Indicator*>& indicators,
                            std::vector<RawFinding>* out);

// Everything about a check that is not its code. eval/checks/registry.cc lists
// every spec; the loader, `shihyo check`, message rendering and the tests read them.
struct CheckSpec {
  std::string name;                    // in rule files, JSON and labels: the contract
  std::string doc;                     // when it fires: README's check table says the same
  std::vector<ParamSpec> params = {};  // in the order errors list them
  // A rule must give at least one of these (rising: a threshold).
  std::vector<std::string> needs_one_of = {};
  // The figures its messages may use besides the common placeholders.
  std::vector<std::string> placeholders = {};
  std::string default_message = {};  // Japanese, for rules that set none
  // Exactly one is set.
  IndicatorCheckFn per_indicator = nullptr;
  SetCheckFn over_set = nullptr;
  // The check reads CheckContext::now. Its findings must then change only at
  // midnight in Japan (a date, a count of days): the daemon re-evaluates every
  // plan when the date changes (EvaluationDay) and the others only when their
  // data change. A check that leaves this false must not read |now|
  // (tests/incremental_test.cc evaluates every such rule at two dates).
  bool reads_clock = false;
};

// A finding about |indicator| in |fiscal_year| (nullopt: the indicator as a whole).
RawFinding MakeFinding(const Indicator& indicator, std::optional<int> fiscal_year);
// Appends the figure |name| (a placeholder and evidence) to |finding|.
void AddFigure(RawFinding* finding, const char* name, double value);
void AddFigure(RawFinding* finding, const char* name, std::string value);

// A usable number of an indicator in one fiscal year.
struct Point {
  int fiscal_year = 0;
  double value = 0;
  const Observation* observation = nullptr;
};

// The years holding a number (status kValue), in order; ※-annotated values
// only with |include_annotated|.
std::vector<Point> NumericSeries(const Indicator& indicator, bool include_annotated);

// The figures previous, previous_raw, previous_year_era and change of |cur|
// against |prev| (rising, cumulative_decrease).
void AddPreviousYear(RawFinding* finding, const Point& prev, const Point& cur);

// The sum of the values of |points|.
double Total(const std::vector<Point>& points);

// Whether |value| meets |target| in |direction|.
bool Meets(double value, double target, Direction direction);

// 3142 → "3,142"; 12.5 → "12.5"; at most |decimals| (0–2) decimals.
std::string FormatNumber(double value, int decimals = 2);

}  // namespace shihyo
