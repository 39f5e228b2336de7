#include "notify/alert_json.h"

#include "model/indicators_view.h"
#include "model/value_parser.h"

namespace shihyo {

namespace {

nlohmann::json NullIfEmpty(const std::string& s) {
  return s.empty() ? nlohmann::json() : nlohmann::json(s);
}

std::string Str(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

std::optional<double> Number(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

int Int(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number_integer() ? it->get<int>() : 0;
}

const nlohmann::json& Member(const nlohmann::json& j, const char* key) {
  static const nlohmann::json kNull;
  if (!j.is_object()) return kNull;
  auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

std::vector<std::string> Strings(const nlohmann::json& j) {
  std::vector<std::string> out;
  if (!j.is_array()) return out;
  for (const auto& v : j) {
    if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}

CellValue CellFromJson(const nlohmann::json& j) {
  CellValue c;
  c.status = StatusFromName(Str(j, "status")).value_or(CellStatus::kMissing);
  c.value = Number(j, "value");
  c.unit = Str(j, "unit");
  const nlohmann::json& annotated = Member(j, "annotated");
  c.annotated = annotated.is_boolean() && annotated.get<bool>();
  return c;
}

AlertEvidence EvidenceFromJson(const nlohmann::json& j) {
  AlertEvidence e;
  const nlohmann::json& figures = Member(j, "figures");
  if (figures.is_object()) {
    for (const auto& [name, v] : figures.items()) {
      if (v.is_number()) e.figures[name] = v.get<double>();
      if (v.is_string()) e.figures[name] = v.get<std::string>();
    }
  }
  const nlohmann::json& target = Member(j, "target");
  if (!target.is_object()) return e;
  auto ind = std::make_shared<IndicatorEvidence>();
  ind->target_raw = Str(target, "raw");
  ind->target = CellFromJson(target);
  ind->direction = DirectionFromName(Str(j, "direction")).value_or(Direction::kIncrease);
  ind->aggregation = AggregationFromName(Str(j, "aggregation")).value_or(Aggregation::kLevel);
  const nlohmann::json& series = Member(j, "series");
  if (series.is_array()) {
    for (const auto& o : series) {
      if (o.is_object())
        ind->series.push_back({Int(o, "fiscal_year"), Str(o, "raw"), CellFromJson(o)});
    }
  }
  ind->footnotes = Strings(Member(j, "footnotes"));
  e.indicator = std::move(ind);
  return e;
}

}  // namespace

nlohmann::json LabelsJson(const Labels& labels) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [k, v] : labels) j[k] = v;
  return j;
}

nlohmann::json AlertEvidenceJson(const AlertEvidence& e) {
  nlohmann::json figures = nlohmann::json::object();
  for (const auto& [name, value] : e.figures) {
    if (const double* d = std::get_if<double>(&value)) {
      figures[name] = NumberJson(*d);
    } else {
      figures[name] = std::get<std::string>(value);
    }
  }
  nlohmann::json j = {{"figures", std::move(figures)}};
  if (!e.has_indicator()) return j;
  const IndicatorEvidence& ind = *e.indicator;
  j["target"] = CellJson(ind.target_raw, ind.target);
  j["direction"] = DirectionName(ind.direction);
  j["aggregation"] = AggregationName(ind.aggregation);
  nlohmann::json series = nlohmann::json::array();
  for (const Observation& o : ind.series) {
    nlohmann::json cell = CellJson(o.raw, o.cell);
    cell["fiscal_year"] = o.fiscal_year;
    series.push_back(std::move(cell));
  }
  j["series"] = std::move(series);
  if (!ind.footnotes.empty()) j["footnotes"] = ind.footnotes;
  return j;
}

nlohmann::json AlertFindingJson(const AlertFinding& f) {
  return {{"rule", f.rule},
          {"check", f.check},
          {"severity", SeverityName(f.severity)},
          {"plan", f.plan},
          {"project", NullIfEmpty(f.project)},
          {"measure", NullIfEmpty(f.measure)},
          {"indicator", f.indicator},
          {"ordinal", f.ordinal},
          {"department", NullIfEmpty(f.department)},
          {"fiscal_year", f.fiscal_year ? nlohmann::json(*f.fiscal_year) : nlohmann::json()},
          {"fiscal_year_era",
           f.fiscal_year ? nlohmann::json(FormatEraYear(*f.fiscal_year)) : nlohmann::json()},
          {"message", f.message},
          {"fingerprint", f.fingerprint},
          {"labels", f.labels},
          {"related", f.related},
          {"evidence", AlertEvidenceJson(f.evidence)}};
}

AlertFinding AlertFindingFromJson(const nlohmann::json& j) {
  AlertFinding f;
  if (!j.is_object()) return f;
  f.rule = Str(j, "rule");
  f.check = Str(j, "check");
  f.severity = SeverityFromName(Str(j, "severity")).value_or(Severity::kWarning);
  f.plan = Str(j, "plan");
  f.project = Str(j, "project");
  f.measure = Str(j, "measure");
  f.indicator = Str(j, "indicator");
  f.ordinal = Int(j, "ordinal");
  f.department = Str(j, "department");
  if (Member(j, "fiscal_year").is_number_integer()) f.fiscal_year = Int(j, "fiscal_year");
  f.message = Str(j, "message");
  f.fingerprint = Str(j, "fingerprint");
  const nlohmann::json& labels = Member(j, "labels");
  if (labels.is_object()) {
    for (const auto& [k, v] : labels.items()) {
      if (v.is_string()) f.labels[k] = v.get<std::string>();
    }
  }
  f.related = Strings(Member(j, "related"));
  f.evidence = EvidenceFromJson(Member(j, "evidence"));
  return f;
}

nlohmann::json AlertAnnotationsJson(const AlertRecord& a) {
  nlohmann::json ann = {{"summary", a.finding.message}};
  std::string series;
  const IndicatorEvidence& ev = a.finding.evidence.indicator_or_empty();
  for (const Observation& o : ev.series) {
    series += (series.empty() ? "" : " / ") + std::to_string(o.fiscal_year) + ": " +
              (o.raw.empty() ? "—" : o.raw);
  }
  ann["description"] = "目標 " + ev.target_raw + " / 実績 " + series;
  return ann;
}

std::string GeneratorUrl(const std::string& external_url, const AlertRecord& a) {
  return external_url + "/alerts/" + a.fingerprint;
}

}  // namespace shihyo
