// TableDigest: what lets a re-import of an unchanged table skip its plan.
#include <openssl/evp.h>
#include <sys/stat.h>

#include <charconv>
#include <cstdio>

#include "store/store_rows.h"

namespace shihyo {

namespace {

// Appends length-prefixed fields, so that no two tables serialize alike.
class Canon {
 public:
  Canon() { out_.reserve(1 << 16); }  // a table's text is about this size
  Canon& operator<<(std::string_view s) {
    AppendDecimal(static_cast<int64_t>(s.size()));
    out_ += ':';
    out_ += s;
    return *this;
  }
  Canon& operator<<(int64_t n) {
    char digits[24];
    auto [end, ec] = std::to_chars(digits, digits + sizeof digits, n);
    return *this << std::string_view(digits, static_cast<size_t>(end - digits));
  }
  Canon& operator<<(const std::optional<TableYear>& y) {
    return y ? *this << int64_t{1} << int64_t{y->year} << int64_t(y->kind) : *this << int64_t{0};
  }
  template <typename T>
  Canon& operator<<(const std::vector<T>& items) {
    *this << static_cast<int64_t>(items.size());
    for (const T& item : items) *this << item;
    return *this;
  }
  Canon& operator<<(const TableYearValue& v) { return *this << std::optional(v.year) << v.raw; }
  Canon& operator<<(const TableNote& n) { return *this << n.label << n.text; }
  Canon& operator<<(const TableIndicator& i) {
    *this << i.name << i.target_raw << i.actual_raw << static_cast<int64_t>(i.in_table.size());
    for (bool in : i.in_table) *this << int64_t{in};
    return *this << int64_t{i.line} << i.code << i.unit << i.direction_raw << i.target_year
                 << i.baseline_raw << i.baseline_year << i.rate_raw << i.planned << i.notes;
  }
  Canon& operator<<(const TableMeasure& m) {
    return *this << m.marker << m.text << m.actual_header << m.footnotes << m.indicators
                 << int64_t{m.line};
  }
  Canon& operator<<(const TableProject& p) {
    return *this << int64_t{p.number} << p.heading << p.measures << int64_t{p.line};
  }
  Canon& operator<<(const std::string& s) { return *this << std::string_view(s); }
  Canon& operator<<(int n) { return *this << int64_t{n}; }

  const std::string& str() const { return out_; }

 private:
  // As std::to_string(n), without a temporary string.
  void AppendDecimal(int64_t n) {
    char digits[24];
    auto [end, ec] = std::to_chars(digits, digits + sizeof digits, n);
    out_.append(digits, static_cast<size_t>(end - digits));
  }

  std::string out_;
};

// This program's version and file: another build may read cells otherwise.
std::string BuildIdentity() {
  static const std::string identity = [] {
    struct stat st {};
    std::string id = SHIHYO_VERSION;
    if (stat("/proc/self/exe", &st) == 0) {
      for (int64_t n :
           {int64_t{st.st_size}, int64_t{st.st_mtim.tv_sec}, int64_t{st.st_mtim.tv_nsec}}) {
        id.append(" ").append(std::to_string(n));  // appended: GCC 12 -O3 -Wrestrict on `+`
      }
    }
    return id;
  }();
  return identity;
}

}  // namespace

std::string TableDigest(const ProgressTable& t) {
  Canon c;
  c << BuildIdentity() << t.layout << int64_t(t.year_kind)
    << static_cast<int64_t>(t.cell_words.size());
  for (const auto& [word, status] : t.cell_words) c << word << int64_t(status);
  c << t.title << t.fiscal_years << t.notes << t.projects;
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(c.str().data(), c.str().size(), md, &len, EVP_sha256(), nullptr);
  std::string hex;
  for (unsigned int i = 0; i < len; ++i) {
    char b[3];
    std::snprintf(b, sizeof b, "%02x", md[i]);
    hex += b;
  }
  return hex;
}

}  // namespace shihyo
