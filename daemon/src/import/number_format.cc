#include "import/number_format.h"

#include <cmath>
#include <cstdio>
#include <vector>

namespace shihyo {

namespace {

// A format section split into literal text and placeholder tokens.
struct Token {
  bool literal = false;
  std::string text;
};

std::vector<std::string> Sections(std::string_view code) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (size_t i = 0; i < code.size(); ++i) {
    char c = code[i];
    if (c == '"') quoted = !quoted;
    if (!quoted && c == '\\' && i + 1 < code.size()) {
      out.back() += code.substr(i, 2);
      ++i;
      continue;
    }
    if (!quoted && c == ';') {
      out.emplace_back();
      continue;
    }
    out.back() += c;
  }
  return out;
}

// Tokens of one section: literals ("人", \x, text in quotes) and single
// placeholder characters; brackets, fill (*x) and padding (_x) dropped.
std::vector<Token> Tokenize(std::string_view s) {
  std::vector<Token> out;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '"') {
      size_t end = s.find('"', i + 1);
      if (end == std::string_view::npos) end = s.size();
      out.push_back({true, std::string(s.substr(i + 1, end - i - 1))});
      i = end;
    } else if (c == '[') {
      size_t end = s.find(']', i);
      i = end == std::string_view::npos ? s.size() : end;
    } else if ((c == '\\' || c == '*' || c == '_') && i + 1 < s.size()) {
      size_t len = 1;
      while (i + 1 + len < s.size() &&
             (static_cast<unsigned char>(s[i + 1 + len]) & 0xC0) == 0x80) {
        ++len;
      }
      if (c == '\\') out.push_back({true, std::string(s.substr(i + 1, len))});
      if (c == '_') out.push_back({true, " "});
      i += len;
    } else if (std::string_view("0#?.,%Ee+-yYmMdDhHsSgGaA/:@").find(c) != std::string_view::npos &&
               !(c == '-' || c == '+' || c == '/' || c == ':')) {
      out.push_back({false, std::string(1, c)});
    } else {
      out.push_back({true, std::string(1, c)});
    }
  }
  return out;
}

std::string General(double v) {
  if (std::isnan(v) || std::isinf(v)) return "#NUM!";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  return buf;
}

bool IsDateToken(const Token& t) {
  return !t.literal && std::string_view("yYmMdDhHsSgGeE").find(t.text[0]) != std::string_view::npos;
}

bool HasDigits(const std::vector<Token>& tokens) {
  for (const Token& t : tokens) {
    if (!t.literal && (t.text == "0" || t.text == "#" || t.text == "?")) return true;
  }
  return false;
}

struct Digits {
  int min_int = 0;
  int min_dec = 0;
  int max_dec = 0;
  bool thousands = false;
  int percent = 0;
};

Digits ReadDigits(const std::vector<Token>& tokens) {
  Digits d;
  bool decimals = false;
  for (const Token& t : tokens) {
    if (t.literal) continue;
    char c = t.text[0];
    if (c == '.') decimals = true;
    if (c == ',' && !decimals) d.thousands = true;
    if (c == '%') ++d.percent;
    bool digit = c == '0' || c == '?' || c == '#';
    if (digit && decimals) {
      ++d.max_dec;
      if (c != '#') ++d.min_dec;
    }
    if (digit && !decimals && c != '#') ++d.min_int;
  }
  return d;
}

