#include "base/time_zone.h"

#include <algorithm>
#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>

namespace shihyo {

namespace {

using std::chrono::seconds;

// When a daylight saving rule switches, within a year (POSIX TZ "Mm.w.d",
// "Jn" or "n", then "/time").
struct When {
  char kind = 'M';  // 'M' month.week.day, 'J' 1..365 without Feb 29, 'N' 0..365
  int month = 0, week = 0, day = 0;
  int n = 0;
  int64_t time = 7200;  // seconds after local midnight (may be negative or past 24h)
};

}  // namespace

struct TimeZone::Rule {
  Info std_info;
  Info dst_info;
  bool has_dst = false;
  When start, end;
};

namespace {

// A UT offset as RFC 8536 allows one: -25 h < offset < 26 h (POSIX's
// 24:59:59 either way for a TZ string's).
bool SaneOffset(std::chrono::seconds offset) {
  return offset.count() >= -89999 && offset.count() <= 93599;
}

class TzStringParser {
 public:
  explicit TzStringParser(const std::string& s) : s_(s) {}

  std::optional<TimeZone::Rule> Parse() {
    TimeZone::Rule r;
    if (!Name(&r.std_info.abbrev) || !Offset(&r.std_info.offset) ||
        !SaneOffset(r.std_info.offset)) {
      return std::nullopt;
    }
    r.std_info.offset = -r.std_info.offset;  // POSIX counts west of UTC
    if (pos_ == s_.size()) return r;
    r.has_dst = true;
    if (!Name(&r.dst_info.abbrev)) return std::nullopt;
    r.dst_info.offset = r.std_info.offset + seconds(3600);
    if (pos_ < s_.size() && s_[pos_] != ',') {
      if (!Offset(&r.dst_info.offset) || !SaneOffset(r.dst_info.offset)) return std::nullopt;
      r.dst_info.offset = -r.dst_info.offset;
    }
    if (pos_ == s_.size()) {  // the US rules, POSIX's default
      r.start = When{'M', 3, 2, 0, 0, 7200};
      r.end = When{'M', 11, 1, 0, 0, 7200};
      return r;
    }
    if (!Eat(',') || !Date(&r.start) || !Eat(',') || !Date(&r.end) || pos_ != s_.size()) {
      return std::nullopt;
    }
    return r;
  }

 private:
  bool Eat(char c) {
    if (pos_ < s_.size() && s_[pos_] == c) return ++pos_, true;
    return false;
  }
  bool Name(std::string* out) {
    size_t start = pos_;
    if (Eat('<')) {
      size_t close = s_.find('>', pos_);
      if (close == std::string::npos) return false;
      *out = s_.substr(pos_, close - pos_);
      pos_ = close + 1;
      return !out->empty();
    }
    while (pos_ < s_.size() && std::isalpha(static_cast<unsigned char>(s_[pos_]))) ++pos_;
    *out = s_.substr(start, pos_ - start);
    return out->size() >= 3;
  }
  bool Number(int max, int* out) {
    size_t start = pos_;
    int v = 0;
    while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_])) && v <= max) {
      v = v * 10 + (s_[pos_++] - '0');
    }
    *out = v;
    return pos_ > start && v <= max;
  }
  // [+-]hh[:mm[:ss]], hours up to 167 (RFC 8536's extension).
  bool Offset(seconds* out) {
    int sign = Eat('-') ? -1 : (Eat('+'), 1);
    int h = 0, m = 0, sec = 0;
    if (!Number(167, &h)) return false;
    if (Eat(':') && (!Number(59, &m) || (Eat(':') && !Number(59, &sec)))) return false;
    *out = seconds(sign * (h * 3600 + m * 60 + sec));
    return true;
  }
  bool Date(When* w) {
    if (Eat('M')) {
      w->kind = 'M';
      if (!Number(12, &w->month) || !Eat('.') || !Number(5, &w->week) || !Eat('.') ||
          !Number(6, &w->day) || w->month < 1 || w->week < 1) {
        return false;
      }
    } else {
      w->kind = Eat('J') ? 'J' : 'N';
      if (!Number(365, &w->n) || (w->kind == 'J' && w->n < 1)) return false;
    }
    w->time = 7200;
    if (Eat('/')) {
      seconds t;
      if (!Offset(&t)) return false;
      w->time = t.count();
    }
    return true;
  }

  const std::string& s_;
  size_t pos_ = 0;
};

