#include "eval/finding_json.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>

#include "base/text.h"
#include "eval/checks/check.h"
#include "model/value_parser.h"

namespace shihyo {

namespace {

bool IsContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// The length of the well-formed UTF-8 sequence at |p| (|left| bytes
// readable), or 0: RFC 3629, no overlong forms, no surrogates.
size_t Utf8SequenceAt(const unsigned char* p, size_t left) {
  unsigned char c = p[0];
  size_t len = c >= 0xC2 && c <= 0xDF   ? 2
               : c >= 0xE0 && c <= 0xEF ? 3
               : c >= 0xF0 && c <= 0xF4 ? 4
                                        : 0;
  if (len == 0 || len > left) return 0;
  unsigned char lo = 0x80, hi = 0xBF;  // the second byte's range
  if (c == 0xE0) lo = 0xA0;
  if (c == 0xED) hi = 0x9F;
  if (c == 0xF0) lo = 0x90;
  if (c == 0xF4) hi = 0x8F;
  if (p[1] < lo || p[1] > hi) return 0;
  for (size_t k = 2; k < len; ++k) {
    if (!IsContinuation(p[k])) return 0;
  }
  return len;
}

// AppendString the long way: what nlohmann writes for text with escapes,
// its error for text that is not UTF-8.
void AppendStringSlow(std::string_view s, std::string* out) {
  bool ascii = true;
  for (unsigned char c : s) {
    if (c < 0x20 || c == '"' || c == '\\') {
      *out += nlohmann::json(std::string(s)).dump();
      return;
    }
    ascii = ascii && c < 0x80;
  }
  if (!ascii && FindInvalidUtf8(s) != std::string_view::npos) {
    *out += nlohmann::json(std::string(s)).dump();  // throws type_error 316
    return;
  }
  out->push_back('"');
  out->append(s);
  out->push_back('"');
}

// Whether none of the 8 bytes of |w| needs a look: all ASCII, none a
// control character, '"' or '\\'.
bool PlainWord(uint64_t w) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
  auto has_zero = [](uint64_t v) { return (v - kOnes) & ~v & kHigh; };
  uint64_t below_space = (w - kOnes * 0x20) & ~w & kHigh;
  return (w & kHigh) == 0 && below_space == 0 && has_zero(w ^ (kOnes * '"')) == 0 &&
         has_zero(w ^ (kOnes * '\\')) == 0;
}

// |s| as nlohmann's dump() writes a string: quoted, '"', '\\' and control
// characters escaped, UTF-8 kept. One pass for the usual text.
void AppendString(std::string_view s, std::string* out) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t n = s.size();
  for (size_t i = 0; i < n;) {
    if (i + 8 <= n) {
      uint64_t w;
      std::memcpy(&w, p + i, 8);
      if (PlainWord(w)) {
        i += 8;
        continue;
      }
    }
    unsigned char c = p[i];
    if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
      ++i;
      continue;
    }
    size_t len = c >= 0x80 ? Utf8SequenceAt(p + i, n - i) : 0;
    if (len == 0) return AppendStringSlow(s, out);  // an escape, or not UTF-8
    i += len;
  }
  out->push_back('"');
  out->append(s);
  out->push_back('"');
}

void AppendInt(int64_t v, std::string* out) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out->append(buf, r.ptr);
}

// NumberJson(v), dumped.
void AppendNumber(std::optional<double> v, std::string* out) {
  if (!v || !std::isfinite(*v)) {
    *out += "null";
  } else if (std::floor(*v) == *v && std::fabs(*v) < 9e15) {
    AppendInt(static_cast<int64_t>(*v), out);
  } else {
    char buf[64];
    char* end = nlohmann::detail::to_chars(buf, buf + sizeof buf, *v);
    out->append(buf, end);
  }
}

void AppendOrNull(const std::string& s, std::string* out) {
  if (s.empty()) {
    *out += "null";
  } else {
    AppendString(s, out);
  }
}

// AppendString(s), or "s" without a look when |s| is |*plain|, the last
// text it wrote without escapes.
void AppendKnown(std::string_view s, std::string* plain, std::string* out) {
  if (s == *plain) {
    out->push_back('"');
    out->append(s);
    out->push_back('"');
    return;
  }
  size_t before = out->size();
  AppendString(s, out);
  if (out->size() == before + s.size() + 2) plain->assign(s);  // an escape adds characters
}

void AppendKnownOrNull(const std::string& s, std::string* plain, std::string* out) {
  if (s.empty()) {
    *out += "null";
  } else {
    AppendKnown(s, plain, out);
  }
}

// An object or array pretty-printed as nlohmann does with indent 2 at |depth|.
class Container {
 public:
  Container(std::string* out, int depth, char open, char close)
      : out_(out), depth_(depth), close_(close) {
    out_->push_back(open);
  }
  // Starts the next member or element; the caller appends its value.
  std::string* Next() {
    *out_ += first_ ? "\n" : ",\n";
    first_ = false;
    out_->append(2 * static_cast<size_t>(depth_ + 1), ' ');
    return out_;
  }
  std::string* Key(std::string_view key) {
    AppendString(key, Next());
    *out_ += ": ";
    return out_;
  }
  // A key of this file: plain ASCII, written without a look.
  template <size_t N>
  std::string* Key(const char (&key)[N]) {
    Next()->push_back('"');
    out_->append(key, N - 1).append("\": ");
    return out_;
  }
  void Close() {
    if (!first_) {
      out_->push_back('\n');
      out_->append(2 * static_cast<size_t>(depth_), ' ');
    }
    out_->push_back(close_);
  }
  int inner() const { return depth_ + 1; }

