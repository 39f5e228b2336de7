#include "eval/rule_test.h"

#include <algorithm>
#include <filesystem>

#include "base/yaml_util.h"
#include "eval/evaluator.h"
#include "eval/rule_loader.h"
#include "import/progress_table.h"
#include "model/inference.h"
#include "model/value_parser.h"
#include "model/year_label.h"

namespace shihyo {

namespace {

namespace fs = std::filesystem;

struct Expectation {
  int line = 0;
  std::string rule, check, indicator, severity, message_contains;
  bool any_year = true;
  std::optional<int> fiscal_year;
};

struct TestCase {
  std::string name;
  int line = 0;
  TimePoint now{};
  Plan plan;
  std::vector<std::string> only;
  std::vector<Expectation> expect, expect_not;
};

bool Satisfies(const Finding& f, const Expectation& e) {
  return (e.rule.empty() || f.rule == e.rule) && (e.check.empty() || f.check == e.check) &&
         (e.indicator.empty() || f.indicator == e.indicator) &&
         (e.severity.empty() || SeverityName(f.severity) == e.severity) &&
         (e.any_year || f.fiscal_year == e.fiscal_year) &&
         (e.message_contains.empty() || f.message.find(e.message_contains) != std::string::npos);
}

std::string Describe(const Expectation& e) {
  std::string s;
  auto add = [&](const char* k, const std::string& v) {
    if (!v.empty()) s += std::string(s.empty() ? "" : " ") + k + "=" + v;
  };
  add("rule", e.rule);
  add("check", e.check);
  add("indicator", e.indicator);
  if (!e.any_year) add("fiscal_year", e.fiscal_year ? std::to_string(*e.fiscal_year) : "null");
  add("severity", e.severity);
  add("message_contains", e.message_contains);
  return s + " (line " + std::to_string(e.line) + ")";
}

std::string Describe(const Finding& f) {
  return "rule=" + f.rule + " check=" + f.check + " indicator=" + f.indicator +
         " fiscal_year=" + (f.fiscal_year ? std::to_string(*f.fiscal_year) : "null") +
         " severity=" + SeverityName(f.severity) + ": " + f.message;
}

// What an inline indicator gives besides the Indicator's own fields.
struct IndicatorInput {
  std::vector<std::string> actuals;
  std::vector<bool> in_table;  // false where the actual is ~ (no cell in the table)
  std::vector<std::string> rates;
  std::optional<Direction> direction;
  std::optional<Aggregation> aggregation;
  YAML::Mark actuals_mark;
};

// Fills in what a progress table's reader would: parsed cells, inference.
// A bare number takes the indicator's unit, as the importer does.
CellValue ParseWithUnit(const std::string& raw, const std::string& unit) {
  CellValue v = ParseCell(raw);
  if (v.status == CellStatus::kValue && v.unit.empty()) v.unit = unit;
  return v;
}

void Complete(const IndicatorInput& in, const std::vector<int>& years, Indicator* ind) {
  ind->target = ParseWithUnit(ind->target_raw, ind->unit);
  ind->baseline = ParseWithUnit(ind->baseline_raw, ind->unit);
  Inference inf = InferIndicator(ind->name, ind->target);
  ind->direction = in.direction.value_or(inf.direction);
  ind->aggregation = in.aggregation.value_or(inf.aggregation);
  ind->department = inf.department;
  ind->project_number = ProjectNumber(ind->project);
  ind->measure_marker = MeasureMarker(ind->measure);
  for (size_t i = 0; i < years.size(); ++i) {
    bool in_table = i >= in.in_table.size() || in.in_table[i];
    ind->observations.push_back(
        Observation{years[i], in.actuals[i], ParseWithUnit(in.actuals[i], ind->unit), in_table});
    if (i < in.rates.size() && !in.rates[i].empty()) {
      Result<Quantity> q = ParseJapaneseNumber(in.rates[i]);
      std::optional<double> value;
      if (q.ok()) value = q->value;
      ind->reported_rates.push_back(ReportedRate{years[i], in.rates[i], value});
    }
  }
}

class FileRunner {
 public:
  FileRunner(const std::string& file, RuleTestReport* report) : errors_(file), report_(report) {}

  void Run() {
    std::optional<YAML::Node> doc = LoadYamlFile(errors_.file(), &errors_);
    if (doc) ReadFile(*doc);
    if (!errors_.empty()) {
      report_->errors.insert(report_->errors.end(), errors_.messages().begin(),
                             errors_.messages().end());
      return;
    }
    for (const TestCase& t : tests_) RunTest(t);
  }

