#include "base/encoding.h"

#include <errno.h>
#include <iconv.h>

#include <algorithm>
#include <cctype>

#include "base/text.h"

namespace shihyo {

namespace {

int LineOf(std::string_view bytes, size_t offset) {
  return 1 + static_cast<int>(std::count(bytes.begin(), bytes.begin() + offset, '\n'));
}

// "LINE: cell N" for |offset| in |text|, delimited text: cells are split by
// tabs when the line has one, else by commas outside double quotes.
std::string LineAndCell(std::string_view text, size_t offset) {
  size_t start = text.rfind('\n', offset == 0 ? 0 : offset - 1);
  start = (start == std::string_view::npos || start >= offset) ? 0 : start + 1;
  size_t end = text.find('\n', offset);
  std::string_view line = text.substr(start, end == std::string_view::npos ? end : end - start);
  char delimiter = line.find('\t') != std::string_view::npos ? '\t' : ',';
  int cell = 1;
  bool quoted = false;
  for (char c : text.substr(start, offset - start)) {
    if (c == '"') quoted = !quoted;
    if (c == delimiter && (delimiter == '\t' || !quoted)) ++cell;
  }
  return std::to_string(LineOf(text, offset)) + ": cell " + std::to_string(cell);
}

// Converts with iconv; on failure sets |*bad_offset| to the input offset of
// the sequence that could not be converted.
bool IconvConvert(const char* from, std::string_view in, std::string* out, size_t* bad_offset) {
  iconv_t cd = iconv_open("UTF-8", from);
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    *bad_offset = 0;
    return false;
  }
  out->clear();
  char* inbuf = const_cast<char*>(in.data());
  size_t inleft = in.size();
  char buf[4096];
  bool ok = true;
  while (inleft > 0) {
    char* outbuf = buf;
    size_t outleft = sizeof buf;
    size_t rc = iconv(cd, &inbuf, &inleft, &outbuf, &outleft);
    out->append(buf, outbuf - buf);
    if (rc == static_cast<size_t>(-1) && errno != E2BIG) {
      *bad_offset = static_cast<size_t>(inbuf - in.data());
      ok = false;
      break;
    }
  }
  iconv_close(cd);
  return ok;
}

Status InvalidBytes(std::string_view source, std::string_view bytes, size_t offset,
                    const char* expected) {
  return Status::InvalidArgument(std::string(source) + ":" + LineAndCell(bytes, offset) +
                                 ": bytes " + EscapeControls(bytes.substr(offset, 4)) +
                                 " are not valid " + expected);
}

// CP932 0x815C is the only dash Shift_JIS has. iconv reads it as U+2015 (the
// Microsoft mapping); JIS X 0208 and the tables published as UTF-8 use U+2014
// EM DASH for it. Reading it as U+2014 makes a table saved as CP932 import to
// exactly what its UTF-8 original does.
void MapJisDash(std::string* utf8) {
  static const std::string kHorizontalBar = "\u2015";
  static const std::string kEmDash = "\u2014";
  for (size_t pos = utf8->find(kHorizontalBar); pos != std::string::npos;
       pos = utf8->find(kHorizontalBar, pos + kEmDash.size())) {
    utf8->replace(pos, kHorizontalBar.size(), kEmDash);
  }
}

Result<DecodedText> FromCp932(std::string_view bytes, std::string_view source) {
  DecodedText text;
  size_t bad = 0;
  if (!IconvConvert("CP932", bytes, &text.utf8, &bad)) {
    return InvalidBytes(source, bytes, bad, "Shift_JIS/CP932");
  }
  MapJisDash(&text.utf8);
  text.detected = "CP932";
  return text;
}

Result<DecodedText> FromUtf16(std::string_view bytes, std::string_view source) {
  DecodedText text;
  size_t bad = 0;
  if (!IconvConvert("UTF-16", bytes, &text.utf8, &bad)) {
    // What converted before the bad unit says where it is in the text.
    std::string_view done = text.utf8;
    return Status::InvalidArgument(std::string(source) + ":" + LineAndCell(done, done.size()) +
                                   ": bytes " + EscapeControls(bytes.substr(bad, 4)) +
                                   " are not valid UTF-16 (at byte " + std::to_string(bad) + ")");
  }
  text.detected = "UTF-16";
  return text;
}

// A byte-order mark that announces what this reader does not take, or a
// second one (a file saved twice with a BOM), which would read as a cell.
Status CheckMarks(std::string_view bytes, std::string_view source) {
  if (bytes.substr(0, 4) == std::string_view("\xFF\xFE\0\0", 4) ||
      bytes.substr(0, 4) == std::string_view("\0\0\xFE\xFF", 4)) {
    return Status::InvalidArgument(std::string(source) +
                                   ": UTF-32 is not supported; save as UTF-8 or UTF-16");
  }
  return Status::Ok();
}

Status CheckSecondMark(const DecodedText& text, std::string_view source) {
  if (std::string_view(text.utf8).substr(0, 3) != "\xEF\xBB\xBF") return Status::Ok();
  return Status::InvalidArgument(std::string(source) +
                                 ":1: a second byte-order mark (U+FEFF) after the first; save "
                                 "the file again as UTF-8 or UTF-16");
}

Result<DecodedText> Decode(std::string_view bytes, std::string_view source, Encoding encoding) {
  if (encoding != Encoding::kCp932 && bytes.size() >= 2 &&
      ((bytes[0] == '\xFF' && bytes[1] == '\xFE') || (bytes[0] == '\xFE' && bytes[1] == '\xFF'))) {
    return FromUtf16(bytes, source);
  }
  if (encoding == Encoding::kCp932) return FromCp932(bytes, source);
  std::string_view body = bytes;
  bool had_bom = body.substr(0, 3) == "\xEF\xBB\xBF";
  if (had_bom) body.remove_prefix(3);
  size_t bad = FindInvalidUtf8(body);
  if (bad == std::string_view::npos) {
    DecodedText text;
    text.utf8 = std::string(body);
    return text;
  }
  // Mostly valid UTF-8 with a few broken bytes is a damaged UTF-8 file, not
  // Shift_JIS: report where the damage is rather than converting mojibake.
  Utf8Census census = CountUtf8(body);
  if (encoding == Encoding::kUtf8 || had_bom || census.multibyte > census.invalid) {
    return InvalidBytes(source, bytes, bad + (had_bom ? 3 : 0), "UTF-8");
  }
  Result<DecodedText> sjis = FromCp932(bytes, source);
  if (!sjis.ok()) return InvalidBytes(source, bytes, bad, "UTF-8 nor Shift_JIS/CP932");
  return sjis;
}

}  // namespace

Result<Encoding> EncodingFromName(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower == "auto") return Encoding::kAuto;
  if (lower == "utf-8" || lower == "utf8") return Encoding::kUtf8;
  if (lower == "cp932" || lower == "shift_jis" || lower == "sjis" || lower == "windows-31j") {
    return Encoding::kCp932;
  }
  return Status::InvalidArgument("unknown encoding '" + std::string(name) +
                                 "' (expected auto, utf-8 or cp932)");
}

Result<DecodedText> DecodeToUtf8(std::string_view bytes, std::string_view source,
                                 Encoding encoding) {
  if (Status s = CheckMarks(bytes, source); !s.ok()) return s;
  Result<DecodedText> text = Decode(bytes, source, encoding);
  if (!text.ok()) return text;
  if (Status s = CheckSecondMark(*text, source); !s.ok()) return s;
  return text;
}

}  // namespace shihyo
