// Reads rule files (rules/*.yaml) in Falco's steps: read (YAML syntax),
// validate (keys, types, references, values), build (compiled regexes,
// expressions and templates). Every error in every file is reported as
// "file:line:column: message"; a set with any error must not be activated.
// Pure apart from reading the files; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "model/rule.h"

namespace YAML {
class Node;
}

namespace shihyo {

struct RuleLoad {
  RuleSet rules;
  std::vector<std::string> errors;  // every problem found, in file order
  bool ok() const { return errors.empty(); }
};

// The rule files of |dir|: *.yaml and *.yml directly in it (not in
// subdirectories such as rules/tests/), sorted by name.
Result<std::vector<std::string>> ListRuleFiles(const std::string& dir);

// Loads |files| in the given order. Rule ids must be unique across them.
RuleLoad LoadRules(const std::vector<std::string>& files);

// Loads |rules|, a list of rule mappings as under a rule file's `rules:`, read
// from |file| (which messages name). Rule tests define their rules so.
RuleLoad LoadRuleList(const std::string& file, const YAML::Node& rules);

// ListRuleFiles + LoadRules; an unreadable directory is reported in errors.
RuleLoad LoadRuleDir(const std::string& dir);

}  // namespace shihyo
