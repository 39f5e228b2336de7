// Turns the bytes of a spreadsheet export into UTF-8: UTF-8 with or without a
// BOM, Shift_JIS/CP932 (detected or forced), UTF-16 with a BOM. Uses iconv.
// Pure apart from iconv; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace shihyo {

enum class Encoding { kAuto, kUtf8, kCp932 };

// Parses "auto", "utf-8"/"utf8", "cp932"/"shift_jis"/"sjis".
Result<Encoding> EncodingFromName(std::string_view name);

struct DecodedText {
  std::string utf8;
  const char* detected = "UTF-8";  // "UTF-8", "CP932" or "UTF-16"
};

// Converts |bytes| to UTF-8. With kAuto, a file that is valid UTF-8 (after an
// optional BOM) is taken as such; a file whose non-ASCII bytes are mostly not
// UTF-8 is converted from CP932. Errors name "|source|:LINE: ..." where LINE
// holds the first byte that is valid in neither encoding.
Result<DecodedText> DecodeToUtf8(std::string_view bytes, std::string_view source,
                                 Encoding encoding);

}  // namespace shihyo
