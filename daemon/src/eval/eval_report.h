// Renders an evaluation for people (a Japanese report grouped by project and
// indicator) and for scripts (the JSON contract of `shihyo eval`). Pure.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "base/clock.h"
#include "eval/evaluator.h"
#include "eval/finding_json.h"
#include "model/indicator.h"

namespace shihyo {

// {"now", "rules", "findings": [FindingJson…], "warnings", "summary":
// {"total", "by_severity", "by_check"}}.
nlohmann::json EvalJson(const EvalResult& result, TimePoint now, size_t rule_count);

// The report staff read: per plan (of result.snapshot) and project, per
// indicator its findings with severity and message, and the series they are
// about.
std::string RenderEvalText(const EvalResult& result, TimePoint now, size_t rule_count);

// Writes EvalJson(...).dump(2) and a newline to |out| one plan at a time
// (EvaluateEachPlan's sink), byte for byte, without the whole document in memory.
class EvalJsonWriter {
 public:
  EvalJsonWriter(std::ostream& out, TimePoint now, size_t rule_count);
  void AddPlan(const Plan& plan, const std::vector<Finding>& findings);
  void Finish(const std::vector<std::string>& warnings);

 private:
  std::ostream& out_;
  TimePoint now_;
  size_t rule_count_;
  size_t total_ = 0;
  std::map<std::string, int> by_severity_ = {{"critical", 0}, {"warning", 0}, {"info", 0}};
  std::map<std::string, int> by_check_;
  std::string text_;  // a plan's findings, written at once: reused, not reallocated
  FindingJsonCache cache_;
};

// Writes RenderEvalText(...) to |out| one plan at a time, byte for byte.
class EvalTextWriter {
 public:
  EvalTextWriter(std::ostream& out, TimePoint now, size_t rule_count);
  void AddPlan(const Plan& plan, const std::vector<const Finding*>& findings);
  void Finish(const std::vector<std::string>& warnings);

 private:
  std::ostream& out_;
  std::string text_;  // a plan's report, written at once: reused, not reallocated
};

}  // namespace shihyo
