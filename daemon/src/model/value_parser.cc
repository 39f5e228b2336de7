#include "model/value_parser.h"

#include <array>
#include <charconv>
#include <cmath>
#include <string>

#include "base/text.h"

namespace shihyo {

namespace {

constexpr size_t kMaxDigits = 15;  // doubles hold 15 significant digits exactly
constexpr size_t kMaxUnitChars = 12;

bool ConsumePrefix(std::string_view* s, std::string_view prefix) {
  if (s->substr(0, prefix.size()) != prefix) return false;
  s->remove_prefix(prefix.size());
  return true;
}

bool ConsumeSuffix(std::string_view* s, std::string_view suffix) {
  if (s->size() < suffix.size() || s->substr(s->size() - suffix.size()) != suffix) return false;
  s->remove_suffix(suffix.size());
  return true;
}

template <size_t N>
bool OneOf(std::string_view s, const std::array<std::string_view, N>& set) {
  for (std::string_view x : set) {
    if (s == x) return true;
  }
  return false;
}

// Removes ASCII spaces (full-width ones are folded to ASCII first).
std::string WithoutSpaces(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c != ' ' && c != '\t') out.push_back(c);
  }
  return out;
}

bool IsDashOnly(std::string_view s) {
  static constexpr std::array<std::string_view, 9> kDashes = {
      "-", "\u2014", "\u2015", "\uff0d", "\u2010", "\u2212", "\u2013", "\u30fc", "\u2500"};
  if (s.empty()) return false;
  while (!s.empty()) {
    bool matched = false;
    for (std::string_view d : kDashes) {
      if (ConsumePrefix(&s, d)) {
        matched = true;
        break;
      }
    }
    if (!matched) return false;
  }
  return true;
}

std::optional<bool> ParseBoolean(std::string_view s) {
  static constexpr std::array<std::string_view, 5> kYes = {"有り", "有", "あり", "有る", "ある"};
  static constexpr std::array<std::string_view, 5> kNo = {"無し", "無", "なし", "無い", "ない"};
  if (OneOf(s, kYes)) return true;
  if (OneOf(s, kNo)) return false;
  return std::nullopt;
}

bool IsSurveyDone(std::string_view s) {
  static constexpr std::array<std::string_view, 6> kSurvey = {
      "アンケート調査済", "アンケート調査済み", "調査済",
      "調査済み",         "アンケート実施済",   "アンケート実施済み"};
  return OneOf(s, kSurvey);
}

bool IsUnitChar(char32_t cp) {
  return (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') || cp == '%' || cp == '/' ||
         (cp >= 0x3041 && cp <= 0x30FF) ||  // hiragana, katakana, ー, ヶ
         (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) || cp == 0x3005 ||
         cp == 0x33A1 || cp == 0x2113 || cp == 0x2030;  // 々 ㎡ ℓ ‰
}

Status CheckUnit(std::string_view unit) {
  size_t pos = 0;
  size_t count = 0;
  char32_t cp;
  while (pos < unit.size()) {
    size_t start = pos;
    if (!DecodeUtf8(unit, &pos, &cp) || !IsUnitChar(cp)) {
      return Status::InvalidArgument("unexpected '" +
                                     EscapeControls(unit.substr(start, pos - start)) +
                                     "' in unit '" + EscapeControls(unit) + "'");
    }
    if (++count > kMaxUnitChars) {
      return Status::InvalidArgument("unit '" + std::string(unit) + "' is too long");
    }
  }
  return Status::Ok();
}

// Parses "1,234.5" at the front of |*s|. Returns false with |*err| set when
// there is no number or the digit grouping is malformed.
bool ParseDecimal(std::string_view* s, double* out, std::string* err) {
  std::string digits;
  size_t i = 0;
  size_t group_len = 0;
  bool saw_comma = false;
  while (i < s->size()) {
    char c = (*s)[i];
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
      ++group_len;
    } else if (c == ',' && i + 1 < s->size() && (*s)[i + 1] >= '0' && (*s)[i + 1] <= '9') {
      if ((saw_comma && group_len != 3) || (!saw_comma && (group_len == 0 || group_len > 3))) {
        *err = "malformed digit grouping in '" + std::string(*s) + "'";
        return false;
      }
      saw_comma = true;
      group_len = 0;
    } else {
      break;
    }
    ++i;
  }
  if (digits.empty()) {
    *err = "expected a number";
    return false;
  }
  if (saw_comma && group_len != 3) {
    *err = "malformed digit grouping in '" + std::string(*s) + "'";
    return false;
  }
  if (i < s->size() && (*s)[i] == '.' && i + 1 < s->size() && (*s)[i + 1] >= '0' &&
      (*s)[i + 1] <= '9') {
    digits.push_back('.');
    ++i;
    while (i < s->size() && (*s)[i] >= '0' && (*s)[i] <= '9') digits.push_back((*s)[i++]);
  }
  size_t significant = digits.size() - (digits.find('.') == std::string::npos ? 0 : 1);
  if (significant > kMaxDigits) {
    *err = "number has more than 15 digits";
    return false;
  }
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), *out);
  if (ec != std::errc() || ptr != digits.data() + digits.size()) {
    *err = "expected a number";
    return false;
  }
  s->remove_prefix(i);
  return true;
}

