#include "base/text.h"

#include <cstdio>

namespace shihyo {

namespace {

bool IsContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

bool IsControl(char32_t cp) {
  return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || cp == 0x2028 || cp == 0x2029;
}

bool IsWide(char32_t cp) {
  return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) ||
         (cp >= 0x3041 && cp <= 0x33FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
         (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
         (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
         (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
         (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1F64F) ||
         (cp >= 0x1F900 && cp <= 0x1F9FF) || (cp >= 0x20000 && cp <= 0x3FFFD) ||
         // Circled numbers and the em dash family render wide in Japanese fonts.
         (cp >= 0x2460 && cp <= 0x24FF) || cp == 0x203B;
}

bool IsZeroWidth(char32_t cp) {
  return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x200B && cp <= 0x200F) ||
         (cp >= 0x3099 && cp <= 0x309A) || cp == 0xFEFF;
}

}  // namespace

bool DecodeUtf8(std::string_view s, size_t* pos, char32_t* cp) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t i = *pos;
  unsigned char c = p[i];
  size_t len;
  char32_t value;
  if (c < 0x80) {
    *cp = c;
    *pos = i + 1;
    return true;
  } else if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
    value = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    value = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    value = c & 0x07;
  } else {
    *pos = i + 1;
    return false;
  }
  if (i + len > s.size()) {
    *pos = i + 1;
    return false;
  }
  for (size_t k = 1; k < len; ++k) {
    if (!IsContinuation(p[i + k])) {
      *pos = i + 1;
      return false;
    }
    value = (value << 6) | (p[i + k] & 0x3F);
  }
  bool overlong = (len == 3 && value < 0x800) || (len == 4 && value < 0x10000);
  if (overlong || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
    *pos = i + 1;
    return false;
  }
  *cp = value;
  *pos = i + len;
  return true;
}

void AppendUtf8(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

size_t FindInvalidUtf8(std::string_view s) {
  size_t pos = 0;
  char32_t cp;
  while (pos < s.size()) {
    size_t start = pos;
    if (!DecodeUtf8(s, &pos, &cp)) return start;
  }
  return std::string_view::npos;
}

Utf8Census CountUtf8(std::string_view s) {
  Utf8Census census;
  size_t pos = 0;
  char32_t cp;
  while (pos < s.size()) {
    if (!DecodeUtf8(s, &pos, &cp)) {
      ++census.invalid;
    } else if (cp >= 0x80) {
      ++census.multibyte;
    }
  }
  return census;
}

std::string FoldWidth(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t pos = 0;
  char32_t cp;
  while (pos < s.size()) {
    size_t start = pos;
    if (!DecodeUtf8(s, &pos, &cp)) {
      out.append(s.substr(start, pos - start));
      continue;
    }
    if (cp >= 0xFF01 && cp <= 0xFF5E) {
      cp = cp - 0xFF01 + 0x21;
    } else if (cp == 0x3000) {
      cp = ' ';
    }
    AppendUtf8(cp, &out);
  }
  return out;
}

size_t CharOffset(std::string_view s, size_t bytes) {
  size_t chars = 0;
  size_t pos = 0;
  char32_t cp;
  while (pos < bytes && pos < s.size()) {
    DecodeUtf8(s, &pos, &cp);
    ++chars;
  }
  return chars;
}

std::string_view TrimSpace(std::string_view s) {
  auto is_space_at_front = [](std::string_view v) -> size_t {
    if (v.empty()) return 0;
    unsigned char c = static_cast<unsigned char>(v[0]);
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f') return 1;
    if (v.substr(0, 3) == "\u3000") return 3;
    if (v.substr(0, 2) == "\u00a0") return 2;
    return 0;
  };
  auto is_space_at_back = [](std::string_view v) -> size_t {
    if (v.empty()) return 0;
    unsigned char c = static_cast<unsigned char>(v.back());
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f') return 1;
    if (v.size() >= 3 && v.substr(v.size() - 3) == "\u3000") return 3;
    if (v.size() >= 2 && v.substr(v.size() - 2) == "\u00a0") return 2;
    return 0;
  };
  while (size_t n = is_space_at_front(s)) s.remove_prefix(n);
  while (size_t n = is_space_at_back(s)) s.remove_suffix(n);
  return s;
}

int DisplayWidth(std::string_view s) {
  int width = 0;
  size_t pos = 0;
  char32_t cp;
  while (pos < s.size()) {
    if (!DecodeUtf8(s, &pos, &cp)) {
      width += 4;  // shown as \xNN
      continue;
    }
    if (IsControl(cp) || IsZeroWidth(cp)) continue;
    width += IsWide(cp) ? 2 : 1;
  }
  return width;
}

std::string EscapeControls(std::string_view s) {
  std::string out;
  size_t pos = 0;
  char32_t cp;
  char buf[16];
  while (pos < s.size()) {
    size_t start = pos;
    if (!DecodeUtf8(s, &pos, &cp)) {
      std::snprintf(buf, sizeof buf, "\\x%02X", static_cast<unsigned char>(s[start]));
      out += buf;
    } else if (IsControl(cp)) {
      if (cp < 0x100) {
        std::snprintf(buf, sizeof buf, "\\x%02X", static_cast<unsigned>(cp));
      } else {
        std::snprintf(buf, sizeof buf, "\\u{%04X}", static_cast<unsigned>(cp));
      }
      out += buf;
    } else {
      out.append(s.substr(start, pos - start));
    }
  }
  return out;
}

bool HasControls(std::string_view s) {
  size_t pos = 0;
  char32_t cp;
  while (pos < s.size()) {
    if (!DecodeUtf8(s, &pos, &cp)) return true;
    if (IsControl(cp)) return true;
  }
  return false;
}

}  // namespace shihyo