// Seconds since the epoch of local midnight starting the day |w| names in |year|.
int64_t RuleDay(const When& w, int year) {
  using namespace std::chrono;
  year_month_day jan1{std::chrono::year{year} / 1 / 1};
  sys_days day;
  if (w.kind == 'M') {
    sys_days first = sys_days{std::chrono::year{year} / w.month / 1};
    int wd = static_cast<int>(weekday{first}.c_encoding());
    int dom = 1 + (w.day - wd + 7) % 7 + (w.week - 1) * 7;
    unsigned month_days = static_cast<unsigned>(
        year_month_day_last{std::chrono::year{year} / month(w.month) / std::chrono::last}.day());
    while (dom > static_cast<int>(month_days)) dom -= 7;
    day = first + days(dom - 1);
  } else if (w.kind == 'J') {
    bool leap = jan1.year().is_leap();
    day = sys_days{jan1} + days(w.n - 1 + (leap && w.n >= 60 ? 1 : 0));
  } else {
    day = sys_days{jan1} + days(w.n);
  }
  return duration_cast<seconds>(day.time_since_epoch()).count();
}

TimeZone::Info RuleAt(const TimeZone::Rule& r, int64_t t) {
  if (!r.has_dst) return r.std_info;
  using namespace std::chrono;
  sys_days d{floor<days>(sys_seconds{seconds(t + r.std_info.offset.count())})};
  int year = static_cast<int>(year_month_day{d}.year());
  int64_t start = RuleDay(r.start, year) + r.start.time - r.std_info.offset.count();
  int64_t end = RuleDay(r.end, year) + r.end.time - r.dst_info.offset.count();
  bool dst = start < end ? (start <= t && t < end) : !(end <= t && t < start);
  return dst ? r.dst_info : r.std_info;
}

class Reader {
 public:
  Reader(const std::string& b, size_t pos) : b_(b), pos_(pos) {}
  bool Has(size_t n) const { return pos_ + n <= b_.size(); }
  int64_t Int(int size) {
    uint64_t v = 0;
    for (int i = 0; i < size; ++i) v = (v << 8) | static_cast<unsigned char>(b_[pos_++]);
    if (size == 4) return static_cast<int32_t>(static_cast<uint32_t>(v));
    return static_cast<int64_t>(v);
  }
  size_t pos() const { return pos_; }
  void Skip(size_t n) { pos_ += n; }

 private:
  const std::string& b_;
  size_t pos_;
};

struct Counts {
  int64_t isut, isstd, leap, time, type, chars;
  size_t BlockSize(int time_size) const {
    return time * time_size + time + type * 6 + chars + leap * (time_size + 4) + isstd + isut;
  }
};

std::optional<Counts> Header(const std::string& b, size_t pos) {
  if (b.size() < pos + 44 || b.compare(pos, 4, "TZif") != 0) return std::nullopt;
  Reader r(b, pos + 20);
  Counts c{r.Int(4), r.Int(4), r.Int(4), r.Int(4), r.Int(4), r.Int(4)};
  if (c.isut < 0 || c.isstd < 0 || c.leap < 0 || c.time < 0 || c.type < 1 || c.chars < 0 ||
      c.type > 256 || c.time > 100000 || c.chars > 10000 || c.leap > 10000) {
    return std::nullopt;
  }
  return c;
}

}  // namespace