struct Multiplier {
  std::string_view word;
  double factor;
};
constexpr std::array<Multiplier, 4> kMultipliers = {
    {{"兆", 1e12}, {"億", 1e8}, {"万", 1e4}, {"千", 1e3}}};

// "1億2,000万" → 120000000: decimals joined by descending multipliers.
bool ParseMagnitude(std::string_view* s, double* out, std::string* err) {
  double total = 0;
  double last_factor = INFINITY;
  while (true) {
    double part;
    if (!ParseDecimal(s, &part, err)) return false;
    double factor = 1;
    for (const Multiplier& m : kMultipliers) {
      if (ConsumePrefix(s, m.word)) {
        factor = m.factor;
        break;
      }
    }
    if (factor >= last_factor) {
      *err = "multipliers out of order";
      return false;
    }
    total += part * factor;
    last_factor = factor;
    if (factor == 1 || s->empty() || (*s)[0] < '0' || (*s)[0] > '9') break;
  }
  *out = total;
  return true;
}

Bound ConsumeBound(std::string_view* s) {
  if (ConsumeSuffix(s, "以上") || ConsumeSuffix(s, "超")) return Bound::kAtLeast;
  if (ConsumeSuffix(s, "以下") || ConsumeSuffix(s, "未満")) return Bound::kAtMost;
  return Bound::kNone;
}

CellValue Unparseable(std::string error) {
  CellValue v;
  v.status = CellStatus::kUnparseable;
  v.error = std::move(error);
  return v;
}

}  // namespace

std::string CanonicalUnit(std::string_view unit) {
  static constexpr std::array<std::string_view, 8> kPlaces = {"か所", "箇所", "ヶ所", "カ所",
                                                              "ケ所", "ヵ所", "個所", "ｶ所"};
  if (OneOf(unit, kPlaces)) return "か所";
  if (unit == "名") return "人";
  if (unit == "％" || unit == "パーセント") return "%";
  return std::string(unit);
}

Result<Quantity> ParseJapaneseNumber(std::string_view text) {
  std::string folded = WithoutSpaces(FoldWidth(text));
  std::string_view s = folded;
  bool negative = false;
  if (ConsumePrefix(&s, "-") || ConsumePrefix(&s, "\u2212") || ConsumePrefix(&s, "▲") ||
      ConsumePrefix(&s, "△")) {
    negative = true;
  } else {
    ConsumePrefix(&s, "+");
  }
  double value;
  std::string err;
  if (!ParseMagnitude(&s, &value, &err)) return Status::InvalidArgument(err);
  Status unit_ok = CheckUnit(s);
  if (!unit_ok.ok()) return unit_ok;
  Quantity q;
  q.value = negative ? -value : value;
  q.unit = CanonicalUnit(s);
  return q;
}

