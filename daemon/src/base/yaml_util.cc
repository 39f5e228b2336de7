#include "base/yaml_util.h"

#include <yaml-cpp/depthguard.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "base/text.h"

namespace shihyo {

int YamlErrors::CharColumn(const YAML::Mark& mark) const {
  if (text_.empty() || mark.line < 0 || mark.column <= 0) return mark.column;
  size_t start = 0;
  for (int line = 0; line < mark.line; ++line) {
    start = text_.find('\n', start);
    if (start == std::string::npos) return mark.column;
    ++start;
  }
  std::string_view line(text_);
  line = line.substr(start, std::min(text_.find('\n', start), text_.size()) - start);
  size_t bytes = static_cast<size_t>(mark.column);
  if (bytes > line.size()) return mark.column;
  return static_cast<int>(CharOffset(line, bytes));
}

std::string YamlErrors::Where(const YAML::Mark& mark) const {
  return file_ + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(CharColumn(mark) + 1);
}

void YamlErrors::Add(const YAML::Mark& mark, const std::string& message) {
  if (mark.line < 0) {
    AddFile(message);
    return;
  }
  messages_.push_back(Where(mark) + ": " + message);
}

void YamlErrors::AddFile(const std::string& message) {
  messages_.push_back(file_ + ": " + message);
}

namespace {

// Finds where |text| nests collections more than kMaxYamlDepth deep, before
// yaml-cpp sees it (it recurses per level and says only "bad file" at its own
// limit). An estimate on purpose, exact for what people write: block
// nesting counts indentation levels (and each "- " that opens a line), flow
// nesting counts '[' and '{' that start a value; quoted scalars, comments and
// block scalars are skipped.
class NestingScanner {
 public:
  explicit NestingScanner(std::string_view text) : text_(text) {}

  // The mark of the first collection too deep, or nullopt.
  std::optional<YAML::Mark> Find() {
    size_t start = 0;
    for (int line = 0; start <= text_.size(); ++line) {
      size_t end = std::min(text_.find('\n', start), text_.size());
      if (std::optional<size_t> at = ScanLine(text_.substr(start, end - start))) {
        YAML::Mark m = FileStart();
        m.line = line;
        m.column = static_cast<int>(*at);  // bytes, as yaml-cpp's marks
        return m;
      }
      start = end + 1;
    }
    return std::nullopt;
  }

 private:
  // The byte offset in |line| where the nesting gets too deep, or nullopt.
  std::optional<size_t> ScanLine(std::string_view line) {
    size_t indent = line.find_first_not_of(' ');
    if (indent == std::string_view::npos) return std::nullopt;  // blank
    if (block_scalar_indent_ && indent > *block_scalar_indent_ && quote_ == 0) return std::nullopt;
    block_scalar_indent_.reset();
    size_t i = indent;
    if (quote_ == 0 && flow_ == 0 && line[indent] != '#') {
      while (!indents_.empty() && indents_.back() > indent) indents_.pop_back();
      if (indents_.empty() || indents_.back() < indent) indents_.push_back(indent);
      extra_ = 0;
      while (i + 1 < line.size() && line[i] == '-' && line[i + 1] == ' ') {
        ++extra_;  // "- - x": a sequence in a sequence on one line
        i = line.find_first_not_of(' ', i + 1);
        if (i == std::string_view::npos) return std::nullopt;
      }
      if (Depth() > kMaxYamlDepth) return indent;
    }
    return ScanRest(line, i, indent);
  }

  std::optional<size_t> ScanRest(std::string_view line, size_t i, size_t indent) {
    bool token_start = true;
    for (; i < line.size(); ++i) {
      char c = line[i];
      if (quote_ != 0) {
        if (c == '\\' && quote_ == '"')
          ++i;
        else if (c == quote_ && quote_ == '\'' && i + 1 < line.size() && line[i + 1] == '\'')
          ++i;
        else if (c == quote_)
          quote_ = 0;
        continue;
      }
      if (c == ' ' || c == '\t') {
        token_start = token_start || (i > 0 && (line[i - 1] == ':' || line[i - 1] == '-'));
        continue;
      }
      if (c == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) break;
      if (token_start && (c == '"' || c == '\'')) {
        quote_ = c;
      } else if (token_start && (c == '[' || c == '{')) {
        ++flow_;
        if (Depth() > kMaxYamlDepth) return i;
        continue;  // token_start stays
      } else if ((c == ']' || c == '}') && flow_ > 0) {
        --flow_;
      } else if (c == ',' && flow_ > 0) {
        token_start = true;
        continue;
      } else if (token_start && flow_ == 0 && (c == '|' || c == '>')) {
        block_scalar_indent_ = indent;
        break;
      }
      token_start = false;
    }
    return std::nullopt;
  }

  int Depth() const { return static_cast<int>(indents_.size()) + extra_ + flow_; }

