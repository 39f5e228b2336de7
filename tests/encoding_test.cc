#include "base/encoding.h"

#include <iconv.h>

#include <catch2/catch.hpp>

namespace shihyo {
namespace {

std::string ToCp932(const std::string& utf8) {
  iconv_t cd = iconv_open("CP932", "UTF-8");
  std::string out(utf8.size() * 2, '\0');
  char* in = const_cast<char*>(utf8.data());
  size_t inleft = utf8.size();
  char* o = out.data();
  size_t outleft = out.size();
  iconv(cd, &in, &inleft, &o, &outleft);
  iconv_close(cd);
  out.resize(out.size() - outleft);
  return out;
}

TEST_CASE("encoding: UTF-8 with and without BOM", "[encoding]") {
  auto plain = DecodeToUtf8("指標\t目標値", "f", Encoding::kAuto);
  REQUIRE(plain.ok());
  CHECK(plain->utf8 == "指標\t目標値");
  CHECK(std::string(plain->detected) == "UTF-8");
  auto bom = DecodeToUtf8("\xEF\xBB\xBF指標", "f", Encoding::kAuto);
  REQUIRE(bom.ok());
  CHECK(bom->utf8 == "指標");
}

TEST_CASE("encoding: Shift_JIS/CP932 is detected and converted", "[encoding]") {
  std::string text = "第2期釜石市\n子育て支援センターの利用者数,\"8,000人\",①②―～";
  std::string sjis = ToCp932(text);
  REQUIRE(sjis != text);
  auto decoded = DecodeToUtf8(sjis, "f.csv", Encoding::kAuto);
  REQUIRE(decoded.ok());
  CHECK(std::string(decoded->detected) == "CP932");
  CHECK(decoded->utf8.find("子育て支援センターの利用者数") != std::string::npos);
  auto forced = DecodeToUtf8(sjis, "f.csv", Encoding::kCp932);
  REQUIRE(forced.ok());
  CHECK(forced->utf8 == decoded->utf8);
}

TEST_CASE("encoding: UTF-16 with BOM, as Excel's Unicode text", "[encoding]") {
  std::string utf16 = std::string("\xFF\xFE", 2) + std::string("\x07\x63\x19\x6a", 4);  // 指標
  auto decoded = DecodeToUtf8(utf16, "f.txt", Encoding::kAuto);
  REQUIRE(decoded.ok());
  CHECK(decoded->utf8 == "指標");
}

TEST_CASE("encoding: broken UTF-8 names the line", "[encoding]") {
  std::string text = "指標内容\t目標値\n子育て\t5人\nこども\t\xff\xfe人\n";
  auto decoded = DecodeToUtf8(text, "t.txt", Encoding::kAuto);
  REQUIRE_FALSE(decoded.ok());
  CHECK(decoded.status().message() ==
        "t.txt:3: cell 2: bytes \\xFF\\xFE\\xE4\\xBA are not valid UTF-8");
  auto forced = DecodeToUtf8("a\n\xff", "t.txt", Encoding::kUtf8);
  REQUIRE_FALSE(forced.ok());
  CHECK_THAT(forced.status().message(), Catch::StartsWith("t.txt:2: cell 1: bytes \\xFF"));
}

TEST_CASE("encoding: bytes valid in neither encoding", "[encoding]") {
  auto decoded = DecodeToUtf8("abc\n\x80\x80\xff", "t.txt", Encoding::kAuto);
  REQUIRE_FALSE(decoded.ok());
  CHECK_THAT(decoded.status().message(), Catch::StartsWith("t.txt:2:"));
}

TEST_CASE("encoding: names", "[encoding]") {
  CHECK(*EncodingFromName("UTF-8") == Encoding::kUtf8);
  CHECK(*EncodingFromName("shift_jis") == Encoding::kCp932);
  CHECK(*EncodingFromName("auto") == Encoding::kAuto);
  CHECK(EncodingFromName("latin1").status().message() ==
        "unknown encoding 'latin1' (expected auto, utf-8 or cp932)");
}

}  // namespace
}  // namespace shihyo
