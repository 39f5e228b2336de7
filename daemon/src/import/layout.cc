#include "import/layout.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/yaml_util.h"

namespace shihyo {

namespace {

struct RoleName {
  ColumnRole role;
  const char* name;
};
constexpr RoleName kRoles[] = {
    {ColumnRole::kName, "name"},
    {ColumnRole::kCode, "code"},
    {ColumnRole::kUnit, "unit"},
    {ColumnRole::kTarget, "target"},
    {ColumnRole::kTargetYear, "target_year"},
    {ColumnRole::kBaseline, "baseline"},
    {ColumnRole::kBaselineYear, "baseline_year"},
    {ColumnRole::kDirection, "direction"},
    {ColumnRole::kActual, "actual"},
    {ColumnRole::kPlanned, "planned"},
    {ColumnRole::kRate, "rate"},
    {ColumnRole::kNote, "note"},
    {ColumnRole::kIgnore, "ignore"},
};

std::vector<std::string> RoleNames() {
  std::vector<std::string> out;
  for (const RoleName& r : kRoles) out.push_back(r.name);
  return out;
}

std::string Joined(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : ", ") + w;
  return out;
}

class LayoutLoader {
 public:
  explicit LayoutLoader(const std::string& file) : errors_(file) { layout_.file = file; }

  Result<Layout> Load(const std::string& text) {
    if (text.size() > kMaxLayoutFileBytes) {
      errors_.AddFile("layout file larger than " + std::to_string(kMaxLayoutFileBytes) + " bytes");
      return Fail();
    }
    std::optional<YAML::Node> doc = LoadYamlString(text, &errors_);
    if (!doc) return Fail();
    static const std::vector<std::string> kKeys = {
        "layout",    "description", "kind",    "plan",          "title_line", "match",
        "headings",  "sections",    "columns", "bare_year_era", "words",      "indicator",
        "year_tags", "untagged",    "note",    "skip",          "row_kinds"};
    bool named = false;
    for (const YamlField& f : ReadFields(*doc, FileStart(), "layout", kKeys, &errors_)) {
      named = named || f.key == "layout";
      Field(f);
    }
    if (!named) errors_.Add(FileStart(), "missing 'layout' (the layout's name)");
    Validate();
    if (!errors_.empty()) return Fail();
    return std::move(layout_);
  }

 private:
  Status Fail() {
    std::string all;
    for (const std::string& m : errors_.messages()) all += (all.empty() ? "" : "\n") + m;
    return Status::InvalidArgument(all);
  }

  void Field(const YamlField& f) {
    if (f.key == "layout") {
      if (auto s = ReadString(f, "'layout'", &errors_)) layout_.name = *s;
    } else if (f.key == "description") {
      if (auto s = ReadString(f, "'description'", &errors_)) layout_.description = *s;
    } else if (f.key == "kind") {
      Kind(f);
    } else if (f.key == "plan") {
      if (auto s = ReadString(f, "'plan'", &errors_)) layout_.plan = *s;
    } else if (f.key == "title_line") {
      if (auto b = ReadBool(f, "'title_line'", &errors_)) layout_.title_line = *b;
    } else if (f.key == "match") {
      Match(f);
    } else if (f.key == "headings") {
      Headings(f);
    } else if (f.key == "sections") {
      if (auto s = ReadString(f, "'sections'", &errors_)) {
        if (*s == "single_cell") {
          layout_.single_cell_sections = true;
        } else if (*s != "none") {
          errors_.Add(f.mark(), "'sections': expected single_cell or none, found '" + *s + "'");
        }
      }
    } else if (f.key == "columns") {
      Columns(f);
    } else if (f.key == "bare_year_era") {
      BareEra(f);
    } else if (f.key == "words") {
      Words(f);
    } else {
      TransposedField(f);
    }
  }

  void TransposedField(const YamlField& f) {
    if (f.key == "skip") {
      layout_.skip = PatternOf(f.value, "'skip'");
    } else if (f.key == "indicator") {
      layout_.indicator = PatternOf(f.value, "'indicator'");
    } else if (f.key == "note") {
      layout_.note = PatternOf(f.value, "'note'");
    } else if (f.key == "untagged") {
      if (auto r = Role(f.value, "'untagged'")) layout_.untagged = *r;
    } else if (f.key == "row_kinds") {
      RowKinds(f);
    } else if (f.key == "year_tags") {
      if (!f.value.IsMap()) {
        errors_.Add(f.mark(), "'year_tags': expected a mapping of tag to role");
        return;
      }
      for (auto it = f.value.begin(); it != f.value.end(); ++it) {
        if (auto r = Role(it->second, "year tag '" + it->first.Scalar() + "'")) {
          layout_.year_tags[it->first.Scalar()] = *r;
        }
      }
    }
  }

