#include "eval/evaluator.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>
#include <set>

#include "base/message_template.h"
#include "eval/checks/registry.h"
#include "eval/message_render.h"
#include "eval/selector.h"
#include "model/indicators_view.h"

namespace shihyo {

namespace {

template <typename Parts>
std::string FingerprintOf(const Parts& parts) {
  uint64_t h = 14695981039346656037ULL;
  bool first = true;
  for (std::string_view part : parts) {
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
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, h >>= 4) out[static_cast<size_t>(i)] = kHex[h & 0xf];
  return out;
}

}  // namespace

std::string Fingerprint(const std::vector<std::string>& parts) { return FingerprintOf(parts); }

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

namespace {

// Applies the overrides of |rules| to |plan|, counting per override the
// indicators it matched in |matched|.
void ApplyOverridesTo(const RuleSet& rules, Plan* plan, std::vector<size_t>* matched) {
  matched->resize(rules.overrides.size());
  for (size_t i = 0; i < rules.overrides.size(); ++i) {
    const IndicatorOverride& o = rules.overrides[i];
    for (Indicator& ind : plan->indicators) {
      if (!Matches(o.select, ind)) continue;
      ++(*matched)[i];
      if (o.direction) ind.direction = *o.direction;
      if (o.aggregation) ind.aggregation = *o.aggregation;
      for (const auto& [k, v] : o.labels) ind.labels[k] = v;
    }
  }
}

void OverrideWarnings(const RuleSet& rules, const std::vector<size_t>& matched,
                      std::vector<std::string>* warnings) {
  for (size_t i = 0; i < rules.overrides.size(); ++i) {
    if (i < matched.size() && matched[i] > 0) continue;
    const IndicatorOverride& o = rules.overrides[i];
    warnings->push_back(o.file + ":" + std::to_string(o.line) +
                        ": override matches no indicator in the store");
  }
}

}  // namespace

std::vector<Plan> ApplyOverrides(const RuleSet& rules, const std::vector<Plan>& plans,
                                 std::vector<std::string>* warnings) {
  std::vector<Plan> out = plans;
  std::vector<size_t> matched(rules.overrides.size());
  for (Plan& plan : out) ApplyOverridesTo(rules, &plan, &matched);
  if (warnings) OverrideWarnings(rules, matched, warnings);
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

// The names |message| may refer to: every word inside its tags (a superset
// is harmless); nullopt when it changes its delimiters, and so might refer
// to anything. Rendering only these values renders the same text.
std::optional<std::set<std::string, std::less<>>> TagWords(const MessageTemplate& message) {
  const std::string& src = message.source();
  if (src.find("{{=") != std::string::npos) return std::nullopt;
  std::set<std::string, std::less<>> words;
  for (size_t open = src.find("{{"); open != std::string::npos; open = src.find("{{", open)) {
    size_t close = src.find("}}", open + 2);
    if (close == std::string::npos) close = src.size();
    std::string word;
    for (size_t i = open + 2; i <= close; ++i) {
      unsigned char c = i < close ? static_cast<unsigned char>(src[i]) : ' ';
      if (std::isalnum(c) || c == '_' || c == '-' || c == '.' || c >= 0x80) {
        word += static_cast<char>(c);
      } else if (!word.empty()) {
        words.insert(word);
        for (size_t start = 0, dot = 0; dot != std::string::npos; start = dot + 1) {
          dot = word.find('.', start);  // and each part of a dotted name
          words.insert(word.substr(start, dot == std::string::npos ? dot : dot - start));
        }
        word.clear();
      }
    }
    open = close;
  }
  return words;
}

// The placeholders every message may use, and their values.
constexpr const char* kCommonNames[] = {
    "indicator",      "plan",        "project",         "measure",
    "department",     "rule",        "check",           "severity",
    "severity_label", "fiscal_year", "fiscal_year_era", "target",
    "target_raw",     "target_unit", "value",           "value_raw",
    "unit",           "footnotes",   "series"};
constexpr size_t kCommonCount = sizeof kCommonNames / sizeof kCommonNames[0];

// The value of kCommonNames[|which|] for |raw|; |obs|: its year's observation.
std::string CommonValue(size_t which, const Rule& rule, const RawFinding& raw,
                        const Observation* obs) {
  const Indicator& ind = *raw.indicator;
  switch (which) {
    case 0:
      return ind.name;
    case 1:
      return ind.plan;
    case 2:
      return ind.project;
    case 3:
      return ind.measure;
    case 4:
      return ind.department;
    case 5:
      return rule.id;
    case 6:
      return rule.check->name;
    case 7:
      return SeverityName(rule.severity);
    case 8:
      return SeverityLabel(rule.severity);
    case 9:
      return raw.fiscal_year ? std::to_string(*raw.fiscal_year) : "";
    case 10:
      return raw.fiscal_year ? FormatEraYear(*raw.fiscal_year) : "";
    case 11:
      return ind.target.value ? FormatNumber(*ind.target.value) : "";
    case 12:
      return ind.target_raw;
    case 13:
      return ind.target.unit;
    case 14:
      return obs && obs->cell.value ? FormatNumber(*obs->cell.value) : "";
    case 15:
      return obs ? obs->raw : ind.target_raw;
    case 16:
      return obs && !obs->cell.unit.empty() ? obs->cell.unit : ind.target.unit;
    case 17: {
      std::string footnotes;
      for (const std::string& n : ind.footnotes) footnotes += (footnotes.empty() ? "" : " ") + n;
      return footnotes;
    }
    default:
      return SeriesText(ind);
  }
}

// CommonValue's value when it is a string of |rule| or |raw| as it is: no copy.
const std::string* CommonRef(size_t which, const Rule& rule, const RawFinding& raw,
                             const Observation* obs) {
  const Indicator& ind = *raw.indicator;
  switch (which) {
    case 0:
      return &ind.name;
    case 1:
      return &ind.plan;
    case 2:
      return &ind.project;
    case 3:
      return &ind.measure;
    case 4:
      return &ind.department;
    case 5:
      return &rule.id;
    case 6:
      return &rule.check->name;
    case 12:
      return &ind.target_raw;
    case 13:
      return &ind.target.unit;
    case 15:
      return obs ? &obs->raw : &ind.target_raw;
    case 16:
      return obs && !obs->cell.unit.empty() ? &obs->cell.unit : &ind.target.unit;
    default:
      return nullptr;
  }
}

const Observation* FindingObservation(const RawFinding& raw) {
  return raw.fiscal_year ? raw.indicator->Find(*raw.fiscal_year) : nullptr;
}

// What a message can say about |raw|: the common placeholders and the
// figures of the check; only those in |used| when given.
std::map<std::string, std::string> MessageValues(const Rule& rule, const RawFinding& raw,
                                                 const std::set<std::string, std::less<>>* used) {
  const Observation* obs = FindingObservation(raw);
  std::map<std::string, std::string> values;
  for (size_t i = 0; i < kCommonCount; ++i) {
    if (!used || used->count(kCommonNames[i])) {
      values.emplace(kCommonNames[i], CommonValue(i, rule, raw, obs));
    }
  }
  for (const Figure& fig : raw.figures) {
    if (!used || used->count(fig.name)) values[fig.name] = FigureText(fig);
  }
  return values;
}

// A rule's message, and the names it may use (nullopt: any).
struct RuleMessage {
  std::shared_ptr<const MessageTemplate> message;
  std::optional<std::set<std::string, std::less<>>> used;
  std::optional<SimpleMessage> simple;  // |message| when it is simple enough
  std::vector<size_t> common;  // per name of |simple|: its kCommonNames index, or kCommonCount
};

// |m.simple| rendered with the values MessageValues would give its names:
// a figure of that name (the last), else the common placeholder.
std::string RenderSimple(const Rule& rule, const RawFinding& raw, const RuleMessage& m) {
  const std::vector<std::string>& names = m.simple->names();
  const Observation* obs = FindingObservation(raw);
  std::vector<std::string> texts(names.size());
  std::vector<const std::string*> values(names.size(), nullptr);
  for (size_t i = 0; i < names.size(); ++i) {
    const Figure* figure = nullptr;
    for (const Figure& fig : raw.figures) {
      if (fig.name == names[i]) figure = &fig;
    }
    if (figure) {
      texts[i] = FigureText(*figure);
    } else if (m.common[i] < kCommonCount) {
      if (const std::string* ref = CommonRef(m.common[i], rule, raw, obs)) {
        values[i] = ref;
        continue;
      }
      texts[i] = CommonValue(m.common[i], rule, raw, obs);
    } else {
      continue;
    }
    values[i] = &texts[i];
  }
  return m.simple->Render(values);
}

std::string RenderMessage(const Rule& rule, const RawFinding& raw, const RuleMessage& m) {
  if (!m.message) return rule.check->default_message;
  if (m.simple) return RenderSimple(rule, raw, m);
  return m.message->Render(MessageValues(rule, raw, m.used ? &*m.used : nullptr));
}

// |raw|'s figures move into the finding.
Finding Build(const Rule& rule, RawFinding& raw, const RuleMessage& m) {
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
  const std::string number = std::to_string(ind.project_number);
  const std::string year = raw.fiscal_year ? std::to_string(*raw.fiscal_year) : "-";
  const std::string_view parts[] = {rule.id, ind.plan, number, ind.measure_marker, ind.name, year};
  f.fingerprint = FingerprintOf(parts);
  f.message = RenderMessage(rule, raw, m);
  f.figures = std::move(raw.figures);  // after the message, which reads them
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

namespace {

// The findings of |rules| about the indicators of |plan|, in report order.
std::vector<RuleMessage> RuleMessages(const RuleSet& rules) {
  std::vector<RuleMessage> out;
  for (const Rule& rule : rules.rules) {
    RuleMessage m;
    m.message = rule.message ? rule.message : DefaultTemplate(rule.check);
    if (m.message) {
      m.used = TagWords(*m.message);
      m.simple = SimpleMessage::Compile(m.message->source());
      if (m.simple) {
        for (const std::string& name : m.simple->names()) {
          size_t i = 0;
          while (i < kCommonCount && name != kCommonNames[i]) ++i;
          m.common.push_back(i);
        }
      }
    }
    out.push_back(std::move(m));
  }
  return out;
}

// The findings of |rules| about the indicators of |plan|, in report order:
// table order, year, then rule order. The raw findings are sorted (by
// position) before they are built: a Finding is large, and moves once.
// |undecided|: per rule, what a regex or expression could not decide.
std::vector<Finding> EvaluatePlan(const RuleSet& rules, const std::vector<RuleMessage>& messages,
                                  const Plan& plan, TimePoint now,
                                  std::vector<std::vector<std::string>>* undecided) {
  std::vector<const Indicator*> selected;
  std::vector<RawFinding> raw;
  std::vector<size_t> rule_of;  // per raw finding
  for (size_t r = 0; r < rules.rules.size(); ++r) {
    const Rule& rule = rules.rules[r];
    selected.clear();
    bool all = rule.select.empty() && rule.exclude.empty();  // no test to run per indicator
    for (const Indicator& ind : plan.indicators) {
      if (all || Selects(rule.select, rule.exclude, ind, &(*undecided)[r])) {
        selected.push_back(&ind);
      }
    }
    if (selected.empty()) continue;
    RunCheck(rule, selected, now, &raw, &(*undecided)[r]);
    rule_of.resize(raw.size(), r);
  }
  std::vector<std::pair<std::pair<int, int>, size_t>> order;
  order.reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    order.push_back({{raw[i].indicator->ordinal, raw[i].fiscal_year.value_or(0)}, i});
  }
  std::sort(order.begin(), order.end());  // the position breaks ties: stable
  std::vector<Finding> findings;
  findings.reserve(raw.size());
  for (const auto& o : order) {
    const size_t r = rule_of[o.second];
    findings.push_back(Build(rules.rules[r], raw[o.second], messages[r]));
  }
  return findings;
}

}  // namespace

struct PlanEvaluator::Prepared {
  std::vector<RuleMessage> messages;
  std::vector<size_t> matched;                      // per override, the indicators it matched
  std::vector<std::vector<std::string>> undecided;  // per rule, what it could not decide
};

PlanEvaluator::PlanEvaluator(const RuleSet& rules, TimePoint now)
    : rules_(rules), now_(now), prepared_(std::make_unique<Prepared>()) {
  prepared_->messages = RuleMessages(rules);
  prepared_->matched.resize(rules.overrides.size());
  prepared_->undecided.resize(rules.rules.size());
}

PlanEvaluator::~PlanEvaluator() = default;

std::vector<Finding> PlanEvaluator::Evaluate(Plan* plan) {
  ApplyOverridesTo(rules_, plan, &prepared_->matched);
  return EvaluatePlan(rules_, prepared_->messages, *plan, now_, &prepared_->undecided);
}

std::vector<Finding> PlanEvaluator::EvaluateAlone(Plan* plan, PlanNotes* notes) const {
  notes->matched.assign(rules_.overrides.size(), 0);
  notes->undecided.assign(rules_.rules.size(), {});
  ApplyOverridesTo(rules_, plan, &notes->matched);
  return EvaluatePlan(rules_, prepared_->messages, *plan, now_, &notes->undecided);
}

void NotesWarnings(const RuleSet& rules, const std::vector<const PlanNotes*>& notes,
                   std::vector<std::string>* warnings, std::vector<std::string>* errors) {
  std::vector<size_t> matched(rules.overrides.size());
  std::vector<std::vector<std::string>> undecided(rules.rules.size());
  for (const PlanNotes* n : notes) {
    for (size_t i = 0; i < matched.size() && i < n->matched.size(); ++i) {
      matched[i] += n->matched[i];
    }
    for (size_t i = 0; i < undecided.size() && i < n->undecided.size(); ++i) {
      undecided[i].insert(undecided[i].end(), n->undecided[i].begin(), n->undecided[i].end());
    }
  }
  EvalResult r;
  OverrideWarnings(rules, matched, &r.warnings);
  for (size_t i = 0; i < rules.rules.size(); ++i) ReportUndecided(rules.rules[i], undecided[i], &r);
  *warnings = std::move(r.warnings);
  *errors = std::move(r.errors);
}

int64_t EvaluationDay(const RuleSet& rules, TimePoint now) {
  for (const Rule& rule : rules.rules) {
    if (rule.check && rule.check->reads_clock) {
      CivilDate d = JapanDate(now);
      return std::chrono::sys_days(std::chrono::year_month_day(std::chrono::year(d.year),
                                                               std::chrono::month(d.month),
                                                               std::chrono::day(d.day)))
          .time_since_epoch()
          .count();
    }
  }
  return 0;
}

std::vector<std::string> PlanEvaluator::Warnings() const {
  EvalResult r;
  OverrideWarnings(rules_, prepared_->matched, &r.warnings);
  for (size_t i = 0; i < rules_.rules.size(); ++i)
    ReportUndecided(rules_.rules[i], prepared_->undecided[i], &r);
  return r.warnings;
}

std::vector<std::string> PlanEvaluator::Errors() const {
  EvalResult r;
  for (size_t i = 0; i < rules_.rules.size(); ++i)
    ReportUndecided(rules_.rules[i], prepared_->undecided[i], &r);
  return r.errors;
}

std::vector<std::string> EvaluateEachPlan(const RuleSet& rules, std::vector<Plan>* plans,
                                          TimePoint now, const PlanFindingsSink& sink) {
  PlanEvaluator evaluator(rules, now);
  for (Plan& plan : *plans) {
    std::vector<Finding> findings = evaluator.Evaluate(&plan);
    sink(plan, findings);
  }
  return evaluator.Warnings();
}

EvalResult Evaluate(const RuleSet& rules, std::vector<Plan>&& plans, TimePoint now) {
  EvalResult result;
  auto snapshot = std::make_shared<std::vector<Plan>>(std::move(plans));
  result.snapshot = snapshot;
  PlanEvaluator evaluator(rules, now);
  for (Plan& plan : *snapshot) {
    std::vector<Finding> f = evaluator.Evaluate(&plan);
    result.findings.insert(result.findings.end(), std::make_move_iterator(f.begin()),
                           std::make_move_iterator(f.end()));
  }
  result.warnings = evaluator.Warnings();
  result.errors = evaluator.Errors();
  return result;
}

EvalResult Evaluate(const RuleSet& rules, const std::vector<Plan>& plans, TimePoint now) {
  return Evaluate(rules, std::vector<Plan>(plans), now);
}

}  // namespace shihyo
