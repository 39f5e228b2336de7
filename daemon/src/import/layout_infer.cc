#include "import/layout_infer.h"

#include <algorithm>
#include <filesystem>
#include <initializer_list>
#include <optional>

#include "base/text.h"
#include "model/inference.h"
#include "model/value_parser.h"
#include "model/year_label.h"

namespace shihyo {

namespace {

constexpr size_t kSampleRows = 30;

bool Contains(std::string_view s, std::initializer_list<std::string_view> words) {
  for (std::string_view w : words) {
    if (s.find(w) != std::string_view::npos) return true;
  }
  return false;
}

// The year a header cell gives: at its start (平成32年, 23年度) or in
// brackets after a word (策定時(H16), 目標(R6)).
std::optional<YearLabel> YearIn(const std::string& cell, const std::string& era) {
  if (std::optional<YearLabel> y = ParseYearLabel(cell, era)) return y;
  std::string folded = FoldWidth(cell);
  size_t open = folded.find('(');
  if (open == std::string::npos) return std::nullopt;
  std::optional<YearLabel> y = ParseYearLabel(folded.substr(open + 1), era);
  if (!y || y->rest.empty() || y->rest[0] != ')') return std::nullopt;
  return y;
}

// The era the header's years are written in, for bare years (23年度).
std::string HeaderEra(const std::vector<std::string>& cells) {
  for (const std::string& cell : cells) {
    std::optional<YearLabel> y = YearIn(cell, "");
    if (y && !y->era.empty()) return y->era;
  }
  return "";
}

bool IsNameHeader(const std::string& cell) {
  return Contains(cell, {"指標", "項目", "名称", "事業名", "KPI"}) &&
         !Contains(cell, {"目標", "基準", "現状", "元", "達成"});
}

size_t NonEmptyCells(const Record& r) {
  return static_cast<size_t>(std::count_if(r.cells.begin(), r.cells.end(),
                                           [](const auto& c) { return !TrimSpace(c).empty(); }));
}

bool IsNoteLine(const Record& r) { return !r.cells.empty() && r.cells[0].rfind("#", 0) == 0; }

// A header has a name-like cell and a year, target or baseline cell.
bool LooksLikeHeader(const Record& r) {
  if (NonEmptyCells(r) < 3 || IsNoteLine(r)) return false;
  std::string era = HeaderEra(r.cells);
  bool name = false, anchor = false;
  for (const std::string& cell : r.cells) {
    name = name || IsNameHeader(cell);
    anchor = anchor || YearIn(cell, era) || Contains(cell, {"目標", "基準", "現状", "実績"});
  }
  return name && anchor;
}

struct Column {
  std::string header;
  std::string role;
  std::string why;
};

// The role a header cell's words suggest; |previous| is the role of the cell before.
Column RoleOf(const std::string& cell, const std::string& era, const std::string& previous,
              bool* have_name) {
  auto is = [&](const char* role, const char* why) { return Column{cell, role, why}; };
  std::string c = FoldWidth(cell);
  if (TrimSpace(c).empty()) return is("ignore", "an empty header cell");
  if (Contains(c, {"達成率", "進捗率"})) return is("rate", "達成率 of the actual before it");
  if (c.rfind("単位", 0) == 0) return is("unit", "単位");
  if (Contains(c, {"目標年"})) return is("target_year", "目標年度");
  if (c == "年度" || c == "年次") {
    if (previous == "baseline") return is("baseline_year", "a year column after the baseline");
    if (previous == "target") return is("target_year", "a year column after the target");
  }
  if (Contains(c, {"方向", "増減"})) return is("direction", "方向");
  if (Contains(c, {"コード", "番号", "No", "№"})) return is("code", "a code or number");
  if (Contains(c, {"現在", "見込", "予定"}))
    return is("note", "a snapshot or forecast, not an actual");
  if (Contains(c, {"目標"})) return is("target", "目標");
  if (Contains(c, {"基準", "現状", "策定時", "当初"}))
    return is("baseline", "基準値/現状値/策定時");
  if (Contains(c, {"計画値"}) && YearIn(cell, era)) return is("planned", "計画値 with a year");
  if (YearIn(cell, era)) return is("actual", "a year in the header");
  if (!*have_name && IsNameHeader(cell)) {
    *have_name = true;
    return is("name", "the first name-like header");
  }
  return is("note", "kept as a note");
}

// Whether most non-empty cells of |column| in |rows| are numbers (5,070人, 23.7%).
bool HoldsNumbers(const std::vector<const Record*>& rows, size_t column) {
  int numbers = 0, others = 0;
  for (const Record* r : rows) {
    if (column >= r->cells.size() || TrimSpace(r->cells[column]).empty()) continue;
    (ParseCell(r->cells[column]).status == CellStatus::kValue ? numbers : others)++;
  }
  return numbers > 0 && numbers >= others;
}

// Whether most non-empty cells of |column| in |rows| are direction words (アップ, ↓ …).
bool HoldsDirections(const std::vector<const Record*>& rows, size_t column) {
  int words = 0, others = 0;
  for (const Record* r : rows) {
    if (column >= r->cells.size() || TrimSpace(r->cells[column]).empty()) continue;
    (DirectionFromWord(std::string(TrimSpace(r->cells[column]))) ? words : others)++;
  }
  return words > 0 && words >= others;
}

// Rows under the header that look like indicator rows, for the data checks.
std::vector<const Record*> Samples(const std::vector<Record>& records, size_t header) {
  std::vector<const Record*> rows;
  for (size_t i = header + 1; i < records.size() && rows.size() < kSampleRows; ++i) {
    if (NonEmptyCells(records[i]) >= 3 && records[i].cells != records[header].cells) {
      rows.push_back(&records[i]);
    }
  }
  return rows;
}

std::vector<Column> AssignRoles(const Record& header, const std::vector<const Record*>& rows,
                                const std::string& era) {
  std::vector<Column> columns;
  bool have_name = false, target_after_direction = false;
  for (size_t i = 0; i < header.cells.size(); ++i) {
    std::string previous = columns.empty() ? "" : columns.back().role;
    Column c = RoleOf(header.cells[i], era, previous, &have_name);
    if (c.role != "direction" && c.role != "name" && HoldsDirections(rows, i)) {
      // 目標 over アップ/ダウン: the direction, and the year column after it the target.
      target_after_direction = c.role == "target";
      c = Column{c.header, "direction", "its cells are direction words (アップ/ダウン, ↑/↓)"};
    } else if (target_after_direction && c.role == "actual") {
      target_after_direction = false;
      c = Column{c.header, "target", "the year column after the direction under 目標"};
    } else if (c.role == "note" && HoldsNumbers(rows, i)) {
      c.why = "numbers, but no year in the header: add `year: 令和N年度` and role actual";
    }
    columns.push_back(std::move(c));
  }
  // 平成12年 before 平成13年実績, 平成14年実績: the year before the actuals is the baseline.
  bool jisseki = std::any_of(columns.begin(), columns.end(), [](const Column& c) {
    return c.role == "actual" && Contains(c.header, {"実績"});
  });
  bool baseline = std::any_of(columns.begin(), columns.end(),
                              [](const Column& c) { return c.role == "baseline"; });
  for (Column& c : columns) {
    if (!jisseki || baseline || c.role != "actual") continue;
    if (!Contains(c.header, {"実績"}))
      c = Column{c.header, "baseline", "a year before the 実績 columns"};
    break;
  }
  if (!have_name) {  // a table must have names: the first note column is the likeliest
    for (Column& c : columns) {
      if (c.role != "note") continue;
      c = Column{c.header, "name", "no header says 指標: the first text column"};
      break;
    }
  }
  return columns;
}

// '^平成32年$' as a YAML single-quoted scalar: regex metacharacters escaped.
std::string ExactPattern(const std::string& text) {
  std::string out = "'^";
  for (char ch : text) {
    if (std::string_view("\\^$.|?*+()[]{}").find(ch) != std::string_view::npos) out += '\\';
    out += ch;
    if (ch == '\'') out += '\'';
  }
  return out + "$'";
}

std::string Quoted(const std::string& text) {
  std::string out = "'";
  for (char ch : text) out += ch == '\'' ? std::string("''") : std::string(1, ch);
  return out + "'";
}

struct TableShape {
  bool notes = false;      // '#' note lines
  bool sections = false;   // rows of one cell between indicator rows
  bool sentences = false;  // one-cell rows ending in 。 (descriptions)
  std::string bare_era;    // era of 23年度 headers
};

TableShape Shape(const std::vector<Record>& records, size_t header, const std::string& era) {
  TableShape s;
  for (const Record& r : records) s.notes = s.notes || IsNoteLine(r);
  for (size_t i = 0; i < records.size(); ++i) {
    const Record& r = records[i];
    if (IsNoteLine(r) || NonEmptyCells(r) != 1) continue;
    std::string_view cell = TrimSpace(r.cells[0]);
    bool sentence = cell.size() >= 3 && cell.substr(cell.size() - 3) == "。";
    s.sentences = s.sentences || sentence;
    s.sections = s.sections || (!sentence && i > 0);
  }
  for (const std::string& cell : records[header].cells) {
    if (!ParseYearLabel(cell, "") && ParseYearLabel(cell, era) && !era.empty()) s.bare_era = era;
  }
  return s;
}

std::string Render(const std::vector<Column>& columns, const TableShape& shape,
                   std::string_view source, int header_line, const std::string& name) {
  std::string y =
      "# Proposed by `shihyo import --infer` from " + EscapeControls(source) + " (header on line " +
      std::to_string(header_line) +
      ").\n# Review every column: the roles are guesses from the header words and "
      "the cells under them.\n# README \"Your municipality's table\" lists the roles "
      "and keys.\nlayout: " +
      Quoted(EscapeControls(name)) + "\ndescription: " +
      Quoted("proposed for " + EscapeControls(std::filesystem::path(source).filename().string())) +
      "\nkind: rows\n";
  if (shape.notes || shape.sentences) {
    std::string skip = shape.notes && shape.sentences ? "^#|。$" : shape.notes ? "^#" : "。$";
    std::string what = shape.notes && shape.sentences ? "note lines and one-cell sentences"
                       : shape.notes                  ? "note lines"
                                                      : "one-cell sentences";
    y += "skip: " + Quoted(skip) + "  # " + what + "\n";
  }
  y += "plan: " + Quoted(EscapeControls(name)) +
       "  # the plan's name: put its title here\nmatch:\n  header: [" +
       ExactPattern(columns[0].header) + ", " + ExactPattern(columns[1].header) + "]\n";
  if (shape.sections) y += "sections: single_cell  # a row of one cell opens a project\n";
  if (!shape.bare_era.empty()) y += "bare_year_era: " + shape.bare_era + "\n";
  y += "columns:\n";
  std::vector<std::string> seen;
  for (const Column& c : columns) {
    if (std::find(seen.begin(), seen.end(), c.header) != seen.end()) continue;
    seen.push_back(c.header);
    y += "  - {header: " + ExactPattern(c.header) + ", role: " + c.role + "}  # " + c.why + "\n";
  }
  return y;
}

}  // namespace

Result<InferredLayout> InferLayout(const std::vector<Record>& records, std::string_view source,
                                   const std::string& name) {
  size_t header = 0;
  while (header < records.size() && !LooksLikeHeader(records[header])) ++header;
  if (header == records.size()) {
    return Status::InvalidArgument(
        std::string(source) +
        ": no row looks like a header (a cell such as 指標 or 項目 "
        "and one with a year, 目標 or 基準値); write the layout by hand");
  }
  const Record& head = records[header];
  for (const std::string& cell : head.cells) {
    if (HasControls(cell)) {
      return Status::InvalidArgument(std::string(source) + ":" + std::to_string(head.line) +
                                     ": a header cell holds a control character or bytes that "
                                     "are not UTF-8");
    }
  }
  std::string era = HeaderEra(head.cells);
  std::vector<Column> columns = AssignRoles(head, Samples(records, header), era);
  InferredLayout out;
  out.header_line = head.line;
  out.yaml = Render(columns, Shape(records, header, era), source, head.line, name);
  for (const Column& c : columns)
    out.roles.push_back(c.header + " → " + c.role + " (" + c.why + ")");
  return out;
}

}  // namespace shihyo