 private:
  void ReadFile(const YAML::Node& doc) {
    YAML::Mark top = FileStart();
    std::optional<YamlField> tests;
    bool has_rules = false;
    for (const YamlField& f :
         ReadFields(doc, top, "rule test file", {"rules", "now", "fiscal_years", "plan", "tests"},
                    &errors_)) {
      if (f.key == "rules") {
        has_rules = true;
        ReadRules(f);
      } else if (f.key == "now") {
        default_now_ = ReadNow(f);
      } else if (f.key == "fiscal_years") {
        default_years_ = ReadYears(f);
      } else if (f.key == "plan") {
        plan_name_ = ReadString(f, "'plan'", &errors_).value_or(plan_name_);
      } else {
        tests = f;
      }
    }
    if (!has_rules) errors_.Add(top, "rule test file: missing 'rules' (the rule files under test)");
    if (!tests || !tests->value.IsSequence()) {
      errors_.Add(tests ? tests->mark() : top, "rule test file: 'tests' must be a list of tests");
      return;
    }
    for (const YAML::Node& node : tests->value) ReadTest(node);
  }

  // 'rules': rule files or directories relative to this file, or rules
  // written inline (a list of mappings, as under a rule file's 'rules').
  void ReadRules(const YamlField& f) {
    RuleLoad load;
    if (f.value.IsSequence() && f.value.size() > 0 && f.value[0].IsMap()) {
      load = LoadRuleList(errors_.file(), f.value);
    } else {
      std::optional<std::vector<std::string>> files = RuleFiles(f);
      if (!files) return;
      load = LoadRules(*files);
    }
    for (const std::string& e : load.errors) errors_.Add(f.mark(), "rules under test: " + e);
    rules_ = std::move(load.rules);
  }

  std::optional<std::vector<std::string>> RuleFiles(const YamlField& f) {
    fs::path base = fs::path(errors_.file()).parent_path();
    std::optional<std::vector<std::string>> paths = ReadStringList(f, "'rules'", &errors_);
    if (!paths) return std::nullopt;
    std::vector<std::string> files;
    for (const std::string& p : *paths) {
      fs::path full = base / p;
      std::error_code ec;
      if (fs::is_directory(full, ec)) {
        Result<std::vector<std::string>> listed = ListRuleFiles(full.string());
        if (listed.ok()) files.insert(files.end(), listed->begin(), listed->end());
      } else {
        files.push_back(full.lexically_normal().string());
      }
    }
    return files;
  }

  std::optional<TimePoint> ReadNow(const YamlField& f) {
    std::optional<std::string> text = ReadString(f, "'now'", &errors_);
    if (!text) return std::nullopt;
    Result<TimePoint> t = ParseTime(*text);
    if (!t.ok()) {
      errors_.Add(f.mark(), "'now': " + t.status().message());
      return std::nullopt;
    }
    return *t;
  }

  std::vector<int> ReadYears(const YamlField& f) {
    std::vector<int> years;
    for (const std::string& y :
         ReadStringList(f, "'fiscal_years'", &errors_).value_or(std::vector<std::string>{})) {
      Result<int> fy = ParseEraYear(y);
      if (!fy.ok()) {
        errors_.Add(f.mark(), "'fiscal_years': " + fy.status().message());
        return {};
      }
      if (!years.empty() && *fy != years.back() + 1) {
        errors_.Add(f.mark(), "'fiscal_years': expected consecutive years");
        return {};
      }
      years.push_back(*fy);
    }
    return years;
  }

  void ReadTest(const YAML::Node& node) {
    TestCase t;
    t.line = node.Mark().line + 1;
    std::vector<int> years = default_years_;
    std::optional<TimePoint> now = default_now_;
    std::optional<YamlField> indicators;
    for (const YamlField& f :
         ReadFields(node, node.Mark(), "test",
                    {"name", "now", "fiscal_years", "indicators", "expect", "expect_not", "only"},
                    &errors_)) {
      if (f.key == "name") t.name = ReadString(f, "test: 'name'", &errors_).value_or("");
      if (f.key == "now") now = ReadNow(f);
      if (f.key == "fiscal_years") years = ReadYears(f);
      if (f.key == "indicators") indicators = f;
      if (f.key == "expect") t.expect = ReadExpectations(f);
      if (f.key == "expect_not") t.expect_not = ReadExpectations(f);
      if (f.key == "only") t.only = ReadStringList(f, "test: 'only'", &errors_).value_or(t.only);
    }
    if (!now) errors_.Add(node.Mark(), "test '" + t.name + "': no 'now' (here or at the top)");
    if (years.empty()) errors_.Add(node.Mark(), "test '" + t.name + "': no 'fiscal_years'");
    if (!indicators || !indicators->value.IsSequence() || !now || years.empty()) {
      if (!indicators) errors_.Add(node.Mark(), "test '" + t.name + "': no 'indicators' list");
      return;
    }
    t.now = *now;
    t.plan.name = plan_name_;
    t.plan.first_year = years.front();
    t.plan.last_year = years.back();
    for (const YAML::Node& item : indicators->value) ReadIndicator(item, years, &t.plan);
    tests_.push_back(std::move(t));
  }

