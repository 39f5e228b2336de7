// libFuzzer target: the layout readers (every shipped layout, recognition,
// the row and transposed readers, --explain) and the year-label parser must
// never crash, hang or read out of bounds on any bytes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/encoding.h"
#include "import/table_reader.h"
#include "model/year_label.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::vector<shihyo::Layout>* layouts = [] {
    auto loaded = shihyo::LoadLayouts(shihyo::LayoutSearch{"", "", true});
    if (!loaded.ok()) __builtin_trap();
    return new std::vector<shihyo::Layout>(std::move(loaded).value());
  }();
  std::string_view input(reinterpret_cast<const char*>(data), size);
  (void)shihyo::ParseYearLabel(input, "平成");
  auto text = shihyo::DecodeToUtf8(input, "fuzz", shihyo::Encoding::kAuto);
  if (!text.ok()) return 0;
  auto read = shihyo::ParseTable(text->utf8, "fuzz", *layouts);
  if (read.ok()) {
    if (read->table.fiscal_years.empty()) __builtin_trap();
    (void)shihyo::ExplainTable(*read);
  }
  return 0;
}
