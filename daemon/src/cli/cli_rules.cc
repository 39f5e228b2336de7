// `shihyo check`, `shihyo eval` and `shihyo test`: trusting a rule edit
// before the daemon picks it up.
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <regex>

#include "base/i18n.h"
#include "cli/cli_tools.h"
#include "eval/eval_report.h"
#include "eval/evaluator.h"
#include "eval/rule_loader.h"
#include "eval/rule_test.h"
#include "notify/receiver_registry.h"
#include "store/store.h"

namespace shihyo {

namespace {

// Loads the rules of |dir|; prints every error and returns false if any.
bool LoadOrReport(const std::string& dir, CliContext& ctx, RuleSet* rules) {
  RuleLoad load = LoadRuleDir(dir);
  for (const std::string& e : load.errors) ctx.err << e << "\n";
  if (!load.ok()) {
    ctx.err << "shihyo: " << TrF("{} error(s) in {}", {std::to_string(load.errors.size()), dir})
            << "\n";
    return false;
  }
  *rules = std::move(load.rules);
  return true;
}

struct CheckOptions {
  std::string config;
  std::string rules;
};

// The rule directory a config names even when the config has errors, so
// that `check` lists the rules' errors in the same run ("" if unreadable).
std::string RulesDirOfBrokenConfig(const std::string& path) {
  try {
    YAML::Node root = YAML::LoadFile(path);
    if (!root.IsMap() || !root["rules"] || !root["rules"].IsScalar()) return "";
    std::filesystem::path rules = root["rules"].as<std::string>();
    if (rules.is_relative()) rules = std::filesystem::path(path).parent_path() / rules;
    return rules.string();
  } catch (const std::exception&) {
    // Not YAML at all (a syntax error): the line that names the rules.
    std::ifstream in(path);
    static const std::regex kRulesLine("^rules:[ \t]*([^ \t#\"']+)[ \t]*(#.*)?$");
    std::smatch m;
    for (std::string line; std::getline(in, line);) {
      if (!std::regex_match(line, m, kRulesLine)) continue;
      std::filesystem::path rules = m.str(1);
      if (rules.is_relative()) rules = std::filesystem::path(path).parent_path() / rules;
      return rules.string();
    }
    return "";
  }
}

// `check --config FILE` (the default without --rules): the whole config and
// the rules it names, every error of both listed in one run, as `amtool
// check-config` does; `--rules DIR` alone checks only the rules.
int RunCheck(const CheckOptions& opts, CliContext& ctx) {
  std::string rules_dir = opts.rules;
  bool config_ok = true;
  if (!opts.config.empty() || opts.rules.empty()) {
    std::string path = opts.config.empty() ? kDefaultConfigPath : opts.config;
    Result<Config> config = LoadConfig(path, ReceiverConfigKinds());
    if (!config.ok()) {
      ctx.err << config.status().message() << "\n";
      if (!config.status().IsInvalidArgument()) return kExitUsage;
      config_ok = false;
      if (rules_dir.empty()) rules_dir = RulesDirOfBrokenConfig(path);
    } else {
      ctx.out << path << ": "
              << TrF("config OK: {} receivers", {std::to_string(config->receivers.size())}) << "\n";
      if (rules_dir.empty()) rules_dir = config->rules;
    }
  }
  if (rules_dir.empty()) return config_ok ? kExitOk : kExitFailure;  // no rule dir to check
  RuleSet rules;
  if (!LoadOrReport(rules_dir, ctx, &rules)) return kExitFailure;
  ctx.out << rules_dir << ": "
          << TrF("{} rules, {} overrides in {} files: OK",
                 {std::to_string(rules.rules.size()), std::to_string(rules.overrides.size()),
                  std::to_string(rules.files.size())})
          << "\n";
  return config_ok ? kExitOk : kExitFailure;
}

struct EvalOptions {
  std::string config;
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
  std::string db = opts.db, rules_dir = opts.rules;
  if (int rc = PathsFromConfig(opts.config, ctx, &db, &rules_dir)) return rc;
  RuleSet rules;
  if (!LoadOrReport(rules_dir, ctx, &rules)) return kExitFailure;
  auto store = IndicatorStore::Open(db, IndicatorStore::Mode::kReadOnly);
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
  ctx.out << TrF("{} tests, {} passed, {} failed",
                 {std::to_string(report.tests), std::to_string(report.passed),
                  std::to_string(report.tests - report.passed)});
  if (!report.errors.empty())
    ctx.out << TrF(", {} errors in test files", {std::to_string(report.errors.size())});
  ctx.out << "\n";
  return report.ok() ? kExitOk : kExitFailure;
}

}  // namespace

ToolRunner RegisterCheck(CLI::App& app, CliContext& ctx) {
  auto opts = std::make_shared<CheckOptions>();
  CLI::App* cmd = app.add_subcommand(
      "check",
      "Validate the config and its rules (or --rules DIR alone); exit 1 listing every error");
  cmd->add_option("--config", opts->config,
                  "daemon config, checked with the rules it names (default /etc/shihyo/shihyo.yaml "
                  "unless --rules is given)");
  cmd->add_option("--rules", opts->rules, "rule directory (overrides the config's)");
  return [opts, &ctx]() { return RunCheck(*opts, ctx); };
}

ToolRunner RegisterEval(CLI::App& app, CliContext& ctx) {
  auto opts = std::make_shared<EvalOptions>();
  CLI::App* cmd =
      app.add_subcommand("eval", "Evaluate the rules once and print the findings; sends nothing");
  cmd->add_option("--db", opts->db, "indicator store (default: the config's store:)");
  cmd->add_option("--rules", opts->rules, "rule directory (default: the config's rules:)");
  AddConfigOption(cmd, &opts->config);
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
