// libFuzzer target: the spreadsheet readers (.xlsx and .ods from memory,
// through libzip and expat, within SheetLimits) and the number-format
// renderer must never crash, hang or read out of bounds on any bytes.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "import/number_format.h"
#include "import/sheet.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  shihyo::SheetLimits limits;
  limits.max_entry_bytes = 4u << 20;  // keeps each run fast; the logic is the same
  limits.max_text_bytes = 4u << 20;
  (void)shihyo::ReadZipWorkbook(input, shihyo::SheetFormat::kXlsx, "fuzz.xlsx", limits);
  (void)shihyo::ReadZipWorkbook(input, shihyo::SheetFormat::kOds, "fuzz.ods", limits);
  if (size >= sizeof(double) && size < 256) {
    double value;
    std::memcpy(&value, data, sizeof value);
    std::string code(input.substr(sizeof value));
    (void)shihyo::FormatNumber(value, code, false);
    (void)shihyo::FormatNumber(value, code, true);
  }
  return 0;
}
