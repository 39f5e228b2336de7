// `shihyo routes`: the routing tree of a config and which receivers an
// alert with given labels reaches, as `amtool config routes [test]` shows
// them for Alertmanager, so that an administrator can check a route change
// before reloading the daemon.
#include <nlohmann/json.hpp>

#include "alert/route.h"
#include "base/i18n.h"
#include "cli/cli_tools.h"
#include "notify/receiver_registry.h"

namespace shihyo {

namespace {

struct RoutesOptions {
  std::string config;
  std::string format = "text";
  std::vector<std::string> labels;  // label=value
  std::string expect;               // --verify-receivers a,b
};

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : ",") + p;
  return out;
}

// label=value arguments (a value may itself hold '='; quotes around it, as
// amtool accepts them, are dropped).
Result<Labels> ParseLabels(const std::vector<std::string>& args) {
  Labels labels;
  for (const std::string& arg : args) {
    size_t eq = arg.find('=');
    if (eq == std::string::npos)
      return Status::InvalidArgument("'" + arg + "': expected label=value");
    std::string name = arg.substr(0, eq);
    std::string value = arg.substr(eq + 1);
    if (!ValidLabelName(name))
      return Status::InvalidArgument("'" + arg + "': '" + name +
                                     "' is not a label name (letters, digits and _)");
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
      value = value.substr(1, value.size() - 2);
    labels[name] = value;
  }
  return labels;
}

Result<Config> LoadRoutesConfig(const RoutesOptions& opts, CliContext& ctx) {
  Result<Config> config = LoadConfig(opts.config, ReceiverConfigKinds());
  if (!config.ok()) ctx.err << config.status().message() << "\n";
  return config;
}

std::string Describe(const Matcher& m) {
  std::string op = m.regex ? (m.negate ? "!~" : "=~") : (m.negate ? "!=" : "=");
  return m.label + op + "\"" + m.value + "\"";
}

void PrintTree(const Route& node, const std::string& indent, bool root, std::ostream& out) {
  std::string matchers;
  for (const Matcher& m : node.matchers) matchers += (matchers.empty() ? "" : ", ") + Describe(m);
  out << indent << (root ? "(root)" : "{" + matchers + "}");
  if (node.continue_matching) out << "  continue: true";
  out << "  receiver: " << node.receiver << "\n";
  for (const Route& child : node.routes) PrintTree(child, indent + "    ", false, out);
}

int RunRoutesShow(const RoutesOptions& opts, CliContext& ctx) {
  Result<Config> config = LoadRoutesConfig(opts, ctx);
  if (!config.ok()) return config.status().IsInvalidArgument() ? kExitFailure : kExitUsage;
  PrintTree(config->route, "", true, ctx.out);
  return kExitOk;
}

int RunRoutesTest(const RoutesOptions& opts, CliContext& ctx) {
  Result<Labels> labels = ParseLabels(opts.labels);
  if (!labels.ok()) {
    ctx.err << "shihyo: routes test: " << labels.status().message() << "\n";
    return kExitUsage;
  }
  Result<Config> config = LoadRoutesConfig(opts, ctx);
  if (!config.ok()) return config.status().IsInvalidArgument() ? kExitFailure : kExitUsage;
  std::vector<std::string> receivers;
  for (const RouteMatch& m : MatchRoutes(config->route, *labels))
    receivers.push_back(m.route->receiver);
  if (opts.format == "json") {
    ctx.out << nlohmann::json{{"labels", *labels}, {"receivers", receivers}}.dump(2) << "\n";
  } else {
    ctx.out << Join(receivers) << "\n";
  }
  if (opts.expect.empty() || opts.expect == Join(receivers)) return kExitOk;
  ctx.err << "shihyo: " << TrF("expected receivers {}, got {}", {opts.expect, Join(receivers)})
          << "\n";
  return kExitFailure;
}

}  // namespace

ToolRunner RegisterRoutes(CLI::App& app, CliContext& ctx) {
  auto opts = std::make_shared<RoutesOptions>();
  CLI::App* cmd = app.add_subcommand("routes", "Show the routing tree; test where labels go");
  cmd->require_subcommand(1);
  CLI::App* show = cmd->add_subcommand("show", "Print the routing tree of the config");
  AddConfigOption(show, &opts->config);
  CLI::App* test = cmd->add_subcommand(
      "test", "Print the receivers an alert with these labels reaches (like amtool)");
  AddConfigOption(test, &opts->config);
  AddFormatOption(test, &opts->format);
  test->add_option("--verify-receivers", opts->expect,
                   "expected receivers, comma-separated: exit 1 when they differ");
  test->add_option("labels", opts->labels, "label=value ...");
  return [opts, show, &ctx]() {
    return show->parsed() ? RunRoutesShow(*opts, ctx) : RunRoutesTest(*opts, ctx);
  };
}

}  // namespace shihyo
