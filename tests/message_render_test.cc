// SimpleMessage renders what MessageTemplate (mustache) renders, byte for
// byte, and refuses what it does not render itself.
#include "eval/message_render.h"

#include <catch2/catch.hpp>
#include <map>
#include <string>

#include "base/message_template.h"

namespace shihyo {
namespace {

const std::set<std::string> kKnown = {"a", "b", "met", "value", "unit", "x-y", "値"};

TEST_CASE("simple messages render as mustache does", "[message]") {
  const std::vector<std::string> templates = {
      "",
      "plain text",
      "{{a}}",
      "{{a}}{{b}}",
      "{{value}}{{unit}}です。",
      "{{#met}}達成しています{{/met}}{{^met}}未達成です{{/met}}。",
      "{{#a}}（{{a}} {{b}}）{{/a}}",
      "{{#a}}{{#b}}both{{/b}}{{^b}}a only{{/b}}{{/a}}",
      "{{^a}}{{^b}}neither{{/b}}{{/a}}",
      "  {{#a}}  {{/a}}  ",
      "{{#a}}{{/a}}",
      "{{^a}} {{/a}}",
      "\t{{^a}}\t{{/a}}",
      " {{a}} ",
      "{{x-y}}・{{値}}",
      "} { }} no tag",
  };
  const std::vector<std::map<std::string, std::string>> values = {
      {},
      {{"a", "1"}},
      {{"a", ""}, {"b", "2"}},
      {{"a", " "}, {"b", "\t"}},
      {{"a", "x\ny"}, {"b", "{{b}}"}, {"met", "true"}},
      {{"value", "3,142"}, {"unit", "人"}, {"x-y", "<&>\"'"}, {"値", "値"}},
  };
  for (const std::string& t : templates) {
    auto compiled = MessageTemplate::Compile(t, kKnown);
    REQUIRE(compiled.ok());
    auto simple = SimpleMessage::Compile(t);
    INFO(t);
    if (t == "} { }} no tag") {
      CHECK_FALSE(simple);
      continue;
    }
    REQUIRE(simple);
    for (const auto& v : values) CHECK(simple->Render(v) == (*compiled)->Render(v));
  }
}

TEST_CASE("simple messages refuse what mustache alone renders", "[message]") {
  for (const char* t : {"{{a.b}}", "{{ a }}", "{{{a}}}", "{{&a}}", "{{! note }}", "line\n{{a}}",
                        "{{#a}}open", "{{/a}}", "{{#a}}{{/b}}", "{{=<% %>=}}", "{{>p}}", "{{.}}",
                        "{{a}", "{{}}", "{{#a}}{{#b}}{{/a}}{{/b}}"}) {
    INFO(t);
    CHECK_FALSE(SimpleMessage::Compile(t));
  }
}

}  // namespace
}  // namespace shihyo
