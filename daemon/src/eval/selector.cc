#include "eval/selector.h"

#include <algorithm>

#include "base/regex.h"

namespace shihyo {

namespace {

template <typename T>
bool InList(const std::vector<T>& list, const T& value) {
  return list.empty() || std::find(list.begin(), list.end(), value) != list.end();
}

bool ProjectMatches(const std::vector<std::string>& projects, const Indicator& ind) {
  if (projects.empty()) return true;
  std::string number = std::to_string(ind.project_number);
  for (const std::string& p : projects) {
    if (p == ind.project || p == number) return true;
  }
  return false;
}

// Every field of |s| but the regexes.
bool FieldsMatch(const Selector& s, const Indicator& ind) {
  if (!InList(s.names, ind.name) || !InList(s.plans, ind.plan) ||
      !InList(s.departments, ind.department) || !InList(s.directions, ind.direction) ||
      !InList(s.aggregations, ind.aggregation) || !ProjectMatches(s.projects, ind)) {
    return false;
  }
  if (!s.units.empty() && (ind.target.unit.empty() || !InList(s.units, ind.target.unit))) {
    return false;
  }
  for (const auto& [key, value] : s.labels) {
    auto it = ind.labels.find(key);
    if (it == ind.labels.end() || it->second != value) return false;
  }
  return true;
}

// Whether |re| (if set) matches |subject|; |on_error| when it cannot
// decide, with the error appended to |errors|.
bool RegexHolds(const std::shared_ptr<const Regex>& re, const char* field,
                const std::string& subject, bool on_error, std::vector<std::string>* errors) {
  if (!re) return true;
  Result<bool> holds = re->Match(subject);
  if (holds.ok()) return *holds;
  errors->push_back(std::string(field) + ": " + holds.status().message());
  return on_error;
}

bool MatchesReporting(const Selector& s, const Indicator& ind, bool on_error,
                      std::vector<std::string>* errors) {
  return FieldsMatch(s, ind) &&
         RegexHolds(s.name_matches, "name_matches", ind.name, on_error, errors) &&
         RegexHolds(s.project_matches, "project_matches", ind.project, on_error, errors) &&
         RegexHolds(s.measure_matches, "measure_matches", ind.measure, on_error, errors);
}

}  // namespace

bool Matches(const Selector& s, const Indicator& ind) {
  if (!FieldsMatch(s, ind)) return false;
  if (s.name_matches && !s.name_matches->Search(ind.name)) return false;
  if (s.project_matches && !s.project_matches->Search(ind.project)) return false;
  if (s.measure_matches && !s.measure_matches->Search(ind.measure)) return false;
  return true;
}

bool Selects(const Selector& select, const std::vector<Selector>& exclude, const Indicator& ind,
             std::vector<std::string>* errors) {
  if (!MatchesReporting(select, ind, true, errors)) return false;
  for (const Selector& ex : exclude) {
    if (MatchesReporting(ex, ind, false, errors)) return false;
  }
  return true;
}

bool Selects(const Selector& select, const std::vector<Selector>& exclude, const Indicator& ind) {
  if (!Matches(select, ind)) return false;
  for (const Selector& ex : exclude) {
    if (Matches(ex, ind)) return false;
  }
  return true;
}

}  // namespace shihyo
