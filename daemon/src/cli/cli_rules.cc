// `shihyo check`, `shihyo eval` and `shihyo test`: trusting a rule edit
// before the daemon picks it up.
#include <functional>
#include <memory>
#include <optional>

#include "cli/cli_tools.h"
#include "eval/eval_report.h"
#include "eval/evaluator.h"
#include "eval/rule_loader.h"
#include "eval/rule_test.h"
#include "store/store.h"

namespace shihyo {

namespace {

// Loads the rules of |dir|; prints every error and returns false if any.
bool LoadOrReport(const std::string& dir, CliContext& ctx, RuleSet* rules) {
  RuleLoad load = LoadRuleDir(dir);
  for (const std::string& e : load.errors) ctx.err << e << "\n";
  if (!load.ok()) {
    ctx.err << "shihyo: " << load.errors.size() << " error(s) in " << dir << "\n";
    return false;
  }
  *rules = std::move(load.rules);
  return true;
}

struct CheckOptions {
  std::string rules;
};

int RunCheckRules(const CheckOptions& opts, CliContext& ctx) {
  RuleSet rules;
  if (!LoadOrReport(opts.rules, ctx, &rules)) return kExitFailure;
  ctx.out << opts.rules << ": " << rules.rules.size() << " rules, " << rules.overrides.size()
          << " overrides in " << rules.files.size() << " files: OK\n";
  return kExitOk;
}

struct EvalOptions {
  std::string db;
  std::string rules;
  std::string now;
  std::string format = "text";
  std::string fail_on;
};

int RunEval(const EvalOptions& opts, CliContext& ctx) {
  TimePoint now = ctx.clock.Now();
  if (!opts.now.empty()) {
    Result<TimePoint> t = ParseTime(opts.now);
    if (!t.ok()) {
      ctx.err << "shihyo: --now: " << t.status().message() << "\n";
      return kExitUsage;
    }
    now = *t;
  }
  RuleSet rules;
  if (!LoadOrReport(opts.rules, ctx, &rules)) return kExitFailure;
  auto store = IndicatorStore::Open(opts.db, IndicatorStore::Mode::kReadOnly);
  if (!store.ok()) return ReportError(ctx, store.status());
  // One plan at a time, loaded, evaluated and written: memory holds one
  // plan's indicators and findings, not the store or the whole report. A
  // store row that cannot be read stops the report there, with its error.
  PlanEvaluator evaluator(rules, now);
  std::optional<Severity> worst;
  auto each = [&](const std::function<void(const Plan&, const std::vector<Finding>&)>& write) {
    return (*store)->ForEachPlan([&](Plan&& plan) {
      std::vector<Finding> findings = evaluator.Evaluate(&plan);
      write(plan, findings);
      for (const Finding& f : findings) {
        if (!worst || f.severity > *worst) worst = f.severity;
      }
    });
  };
  Status loaded;
  if (opts.format == "json") {
    EvalJsonWriter writer(ctx.out, now, rules.rules.size());
    loaded = each([&](const Plan& plan, const std::vector<Finding>& findings) {
      writer.AddPlan(plan, findings);
    });
    if (loaded.ok()) writer.Finish(evaluator.Warnings());
  } else {
    EvalTextWriter writer(ctx.out, now, rules.rules.size());
    std::vector<const Finding*> mine;
    loaded = each([&](const Plan& plan, const std::vector<Finding>& findings) {
      mine.clear();
      for (const Finding& f : findings) mine.push_back(&f);
      writer.AddPlan(plan, mine);
    });
    if (loaded.ok()) writer.Finish(evaluator.Warnings());
  }
  if (!loaded.ok()) return ReportError(ctx, loaded);
  if (!opts.fail_on.empty() && worst && *worst >= *SeverityFromName(opts.fail_on)) {
    return kExitFailure;
  }
  return kExitOk;
}

struct TestOptions {
  std::vector<std::string> files;
};

int RunTest(const TestOptions& opts, CliContext& ctx) {
  RuleTestReport report = RunRuleTests(opts.files);
  ctx.out << report.output;
  for (const std::string& e : report.errors) ctx.err << e << "\n";
  ctx.out << report.tests << " tests, " << report.passed << " passed, "
          << (report.tests - report.passed) << " failed";
  if (!report.errors.empty()) ctx.out << ", " << report.errors.size() << " errors in test files";
  ctx.out << "\n";
  return report.ok() ? kExitOk : kExitFailure;
}

}  // namespace

ToolRunner RegisterCheck(CLI::App& app, CliContext& ctx) {
  auto opts = std::make_shared<CheckOptions>();
  CLI::App* cmd = app.add_subcommand("check", "Validate rule files; exit 1 listing every error");
  cmd->add_option("--rules", opts->rules, "rule directory")->required();
  return [opts, &ctx]() { return RunCheckRules(*opts, ctx); };
}

ToolRunner RegisterEval(CLI::App& app, CliContext& ctx) {
  auto opts = std::make_shared<EvalOptions>();
  CLI::App* cmd =
      app.add_subcommand("eval", "Evaluate the rules once and print the findings; sends nothing");
  cmd->add_option("--db", opts->db, "indicator store")->required();
  cmd->add_option("--rules", opts->rules, "rule directory")->required();
  cmd->add_option("--now", opts->now, "evaluate as of this date (YYYY-MM-DD, Japan time)");
  cmd->add_option("--format", opts->format, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->add_option("--fail-on", opts->fail_on,
                  "exit 1 when a finding of this severity or higher exists")
      ->check(CLI::IsMember({"info", "warning", "critical"}));
  return [opts, &ctx]() { return RunEval(*opts, ctx); };
}

ToolRunner RegisterTest(CLI::App& app, CliContext& ctx) {
  auto opts = std::make_shared<TestOptions>();
  CLI::App* cmd = app.add_subcommand("test", "Run rule unit tests (YAML files or directories)");
  cmd->add_option("files", opts->files, "rule test files or directories")->required();
  return [opts, &ctx]() { return RunTest(*opts, ctx); };
}

}  // namespace shihyo
