#include "base/regex.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "base/text.h"

namespace shihyo {

Result<std::shared_ptr<const Regex>> Regex::Compile(const std::string& pattern, size_t* error_at) {
  int error = 0;
  PCRE2_SIZE offset = 0;
  pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                                   PCRE2_UTF | PCRE2_UCP, &error, &offset, nullptr);
  if (code == nullptr) {
    PCRE2_UCHAR buf[256];
    pcre2_get_error_message(error, buf, sizeof buf);
    // PCRE2 reports a byte offset; a rule editor counts characters.
    if (error_at) *error_at = CharOffset(pattern, offset);
    return Status::InvalidArgument(reinterpret_cast<char*>(buf));
  }
  pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);  // optional speed-up; falls back silently
  pcre2_match_context* context = pcre2_match_context_create(nullptr);
  if (context == nullptr) {
    pcre2_code_free(code);
    return Status::IOError("out of memory compiling a regular expression");
  }
  // The JIT honours the match limit; the interpreter both (depth_limit is
  // its backtracking memory).
  pcre2_set_match_limit(context, kMatchLimit);
  pcre2_set_depth_limit(context, kDepthLimit);
  return std::shared_ptr<const Regex>(new Regex(pattern, code, context));
}

Regex::Regex(std::string pattern, void* code, void* context)
    : pattern_(std::move(pattern)), code_(code), context_(context) {}

Regex::~Regex() {
  pcre2_match_context_free(static_cast<pcre2_match_context*>(context_));
  pcre2_code_free(static_cast<pcre2_code*>(code_));
}

Result<bool> Regex::Match(std::string_view subject) const {
  auto* code = static_cast<pcre2_code*>(code_);
  pcre2_match_data* md = pcre2_match_data_create_from_pattern(code, nullptr);
  if (md == nullptr) return Status::IOError("out of memory matching /" + pattern_ + "/");
  int rc = pcre2_match(code, reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(), 0, 0, md,
                       static_cast<pcre2_match_context*>(context_));
  pcre2_match_data_free(md);
  if (rc >= 0) return true;
  if (rc == PCRE2_ERROR_NOMATCH) return false;
  PCRE2_UCHAR buf[256];
  pcre2_get_error_message(rc, buf, sizeof buf);
  return Status::InvalidArgument("regular expression /" + pattern_ +
                                 "/ could not be decided: " + reinterpret_cast<char*>(buf));
}

bool Regex::Search(std::string_view subject) const {
  Result<bool> m = Match(subject);
  if (m.ok()) return *m;
  errors_.fetch_add(1);
  std::lock_guard<std::mutex> lock(mu_);
  last_error_ = m.status().message();
  return false;
}

std::string Regex::last_error() const {
  std::lock_guard<std::mutex> lock(mu_);
  return last_error_;
}

}  // namespace shihyo
