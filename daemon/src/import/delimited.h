// Splits tab- or comma-separated text into records the way spreadsheet
// programs write them: quoted cells with "" escapes and embedded newlines,
// CRLF/LF/CR line ends. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace shihyo {

struct Record {
  int line = 0;  // 1-based line where the record starts
  std::vector<std::string> cells;
};

// Picks '\t' when the text contains a tab outside quotes, ',' otherwise.
char DetectDelimiter(std::string_view text);

// Splits |text| (UTF-8) into records. Errors name "|source|:LINE: ...".
Result<std::vector<Record>> SplitRecords(std::string_view text, char delimiter,
                                         std::string_view source);

}  // namespace shihyo