  void ReadIndicator(const YAML::Node& node, const std::vector<int>& years, Plan* plan) {
    Indicator ind;
    ind.plan = plan->name;
    ind.ordinal = static_cast<int>(plan->indicators.size());
    ind.source_line = node.Mark().line + 1;
    IndicatorInput in;
    in.actuals_mark = node.Mark();
    for (const YamlField& f :
         ReadFields(node, node.Mark(), "indicator",
                    {"name", "target", "actuals", "project", "measure", "footnotes", "direction",
                     "aggregation", "unit", "target_year", "baseline", "baseline_year", "rates"},
                    &errors_)) {
      ReadIndicatorField(f, &ind, &in);
    }
    if (ind.name.empty()) errors_.Add(node.Mark(), "indicator: missing 'name'");
    if (in.actuals.size() > years.size()) {
      errors_.Add(in.actuals_mark, "indicator '" + ind.name + "': 'actuals' has " +
                                       std::to_string(in.actuals.size()) + " cells for " +
                                       std::to_string(years.size()) + " fiscal years");
    }
    in.actuals.resize(years.size());
    Complete(in, years, &ind);
    plan->indicators.push_back(std::move(ind));
  }

  void ReadIndicatorField(const YamlField& f, Indicator* ind, IndicatorInput* in) {
    std::string what = "indicator: '" + f.key + "'";
    if (f.key == "name") ind->name = ReadString(f, what, &errors_).value_or("");
    if (f.key == "target")
      ind->target_raw = f.value.IsNull() ? "" : ReadString(f, what, &errors_).value_or("");
    if (f.key == "project") ind->project = ReadString(f, what, &errors_).value_or("");
    if (f.key == "measure") ind->measure = ReadString(f, what, &errors_).value_or("");
    if (f.key == "footnotes")
      ind->footnotes = ReadStringList(f, what, &errors_).value_or(ind->footnotes);
    if (f.key == "direction") {
      auto v = ReadString(f, what, &errors_);
      if (v && !(in->direction = DirectionFromName(*v)))
        errors_.Add(f.mark(), what + ": unknown direction '" + *v + "'");
    }
    if (f.key == "aggregation") {
      auto v = ReadString(f, what, &errors_);
      if (v && !(in->aggregation = AggregationFromName(*v)))
        errors_.Add(f.mark(), what + ": unknown aggregation '" + *v + "'");
    }
    if (f.key == "unit") ind->unit = ReadString(f, what, &errors_).value_or("");
    if (f.key == "baseline") ind->baseline_raw = ReadString(f, what, &errors_).value_or("");
    if (f.key == "target_year") ind->target_year = ReadYear(f, what);
    if (f.key == "baseline_year") ind->baseline_year = ReadYear(f, what);
    if (f.key == "actuals" || f.key == "rates") ReadCells(f, what, in);
  }

  // A year as tables write it: 令和2年度, and also 平成32年度 (an era year past
  // the era's end, as plans written before 2019 say).
  std::optional<int> ReadYear(const YamlField& f, const std::string& what) {
    std::optional<std::string> text = ReadString(f, what, &errors_);
    if (!text) return std::nullopt;
    Result<int> year = ParseEraYear(*text);
    if (year.ok()) return *year;
    std::optional<YearLabel> label = ParseYearLabel(*text);
    if (label && label->rest.empty()) return label->year;
    errors_.Add(f.mark(), what + ": " + year.status().message());
    return std::nullopt;
  }

  // actuals: one cell per fiscal year, ~ where the table has no cell; rates: likewise.
  void ReadCells(const YamlField& f, const std::string& what, IndicatorInput* in) {
    if (f.key == "actuals") in->actuals_mark = f.mark();
    if (!f.value.IsSequence()) {
      errors_.Add(f.mark(), what + ": expected a list with one cell per fiscal year");
      return;
    }
    for (const YAML::Node& cell : f.value) {
      std::string text = cell.IsNull() ? "" : cell.Scalar();
      if (f.key == "rates") {
        in->rates.push_back(text);
        continue;
      }
      in->actuals.push_back(text);
      in->in_table.push_back(!cell.IsNull());
    }
  }

