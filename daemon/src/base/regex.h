// A compiled PCRE2 regular expression in UTF mode, so that Japanese character
// classes like [件人] match characters, not bytes. Immutable after Compile;
// Search is thread-safe.
#pragma once

#include <memory>
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

  // True when the pattern matches anywhere in |subject| (valid UTF-8).
  bool Search(std::string_view subject) const;

  const std::string& pattern() const { return pattern_; }

 private:
  Regex(std::string pattern, void* code) : pattern_(std::move(pattern)), code_(code) {}
  std::string pattern_;
  void* code_;  // pcre2_code*
};

}  // namespace shihyo