namespace {

bool HasDigit(std::string_view s) {
  return s.find_first_of("0123456789") != std::string_view::npos;
}

// Splits a parenthesized tail "(平成20年)" off |s| after a number.
std::string SplitParenNote(std::string_view* s) {
  if (!s->empty() && s->back() == ')') {
    size_t open = s->rfind('(');
    if (open != std::string_view::npos && open > 0 && HasDigit(s->substr(0, open)) &&
        s->substr(open + 1).find('(') == std::string_view::npos) {
      std::string note(s->substr(open));
      *s = s->substr(0, open);
      return note;
    }
  }
  return "";
}

// Splits a trailing note off |s| (already width-folded, spaceless): a
// parenthesized tail "(平成20年)", a "※…" tail after the number, or both
// ("35.9%(平成25年度)※3" → "(平成25年度)※3"). Returns the note, "" when there
// is none.
std::string SplitNote(std::string_view* s) {
  std::string paren = SplitParenNote(s);
  if (!paren.empty()) return paren;
  constexpr std::string_view kMark = "※";
  size_t mark = s->find(kMark);
  if (mark != std::string_view::npos && mark > 0 && mark + kMark.size() < s->size() &&
      HasDigit(s->substr(0, mark))) {
    std::string note(s->substr(mark));
    *s = s->substr(0, mark);
    return SplitParenNote(s) + note;
  }
  return "";
}

}  // namespace

std::string CellNote(std::string_view raw) {
  if (FindInvalidUtf8(raw) != std::string_view::npos || HasControls(raw)) return "";
  std::string folded = WithoutSpaces(FoldWidth(TrimSpace(raw)));
  std::string_view s = folded;
  while (ConsumePrefix(&s, "※") || ConsumePrefix(&s, "*")) {
  }
  return SplitNote(&s);
}

CellValue ParseCell(std::string_view raw) {
  if (FindInvalidUtf8(raw) != std::string_view::npos) return Unparseable("not valid UTF-8");
  if (HasControls(raw)) return Unparseable("contains a control character");
  std::string folded = WithoutSpaces(FoldWidth(TrimSpace(raw)));
  std::string_view s = folded;
  CellValue v;
  if (s.empty()) return v;  // missing
  if (IsDashOnly(s)) {
    v.status = CellStatus::kNotAvailable;
    return v;
  }
  if (IsSurveyDone(s)) {
    v.status = CellStatus::kSurveyDone;
    return v;
  }
  while (ConsumePrefix(&s, "※") || ConsumePrefix(&s, "*")) v.annotated = true;
  v.note = SplitNote(&s);
  if (v.note.rfind("※", 0) == 0 || v.note.find(")※") != std::string::npos) v.annotated = true;
  while (ConsumeSuffix(&s, "※") || ConsumeSuffix(&s, "*")) v.annotated = true;
  // 延べ 5: a total over the plan period so far, as 累計.
  if (ConsumePrefix(&s, "累計") || ConsumePrefix(&s, "延べ")) v.cumulative = true;
  if (ConsumePrefix(&s, "年間") || ConsumePrefix(&s, "毎年") || ConsumePrefix(&s, "年")) {
    v.per_year = true;
  }
  if (std::optional<bool> b = ParseBoolean(s)) {
    v.status = CellStatus::kBoolean;
    v.value = *b ? 1.0 : 0.0;
    return v;
  }
  if (s.empty()) return Unparseable("expected a number after '" + folded + "'");
  v.bound = ConsumeBound(&s);
  Result<Quantity> q = ParseJapaneseNumber(s);
  if (!q.ok()) {
    std::string why = q.status().message();
    // Appended, not `"'" + …`: GCC 12 at -O3 warns -Wrestrict on that (a false positive).
    std::string message = "'";
    message.append(EscapeControls(TrimSpace(raw)));
    message.append("': ").append(why).append(
        " (expected a number with a unit such as 5,070人, a status such as アンケート調査済 or —, "
        "or "
        "有り/無し)");
    return Unparseable(message);
  }
  v.status = CellStatus::kValue;
  v.value = q->value;
  v.unit = std::move(q->unit);
  return v;
}