  std::string_view text_;
  std::vector<size_t> indents_;                // block indentation levels open
  int extra_ = 0;                              // "- " sequences opened on the current line
  int flow_ = 0;                               // open '[' and '{'
  char quote_ = 0;                             // inside a quoted scalar
  std::optional<size_t> block_scalar_indent_;  // inside a block scalar below this indent
};

}  // namespace

std::optional<YAML::Node> LoadYamlString(const std::string& text, YamlErrors* errors) {
  if (size_t bad = FindInvalidUtf8(text); bad != std::string::npos) {
    // A file saved as Shift_JIS: its text would reach messages and JSON garbled.
    YAML::Mark m = FileStart();
    size_t line_start = 0;
    for (size_t i = 0; i < bad; ++i) {
      if (text[i] == '\n') {
        ++m.line;
        line_start = i + 1;
      }
    }
    m.column =
        static_cast<int>(CharOffset(std::string_view(text).substr(line_start), bad - line_start));
    errors->Add(m, "the file is not valid UTF-8 (save it as UTF-8; Shift_JIS is not read here)");
    return std::nullopt;
  }
  errors->SetText(text);
  if (std::optional<YAML::Mark> deep = NestingScanner(text).Find()) {
    errors->Add(*deep, "YAML nested more than " + std::to_string(kMaxYamlDepth) + " levels deep");
    return std::nullopt;
  }
  try {
    return YAML::Load(text);
  } catch (const YAML::DeepRecursion& e) {
    // Past the scanner's estimate: still say what is wrong, not "bad file".
    errors->Add(e.mark, "YAML nested too deep");
    return std::nullopt;
  } catch (const YAML::Exception& e) {
    errors->Add(e.mark, "YAML syntax error: " + e.msg);
    return std::nullopt;
  }
}

std::optional<YAML::Node> LoadYamlFile(const std::string& path, YamlErrors* errors) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    errors->AddFile("cannot open for reading");
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return LoadYamlString(text.str(), errors);
}

YAML::Mark YamlField::mark() const {
  YAML::Mark m = value.IsDefined() ? value.Mark() : YAML::Mark::null_mark();
  return m.line >= 0 ? m : key_mark;
}

YAML::Mark FileStart() {
  YAML::Mark m;
  m.pos = 0;
  m.line = 0;
  m.column = 0;
  return m;
}

