// Internal helpers for reading YAML files (rules, rule tests, config) with
// yaml-cpp while reporting every problem as "file:line:column: message".
// Only .cc files that read YAML include this. Thread-compatible.
#pragma once

#include <yaml-cpp/yaml.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace shihyo {

// Collects error messages for one file.
class YamlErrors {
 public:
  explicit YamlErrors(std::string file) : file_(std::move(file)) {}

  // "file:line:column: message" (1-based line and column). |mark|'s column
  // counts bytes, as yaml-cpp's do; the message counts characters, once the
  // file's text is known (SetText), so that a column after Japanese text
  // points where an editor shows it.
  void Add(const YAML::Mark& mark, const std::string& message);
  // "file:line:column" of |mark|, columns as in Add.
  std::string Where(const YAML::Mark& mark) const;
  // The text the marks point into (LoadYamlString sets it).
  void SetText(std::string text) { text_ = std::move(text); }
  // "file: message", for problems without a position.
  void AddFile(const std::string& message);

  bool empty() const { return messages_.empty(); }
  const std::vector<std::string>& messages() const { return messages_; }
  const std::string& file() const { return file_; }

 private:
  // The 0-based character column of |mark| in its line of text_.
  int CharColumn(const YAML::Mark& mark) const;

  std::string file_;
  std::string text_;
  std::vector<std::string> messages_;
};

// How deep collections may nest in a file (yaml-cpp recurses per level).
// Deeper is reported as "file:line:column: YAML nested more than 64 levels
// deep" at the collection that goes too deep.
inline constexpr int kMaxYamlDepth = 64;

// Reads and parses |path|. Syntax errors, too deep nesting and unreadable
// files are reported to |errors|; returns nullopt then.
std::optional<YAML::Node> LoadYamlFile(const std::string& path, YamlErrors* errors);

// Parses |text| (named |errors->file()| in messages).
std::optional<YAML::Node> LoadYamlString(const std::string& text, YamlErrors* errors);

// One key: value pair of a mapping, with the key's mark for messages about
// a missing or null value.
struct YamlField {
  std::string key;
  YAML::Node value;
  YAML::Mark key_mark;
  YAML::Mark mark() const;  // the value's mark, or the key's when the value has none
};

// The fields of |map| in file order. Reports, under |context| ("rule 'x'"):
// a node that is not a mapping, keys not in |allowed| (with a "did you mean"
// hint), and duplicate keys. Returns only the allowed, first-seen fields.
std::vector<YamlField> ReadFields(const YAML::Node& map, const YAML::Mark& where,
                                  const std::string& context,
                                  const std::vector<std::string>& allowed, YamlErrors* errors);

// Typed readers: a wrong type is reported at the value and yields nullopt.
// |what| names the field in messages ("rule 'x': 'severity'").
std::optional<std::string> ReadString(const YamlField& f, const std::string& what,
                                      YamlErrors* errors);
std::optional<double> ReadNumber(const YamlField& f, const std::string& what, double min,
                                 double max, YamlErrors* errors);
std::optional<int> ReadInt(const YamlField& f, const std::string& what, int min, int max,
                           YamlErrors* errors);
std::optional<bool> ReadBool(const YamlField& f, const std::string& what, YamlErrors* errors);
// A string or a list of strings.
std::optional<std::vector<std::string>> ReadStringList(const YamlField& f, const std::string& what,
                                                       YamlErrors* errors);
// A mapping of strings to strings.
std::optional<std::map<std::string, std::string>> ReadStringMap(const YamlField& f,
                                                                const std::string& what,
                                                                YamlErrors* errors);

// Line 1, column 1 of a file: where problems of the whole document are reported.
YAML::Mark FileStart();

// The value of |key| in |map|, or an undefined node when |map| is not a
// mapping or has no such key. (yaml-cpp's const operator[] returns a node
// that throws on use when the key is missing.)
YAML::Node Child(const YAML::Node& map, const std::string& key);

// Child(map, key) when it is a scalar, else "".
std::string ChildScalar(const YAML::Node& map, const std::string& key);

// The closest of |candidates| to |word| by edit distance, or "" if none is close.
std::string ClosestWord(const std::string& word, const std::vector<std::string>& candidates);

// The column (1-based) where the text of a plain or quoted one-line scalar
// starts, for pointing inside it; the node's own column otherwise.
YAML::Mark ScalarTextMark(const YAML::Node& node);

// ScalarTextMark moved on by |char_offset| characters of the scalar's text
// (for an error a parser reports inside it), in bytes as yaml-cpp's marks.
YAML::Mark MarkInScalar(const YAML::Node& node, size_t char_offset);

}  // namespace shihyo