Result<int> ParseEraYear(std::string_view text) {
  std::string folded = WithoutSpaces(FoldWidth(TrimSpace(text)));
  std::string_view s = folded;
  if (!ConsumeSuffix(&s, "年度")) ConsumeSuffix(&s, "年");
  struct Era {
    std::string_view prefix;
    int base;  // Western year of era year 0
    int max;   // last fiscal year number in the era
  };
  static constexpr std::array<Era, 8> kEras = {{{"令和", 2018, 99},
                                                {"R", 2018, 99},
                                                {"r", 2018, 99},
                                                {"平成", 1988, 31},
                                                {"H", 1988, 31},
                                                {"h", 1988, 31},
                                                {"昭和", 1925, 64},
                                                {"S", 1925, 64}}};
  auto fail = [&]() -> Result<int> {
    return Status::InvalidArgument("unknown fiscal year '" + EscapeControls(TrimSpace(text)) +
                                   "' (expected e.g. 令和2年度, R2, 平成30年度 or 2020年度)");
  };
  auto parse_int = [](std::string_view digits, int* out) {
    if (digits.empty() || digits.size() > 4) return false;
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), *out);
    return ec == std::errc() && ptr == digits.data() + digits.size();
  };
  for (const Era& era : kEras) {
    if (!ConsumePrefix(&s, era.prefix)) continue;
    int n;
    if (s == "元") {
      n = 1;
    } else if (!parse_int(s, &n)) {
      return fail();
    }
    if (n < 1 || n > era.max) return fail();
    return era.base + n;
  }
  if (!ConsumePrefix(&s, "FY")) ConsumePrefix(&s, "fy");
  int year;
  if (s.size() != 4 || !parse_int(s, &year) || year < 1900 || year > 2200) return fail();
  return year;
}

std::string FormatEraYear(int fiscal_year) {
  auto with_era = [](const char* era, int n) {
    return std::string(era) + (n == 1 ? std::string("元") : std::to_string(n)) + "年度";
  };
  if (fiscal_year >= 2019) return with_era("令和", fiscal_year - 2018);
  if (fiscal_year >= 1989) return with_era("平成", fiscal_year - 1988);
  if (fiscal_year >= 1926) return with_era("昭和", fiscal_year - 1925);
  return std::to_string(fiscal_year) + "年度";
}

const char* StatusName(CellStatus status) {
  switch (status) {
    case CellStatus::kValue:
      return "value";
    case CellStatus::kMissing:
      return "missing";
    case CellStatus::kSurveyDone:
      return "survey_done";
    case CellStatus::kNotAvailable:
      return "not_available";
    case CellStatus::kBoolean:
      return "boolean";
    case CellStatus::kUnparseable:
      return "unparseable";
    case CellStatus::kNone:
      return "none";
    case CellStatus::kText:
      return "text";
  }
  return "unparseable";
}

std::optional<CellStatus> StatusFromName(std::string_view name) {
  for (CellStatus s : {CellStatus::kValue, CellStatus::kMissing, CellStatus::kSurveyDone,
                       CellStatus::kNotAvailable, CellStatus::kBoolean, CellStatus::kUnparseable,
                       CellStatus::kNone, CellStatus::kText}) {
    if (name == StatusName(s)) return s;
  }
  return std::nullopt;
}

}  // namespace shihyo