YAML::Node Child(const YAML::Node& map, const std::string& key) {
  if (!map.IsDefined() || !map.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
  for (auto it = map.begin(); it != map.end(); ++it) {
    if (it->first.IsScalar() && it->first.Scalar() == key) return it->second;
  }
  return YAML::Node(YAML::NodeType::Undefined);
}

std::string ChildScalar(const YAML::Node& map, const std::string& key) {
  YAML::Node n = Child(map, key);
  return n.IsDefined() && n.IsScalar() ? n.Scalar() : "";
}

std::string ClosestWord(const std::string& word, const std::vector<std::string>& candidates) {
  auto distance = [](const std::string& a, const std::string& b) {
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
      size_t diag = row[0];
      row[0] = i;
      for (size_t j = 1; j <= b.size(); ++j) {
        size_t up = row[j];
        row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
        diag = up;
      }
    }
    return row[b.size()];
  };
  std::string best;
  size_t best_d = std::max<size_t>(2, word.size() / 3) + 1;
  for (const std::string& c : candidates) {
    size_t d = distance(word, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  return best;
}

std::vector<YamlField> ReadFields(const YAML::Node& map, const YAML::Mark& where,
                                  const std::string& context,
                                  const std::vector<std::string>& allowed, YamlErrors* errors) {
  std::vector<YamlField> fields;
  if (!map.IsMap()) {
    errors->Add(map.IsDefined() && map.Mark().line >= 0 ? map.Mark() : where,
                context + ": expected a mapping of keys to values");
    return fields;
  }
  std::set<std::string> seen;
  for (auto it = map.begin(); it != map.end(); ++it) {
    YAML::Mark key_mark = it->first.Mark();
    if (!it->first.IsScalar()) {
      errors->Add(key_mark, context + ": expected a plain key");
      continue;
    }
    std::string key = it->first.Scalar();
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::string hint = ClosestWord(key, allowed);
      std::string expected;
      for (const std::string& a : allowed) expected += (expected.empty() ? "" : ", ") + a;
      errors->Add(key_mark, context + ": unknown key '" + key + "'" +
                                (hint.empty() ? " (expected one of: " + expected + ")"
                                              : " (did you mean '" + hint + "'?)"));
      continue;
    }
    if (!seen.insert(key).second) {
      errors->Add(key_mark, context + ": duplicate key '" + key + "'");
      continue;
    }
    fields.push_back(YamlField{key, it->second, key_mark});
  }
  return fields;
}

namespace {

bool IsNull(const YamlField& f) { return !f.value.IsDefined() || f.value.IsNull(); }

const char* Describe(const YAML::Node& n) {
  if (!n.IsDefined() || n.IsNull()) return "nothing";
  if (n.IsSequence()) return "a list";
  if (n.IsMap()) return "a mapping";
  return "a scalar";
}

}  // namespace

std::optional<std::string> ReadString(const YamlField& f, const std::string& what,
                                      YamlErrors* errors) {
  if (!f.value.IsScalar() || IsNull(f)) {
    errors->Add(f.mark(), what + ": expected a string, found " + Describe(f.value));
    return std::nullopt;
  }
  return f.value.Scalar();
}

std::optional<double> ReadNumber(const YamlField& f, const std::string& what, double min,
                                 double max, YamlErrors* errors) {
  double v;
  if (!f.value.IsScalar() || f.value.Tag() == "!" || !YAML::convert<double>::decode(f.value, v)) {
    errors->Add(f.mark(), what + ": expected a number, found " +
                              (f.value.IsScalar() ? "'" + f.value.Scalar() + "'"
                                                  : std::string(Describe(f.value))));
    return std::nullopt;
  }
  if (!(v >= min && v <= max)) {
    std::ostringstream range;
    range << what << ": " << f.value.Scalar() << " is out of range (expected " << min << " to "
          << max << ")";
    errors->Add(f.mark(), range.str());
    return std::nullopt;
  }
  return v;
}

std::optional<int> ReadInt(const YamlField& f, const std::string& what, int min, int max,
                           YamlErrors* errors) {
  int v;
  if (!f.value.IsScalar() || f.value.Tag() == "!" || !YAML::convert<int>::decode(f.value, v)) {
    errors->Add(f.mark(), what + ": expected a whole number, found " +
                              (f.value.IsScalar() ? "'" + f.value.Scalar() + "'"
                                                  : std::string(Describe(f.value))));
    return std::nullopt;
  }
  if (v < min || v > max) {
    errors->Add(f.mark(), what + ": " + std::to_string(v) + " is out of range (expected " +
                              std::to_string(min) + " to " + std::to_string(max) + ")");
    return std::nullopt;
  }
  return v;
}

std::optional<bool> ReadBool(const YamlField& f, const std::string& what, YamlErrors* errors) {
  bool v;
  if (!f.value.IsScalar() || f.value.Tag() == "!" || !YAML::convert<bool>::decode(f.value, v)) {
    errors->Add(f.mark(), what + ": expected true or false, found " +
                              (f.value.IsScalar() ? "'" + f.value.Scalar() + "'"
                                                  : std::string(Describe(f.value))));
    return std::nullopt;
  }
  return v;
}

std::optional<std::vector<std::string>> ReadStringList(const YamlField& f, const std::string& what,
                                                       YamlErrors* errors) {
  if (f.value.IsScalar() && !IsNull(f)) return std::vector<std::string>{f.value.Scalar()};
  if (!f.value.IsSequence()) {
    errors->Add(f.mark(),
                what + ": expected a string or a list of strings, found " + Describe(f.value));
    return std::nullopt;
  }
  std::vector<std::string> out;
  bool ok = true;
  for (const YAML::Node& item : f.value) {
    if (!item.IsScalar()) {
      errors->Add(item.Mark(), what + ": expected a string, found " + Describe(item));
      ok = false;
      continue;
    }
    out.push_back(item.Scalar());
  }
  if (!ok) return std::nullopt;
  return out;
}

std::optional<std::map<std::string, std::string>> ReadStringMap(const YamlField& f,
                                                                const std::string& what,
                                                                YamlErrors* errors) {
  if (!f.value.IsMap()) {
    errors->Add(f.mark(),
                what + ": expected a mapping of names to strings, found " + Describe(f.value));
    return std::nullopt;
  }
  std::map<std::string, std::string> out;
  bool ok = true;
  for (auto it = f.value.begin(); it != f.value.end(); ++it) {
    if (!it->first.IsScalar() || !it->second.IsScalar()) {
      errors->Add(it->first.Mark(), what + ": expected name: string pairs");
      ok = false;
      continue;
    }
    if (!out.emplace(it->first.Scalar(), it->second.Scalar()).second) {
      errors->Add(it->first.Mark(), what + ": duplicate key '" + it->first.Scalar() + "'");
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return out;
}

YAML::Mark ScalarTextMark(const YAML::Node& node) {
  YAML::Mark m = node.Mark();
  if (node.IsScalar() && (node.Tag() == "!")) {
    // A quoted scalar: its text starts one column after the quote. (Block
    // scalars, also tagged "!", start on the next line; the node mark is the
    // best we have for them.)
    m.column += 1;
  }
  return m;
}

YAML::Mark MarkInScalar(const YAML::Node& node, size_t char_offset) {
  YAML::Mark m = ScalarTextMark(node);
  if (!node.IsScalar()) return m;
  const std::string& text = node.Scalar();
  size_t bytes = 0;
  for (size_t chars = 0; chars < char_offset && bytes < text.size(); ++chars) {
    ++bytes;
    while (bytes < text.size() && (static_cast<unsigned char>(text[bytes]) & 0xC0) == 0x80) ++bytes;
  }
  m.column += static_cast<int>(bytes);
  return m;
}

}  // namespace shihyo
