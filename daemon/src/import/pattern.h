// A PCRE2 pattern (UTF mode) for layout files, with the captures a layout
// reads names from: group "name" (or group 1) and group "code". Immutable
// after Compile; thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace shihyo {

class Pattern {
 public:
  struct Captures {
    std::string whole;
    std::string name;  // group "name", else group 1, else ""
    std::string code;  // group "code", else ""
  };

  // Compiles |pattern|; on error |*error_at| is the character offset where
  // PCRE2 stopped.
  static Result<std::shared_ptr<const Pattern>> Compile(const std::string& pattern,
                                                        size_t* error_at);

  ~Pattern();
  Pattern(const Pattern&) = delete;
  Pattern& operator=(const Pattern&) = delete;

  // The match in |subject| (valid UTF-8), or nullopt.
  std::optional<Captures> Match(std::string_view subject) const;
  bool Search(std::string_view subject) const { return Match(subject).has_value(); }

  const std::string& text() const { return text_; }

 private:
  Pattern(std::string text, void* code) : text_(std::move(text)), code_(code) {}
  std::string text_;
  void* code_;  // pcre2_code*
};

}  // namespace shihyo