  // row_kinds: {見込量: planned, 実績値: actual}: the word in a row's label
  // cell says what its year cells hold.
  void RowKinds(const YamlField& f) {
    if (!f.value.IsMap()) {
      errors_.Add(f.mark(), "'row_kinds': expected a mapping of row label to role");
      return;
    }
    for (auto it = f.value.begin(); it != f.value.end(); ++it) {
      std::optional<ColumnRole> r = Role(it->second, "row kind '" + it->first.Scalar() + "'");
      if (!r) continue;
      if (*r != ColumnRole::kActual && *r != ColumnRole::kPlanned) {
        errors_.Add(it->second.Mark(), "row kind '" + it->first.Scalar() +
                                           "': expected actual or planned, found '" +
                                           it->second.Scalar() + "'");
        continue;
      }
      layout_.row_kinds[it->first.Scalar()] = *r;
    }
  }

  void Kind(const YamlField& f) {
    std::optional<std::string> s = ReadString(f, "'kind'", &errors_);
    if (!s) return;
    if (*s == "rows") {
      layout_.kind = Layout::Kind::kRows;
    } else if (*s == "transposed") {
      layout_.kind = Layout::Kind::kTransposed;
    } else if (*s == "sectioned") {
      layout_.kind = Layout::Kind::kSectioned;
    } else {
      std::string hint = ClosestWord(*s, {"rows", "transposed", "sectioned"});
      errors_.Add(f.mark(), "'kind': unknown kind '" + *s + "' (expected rows, transposed or " +
                                "sectioned" +
                                (hint.empty() ? "" : "; did you mean '" + hint + "'?") + ")");
    }
  }

  void Match(const YamlField& f) {
    for (const YamlField& m :
         ReadFields(f.value, f.mark(), "'match'", {"header", "line", "title"}, &errors_)) {
      if (m.key == "header") {
        if (!m.value.IsSequence() || m.value.size() == 0) {
          errors_.Add(m.mark(), "'match.header': expected a list of patterns, one per cell");
          continue;
        }
        for (const YAML::Node& cell : m.value) {
          if (auto p = PatternOf(cell, "'match.header'")) layout_.match_header.push_back(p);
        }
      } else if (m.key == "line") {
        layout_.match_line = PatternOf(m.value, "'match.line'");
      } else {
        layout_.match_title = PatternOf(m.value, "'match.title'");
      }
    }
  }

  void Headings(const YamlField& f) {
    if (!f.value.IsSequence()) {
      errors_.Add(f.mark(), "'headings': expected a list of {pattern, opens}");
      return;
    }
    for (const YAML::Node& item : f.value) {
      LayoutHeading h;
      for (const YamlField& g :
           ReadFields(item, item.Mark(), "heading", {"pattern", "opens"}, &errors_)) {
        if (g.key == "pattern") {
          h.pattern = PatternOf(g.value, "heading 'pattern'");
        } else if (auto s = ReadString(g, "heading 'opens'", &errors_)) {
          if (*s != "project" && *s != "measure") {
            errors_.Add(g.mark(),
                        "heading 'opens': expected project or measure, found '" + *s + "'");
          }
          h.project = *s == "project";
        }
      }
      if (!h.pattern) {
        errors_.Add(item.Mark(), "heading: missing 'pattern'");
        continue;
      }
      layout_.headings.push_back(std::move(h));
    }
  }

  void Columns(const YamlField& f) {
    if (!f.value.IsSequence()) {
      errors_.Add(f.mark(), "'columns': expected a list of {header, role}");
      return;
    }
    for (const YAML::Node& item : f.value) {
      LayoutColumn c;
      bool has_role = false;
      size_t errors_before = errors_.messages().size();
      for (const YamlField& g :
           ReadFields(item, item.Mark(), "column", {"header", "role", "year"}, &errors_)) {
        if (g.key == "header") {
          c.header = PatternOf(g.value, "column 'header'");
        } else if (g.key == "year") {
          c.year = ColumnYear(g);
        } else if (auto r = Role(g.value, "column 'role'")) {
          c.role = *r;
          has_role = true;
        }
      }
      if (!c.header || !has_role) {
        if (errors_.messages().size() == errors_before) {
          errors_.Add(item.Mark(), "column: expected both 'header' and 'role'");
        }
        continue;
      }
      layout_.columns.push_back(std::move(c));
    }
  }

  std::optional<YearLabel> ColumnYear(const YamlField& g) {
    std::optional<std::string> s = ReadString(g, "column 'year'", &errors_);
    if (!s) return std::nullopt;
    std::optional<YearLabel> y = ParseYearLabel(*s);
    if (!y || !y->rest.empty()) {
      errors_.Add(
          g.mark(),
          "column 'year': expected a year such as 平成25年度 or 2013年度, found '" + *s + "'");
      return std::nullopt;
    }
    return y;
  }

  void BareEra(const YamlField& f) {
    std::optional<std::string> s = ReadString(f, "'bare_year_era'", &errors_);
    if (!s) return;
    if (*s != "令和" && *s != "平成" && *s != "昭和") {
      errors_.Add(f.mark(), "'bare_year_era': expected 令和, 平成 or 昭和, found '" + *s + "'");
      return;
    }
    layout_.bare_year_era = *s;
  }

