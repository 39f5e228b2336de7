#include "eval/evaluator.h"

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>

#include "base/message_template.h"
#include "eval/checks/registry.h"
#include "eval/selector.h"
#include "model/indicators_view.h"

namespace shihyo {

std::string Fingerprint(const std::vector<std::string>& parts) {
  uint64_t h = 14695981039346656037ULL;
  bool first = true;
  for (const std::string& part : parts) {
    if (!first) {
      h ^= 0x1f;
      h *= 1099511628211ULL;
    }
    first = false;
    for (unsigned char c : part) {
      h ^= c;
      h *= 1099511628211ULL;
    }
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016" PRIx64, h);
  return buf;
}

nlohmann::json FindingJson(const Finding& f) {
  nlohmann::json j = {
      {"rule", f.rule},
      {"check", f.check},
      {"severity", SeverityName(f.severity)},
      {"plan", f.plan},
      {"project", f.project.empty() ? nlohmann::json() : nlohmann::json(f.project)},
      {"measure", f.measure.empty() ? nlohmann::json() : nlohmann::json(f.measure)},
      {"indicator", f.indicator},
      {"ordinal", f.ordinal},
      {"department", f.department.empty() ? nlohmann::json() : nlohmann::json(f.department)},
      {"fiscal_year", f.fiscal_year ? nlohmann::json(*f.fiscal_year) : nlohmann::json()},
      {"fiscal_year_era",
       f.fiscal_year ? nlohmann::json(FormatEraYear(*f.fiscal_year)) : nlohmann::json()},
      {"message", f.message},
      {"fingerprint", f.fingerprint},
      {"labels", f.labels},
      {"related", f.related},
      {"evidence", EvidenceJson(f)}};
  return j;
}

std::vector<Plan> ApplyOverrides(const RuleSet& rules, const std::vector<Plan>& plans,
                                 std::vector<std::string>* warnings) {
  std::vector<Plan> out = plans;
  for (const IndicatorOverride& o : rules.overrides) {
    int matched = 0;
    for (Plan& plan : out) {
      for (Indicator& ind : plan.indicators) {
        if (!Matches(o.select, ind)) continue;
        ++matched;
        if (o.direction) ind.direction = *o.direction;
        if (o.aggregation) ind.aggregation = *o.aggregation;
        for (const auto& [k, v] : o.labels) ind.labels[k] = v;
      }
    }
    if (matched == 0 && warnings) {
      warnings->push_back(o.file + ":" + std::to_string(o.line) +
                          ": override matches no indicator in the store");
    }
  }
  return out;
}

namespace {

std::string FigureText(const Figure& fig) {
  // Percentages read best with one decimal: 56.3%, not 56.25%.
  bool percent = fig.name == "ratio" || fig.name.find("percent") != std::string::npos;
  if (const double* d = std::get_if<double>(&fig.value)) return FormatNumber(*d, percent ? 1 : 2);
  return std::get<std::string>(fig.value);
}

nlohmann::json SeriesJson(const Indicator& ind) {
  nlohmann::json series = nlohmann::json::array();
  for (const Observation& o : ind.observations) {
    if (!o.in_table) continue;  // a year the table has no cell for
    nlohmann::json j = CellJson(o.raw, o.cell);
    j["fiscal_year"] = o.fiscal_year;
    series.push_back(std::move(j));
  }
  return series;
}

std::string SeriesText(const Indicator& ind) {
  std::string out;
  for (const Observation& o : ind.observations) {
    if (!o.in_table) continue;
    out += (out.empty() ? "" : "、") + FormatEraYear(o.fiscal_year) + " " +
           (o.raw.empty() ? "（空欄）" : o.raw);
  }
  return out;
}

// The compiled default message of |check|.
std::shared_ptr<const MessageTemplate> DefaultTemplate(const CheckSpec* check) {
  static const std::map<const CheckSpec*, std::shared_ptr<const MessageTemplate>> templates = [] {
    std::map<const CheckSpec*, std::shared_ptr<const MessageTemplate>> t;
    for (const CheckSpec* c : AllChecks()) {
      auto compiled = MessageTemplate::Compile(c->default_message, PlaceholdersFor(*c));
      if (compiled.ok()) t[c] = *compiled;  // a unit test asserts they all compile
    }
    return t;
  }();
  auto it = templates.find(check);
  return it == templates.end() ? nullptr : it->second;
}

}  // namespace

nlohmann::json EvidenceJson(const Finding& f) {
  nlohmann::json figures = nlohmann::json::object();
  for (const Figure& fig : f.figures) {
    if (const double* d = std::get_if<double>(&fig.value)) {
      figures[fig.name] = std::isfinite(*d) ? NumberJson(std::round(*d * 1e6) / 1e6)
                                            : nlohmann::json(FigureText(fig));
    } else {
      figures[fig.name] = std::get<std::string>(fig.value);
    }
  }
  nlohmann::json j = {{"figures", std::move(figures)}};
  if (const Indicator* ind = f.source) {
    j["target"] = CellJson(ind->target_raw, ind->target);
    j["direction"] = DirectionName(ind->direction);
    j["aggregation"] = AggregationName(ind->aggregation);
    j["series"] = SeriesJson(*ind);
    if (!ind->footnotes.empty()) j["footnotes"] = ind->footnotes;
  }
  return j;
}

namespace {

// What a message can say about |raw|: the common placeholders and the
// figures of the check.
std::map<std::string, std::string> MessageValues(const Rule& rule, const RawFinding& raw) {
  const Indicator& ind = *raw.indicator;
  const Observation* obs = raw.fiscal_year ? ind.Find(*raw.fiscal_year) : nullptr;
  std::string footnotes;
  for (const std::string& n : ind.footnotes) footnotes += (footnotes.empty() ? "" : " ") + n;
  std::map<std::string, std::string> values = {
      {"indicator", ind.name},
      {"plan", ind.plan},
      {"project", ind.project},
      {"measure", ind.measure},
      {"department", ind.department},
      {"rule", rule.id},
      {"check", rule.check->name},
      {"severity", SeverityName(rule.severity)},
      {"severity_label", SeverityLabel(rule.severity)},
      {"fiscal_year", raw.fiscal_year ? std::to_string(*raw.fiscal_year) : ""},
      {"fiscal_year_era", raw.fiscal_year ? FormatEraYear(*raw.fiscal_year) : ""},
      {"target", ind.target.value ? FormatNumber(*ind.target.value) : ""},
      {"target_raw", ind.target_raw},
      {"target_unit", ind.target.unit},
      {"value", obs && obs->cell.value ? FormatNumber(*obs->cell.value) : ""},
      {"value_raw", obs ? obs->raw : ind.target_raw},
      {"unit", obs && !obs->cell.unit.empty() ? obs->cell.unit : ind.target.unit},
      {"footnotes", footnotes},
      {"series", SeriesText(ind)},
  };
  for (const Figure& fig : raw.figures) values[fig.name] = FigureText(fig);
  return values;
}

Finding Build(const Rule& rule, const RawFinding& raw, const MessageTemplate* message) {
  const Indicator& ind = *raw.indicator;
  Finding f;
  f.rule = rule.id;
  f.check = rule.check->name;
  f.severity = rule.severity;
  f.plan = ind.plan;
  f.project = ind.project;
  f.project_number = ind.project_number;
  f.measure = ind.measure;
  f.indicator = ind.name;
  f.department = ind.department;
  f.ordinal = ind.ordinal;
  f.fiscal_year = raw.fiscal_year;
  f.labels = ind.labels;
  for (const auto& [k, v] : rule.labels) f.labels[k] = v;
  for (const Indicator* other : raw.related) f.related.push_back(other->name);
  // The same name may stand in two measures: project and measure tell them apart.
  f.fingerprint =
      Fingerprint({rule.id, ind.plan, std::to_string(ind.project_number), ind.measure_marker,
                   ind.name, raw.fiscal_year ? std::to_string(*raw.fiscal_year) : "-"});
  f.message = message ? message->Render(MessageValues(rule, raw)) : rule.check->default_message;
  f.figures = raw.figures;
  f.source = &ind;
  return f;
}

// One line for what |rule| could not decide: the first error and a count.
void ReportUndecided(const Rule& rule, const std::vector<std::string>& undecided,
                     EvalResult* result) {
  if (undecided.empty()) return;
  std::string line = rule.file + ":" + std::to_string(rule.line) + ": rule " + rule.id +
                     ": could not decide: " + undecided.front();
  if (undecided.size() > 1) line += " (and " + std::to_string(undecided.size() - 1) + " more)";
  result->warnings.push_back(line);
  result->errors.push_back(line);
}

}  // namespace

EvalResult Evaluate(const RuleSet& rules, const std::vector<Plan>& plans, TimePoint now) {
  EvalResult result;
  auto snapshot =
      std::make_shared<std::vector<Plan>>(ApplyOverrides(rules, plans, &result.warnings));
  result.snapshot = snapshot;
  const std::vector<Plan>& effective = *snapshot;
  for (size_t r = 0; r < rules.rules.size(); ++r) {
    const Rule& rule = rules.rules[r];
    std::vector<std::string> undecided;
    std::vector<const Indicator*> selected;
    for (const Plan& plan : effective) {
      for (const Indicator& ind : plan.indicators) {
        if (Selects(rule.select, rule.exclude, ind, &undecided)) selected.push_back(&ind);
      }
    }
    std::vector<RawFinding> raw;
    RunCheck(rule, selected, now, &raw, &undecided);
    ReportUndecided(rule, undecided, &result);
    std::shared_ptr<const MessageTemplate> message =
        rule.message ? rule.message : DefaultTemplate(rule.check);
    for (const RawFinding& rf : raw) result.findings.push_back(Build(rule, rf, message.get()));
  }
  // Stable order for reports and tests: plan, table order, year, then rule order.
  std::vector<std::string> plan_order;
  for (const Plan& p : plans) plan_order.push_back(p.name);
  auto plan_index = [&](const std::string& name) {
    return std::find(plan_order.begin(), plan_order.end(), name) - plan_order.begin();
  };
  std::stable_sort(result.findings.begin(), result.findings.end(),
                   [&](const Finding& a, const Finding& b) {
                     auto pa = plan_index(a.plan), pb = plan_index(b.plan);
                     if (pa != pb) return pa < pb;
                     if (a.ordinal != b.ordinal) return a.ordinal < b.ordinal;
                     return a.fiscal_year.value_or(0) < b.fiscal_year.value_or(0);
                   });
  return result;
}

}  // namespace shihyo