std::string Group(const std::string& digits) {
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string RenderDigits(double v, const Digits& d) {
  for (int i = 0; i < d.percent; ++i) v *= 100;
  char buf[400];
  if (std::fabs(v) >= 1e300) return General(v);
  std::snprintf(buf, sizeof buf, "%.*f", d.max_dec, std::fabs(v));
  std::string s = buf;
  size_t dot = s.find('.');
  std::string int_part = s.substr(0, dot);
  std::string dec = dot == std::string::npos ? "" : s.substr(dot + 1);
  while (static_cast<int>(dec.size()) > d.min_dec && !dec.empty() && dec.back() == '0') {
    dec.pop_back();
  }
  if (int_part == "0" && d.min_int == 0) int_part.clear();
  if (static_cast<int>(int_part.size()) < d.min_int) {
    int_part = std::string(static_cast<size_t>(d.min_int) - int_part.size(), '0') + int_part;
  }
  if (d.thousands) int_part = Group(int_part);
  return dec.empty() ? int_part : int_part + "." + dec;
}

std::string RenderNumber(double v, const std::vector<Token>& tokens) {
  std::string digits = RenderDigits(v, ReadDigits(tokens));
  std::string out;
  bool placed = false;
  for (const Token& t : tokens) {
    bool placeholder =
        !t.literal && std::string_view("0#?.,").find(t.text[0]) != std::string_view::npos;
    if (placeholder) {
      if (!placed) out += digits;
      placed = true;
    } else if (t.literal || t.text == "%") {
      out += t.text;
    }
  }
  return out;
}

struct Civil {
  int y = 1900, m = 1, d = 1, hour = 0, minute = 0, second = 0;
};

// Serial days to a civil date (days_from_civil inverted, proleptic Gregorian).
Civil ToCivil(double serial, bool date1904) {
  double days = std::floor(serial);
  long long z = static_cast<long long>(days) + (date1904 ? 1462 : 0);
  if (!date1904 && z < 61) ++z;  // Excel's 1900-02-29 that never was
  z += 719468 - 25569;           // days since 0000-03-01, from days since 1899-12-30
  Civil c;
  long long era = (z >= 0 ? z : z - 146096) / 146097;
  long long doe = z - era * 146097;
  long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  long long mp = (5 * doy + 2) / 153;
  c.d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  c.m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  c.y = static_cast<int>(yoe + era * 400 + (c.m <= 2 ? 1 : 0));
  long long secs = std::llround((serial - days) * 86400);
  c.hour = static_cast<int>(secs / 3600 % 24);
  c.minute = static_cast<int>(secs / 60 % 60);
  c.second = static_cast<int>(secs % 60);
  return c;
}

// 和暦: the era of a date, its year in that era, and its names.
struct Era {
  const char* letter;
  const char* kanji1;
  const char* name;
  int start;  // yyyymmdd
};
constexpr Era kEras[] = {{"R", "令", "令和", 20190501},
                         {"H", "平", "平成", 19890108},
                         {"S", "昭", "昭和", 19261225},
                         {"T", "大", "大正", 19120730},
                         {"M", "明", "明治", 18680908}};

const Era* EraOf(const Civil& c, int* year) {
  int ymd = c.y * 10000 + c.m * 100 + c.d;
  for (const Era& e : kEras) {
    if (ymd >= e.start) {
      *year = c.y - e.start / 10000 + 1;
      return &e;
    }
  }
  *year = c.y;
  return nullptr;
}

std::string Pad(int v, size_t width) {
  std::string s = std::to_string(v);
  if (s.size() < width) s = std::string(width - s.size(), '0') + s;
  return s;
}

std::string DatePart(char ch, size_t n, const Civil& c, bool minute) {
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  int era_year = 0;
  const Era* era = EraOf(c, &era_year);
  switch (ch) {
    case 'y':
      return n <= 2 ? Pad(c.y % 100, 2) : std::to_string(c.y);
    case 'm':
      if (minute) return Pad(c.minute, n);
      return n >= 3 ? kMonths[c.m - 1] : Pad(c.m, n);
    case 'd':
      return Pad(c.d, n);
    case 'h':
      return Pad(c.hour, n);
    case 's':
      return Pad(c.second, n);
    case 'e':
      return Pad(era_year, n);
    case 'g':
      if (era == nullptr) return "";
      return n == 1 ? era->letter : n == 2 ? era->kanji1 : era->name;
  }
  return "";
}

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string FormatDate(double serial, const std::vector<Token>& tokens, bool date1904) {
  std::vector<Token> runs;
  for (const Token& t : tokens) {
    if (!t.literal && !runs.empty() && !runs.back().literal &&
        Lower(runs.back().text[0]) == Lower(t.text[0])) {
      runs.back().text += t.text;
    } else {
      runs.push_back(t);
    }
  }
  Civil c = ToCivil(serial, date1904);
  std::string out;
  char previous = 0;
  for (size_t i = 0; i < runs.size(); ++i) {
    if (runs[i].literal) {
      out += runs[i].text;
      continue;
    }
    char ch = Lower(runs[i].text[0]);
    if (std::string_view("ymdhseg").find(ch) == std::string_view::npos) {
      out += runs[i].text;  // '.', ',' and the like between date parts
      continue;
    }
    char next = 0;
    for (size_t j = i + 1; j < runs.size() && next == 0; ++j) {
      if (!runs[j].literal) next = Lower(runs[j].text[0]);
    }
    out += DatePart(ch, runs[i].text.size(), c, ch == 'm' && (previous == 'h' || next == 's'));
    previous = ch;
  }
  return out;
}

}  // namespace

std::string BuiltinNumberFormat(int id) {
  switch (id) {
    case 1:
      return "0";
    case 2:
      return "0.00";
    case 3:
      return "#,##0";
    case 4:
      return "#,##0.00";
    case 9:
      return "0%";
    case 10:
      return "0.00%";
    case 14:
      return "yyyy/m/d";
    case 20:
      return "h:mm";
    case 22:
      return "yyyy/m/d h:mm";
    case 27:
    case 30:
    case 36:
    case 50:
    case 57:
      return "ge.m.d";
    case 28:
    case 29:
    case 31:
    case 58:
      return "ggge\"年\"m\"月\"d\"日\"";
    case 37:
    case 38:
      return "#,##0;-#,##0";
    case 49:
      return "@";
  }
  return "General";
}

std::string FormatNumber(double value, std::string_view code, bool date1904) {
  std::vector<std::string> sections = Sections(code);
  size_t pick = 0;
  bool negative_section = false;
  if (value < 0 && sections.size() >= 2) pick = 1, negative_section = true;
  if (value == 0 && sections.size() >= 3) pick = 2;
  std::vector<Token> tokens = Tokenize(sections[pick]);
  std::string lower;
  for (char c : sections[pick])
    lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  if (lower.find("general") != std::string::npos || code.empty()) {
    return General(negative_section ? -value : value);
  }
  bool date = false;
  for (const Token& t : tokens) date = date || IsDateToken(t);
  if (date && !HasDigits(tokens)) {
    // Excel's dates run from serial 0 to 9999-12-31; outside, show the number.
    if (!(value >= 0 && value < 2958466)) return General(value);
    return FormatDate(value, tokens, date1904);
  }
  if (!HasDigits(tokens)) {
    std::string out;
    for (const Token& t : tokens) out += t.literal ? t.text : (t.text == "@" ? General(value) : "");
    return out;
  }
  std::string out = RenderNumber(value, tokens);
  return value < 0 && !negative_section ? "-" + out : out;
}

}  // namespace shihyo
