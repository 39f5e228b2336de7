// The only spdlog setup in shihyo. Console (stderr) by default; without
// timestamps when stderr goes to the journal ($JOURNAL_STREAM), which adds its
// own. Call once from main before any logging.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace shihyo {

// |level| is one of trace, debug, info, warn, error, off.
Status InitLogging(std::string_view level);

// |s| for one log field: CR, LF, TAB and ESC as \r \n \t \x1b, other control
// characters (C0, DEL, C1, U+2028/2029) and invalid UTF-8 as \xNN or
// \u{NNNN}. Every value that comes from data (names, messages, receivers'
// answers, file names) goes through it, so one event stays one line and
// cannot forge another.
std::string LogSafe(std::string_view s);

}  // namespace shihyo
