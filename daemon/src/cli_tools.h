// Internal to the cli module: what each subcommand file registers.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <ostream>

#include "cli.h"
#include "clock.h"
#include "status.h"

namespace shihyo {

struct CliContext {
  std::ostream& out;
  std::ostream& err;
  const Clock& clock;
  bool log_level_set = false;  // --log-level given: it wins over the config's
};

// Runs a parsed subcommand and returns its exit code.
using ToolRunner = std::function<int()>;

// Prints |s| to ctx.err and returns the exit code it maps to: bad input is a
// validation failure (1), everything else a usage or I/O error (2).
int ReportError(CliContext& ctx, const Status& s);

// Each adds one subcommand to |app| and returns what runs it once parsed.
ToolRunner RegisterImport(CLI::App& app, CliContext& ctx);
ToolRunner RegisterIndicators(CLI::App& app, CliContext& ctx);
ToolRunner RegisterCheck(CLI::App& app, CliContext& ctx);
ToolRunner RegisterEval(CLI::App& app, CliContext& ctx);
ToolRunner RegisterTest(CLI::App& app, CliContext& ctx);
ToolRunner RegisterDaemon(CLI::App& app, CliContext& ctx);
ToolRunner RegisterPreview(CLI::App& app, CliContext& ctx);
ToolRunner RegisterAlerts(CLI::App& app, CliContext& ctx);
ToolRunner RegisterSilence(CLI::App& app, CliContext& ctx);
ToolRunner RegisterOutbox(CLI::App& app, CliContext& ctx);
ToolRunner RegisterSendTest(CLI::App& app, CliContext& ctx);

// The long-running service (daemon_loop.cc); returns the exit code.
int RunDaemonLoop(const std::string& config_path, CliContext& ctx);

}  // namespace shihyo
