#include "model/rule.h"

namespace shihyo {

const char* SeverityName(Severity s) {
  switch (s) {
    case Severity::kInfo:
      return "info";
    case Severity::kWarning:
      return "warning";
    case Severity::kCritical:
      return "critical";
  }
  return "warning";
}

std::optional<Severity> SeverityFromName(std::string_view name) {
  for (Severity s : {Severity::kInfo, Severity::kWarning, Severity::kCritical}) {
    if (name == SeverityName(s)) return s;
  }
  return std::nullopt;
}

const char* SeverityLabel(Severity s) {
  switch (s) {
    case Severity::kInfo:
      return "情報";
    case Severity::kWarning:
      return "警告";
    case Severity::kCritical:
      return "重大";
  }
  return "";
}

void CheckParams::Set(const std::string& key, Value value) {
  values_.insert_or_assign(key, std::move(value));
}

bool CheckParams::Has(std::string_view key) const { return values_.find(key) != values_.end(); }

template <typename T>
const T* CheckParams::Get(std::string_view key) const {
  auto it = values_.find(key);
  return it == values_.end() ? nullptr : std::get_if<T>(&it->second);
}

bool CheckParams::Bool(std::string_view key) const {
  const bool* v = Get<bool>(key);
  return v && *v;
}

int CheckParams::Int(std::string_view key) const {
  const int* v = Get<int>(key);
  return v ? *v : 0;
}

double CheckParams::Number(std::string_view key) const { return OptionalNumber(key).value_or(0); }

std::optional<double> CheckParams::OptionalNumber(std::string_view key) const {
  const double* v = Get<double>(key);
  return v ? std::optional<double>(*v) : std::nullopt;
}

const std::string& CheckParams::Text(std::string_view key) const {
  static const std::string kEmpty;
  const std::string* v = Get<std::string>(key);
  return v ? *v : kEmpty;
}

const CheckParams::UnitPairs& CheckParams::Pairs(std::string_view key) const {
  static const UnitPairs kEmpty;
  const UnitPairs* v = Get<UnitPairs>(key);
  return v ? *v : kEmpty;
}

const CheckParams::Condition* CheckParams::GetCondition(std::string_view key) const {
  return Get<Condition>(key);
}

bool Selector::empty() const {
  return names.empty() && !name_matches && projects.empty() && !project_matches &&
         !measure_matches && departments.empty() && plans.empty() && units.empty() &&
         directions.empty() && aggregations.empty() && labels.empty();
}

}  // namespace shihyo
