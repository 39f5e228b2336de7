#include "model/year_label.h"

#include <array>

#include "base/text.h"

namespace shihyo {

namespace {

struct Era {
  std::string_view prefix;
  std::string_view name;
  int base;  // Western year of era year 0
};

constexpr std::array<Era, 9> kEras = {{{"令和", "令和", 2018},
                                       {"平成", "平成", 1988},
                                       {"昭和", "昭和", 1925},
                                       {"R", "令和", 2018},
                                       {"H", "平成", 1988},
                                       {"S", "昭和", 1925},
                                       {"r", "令和", 2018},
                                       {"h", "平成", 1988},
                                       {"s", "昭和", 1925}}};

bool ConsumePrefix(std::string_view* s, std::string_view prefix) {
  if (s->substr(0, prefix.size()) != prefix) return false;
  s->remove_prefix(prefix.size());
  return true;
}

void SkipSpaces(std::string_view* s) {
  while (!s->empty() && ((*s)[0] == ' ' || (*s)[0] == '\t')) s->remove_prefix(1);
}

// Reads up to |max_digits| ASCII digits; 0 digits → false.
bool ReadNumber(std::string_view* s, size_t max_digits, int* out, size_t* count) {
  size_t i = 0;
  int n = 0;
  while (i < s->size() && (*s)[i] >= '0' && (*s)[i] <= '9') {
    if (i == max_digits) return false;
    n = n * 10 + ((*s)[i] - '0');
    ++i;
  }
  if (i == 0) return false;
  s->remove_prefix(i);
  *out = n;
  *count = i;
  return true;
}

YearKind ConsumeKind(std::string_view* s) {
  SkipSpaces(s);
  if (ConsumePrefix(s, "年度")) return YearKind::kFiscal;
  if (ConsumePrefix(s, "年") && !ConsumePrefix(s, "度")) return YearKind::kCalendar;
  return YearKind::kUnspecified;
}

}  // namespace

const char* YearKindName(YearKind kind) {
  switch (kind) {
    case YearKind::kFiscal:
      return "fiscal";
    case YearKind::kCalendar:
      return "calendar";
    case YearKind::kUnspecified:
      break;
  }
  return "unspecified";
}

std::optional<int> EraToWestern(std::string_view era, int n) {
  for (const Era& e : kEras) {
    if (era == e.prefix || era == e.name) return e.base + n;
  }
  return std::nullopt;
}

std::optional<YearLabel> ParseYearLabel(std::string_view text, std::string_view bare_era) {
  std::string folded = FoldWidth(TrimSpace(text));
  std::string_view s = folded;
  YearLabel label;
  ConsumePrefix(&s, "FY");
  for (const Era& e : kEras) {
    if (!ConsumePrefix(&s, e.prefix)) continue;
    label.era = std::string(e.name);
    SkipSpaces(&s);
    int n = 0;
    size_t digits = 0;
    if (ConsumePrefix(&s, "元")) {
      n = 1;
    } else if (!ReadNumber(&s, 2, &n, &digits) || n < 1) {
      return std::nullopt;
    }
    label.year = e.base + n;
    break;
  }
  if (label.era.empty()) {
    int n = 0;
    size_t digits = 0;
    if (!ReadNumber(&s, 4, &n, &digits) || digits == 3) return std::nullopt;
    if (digits == 4) {
      if (n < 1900 || n > 2200) return std::nullopt;
      label.year = n;
    } else {
      std::optional<int> western = EraToWestern(bare_era, n);
      if (!western || n < 1) return std::nullopt;
      label.era = std::string(bare_era);
      label.year = *western;
    }
    label.kind = ConsumeKind(&s);
    // A bare era-less number is a year only with 年 or 年度 after it.
    if (digits < 4 && label.kind == YearKind::kUnspecified) return std::nullopt;
  } else {
    label.kind = ConsumeKind(&s);
  }
  label.rest = std::string(TrimSpace(s));
  return label;
}

}  // namespace shihyo
