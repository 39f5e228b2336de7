// Plain data for rules: what a rule file says once it has been read and
// validated. No logic beyond name conversions; thread-compatible.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "model/indicator.h"

namespace shihyo {

class Regex;
class Expression;
class MessageTemplate;
struct CheckSpec;  // eval/checks/check.h: the checks live above this layer

enum class Severity { kInfo, kWarning, kCritical };

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

// A rule's check parameters by name: what the rule gives, and the check's
// defaults for the rest. Each check declares its parameters (types, defaults,
// bounds) in its spec in eval/checks/; the rule loader validates and fills this.
class CheckParams {
 public:
  // Pairs of units to accept as the same, e.g. {件, 人}.
  using UnitPairs = std::vector<std::pair<std::string, std::string>>;
  // A compiled condition and its source, for messages.
  struct Condition {
    std::string source;
    std::shared_ptr<const Expression> expression;
  };
  using Value = std::variant<bool, int, double, std::string, UnitPairs, Condition>;

  // Sets |key| to |value|, replacing a default.
  void Set(const std::string& key, Value value);
  // Whether |key| has a value (given or default).
  bool Has(std::string_view key) const;

  // The value of |key| as the type its check declares it; when |key| holds
  // no value of that type: false, 0, nullopt, "", empty, null.
  bool Bool(std::string_view key) const;
  int Int(std::string_view key) const;
  double Number(std::string_view key) const;
  std::optional<double> OptionalNumber(std::string_view key) const;
  const std::string& Text(std::string_view key) const;
  const UnitPairs& Pairs(std::string_view key) const;
  const Condition* GetCondition(std::string_view key) const;

 private:
  template <typename T>
  const T* Get(std::string_view key) const;

  std::map<std::string, Value, std::less<>> values_;
};

struct Rule {
  std::string id;
  std::string file;  // where it was defined, for messages
  int line = 0;
  std::string description;
  const CheckSpec* check = nullptr;  // from eval/checks/registry.h; lives forever
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