  void Words(const YamlField& f) {
    if (!f.value.IsMap()) {
      errors_.Add(f.mark(), "'words': expected a mapping of cell text to status");
      return;
    }
    static const std::vector<std::string> kStatuses = {"none", "text", "not_available", "missing",
                                                       "survey_done"};
    for (auto it = f.value.begin(); it != f.value.end(); ++it) {
      std::string status = it->second.IsScalar() ? it->second.Scalar() : "";
      std::optional<CellStatus> s = StatusFromName(status);
      if (!s || std::find(kStatuses.begin(), kStatuses.end(), status) == kStatuses.end()) {
        std::string hint = ClosestWord(status, kStatuses);
        errors_.Add(it->second.Mark(), "word '" + it->first.Scalar() + "': unknown status '" +
                                           status + "' (expected " + Joined(kStatuses) +
                                           (hint.empty() ? "" : "; did you mean '" + hint + "'?") +
                                           ")");
        continue;
      }
      layout_.words[it->first.Scalar()] = *s;
    }
  }

  std::optional<ColumnRole> Role(const YAML::Node& node, const std::string& what) {
    std::string name = node.IsScalar() ? node.Scalar() : "";
    for (const RoleName& r : kRoles) {
      if (name == r.name) return r.role;
    }
    std::string hint = ClosestWord(name, RoleNames());
    errors_.Add(node.Mark(), what + ": unknown role '" + name + "' (expected one of " +
                                 Joined(RoleNames()) +
                                 (hint.empty() ? "" : "; did you mean '" + hint + "'?") + ")");
    return std::nullopt;
  }

  std::shared_ptr<const Pattern> PatternOf(const YAML::Node& node, const std::string& what) {
    if (!node.IsScalar() || node.Scalar().empty()) {
      errors_.Add(node.Mark(), what + ": expected a pattern (a regular expression)");
      return nullptr;
    }
    if (++patterns_ > kMaxLayoutPatterns || node.Scalar().size() > kMaxPatternChars) {
      errors_.Add(node.Mark(), what + ": too many or too long patterns (at most " +
                                   std::to_string(kMaxLayoutPatterns) + " of " +
                                   std::to_string(kMaxPatternChars) + " bytes)");
      return nullptr;
    }
    size_t at = 0;
    auto p = Pattern::Compile(node.Scalar(), &at);
    if (!p.ok()) {
      YAML::Mark m = MarkInScalar(node, at);  // |at| counts characters
      errors_.Add(m, what + ": bad pattern: " + p.status().message());
      return nullptr;
    }
    return *p;
  }

  void Validate() {
    if (!errors_.empty()) return;
    const YAML::Mark start = FileStart();
    if (layout_.name.empty()) errors_.Add(start, "'layout': the name must not be empty");
    if (layout_.match_header.empty() && !layout_.match_line && !layout_.match_title) {
      errors_.Add(start, "'match': give at least one of header, line or title");
    }
    if (layout_.kind == Layout::Kind::kRows) {
      bool name = false;
      for (const LayoutColumn& c : layout_.columns) name = name || c.role == ColumnRole::kName;
      if (!name) errors_.Add(start, "'columns': a rows layout needs a column with role name");
      if (layout_.match_header.empty()) {
        errors_.Add(start, "'match.header': a rows layout finds its header row by it");
      }
    }
    if (layout_.kind == Layout::Kind::kTransposed && !layout_.indicator) {
      errors_.Add(start,
                  "'indicator': a transposed layout needs the pattern of an indicator's row");
    }
  }

  YamlErrors errors_;
  Layout layout_;
  size_t patterns_ = 0;
};

Result<std::string> ReadSmallFile(const std::string& path) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (ec) return Status::IOError(path + ": cannot open for reading");
  if (size > kMaxLayoutFileBytes) {
    return Status::InvalidArgument(path + ": layout file larger than " +
                                   std::to_string(kMaxLayoutFileBytes) + " bytes");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IOError(path + ": cannot open for reading");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

const char* ColumnRoleName(ColumnRole role) {
  for (const RoleName& r : kRoles) {
    if (r.role == role) return r.name;
  }
  return "ignore";
}

Result<Layout> ParseLayout(const std::string& text, const std::string& file) {
  try {
    return LayoutLoader(file).Load(text);
  } catch (const YAML::Exception& e) {  // the loader checks types first; this is a backstop
    return Status::InvalidArgument(file + ":" + std::to_string(e.mark.line + 1) + ":" +
                                   std::to_string(e.mark.column + 1) + ": " + e.msg);
  }
}

Result<Layout> LoadLayoutFile(const std::string& path) {
  Result<std::string> text = ReadSmallFile(path);
  if (!text.ok()) return text.status();
  return ParseLayout(*text, path);
}

}  // namespace shihyo
