// libFuzzer target: the cell parser, the era-year parser and the whole table
// reader must never crash, hang or read out of bounds on any bytes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/encoding.h"
#include "import/progress_table.h"
#include "model/value_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  shihyo::CellValue cell = shihyo::ParseCell(input);
  if (cell.status == shihyo::CellStatus::kValue && !cell.value) __builtin_trap();
  if (cell.status == shihyo::CellStatus::kUnparseable && cell.error.empty()) __builtin_trap();
  (void)shihyo::ParseEraYear(input);
  (void)shihyo::ParseJapaneseNumber(input);
  auto text = shihyo::DecodeToUtf8(input, "fuzz", shihyo::Encoding::kAuto);
  if (text.ok()) (void)shihyo::ParseProgressTable(text->utf8, "fuzz");
  return 0;
}
