#include "cli/cli.h"

#include <iostream>
#include <nlohmann/json.hpp>
#include <regex>

#include "base/i18n.h"
#include "base/journal_stream.h"
#include "base/log.h"
#include "cli/cli_tools.h"

namespace shihyo {

namespace {

struct Tool {
  const char* name;
  ToolRunner (*add)(CLI::App& app, CliContext& ctx);
};

// Every subcommand, in the order `shihyo --help` lists them.
constexpr Tool kTools[] = {
    {"import", RegisterImport},   {"indicators", RegisterIndicators},
    {"layouts", RegisterLayouts}, {"check", RegisterCheck},
    {"eval", RegisterEval},       {"test", RegisterTest},
    {"daemon", RegisterDaemon},   {"preview", RegisterPreview},
    {"alerts", RegisterAlerts},   {"silence", RegisterSilence},
    {"outbox", RegisterOutbox},   {"send-test", RegisterSendTest},
    {"routes", RegisterRoutes},
};

// CLI11's parse errors in the reader's language: the common ones by their
// English text (CLI11 has no catalog of its own), any other as CLI11 says it.
std::string TranslateParseError(const std::string& what) {
  static const std::regex kRequired("^(\\S+) is required$");
  static const std::regex kExtras("^The following arguments? (?:was|were) not expected: (.*)$");
  static const std::regex kNotIn("^(\\S+): (.*) not in \\{(.*)\\}$");
  static const std::regex kNeedsValue("^(\\S+): 1 required \\S+ missing$");
  std::smatch m;
  if (std::regex_match(what, m, kRequired)) return TrF("{} is required", {m.str(1)});
  if (std::regex_match(what, m, kExtras)) return TrF("unexpected argument: {}", {m.str(1)});
  if (std::regex_match(what, m, kNotIn)) {
    return TrF("{}: '{}' is not one of {}", {m.str(1), m.str(2), m.str(3)});
  }
  if (std::regex_match(what, m, kNeedsValue)) return TrF("{} needs a value", {m.str(1)});
  if (what == "A subcommand is required") return Tr("a command is required");
  return what;
}

std::string FailureMessage(const CLI::App* app, const CLI::Error& e) {
  // The command the error is about: the innermost one given ("shihyo check").
  while (!app->get_subcommands().empty()) app = app->get_subcommands().back();
  std::string command = app->get_name();
  for (const CLI::App* p = app->get_parent(); p; p = p->get_parent())
    command = p->get_name() + " " + command;
  return "shihyo: " + TranslateParseError(e.what()) + "\n" +
         TrF("Run '{} --help' for more information.", {command}) + "\n";
}

// The help's headings in the reader's language.
void TranslateHelp(CLI::App& app) {
  auto f = app.get_formatter();
  const std::pair<const char*, const char*> labels[] = {
      {"Usage", Tr("Usage")},
      {"OPTIONS", Tr("OPTIONS")},
      {"SUBCOMMAND", Tr("SUBCOMMAND")},
      {"SUBCOMMANDS", Tr("SUBCOMMANDS")},
      {"REQUIRED", Tr("REQUIRED")},
      {"Positionals", Tr("Positionals")},
      {"Env", Tr("Env")},
      {"Needs", Tr("Needs")},
      {"Excludes", Tr("Excludes")},
  };
  for (const auto& [label, text] : labels) f->label(label, text);
}

// Every command's and option's description in the reader's language: the
// English text is the msgid (po/ja.po), so the tools need not wrap theirs.
void TranslateDescriptions(CLI::App* app) {
  if (!app->get_description().empty()) app->description(Tr(app->get_description().c_str()));
  for (CLI::Option* o : app->get_options({})) {
    if (!o->get_description().empty()) o->description(Tr(o->get_description().c_str()));
    if (o->get_group() == "Options") o->group(Tr("Options"));
  }
  for (CLI::App* sub : app->get_subcommands([](CLI::App*) { return true; })) {
    TranslateDescriptions(sub);
    if (sub->get_group() == "Subcommands") sub->group(Tr("Subcommands"));
  }
}

}  // namespace

int ReportError(CliContext& ctx, const Status& s) {
  ctx.err << "shihyo: " << s.message() << "\n";
  return s.IsInvalidArgument() ? kExitFailure : kExitUsage;
}

int RunCli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  SystemClock clock;
  CliContext ctx{out, err, clock};
  CLI::App app{
      Tr("shihyo: watches the numerical indicators (数値指標) of Japanese municipal plans")};
  app.failure_message(FailureMessage);  // before the subcommands: they inherit it
  TranslateHelp(app);
  app.name("shihyo");  // usage lines read "shihyo import …", not "import …"
  app.require_subcommand(1);
  // Global options such as --log-level also after the subcommand; subcommands
  // inherit this when they are added below.
  app.fallthrough();
  app.set_help_flag("-h,--help", Tr("Print this help message and exit"));
  app.set_version_flag("--version", "shihyo " SHIHYO_VERSION,
                       Tr("Display program version information and exit"));
  std::string log_level = "warn";
  CLI::Option* log_option =
      app.add_option("--log-level", log_level, Tr("trace, debug, info, warn, error or off"))
          ->capture_default_str();
  std::vector<std::pair<CLI::App*, ToolRunner>> runners;
  for (const Tool& tool : kTools) {
    ToolRunner run = tool.add(app, ctx);
    runners.emplace_back(app.get_subcommand(tool.name), std::move(run));
  }
  TranslateDescriptions(&app);
  std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 wants them reversed
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e, out, err);
    return code == 0 ? kExitOk : kExitUsage;
  }
  ctx.log_level_set = log_option->count() > 0;
  if (Status s = InitLogging(log_level); !s.ok()) {
    ReportError(ctx, s);
    return kExitUsage;
  }
  for (auto& [sub, run] : runners) {
    if (!sub->parsed()) continue;
    try {
      return run();
    } catch (const nlohmann::json::type_error& e) {
      // Text that is not UTF-8 reaches a JSON writer only from a store or
      // state DB another tool wrote (imports refuse it): an error, not an abort.
      ctx.err << "shihyo: "
              << TrF("cannot write JSON: the store holds text that is not UTF-8 ({}); "
                     "correct it with sqlite3 or import the table again",
                     {e.what()})
              << "\n";
      return kExitUsage;
    }
  }
  return kExitUsage;
}

int RunCli(int argc, char** argv) {
  InitTranslation();
  std::vector<std::string> args(argv + 1, argv + argc);
  if (IsJournalStream(2)) {
    // Run by systemd (ExecStartPre, ExecReload): what goes to stderr is an
    // error, and `journalctl -p err` must show it.
    SyslogPrefixBuf err_buf(std::cerr.rdbuf(), 3);
    std::ostream err(&err_buf);
    return RunCli(args, std::cout, err);
  }
  return RunCli(args, std::cout, std::cerr);
}

}  // namespace shihyo
