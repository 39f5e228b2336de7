#include "import/progress_table.h"

#include <fstream>
#include <map>
#include <sstream>
#include <tuple>

#include "base/text.h"
#include "import/delimited.h"
#include "import/table_reader.h"
#include "model/value_parser.h"

namespace shihyo {

size_t ProgressTable::IndicatorCount() const {
  size_t n = 0;
  for (const TableProject& p : projects) {
    for (const TableMeasure& m : p.measures) n += m.indicators.size();
  }
  return n;
}

namespace {

std::string Trimmed(std::string_view s) { return std::string(TrimSpace(s)); }

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

}  // namespace

int ProjectNumber(std::string_view cell) {
  std::string folded = FoldWidth(cell);
  std::string_view s = folded;
  if (!StartsWith(s, "プロジェクト")) return 0;
  s.remove_prefix(std::string_view("プロジェクト").size());
  int n = 0;
  size_t i = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9' && n < 1000) n = n * 10 + (s[i++] - '0');
  if (i == 0) return 0;
  while (i < s.size() && s[i] == ' ') ++i;
  if (i < s.size() && (s[i] == ':' || StartsWith(s.substr(i), "\u30fb"))) return n;
  return i == s.size() ? n : 0;
}

std::string MeasureMarker(std::string_view cell) {
  size_t pos = 0;
  char32_t cp;
  if (!cell.empty() && DecodeUtf8(cell, &pos, &cp) &&
      ((cp >= 0x2460 && cp <= 0x2473) || (cp >= 0x3251 && cp <= 0x325F) ||
       (cp >= 0x32B1 && cp <= 0x32BF))) {
    return std::string(cell.substr(0, pos));
  }
  std::string folded = FoldWidth(cell);
  if (folded.size() >= 3 && folded[0] == '(' && folded[1] >= '0' && folded[1] <= '9') {
    size_t close = folded.find(')');
    if (close != std::string::npos && close <= 4) return folded.substr(0, close + 1);
  }
  return "";
}

namespace {

bool IsFootnote(std::string_view cell) {
  std::string folded = FoldWidth(cell);
  return StartsWith(folded, "※") || StartsWith(folded, "*") || StartsWith(folded, "注:") ||
         StartsWith(folded, "注)") || StartsWith(folded, "(注");
}

bool IsHeader(const std::vector<std::string>& cells) {
  if (cells.size() < 2) return false;
  std::string first = Trimmed(cells[0]);
  return (first == "指標内容" || first == "指標" || first == "指標名" || first == "数値指標" ||
          first == "指標項目") &&
         StartsWith(Trimmed(cells[1]), "目標");
}

class TableParser {
 public:
  explicit TableParser(std::string_view source) { table_.source = std::string(source); }

  Result<ProgressTable> Run(std::vector<Record> records) {
    for (Record& r : records) {
      Status s = Handle(r);
      if (!s.ok()) return s;
    }
    if (awaiting_years_) {
      return Error(header_line_, "the header has no fiscal-year line (令和2年度 …) under it");
    }
    if (table_.IndicatorCount() == 0) {
      return Status::InvalidArgument(
          table_.source +
          ": no indicator rows found (expected a header line '指標内容 目標値 "
          "実績値', the fiscal years, and one row per indicator)");
    }
    return std::move(table_);
  }

 private:
  Status Error(int line, const std::string& what) const {
    return Status::InvalidArgument(table_.source + ":" + std::to_string(line) + ": " + what);
  }
  Status CellError(int line, size_t cell, const std::string& what) const {
    return Error(line, "cell " + std::to_string(cell + 1) + ": " + what);
  }

  Status Handle(Record& r) {
    size_t used = 0;  // cells up to the last non-empty one
    for (size_t i = 0; i < r.cells.size(); ++i) {
      if (!TrimSpace(r.cells[i]).empty()) used = i + 1;
    }
    if (used == 0) return Status::Ok();
    r.cells.resize(used);
    if (awaiting_years_) return HandleYears(r);
    std::string first = Trimmed(r.cells[0]);
    if (table_.title.empty() && seen_ == 0) {
      ++seen_;
      if (used == 1 && !IsStructural(first, r)) {
        table_.title = first;
        return Status::Ok();
      }
      return Error(r.line,
                   "expected the plan title (e.g. 第2期釜石市子ども・子育て支援事業計画 "
                   "重点プロジェクト進捗状況) on the first line");
    }
    if (IsHeader(r.cells)) return HandleHeader(r);
    if (used == 1 && !first.empty()) {
      if (int n = ProjectNumber(first)) return StartProject(n, first, r.line);
      if (std::string marker = MeasureMarker(first); !marker.empty()) {
        return StartMeasure(marker, first, r.line);
      }
      if (IsFootnote(first)) return AddFootnote(first);
      if (header_line_ == 0 && CurrentMeasure() && measure_open_) {
        CurrentMeasure()->text += "\n" + first;  // a measure written over two lines
        return Status::Ok();
      }
    }
    return HandleRow(r);
  }

