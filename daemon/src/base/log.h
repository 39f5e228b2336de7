// The only spdlog setup in shihyo. Console (stderr) by default; without
// timestamps when stderr goes to the journal ($JOURNAL_STREAM), which adds its
// own. Call once from main before any logging.
#pragma once

#include <string_view>

#include "base/status.h"

namespace shihyo {

// |level| is one of trace, debug, info, warn, error, off.
Status InitLogging(std::string_view level);

}  // namespace shihyo
