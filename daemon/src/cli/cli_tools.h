// Internal to the cli module: what each subcommand file registers.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "cli/cli.h"
#include "config/config.h"
#include "state/state_store.h"

namespace shihyo {

struct CliContext {
  std::ostream& out;
  std::ostream& err;
  const Clock& clock;
  bool log_level_set = false;  // --log-level given: it wins over the config's
};

// Runs a parsed subcommand and returns its exit code.
using ToolRunner = std::function<int()>;

// The config and state DB of the daemon, for commands that work on them.
struct CliEnv {
  Config config;
  std::unique_ptr<StateStore> state;
};

// How a command may treat a state DB that does not exist yet.
enum class StateAccess {
  kExisting,       // it must exist: a clear error, never a new empty DB that
                   // root would own and the service could not write
  kCreate,         // the daemon (--once too) creates it
  kCreateIfOwner,  // `silence add`: created only by the owner of its directory
  kPreview,        // an empty one in memory stands in; nothing is created
};

// Loads |config_path| and opens its state DB; prints problems and returns
// the exit code (0 when |env| is ready).
int LoadEnv(const std::string& config_path, CliContext& ctx, CliEnv* env,
            StateAccess access = StateAccess::kExisting);

// Options of the commands that read or change the daemon's state.
struct StateCommandOptions {
  std::string config;
  std::string format = "text";
  std::string status;
  bool all = false;
  std::vector<std::string> ids;
  std::vector<std::string> matchers;
  std::vector<std::string> filters;  // alerts --filter label=value (=, !=, =~, !~)
  std::string until, duration, comment, author;
  std::string receiver;
  std::string fingerprint;  // alerts --fingerprint: one alert, with its history
};

// Fills an empty |*db| (and |*rules|, if given and empty) from the config at
// |config_path|, so that `import`, `indicators` and `eval` work with
// --config alone (--db and --rules override it). Prints the problem and
// returns the exit code when the config cannot be read (0 when done).
int PathsFromConfig(const std::string& config_path, CliContext& ctx, std::string* db,
                    std::string* rules = nullptr);

// A time as staff read it in text output: Japan time (no daylight saving),
// "YYYY-MM-DD HH:MM". JSON keeps Ts().
std::string LocalTs(TimePoint t);

// ISO 8601 UTC, the time format of command output.
std::string Ts(TimePoint t);

// The daemon's config where a command is given none.
inline constexpr char kDefaultConfigPath[] = "/etc/shihyo/shihyo.yaml";

// --config FILE (default kDefaultConfigPath) and --format text|json.
void AddConfigOption(CLI::App* cmd, std::string* config);
void AddFormatOption(CLI::App* cmd, std::string* format);

// Prints |s| to ctx.err and returns the exit code it maps to: bad input is a
// validation failure (1), everything else a usage or I/O error (2).
int ReportError(CliContext& ctx, const Status& s);

// Each adds one subcommand to |app| and returns what runs it once parsed.
ToolRunner RegisterImport(CLI::App& app, CliContext& ctx);
ToolRunner RegisterIndicators(CLI::App& app, CliContext& ctx);
ToolRunner RegisterLayouts(CLI::App& app, CliContext& ctx);
ToolRunner RegisterCheck(CLI::App& app, CliContext& ctx);
ToolRunner RegisterEval(CLI::App& app, CliContext& ctx);
ToolRunner RegisterTest(CLI::App& app, CliContext& ctx);
ToolRunner RegisterDaemon(CLI::App& app, CliContext& ctx);
ToolRunner RegisterPreview(CLI::App& app, CliContext& ctx);
ToolRunner RegisterAlerts(CLI::App& app, CliContext& ctx);
ToolRunner RegisterSilence(CLI::App& app, CliContext& ctx);
ToolRunner RegisterOutbox(CLI::App& app, CliContext& ctx);
ToolRunner RegisterSendTest(CLI::App& app, CliContext& ctx);
ToolRunner RegisterRoutes(CLI::App& app, CliContext& ctx);

// The long-running service (daemon_loop.cc); returns the exit code.
int RunDaemonLoop(const std::string& config_path, CliContext& ctx);

}  // namespace shihyo