Result<std::shared_ptr<const TimeZone>> TimeZone::FromTzif(const std::string& name,
                                                           const std::string& bytes) {
  auto bad = [&](const std::string& why) {
    return Status::InvalidArgument("'" + name + "' is not a time zone file (" + why + ")");
  };
  std::optional<Counts> c = Header(bytes, 0);
  if (!c) return bad("no TZif header");
  int time_size = 4;
  size_t pos = 44;
  if (bytes[4] >= '2') {  // skip the 32-bit block for the 64-bit one
    pos += c->BlockSize(4);
    c = Header(bytes, pos);
    if (!c) return bad("no second TZif header");
    pos += 44;
    time_size = 8;
  }
  if (bytes.size() < pos + c->BlockSize(time_size)) return bad("truncated");
  auto tz = std::make_shared<TimeZone>();
  tz->name_ = name;
  Reader r(bytes, pos);
  for (int64_t i = 0; i < c->time; ++i) tz->transitions_.push_back(r.Int(time_size));
  for (int64_t i = 0; i < c->time; ++i) {
    int type = static_cast<int>(r.Int(1) & 0xff);
    if (type >= c->type) return bad("a transition to an unknown type");
    tz->transition_types_.push_back(type);
  }
  std::vector<int> abbrev_at;
  for (int64_t i = 0; i < c->type; ++i) {
    Info info;
    info.offset = seconds(r.Int(4));
    if (!SaneOffset(info.offset)) return bad("a UT offset out of range");
    r.Skip(1);  // isdst
    abbrev_at.push_back(static_cast<int>(r.Int(1) & 0xff));
    tz->types_.push_back(info);
  }
  std::string chars = bytes.substr(r.pos(), c->chars);
  for (size_t i = 0; i < tz->types_.size(); ++i) {
    if (abbrev_at[i] >= static_cast<int>(chars.size())) return bad("a bad designation");
    tz->types_[i].abbrev = chars.substr(abbrev_at[i]).c_str();
  }
  if (!std::is_sorted(tz->transitions_.begin(), tz->transitions_.end())) {
    return bad("transitions out of order");
  }
  size_t footer = pos + c->BlockSize(time_size);
  if (time_size == 8 && footer < bytes.size() && bytes[footer] == '\n') {
    size_t end = bytes.find('\n', footer + 1);
    std::string text = bytes.substr(footer + 1, end == std::string::npos ? 0 : end - footer - 1);
    if (!text.empty()) {
      std::optional<Rule> rule = TzStringParser(text).Parse();
      if (!rule) return bad("an unreadable TZ string '" + text + "'");
      tz->footer_ = std::make_shared<Rule>(*rule);
    }
  }
  return std::shared_ptr<const TimeZone>(std::move(tz));
}

std::shared_ptr<const TimeZone> TimeZone::Fixed(const std::string& name, seconds offset,
                                                const std::string& abbrev) {
  auto tz = std::make_shared<TimeZone>();
  tz->name_ = name;
  tz->types_.push_back(Info{offset, abbrev});
  return tz;
}

TimeZone::Info TimeZone::At(std::chrono::system_clock::time_point t) const {
  int64_t s = std::chrono::floor<seconds>(t).time_since_epoch().count();
  if (transitions_.empty() || s < transitions_.front()) {
    if (transitions_.empty() && footer_) return RuleAt(*footer_, s);
    return types_.front();
  }
  if (s >= transitions_.back() && footer_) return RuleAt(*footer_, s);
  auto it = std::upper_bound(transitions_.begin(), transitions_.end(), s);
  return types_[transition_types_[(it - transitions_.begin()) - 1]];
}

Result<std::shared_ptr<const TimeZone>> LoadTimeZone(const std::string& name,
                                                     const std::string& dir) {
  const std::string hint = " (a tz database name such as Asia/Tokyo or UTC)";
  bool plain = !name.empty() && name[0] != '/' && name.find("..") == std::string::npos &&
               std::all_of(name.begin(), name.end(), [](char c) {
                 return std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '_' ||
                        c == '-' || c == '+' || c == '.';
               });
  if (!plain) return Status::InvalidArgument("'" + name + "' is not a time zone name" + hint);
  std::ifstream in(dir + "/" + name, std::ios::binary);
  std::ostringstream bytes;
  if (in) bytes << in.rdbuf();
  if (!in || bytes.str().empty()) {
    if (name == "Asia/Tokyo") return TimeZone::Fixed(name, seconds(9 * 3600), "JST");
    return Status::InvalidArgument("unknown time zone '" + name + "': not in " + dir + hint);
  }
  return TimeZone::FromTzif(name, bytes.str());
}

std::shared_ptr<const TimeZone> TokyoZone() {
  static const std::shared_ptr<const TimeZone> tokyo = []() {
    Result<std::shared_ptr<const TimeZone>> z = LoadTimeZone("Asia/Tokyo");
    return z.ok() ? *z : TimeZone::Fixed("Asia/Tokyo", seconds(32400), "JST");
  }();
  return tokyo;
}

namespace {

std::mutex display_mu;
std::shared_ptr<const TimeZone>& DisplaySlot() {
  static std::shared_ptr<const TimeZone> zone;
  return zone;
}

}  // namespace

void SetDisplayZone(std::shared_ptr<const TimeZone> zone) {
  std::lock_guard<std::mutex> lock(display_mu);
  DisplaySlot() = std::move(zone);
}

std::shared_ptr<const TimeZone> DisplayZone() {
  {
    std::lock_guard<std::mutex> lock(display_mu);
    if (DisplaySlot()) return DisplaySlot();
  }
  return TokyoZone();
}

}  // namespace shihyo
