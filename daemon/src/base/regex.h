// A compiled PCRE2 regular expression in UTF mode, so that Japanese character
// classes like [件人] match characters, not bytes. Matching is bounded
// (kMatchLimit, kDepthLimit): a pattern that backtracks catastrophically is an
// error, never a silent non-match. Immutable after Compile (but for the error
// counter); Match and Search are thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "base/status.h"

namespace shihyo {

class Regex {
 public:
  // Compiles |pattern|. On error the message says what PCRE2 found wrong and
  // |*error_at| (if given) the character offset (0-based) where it stopped.
  static Result<std::shared_ptr<const Regex>> Compile(const std::string& pattern,
                                                      size_t* error_at = nullptr);

  ~Regex();
  Regex(const Regex&) = delete;
  Regex& operator=(const Regex&) = delete;

  // PCRE2's match and depth (backtracking memory) limits for one match:
  // far above what a label or indicator name needs, far below a hang.
  static constexpr uint32_t kMatchLimit = 1'000'000;
  static constexpr uint32_t kDepthLimit = 10'000;

  // Whether the pattern matches anywhere in |subject| (valid UTF-8). When
  // PCRE2 cannot decide (match or depth limit hit, invalid UTF-8), returns
  // kInvalidArgument naming the pattern and what went wrong: the caller must
  // treat it as an error, not as "no match".
  Result<bool> Match(std::string_view subject) const;

  // Match() for callers that cannot report an error yet: false on an error,
  // which is also counted in error_count() and kept in last_error().
  // Prefer Match().
  bool Search(std::string_view subject) const;

  // How many Search() calls ended in an error, and the latest message ("" if
  // none): for a caller to notice after the fact.
  uint64_t error_count() const { return errors_.load(); }
  std::string last_error() const;

  const std::string& pattern() const { return pattern_; }

 private:
  Regex(std::string pattern, void* code, void* context);
  std::string pattern_;
  void* code_;     // pcre2_code*
  void* context_;  // pcre2_match_context*, with the limits
  mutable std::atomic<uint64_t> errors_{0};
  mutable std::mutex mu_;
  mutable std::string last_error_;  // guarded by mu_
};

}  // namespace shihyo
