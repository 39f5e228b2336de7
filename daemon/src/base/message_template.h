// A rule's message template, rendered with kainjow mustache: {{indicator}},
// {{fiscal_year_era}}, {{#previous}}…{{/previous}}. No HTML escaping (the
// email's HTML part escapes what it shows). Thread-compatible: Render reuses
// one parsed template, so one thread at a time.
#pragma once

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "base/status.h"

namespace shihyo {

class MessageTemplate {
 public:
  // Longest template and deepest {{#section}} nesting Compile accepts: the
  // mustache library's parse costs memory quadratic in the nesting depth.
  static constexpr size_t kMaxSourceBytes = 64 * 1024;
  static constexpr int kMaxSectionDepth = 16;

  // Parses |source| and checks that every placeholder is one of |known|,
  // that it is at most kMaxSourceBytes long and that sections nest at most
  // kMaxSectionDepth deep. On error, |*error_at| (if given) is the character
  // offset (0-based) of the offending tag when it is known.
  static Result<std::shared_ptr<const MessageTemplate>> Compile(const std::string& source,
                                                                const std::set<std::string>& known,
                                                                size_t* error_at = nullptr);

  // Renders with |values|; a missing or empty value renders as nothing and
  // makes {{#name}} sections disappear.
  std::string Render(const std::map<std::string, std::string>& values) const;

  // Renders with a JSON object: strings and numbers as values, arrays of
  // objects as {{#list}} sections, false/null/""/[] as falsey. With
  // |json_escape| every value is escaped for use inside a JSON string.
  std::string RenderJson(const nlohmann::json& data, bool json_escape) const;

  const std::string& source() const { return source_; }

  ~MessageTemplate();
  MessageTemplate(const MessageTemplate&) = delete;
  MessageTemplate& operator=(const MessageTemplate&) = delete;

 private:
  struct Parsed;
  MessageTemplate(std::string source, std::unique_ptr<Parsed> parsed);
  std::string source_;
  std::unique_ptr<Parsed> parsed_;
};

}  // namespace shihyo
