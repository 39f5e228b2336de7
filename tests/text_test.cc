#include "base/text.h"

#include <catch2/catch.hpp>

#include "base/text_table.h"

namespace shihyo {
namespace {

TEST_CASE("text: display width counts Japanese as two columns", "[text]") {
  CHECK(DisplayWidth("abc") == 3);
  CHECK(DisplayWidth("指標") == 4);
  CHECK(DisplayWidth("5,070人") == 7);
  CHECK(DisplayWidth("アンケート調査済") == 16);
  CHECK(DisplayWidth("ｶ") == 1);  // half-width katakana
  CHECK(DisplayWidth("①") == 2);
}

TEST_CASE("text: FoldWidth folds full-width ASCII only", "[text]") {
  CHECK(FoldWidth("１２３，４５６") == "123,456");
  CHECK(FoldWidth("Ｒ２\u3000年度") == "R2 年度");
  CHECK(FoldWidth("か所") == "か所");
}

TEST_CASE("text: TrimSpace strips ASCII and ideographic spaces", "[text]") {
  CHECK(TrimSpace("  a b \t") == "a b");
  CHECK(TrimSpace("\u3000指標\u3000") == "指標");
  CHECK(TrimSpace("") == "");
  CHECK(TrimSpace("\u3000") == "");
}

TEST_CASE("text: UTF-8 validation", "[text]") {
  CHECK(FindInvalidUtf8("指標") == std::string_view::npos);
  CHECK(FindInvalidUtf8("ab\xff") == 2);
  CHECK(FindInvalidUtf8("\xc0\xaf") == 0);      // overlong '/'
  CHECK(FindInvalidUtf8("\xed\xa0\x80") == 0);  // surrogate
  CHECK(FindInvalidUtf8("\xe6\x8c") == 0);      // truncated
  Utf8Census c = CountUtf8("指標\xff");
  CHECK(c.multibyte == 2);
  CHECK(c.invalid == 1);
}

TEST_CASE("text: EscapeControls makes one safe line", "[text]") {
  CHECK(EscapeControls("a\r\nBcc: x") == "a\\x0D\\x0ABcc: x");
  CHECK(EscapeControls("指標\xff") == "指標\\xFF");
  CHECK(EscapeControls("\u2028") == "\\u{2028}");
  CHECK(HasControls("a\nb"));
  CHECK_FALSE(HasControls("指標 a"));
}

TEST_CASE("text_table: aligns double-width text and wraps long cells", "[text]") {
  TextTable t({{"指標", TextTable::Align::kLeft, 8}, {"値", TextTable::Align::kRight, 0}});
  t.AddRow({"利用者数", "4,858件"});
  t.AddRow({"子育て支援センター", "3人"});
  CHECK(t.Render() ==
        "指標           値\n"
        "利用者数  4,858件\n"
        "子育て支      3人\n"
        "援センタ\n"
        "ー\n");
}

}  // namespace
}  // namespace shihyo