  std::vector<Expectation> ReadExpectations(const YamlField& f) {
    std::vector<Expectation> out;
    if (!f.value.IsSequence()) {
      errors_.Add(f.mark(), "'" + f.key + "': expected a list of findings");
      return out;
    }
    for (const YAML::Node& node : f.value) {
      Expectation e;
      e.line = node.Mark().line + 1;
      for (const YamlField& g :
           ReadFields(node, node.Mark(), "'" + f.key + "' entry",
                      {"rule", "check", "indicator", "fiscal_year", "severity", "message_contains"},
                      &errors_)) {
        ReadExpectationField(g, &e);
      }
      if (!e.rule.empty() && !HasRule(e.rule)) {
        errors_.Add(node.Mark(), "no rule '" + e.rule + "' among the rules under test");
      }
      out.push_back(std::move(e));
    }
    return out;
  }

  void ReadExpectationField(const YamlField& g, Expectation* e) {
    std::string what = "'" + g.key + "'";
    if (g.key == "fiscal_year") {
      e->any_year = false;
      if (g.value.IsNull()) return;
      auto y = ReadString(g, what, &errors_);
      Result<int> fy = y ? ParseEraYear(*y) : Result<int>(Status::InvalidArgument(""));
      if (fy.ok()) {
        e->fiscal_year = *fy;
      } else if (y) {
        errors_.Add(g.mark(), what + ": " + fy.status().message());
      }
      return;
    }
    std::string v = ReadString(g, what, &errors_).value_or("");
    if (g.key == "rule") e->rule = v;
    if (g.key == "check") e->check = v;
    if (g.key == "indicator") e->indicator = v;
    if (g.key == "severity") e->severity = v;
    if (g.key == "message_contains") e->message_contains = v;
  }

  bool HasRule(const std::string& id) const {
    return std::any_of(rules_.rules.begin(), rules_.rules.end(),
                       [&](const Rule& r) { return r.id == id; });
  }

  void RunTest(const TestCase& t) {
    ++report_->tests;
    RuleSet rules = rules_;
    if (!t.only.empty()) {
      std::erase_if(rules.rules, [&](const Rule& r) {
        return std::find(t.only.begin(), t.only.end(), r.id) == t.only.end();
      });
    }
    EvalResult result = Evaluate(rules, {t.plan}, t.now);
    std::string diff;
    for (const Expectation& e : t.expect) {
      auto found = std::find_if(result.findings.begin(), result.findings.end(),
                                [&](const Finding& f) { return Satisfies(f, e); });
      if (found == result.findings.end()) {
        diff += "    - expected, not found:   " + Describe(e) + "\n";
      } else {
        report_->checks_found.insert(found->check);
      }
    }
    for (const Expectation& e : t.expect_not) {
      for (const Finding& f : result.findings) {
        if (Satisfies(f, e)) {
          diff += "    + found, expected not:   " + Describe(f) + "\n" +
                  "                             (expect_not " + Describe(e) + ")\n";
        }
      }
    }
    std::string title = errors_.file() + ":" + std::to_string(t.line) + ": " + t.name;
    if (diff.empty()) {
      ++report_->passed;
      report_->output += "ok    " + title + "\n";
      return;
    }
    report_->output += "FAIL  " + title + "\n" + diff + "    findings of this test:\n";
    for (const Finding& f : result.findings) report_->output += "      " + Describe(f) + "\n";
    if (result.findings.empty()) report_->output += "      (none)\n";
  }

  YamlErrors errors_;
  RuleTestReport* report_;
  RuleSet rules_;
  std::optional<TimePoint> default_now_;
  std::vector<int> default_years_;
  std::string plan_name_ = "テスト計画";
  std::vector<TestCase> tests_;
};

}  // namespace

RuleTestReport RunRuleTests(const std::vector<std::string>& paths) {
  RuleTestReport report;
  for (const std::string& path : paths) {
    std::error_code ec;
    std::vector<std::string> files;
    if (fs::is_directory(path, ec)) {
      Result<std::vector<std::string>> listed = ListRuleFiles(path);
      if (!listed.ok()) {
        report.errors.push_back(listed.status().message());
        continue;
      }
      files = *listed;
    } else {
      files.push_back(path);
    }
    for (const std::string& file : files) FileRunner(file, &report).Run();
  }
  return report;
}

}  // namespace shihyo
