// `shihyo daemon --config FILE`: the service.
#include "cli/cli_tools.h"
#include "service/daemon_loop.h"

namespace shihyo {

int RunDaemonLoop(const std::string& config_path, CliContext& ctx) {
  DaemonLoop loop(config_path, ctx.clock);
  return loop.Run();
}

}  // namespace shihyo
