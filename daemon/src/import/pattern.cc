#include "import/pattern.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "base/regex.h"
#include "base/text.h"

namespace shihyo {

namespace {

std::string Group(pcre2_match_data* md, int rc, int index, std::string_view subject) {
  if (index < 0 || index >= rc) return "";
  PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md);
  if (ov[2 * index] == PCRE2_UNSET) return "";
  return std::string(subject.substr(ov[2 * index], ov[2 * index + 1] - ov[2 * index]));
}

// The limits base/regex sets: a layout pattern that backtracks
// catastrophically on a hostile cell stops there instead of hanging the
// import. Created once, read-only afterwards; never freed.
pcre2_match_context* BoundedContext() {
  static pcre2_match_context* const context = [] {
    pcre2_match_context* c = pcre2_match_context_create(nullptr);
    if (c != nullptr) {
      pcre2_set_match_limit(c, Regex::kMatchLimit);
      pcre2_set_depth_limit(c, Regex::kDepthLimit);
    }
    return c;
  }();
  return context;
}

}  // namespace

Result<std::shared_ptr<const Pattern>> Pattern::Compile(const std::string& pattern,
                                                        size_t* error_at) {
  int error = 0;
  PCRE2_SIZE offset = 0;
  pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                                   PCRE2_UTF | PCRE2_UCP, &error, &offset, nullptr);
  if (code == nullptr) {
    PCRE2_UCHAR buf[256];
    pcre2_get_error_message(error, buf, sizeof buf);
    if (error_at) *error_at = CharOffset(pattern, offset);
    return Status::InvalidArgument(reinterpret_cast<char*>(buf));
  }
  return std::shared_ptr<const Pattern>(new Pattern(pattern, code));
}

Pattern::~Pattern() { pcre2_code_free(static_cast<pcre2_code*>(code_)); }

std::optional<Pattern::Captures> Pattern::Match(std::string_view subject) const {
  auto* code = static_cast<pcre2_code*>(code_);
  pcre2_match_data* md = pcre2_match_data_create_from_pattern(code, nullptr);
  int rc = pcre2_match(code, reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(), 0, 0, md,
                       BoundedContext());
  if (rc < 0) {
    pcre2_match_data_free(md);
    return std::nullopt;
  }
  if (rc == 0) rc = static_cast<int>(pcre2_get_ovector_count(md));
  Captures c;
  c.whole = Group(md, rc, 0, subject);
  int name = pcre2_substring_number_from_name(code, reinterpret_cast<PCRE2_SPTR>("name"));
  int code_group = pcre2_substring_number_from_name(code, reinterpret_cast<PCRE2_SPTR>("code"));
  c.name = Group(md, rc, name > 0 ? name : (code_group == 1 ? -1 : 1), subject);
  if (code_group > 0) c.code = Group(md, rc, code_group, subject);
  pcre2_match_data_free(md);
  return c;
}

}  // namespace shihyo
