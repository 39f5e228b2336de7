// The config's inhibit_rules, as Alertmanager reads them: source_matchers
// and target_matchers (strings such as 'check="status_only"'), the older
// source_match(_re) / target_match(_re) maps, and equal.
#include <optional>
#include <string>

#include "base/regex.h"
#include "config/config_reader.h"

namespace shihyo {

namespace {

// The value after the operator: bare, or double-quoted with \" \\ \n
// escapes as in Alertmanager. nullopt when a quote is not closed.
std::optional<std::string> MatcherValue(const std::string& text) {
  if (text.empty() || text[0] != '"') return text;
  std::string out;
  for (size_t i = 1; i < text.size(); ++i) {
    char c = text[i];
    if (c == '"') {
      if (i + 1 != text.size()) return std::nullopt;  // text after the closing quote
      return out;
    }
    if (c == '\\' && i + 1 < text.size()) {
      c = text[++i];
      if (c == 'n') c = '\n';
    }
    out += c;
  }
  return std::nullopt;
}

std::string Trimmed(const std::string& s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

}  // namespace

Result<Matcher> ParseMatcherText(const std::string& text) {
  const std::string expected =
      "expected label=\"value\", label!=\"value\", label=~\"regex\" or label!~\"regex\"";
  size_t at = text.find_first_of("=!");
  std::string label = Trimmed(text.substr(0, at == std::string::npos ? text.size() : at));
  if (at == std::string::npos) return Status::InvalidArgument("'" + text + "': " + expected);
  if (!ValidLabelName(label)) {
    return Status::InvalidArgument("'" + text + "': '" + label + "' is not a label name");
  }
  Matcher m;
  m.label = label;
  std::string op = text.substr(at, 2);
  m.negate = text[at] == '!';
  if (m.negate && op != "!=" && op != "!~") {
    return Status::InvalidArgument("'" + text + "': " + expected);
  }
  bool regex = op == "=~" || op == "!~";
  std::optional<std::string> value =
      MatcherValue(Trimmed(text.substr(at + (m.negate || regex ? 2 : 1))));
  if (!value) return Status::InvalidArgument("'" + text + "': unterminated quoted value");
  m.value = *value;
  if (regex) {
    auto re = Regex::Compile("^(?:" + m.value + ")$");
    if (!re.ok()) {
      return Status::InvalidArgument("'" + text +
                                     "': invalid regular expression: " + re.status().message());
    }
    m.regex = *re;
  }
  return m;
}

namespace {

// A list of matcher strings; each bad one reported at its own position.
std::vector<Matcher> ReadMatcherList(const YamlField& f, const std::string& what,
                                     ConfigReader* reader) {
  std::vector<Matcher> out;
  if (!f.value.IsSequence()) {
    reader->errors.Add(f.mark(), what + ": expected a list such as ['check=\"status_only\"']");
    return out;
  }
  for (const YAML::Node& item : f.value) {
    YamlField one{f.key, item, item.Mark()};
    std::optional<std::string> text = ReadString(one, what, &reader->errors);
    if (!text) continue;
    Result<Matcher> m = ParseMatcherText(*text);
    if (!m.ok()) {
      reader->errors.Add(one.mark(), what + ": " + m.status().message());
    } else {
      out.push_back(std::move(m).value());
    }
  }
  return out;
}

// source_match / target_match (exact) and their _re forms (regex): maps.
std::vector<Matcher> ReadMatcherMap(const YamlField& f, const std::string& what, bool regex,
                                    ConfigReader* reader) {
  std::vector<Matcher> out;
  for (const auto& [label, value] :
       ReadStringMap(f, what, &reader->errors).value_or(std::map<std::string, std::string>{})) {
    Matcher m;
    m.label = label;
    m.value = value;
    if (!ValidLabelName(label)) {
      reader->errors.Add(f.mark(), what + ": '" + label + "' is not a label name");
      continue;
    }
    if (regex) {
      auto re = Regex::Compile("^(?:" + value + ")$");
      if (!re.ok()) {
        reader->errors.Add(f.mark(), what + ": '" + label +
                                         "': invalid regular expression: " + re.status().message());
        continue;
      }
      m.regex = *re;
    }
    out.push_back(std::move(m));
  }
  return out;
}

InhibitRule ReadInhibitRule(const YamlField& field, const std::string& context,
                            ConfigReader* reader) {
  InhibitRule rule;
  rule.where = reader->errors.Where(field.mark());
  if (size_t colon = rule.where.rfind(':'); colon != std::string::npos) rule.where.resize(colon);
  bool has_source = false, has_target = false;
  for (const YamlField& f :
       ReadFields(field.value, field.mark(), context,
                  {"source_matchers", "target_matchers", "source_match", "source_match_re",
                   "target_match", "target_match_re", "equal"},
                  &reader->errors)) {
    std::string what = context + ": '" + f.key + "'";
    bool source = f.key.rfind("source", 0) == 0;
    std::vector<Matcher>& into = source ? rule.source_matchers : rule.target_matchers;
    std::vector<Matcher> read;
    if (f.key == "equal") {
      rule.equal = ReadStringList(f, what, &reader->errors).value_or(std::vector<std::string>{});
      for (const std::string& l : rule.equal) {
        if (!ValidLabelName(l))
          reader->errors.Add(f.mark(), what + ": '" + l + "' is not a label name");
      }
      continue;
    }
    if (f.key.ends_with("_matchers")) {
      read = ReadMatcherList(f, what, reader);
    } else {
      read = ReadMatcherMap(f, what, f.key.ends_with("_re"), reader);
    }
    (source ? has_source : has_target) = true;
    for (Matcher& m : read) into.push_back(std::move(m));
  }
  if (field.value.IsMap()) {
    // Alertmanager accepts an empty side, which then matches every alert:
    // here that is almost surely a mistake, so it must be said.
    if (!has_source) reader->errors.Add(field.mark(), context + ": missing 'source_matchers'");
    if (!has_target) reader->errors.Add(field.mark(), context + ": missing 'target_matchers'");
  }
  return rule;
}

}  // namespace

void ReadInhibitRules(const YamlField& field, ConfigReader* reader, Config* config) {
  if (!field.value.IsSequence()) {
    reader->errors.Add(field.mark(), "'inhibit_rules': expected a list of rules");
    return;
  }
  int index = 0;
  for (const YAML::Node& item : field.value) {
    YamlField one{"inhibit_rules", item, item.Mark()};
    config->inhibit_rules.push_back(
        ReadInhibitRule(one, "inhibit rule " + std::to_string(++index), reader));
  }
}

}  // namespace shihyo