 private:
  std::string* out_;
  int depth_;
  char close_;
  bool first_ = true;
};

void AppendStrings(const std::vector<std::string>& items, int depth, std::string* out) {
  Container a(out, depth, '[', ']');
  for (const std::string& s : items) AppendString(s, a.Next());
  a.Close();
}

// CellJson(raw, cell), with "fiscal_year" when |fiscal_year| is set.
void AppendCell(const std::string& raw, const CellValue& cell, const int* fiscal_year, int depth,
                std::string* out) {
  Container o(out, depth, '{', '}');
  *o.Key("annotated") += cell.annotated ? "true" : "false";
  if (fiscal_year) AppendInt(*fiscal_year, o.Key("fiscal_year"));
  AppendString(raw, o.Key("raw"));
  AppendString(StatusName(cell.status), o.Key("status"));
  AppendOrNull(cell.unit, o.Key("unit"));
  AppendNumber(cell.value, o.Key("value"));
  o.Close();
}

// The figures as an object: sorted by name, the last of equal names kept.
void AppendFigures(const std::vector<Figure>& figures, int depth, std::string* out) {
  std::vector<const Figure*> sorted;
  sorted.reserve(figures.size());
  for (const Figure& f : figures) sorted.push_back(&f);
  // Insertion sort: a few figures, often in order already. Stable.
  for (size_t i = 1; i < sorted.size(); ++i) {
    for (size_t j = i; j > 0 && sorted[j]->name < sorted[j - 1]->name; --j) {
      std::swap(sorted[j], sorted[j - 1]);
    }
  }
  Container o(out, depth, '{', '}');
  for (size_t i = 0; i < sorted.size(); ++i) {
    const Figure& fig = *sorted[i];
    if (i + 1 < sorted.size() && sorted[i + 1]->name == fig.name) continue;
    std::string* value = o.Key(fig.name);
    if (const double* d = std::get_if<double>(&fig.value)) {
      if (std::isfinite(*d)) {
        AppendNumber(std::round(*d * 1e6) / 1e6, value);
      } else {
        AppendString(FormatNumber(*d), value);  // —, ∞ or -∞
      }
    } else {
      AppendString(std::get<std::string>(fig.value), value);
    }
  }
  o.Close();
}

// EvidenceJson(f) of the findings about |ind|, dumped, cut where their
// figures go.
void EvidenceParts(const Indicator* ind, int depth, std::string* text, size_t* cut) {
  text->clear();  // its room is kept for the next indicator
  Container o(text, depth, '{', '}');
  if (ind) {
    AppendString(AggregationName(ind->aggregation), o.Key("aggregation"));
    AppendString(DirectionName(ind->direction), o.Key("direction"));
  }
  o.Key("figures");
  *cut = text->size();
  if (ind) {
    if (!ind->footnotes.empty()) AppendStrings(ind->footnotes, o.inner(), o.Key("footnotes"));
    Container series(o.Key("series"), o.inner(), '[', ']');
    for (const Observation& obs : ind->observations) {
      AppendCell(obs.raw, obs.cell, &obs.fiscal_year, series.inner(), series.Next());
    }
    series.Close();
    AppendCell(ind->target_raw, ind->target, nullptr, o.inner(), o.Key("target"));
  }
  o.Close();
}

// EvidenceJson(f), dumped.
void AppendEvidence(const Finding& f, int depth, std::string* out, FindingJsonCache* cache) {
  if (!cache->valid || cache->indicator != f.source || cache->depth != depth) {
    EvidenceParts(f.source, depth, &cache->evidence, &cache->cut);
    cache->valid = true;
    cache->indicator = f.source;
    cache->depth = depth;
  }
  out->append(cache->evidence, 0, cache->cut);
  AppendFigures(f.figures, depth + 1, out);
  out->append(cache->evidence, cache->cut);
}

}  // namespace

void AppendFindingJson(const Finding& f, int depth, std::string* out) {
  FindingJsonCache cache;
  AppendFindingJson(f, depth, out, &cache);
}

void AppendFindingJson(const Finding& f, int depth, std::string* out, FindingJsonCache* cache) {
  Container o(out, depth, '{', '}');
  AppendString(f.check, o.Key("check"));
  AppendKnownOrNull(f.department, &cache->plain[4], o.Key("department"));
  AppendEvidence(f, o.inner(), o.Key("evidence"), cache);
  AppendString(f.fingerprint, o.Key("fingerprint"));
  if (f.fiscal_year) {
    AppendInt(*f.fiscal_year, o.Key("fiscal_year"));
    AppendKnown(FormatEraYear(*f.fiscal_year), &cache->plain[5], o.Key("fiscal_year_era"));
  } else {
    *o.Key("fiscal_year") += "null";
    *o.Key("fiscal_year_era") += "null";
  }
  AppendKnown(f.indicator, &cache->plain[3], o.Key("indicator"));
  Container labels(o.Key("labels"), o.inner(), '{', '}');
  for (const auto& [k, v] : f.labels) AppendString(v, labels.Key(k));
  labels.Close();
  AppendKnownOrNull(f.measure, &cache->plain[2], o.Key("measure"));
  AppendString(f.message, o.Key("message"));
  AppendInt(f.ordinal, o.Key("ordinal"));
  AppendKnown(f.plan, &cache->plain[0], o.Key("plan"));
  AppendKnownOrNull(f.project, &cache->plain[1], o.Key("project"));
  AppendStrings(f.related, o.inner(), o.Key("related"));
  AppendString(f.rule, o.Key("rule"));
  AppendString(SeverityName(f.severity), o.Key("severity"));
  o.Close();
}

}  // namespace shihyo
