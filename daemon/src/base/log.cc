#include "base/log.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/sinks/systemd_sink.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <memory>

#include "base/text.h"

namespace shihyo {

Status InitLogging(std::string_view level) {
  spdlog::level::level_enum lvl = spdlog::level::from_str(std::string(level));
  if (lvl == spdlog::level::off && level != "off") {
    return Status::InvalidArgument("unknown log level '" + std::string(level) +
                                   "' (expected trace, debug, info, warn, error or off)");
  }
  std::shared_ptr<spdlog::logger> logger;
  if (std::getenv("JOURNAL_STREAM") != nullptr) {
    // Run by systemd: to the journal with proper priorities; it adds the time.
    logger = std::make_shared<spdlog::logger>(
        "shihyo", std::make_shared<spdlog::sinks::systemd_sink_mt>("shihyo"));
    logger->set_pattern("%v");
  } else {
    logger = std::make_shared<spdlog::logger>("shihyo",
                                              std::make_shared<spdlog::sinks::stderr_sink_mt>());
    logger->set_pattern("%Y-%m-%dT%H:%M:%S%z %l %v");
  }
  logger->set_level(lvl);
  spdlog::set_default_logger(logger);
  return Status::Ok();
}

std::string LogSafe(std::string_view s) {
  std::string out;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    const char* named = nullptr;
    if (i < s.size()) {
      if (s[i] == '\n') named = "\\n";
      if (s[i] == '\r') named = "\\r";
      if (s[i] == '\t') named = "\\t";
      if (s[i] == '\x1b') named = "\\x1b";
    }
    if (!named && i < s.size()) continue;
    out += EscapeControls(s.substr(start, i - start));
    if (named) out += named;
    start = i + 1;
  }
  return out;
}

}  // namespace shihyo
