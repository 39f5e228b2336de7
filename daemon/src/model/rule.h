// Plain data for rules: what a rule file says once it has been read and
// validated. No logic beyond name conversions; thread-compatible.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/indicator.h"

namespace shihyo {

class Regex;
class Expression;
class MessageTemplate;

// The checks of DESIGN.md. Names (CheckName) are the rule-file and JSON contract.
enum class Check {
  kUnitMismatch,
  kUnparseable,
  kMissingActual,
  kStatusOnly,
  kAnnotated,
  kTargetMissed,
  kTargetUnreachable,
  kRising,
  kSpike,
  kCumulativeDecrease,
  kDuplicateSeries,
  kExpression,
};

enum class Severity { kInfo, kWarning, kCritical };

const char* CheckName(Check c);
std::optional<Check> CheckFromName(std::string_view name);
const std::vector<Check>& AllChecks();
const char* SeverityName(Severity s);
std::optional<Severity> SeverityFromName(std::string_view name);
// 情報 / 警告 / 重大: what staff read.
const char* SeverityLabel(Severity s);

// Which indicators a rule (or an override) applies to. Every field that is
// set must match; an empty selector matches every indicator.
struct Selector {
  std::vector<std::string> names;             // exact indicator names
  std::shared_ptr<const Regex> name_matches;  // regex search in the name
  std::vector<std::string> projects;          // exact headings, or "N" for プロジェクトN
  std::shared_ptr<const Regex> project_matches;
  std::shared_ptr<const Regex> measure_matches;
  std::vector<std::string> departments;  // exact
  std::vector<std::string> plans;        // exact plan titles
  std::vector<std::string> units;        // canonical target units
  std::vector<Direction> directions;
  std::vector<Aggregation> aggregations;
  std::map<std::string, std::string> labels;  // indicator labels (from overrides)

  bool empty() const;
};

// Parameters of every check; each check reads only its own (rule_loader
// rejects the others), and the defaults are what a rule gets without them.
struct CheckParams {
  // arithmetic on ※-annotated values (a different quantity by default)
  bool include_annotated = false;
  // unit_mismatch: pairs of units to accept as the same, e.g. {件, 人}
  std::vector<std::pair<std::string, std::string>> equivalent_units;
  // unparseable, annotated: also look at the target cell
  bool include_target = false;
  // missing_actual
  int grace_days = 183;                   // after the fiscal year closes (March 31)
  bool status_only_every_year = false;    // survey rows: every year, not just the last
  bool not_available_is_missing = false;  // treat — like an empty cell
  // target_unreachable: a year may bring |slack| × the best yearly gain seen
  double slack = 1.0;
  // rising: an increase counts when it meets |percent| and/or |step|
  std::optional<double> percent;
  std::optional<double> step;
  bool require_all = true;  // both thresholds (true) or either (false)
  int consecutive = 0;      // or: this many increases in a row
  // spike: away from both neighbours by more than |factor|
  double factor = 1.5;
  double min_step = 0;  // and by at least this much from each neighbour
  bool spike_up = true;
  bool spike_down = true;
  // duplicate_series
  int min_values = 3;
  bool ignore_constant = true;
  // expression
  std::string condition;
  std::shared_ptr<const Expression> expression;
  bool latest_only = false;  // evaluate only the latest reported year
};

struct Rule {
  std::string id;
  std::string file;  // where it was defined, for messages
  int line = 0;
  std::string description;
  Check check = Check::kUnitMismatch;
  Severity severity = Severity::kWarning;
  Selector select;
  std::vector<Selector> exclude;
  CheckParams params;
  std::map<std::string, std::string> labels;
  std::string message_source;
  std::shared_ptr<const MessageTemplate> message;  // null: the check's default message
};

// What a rule file says about indicators: staff know better than inference.
struct IndicatorOverride {
  std::string file;
  int line = 0;
  Selector select;
  std::optional<Direction> direction;
  std::optional<Aggregation> aggregation;
  std::map<std::string, std::string> labels;
};

struct RuleSet {
  std::vector<Rule> rules;  // in file-name order, then file order
  std::vector<IndicatorOverride> overrides;
  std::vector<std::string> files;
};

}  // namespace shihyo