  bool IsStructural(const std::string& first, const Record& r) const {
    return ProjectNumber(first) != 0 || !MeasureMarker(first).empty() || IsFootnote(first) ||
           IsHeader(r.cells);
  }

  Status StartProject(int number, const std::string& heading, int line) {
    for (const TableProject& other : table_.projects) {
      if (other.number == number) {
        return Error(line, "プロジェクト" + std::to_string(number) +
                               " appears twice (first on line " + std::to_string(other.line) +
                               "); each project needs its own number");
      }
    }
    TableProject p;
    p.number = number;
    p.heading = heading;
    p.line = line;
    table_.projects.push_back(std::move(p));
    header_line_ = 0;
    measure_open_ = false;
    return Status::Ok();
  }

  Status StartMeasure(const std::string& marker, const std::string& text, int line) {
    TableProject& p = CurrentProject(line);
    for (const TableMeasure& m : p.measures) {
      if (m.marker == marker) {
        return Error(line, "measure " + marker + " appears twice in this project (first on line " +
                               std::to_string(m.line) + ")");
      }
    }
    TableMeasure m;
    m.marker = marker;
    m.text = text;
    m.line = line;
    p.measures.push_back(std::move(m));
    header_line_ = 0;
    measure_open_ = true;
    return Status::Ok();
  }

  Status AddFootnote(const std::string& text) {
    if (TableMeasure* m = CurrentMeasure()) {
      m->footnotes.push_back(text);
    } else {
      table_.notes.push_back(text);
    }
    measure_open_ = false;
    return Status::Ok();
  }

  Status HandleHeader(const Record& r) {
    header_line_ = r.line;
    measure_open_ = false;
    TableMeasure& m = CurrentMeasureOrImplicit(r.line);
    if (r.cells.size() >= 3) {
      std::string third = Trimmed(r.cells[2]);
      if (ParseEraYear(third).ok()) return ReadYears(r, r.line);  // one-line header
      if (third != "実績値" && third != "※実績値" && third != "実績") {
        return CellError(r.line, 2, "expected 実績値, found '" + EscapeControls(third) + "'");
      }
      m.actual_header = third;
    }
    awaiting_years_ = true;
    return Status::Ok();
  }

  Status HandleYears(const Record& r) {
    awaiting_years_ = false;
    if (r.cells.size() < 3 || !Trimmed(r.cells[0]).empty()) {
      return Error(r.line, "expected the fiscal years (令和2年度 …) under the header on line " +
                               std::to_string(header_line_));
    }
    return ReadYears(r, header_line_);
  }

  Status ReadYears(const Record& r, int header_line) {
    std::vector<int> years;
    for (size_t i = 2; i < r.cells.size(); ++i) {
      std::string cell = Trimmed(r.cells[i]);
      Result<int> fy = ParseEraYear(cell);
      if (cell.empty()) return CellError(r.line, i, "expected a fiscal year, found an empty cell");
      if (!fy.ok()) return CellError(r.line, i, fy.status().message());
      if (!years.empty() && *fy != years.back() + 1) {
        return CellError(r.line, i,
                         "fiscal year " + std::to_string(*fy) + " does not follow " +
                             std::to_string(years.back()) + " (expected consecutive years)");
      }
      years.push_back(*fy);
    }
    if (table_.fiscal_years.empty()) {
      table_.fiscal_years = years;
      first_header_line_ = header_line;
    } else if (years != table_.fiscal_years) {
      return Error(r.line, "fiscal years " + Span(years) + " differ from the header on line " +
                               std::to_string(first_header_line_) + " (" +
                               Span(table_.fiscal_years) + "); a table has one plan period");
    }
    return Status::Ok();
  }

  static std::string Span(const std::vector<int>& years) {
    return FormatEraYear(years.front()) + "–" + FormatEraYear(years.back());
  }

