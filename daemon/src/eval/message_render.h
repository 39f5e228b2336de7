// A rule's message rendered without the mustache library when its template
// is simple: one line of text, {{name}} values and {{#name}}…{{/name}} /
// {{^name}}…{{/name}} sections. Renders what MessageTemplate::Render renders,
// byte for byte, at a fraction of its cost (it was most of an evaluation's
// message time). Pure; thread-safe once compiled.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace shihyo {

class SimpleMessage {
 public:
  // nullopt when |source| uses anything else (newlines, comments, {{{…}}},
  // {{&…}}, dotted names, spaces inside tags, …): MessageTemplate then renders it.
  static std::optional<SimpleMessage> Compile(const std::string& source);

  // As MessageTemplate::Render: a missing or empty value renders as nothing
  // and makes {{#name}} sections disappear.
  std::string Render(const std::map<std::string, std::string>& values) const;

  // The names its tags use, each once, in order of first use.
  const std::vector<std::string>& names() const { return names_; }
  // Renders with the value of each of names() (null: missing).
  std::string Render(const std::vector<const std::string*>& values) const;

 private:
  struct Part {
    enum class Kind { kText, kValue, kSection, kInverted, kEnd } kind;
    std::string text;  // the text, or the name
    size_t end = 0;    // kSection, kInverted: the index of its kEnd
    size_t slot = 0;   // not kText: its name's index in names_
  };
  std::vector<Part> parts_;
  std::vector<std::string> names_;
  size_t size_hint_ = 0;
};

}  // namespace shihyo