  Status HandleRow(const Record& r) {
    if (header_line_ == 0) {
      return Error(r.line, "unexpected line '" + EscapeControls(Trimmed(r.cells[0])) +
                               "' (expected a project heading プロジェクトN:…, a measure ①…, a "
                               "header 指標内容 目標値 実績値, or a ※ footnote)");
    }
    std::string name = Trimmed(r.cells[0]);
    if (name.empty()) return CellError(r.line, 0, "expected the indicator name, found nothing");
    size_t max_cells = 2 + table_.fiscal_years.size();
    if (r.cells.size() > max_cells) {
      return CellError(r.line, r.cells.size() - 1,
                       "too many cells: the header on line " + std::to_string(header_line_) +
                           " has " + std::to_string(table_.fiscal_years.size()) +
                           " fiscal years, so a row has at most " + std::to_string(max_cells) +
                           " cells (name, target, one actual per year)");
    }
    TableMeasure& m = CurrentMeasureOrImplicit(r.line);
    // A map, not a scan of the measure's rows: a table of 40,000 rows in one
    // measure took seconds comparing names.
    auto [first, added] = names_.emplace(
        std::make_tuple(table_.projects.size(), table_.projects.back().measures.size(), name),
        r.line);
    if (!added) {
      return CellError(r.line, 0,
                       "indicator '" + name + "' appears twice in this measure (" +
                           "first on line " + std::to_string(first->second) + ")");
    }
    TableIndicator ind;
    ind.name = name;
    ind.line = r.line;
    ind.target_raw = r.cells.size() > 1 ? r.cells[1] : "";
    ind.actual_raw.assign(table_.fiscal_years.size(), "");
    for (size_t i = 2; i < r.cells.size(); ++i) ind.actual_raw[i - 2] = r.cells[i];
    m.indicators.push_back(std::move(ind));
    return Status::Ok();
  }

  TableProject& CurrentProject(int line) {
    if (table_.projects.empty()) {
      TableProject p;
      p.line = line;
      table_.projects.push_back(std::move(p));
    }
    return table_.projects.back();
  }

  TableMeasure* CurrentMeasure() {
    if (table_.projects.empty() || table_.projects.back().measures.empty()) return nullptr;
    return &table_.projects.back().measures.back();
  }

  TableMeasure& CurrentMeasureOrImplicit(int line) {
    TableProject& p = CurrentProject(line);
    if (p.measures.empty()) {
      TableMeasure m;
      m.line = line;
      p.measures.push_back(std::move(m));
    }
    return p.measures.back();
  }

  ProgressTable table_;
  // (project, measure, indicator name) → its line: duplicates are an error.
  std::map<std::tuple<size_t, size_t, std::string>, int> names_;
  int seen_ = 0;
  int header_line_ = 0;  // header of the block being read; 0 outside a block
  int first_header_line_ = 0;
  bool awaiting_years_ = false;
  bool measure_open_ = false;  // the measure line may continue on the next line
};

}  // namespace

Result<ProgressTable> ParseProgressTable(std::string_view utf8, std::string_view source) {
  Result<std::vector<Record>> records = SplitRecords(utf8, DetectDelimiter(utf8), source);
  if (!records.ok()) return records.status();
  return ParseProgressRecords(std::move(records).value(), source);
}

Result<ProgressTable> ParseProgressRecords(std::vector<Record> records, std::string_view source) {
  for (const Record& r : records) {
    for (size_t i = 0; i < r.cells.size(); ++i) {
      if (FindInvalidUtf8(r.cells[i]) != std::string_view::npos) {
        return Status::InvalidArgument(std::string(source) + ":" + std::to_string(r.line) +
                                       ": cell " + std::to_string(i + 1) +
                                       ": bytes that are not valid UTF-8");
      }
    }
  }
  return ParseCheckedProgressRecords(std::move(records), source);
}

Result<ProgressTable> ParseCheckedProgressRecords(std::vector<Record> records,
                                                  std::string_view source) {
  Result<ProgressTable> table = TableParser(source).Run(std::move(records));
  if (!table.ok()) return table;
  // An import holds every table until it writes them: without the room the
  // vectors grew into, 1,741 tables took 20 MB less.
  for (TableProject& p : table->projects) {
    for (TableMeasure& m : p.measures) m.indicators.shrink_to_fit();
    p.measures.shrink_to_fit();
  }
  table->projects.shrink_to_fit();
  return table;
}

Result<ProgressTable> ReadProgressTable(const std::string& path, Encoding encoding) {
  Result<std::string> bytes = ReadTableBytes(path);
  if (!bytes.ok()) return bytes.status();
  Result<DecodedText> text = DecodeToUtf8(*bytes, path, encoding);
  if (!text.ok()) return text.status();
  Result<ProgressTable> table = ParseProgressTable(text->utf8, path);
  if (table.ok()) table->encoding = text->detected;
  return table;
}

}  // namespace shihyo
