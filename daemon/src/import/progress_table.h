// Reads a Japanese progress table (進捗状況【数値指標】) as exported from a
// spreadsheet: title line, プロジェクトN: headings, ①②③ measures, a one- or
// two-line header (指標内容 目標値 実績値 / era years), indicator rows and ※
// footnotes. The result holds the cells verbatim; nothing is parsed into
// numbers here. Everything but ReadProgressTable (which reads a file) is
// pure; all of it is thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/encoding.h"
#include "base/status.h"
#include "import/delimited.h"
#include "model/value_parser.h"
#include "model/year_label.h"

namespace shihyo {

// A field added to the Table* structs or ProgressTable that an import writes
// must also go into TableDigest (store/table_digest.cc).

// A year that a table gives for one cell (a baseline's 平成22年度, a target's 平成32年).
struct TableYear {
  int year = 0;
  YearKind kind = YearKind::kUnspecified;
};

// A cell kept as a note: the column header (内容, 備考, 平成15年末見込) and the text.
struct TableNote {
  std::string label;
  std::string text;
};

// A value tied to a year outside the actuals: a planned value (計画値).
struct TableYearValue {
  TableYear year;
  std::string raw;
};

struct TableIndicator {
  std::string name;
  std::string target_raw;
  std::vector<std::string> actual_raw;  // one per fiscal year; "" when empty
  // Per fiscal year: whether the table has a cell for it for this indicator
  // (a transposed table lists its own years). Empty: every year.
  std::vector<bool> in_table;
  int line = 0;
  // Read by layouts other than Kamaishi's; empty when the table has none.
  std::string code;           // 主要施策コード
  std::string unit;           // from a unit column or the name (【人】)
  std::string direction_raw;  // アップ, ダウン, ⇗, ↓ … as written
  std::optional<TableYear> target_year;
  std::string baseline_raw;
  std::optional<TableYear> baseline_year;
  std::vector<std::string> rate_raw;  // reported achievement rate per fiscal year; may be empty
  std::vector<TableYearValue> planned;
  std::vector<TableNote> notes;
};

struct TableMeasure {
  std::string marker;                    // "①", or "" when the line has none
  std::string text;                      // the whole measure line, verbatim
  std::string actual_header = "実績値";  // "※実績値" when the header carries a mark
  std::vector<std::string> footnotes;    // ※ lines that follow the measure's rows
  std::vector<TableIndicator> indicators;
  int line = 0;
};

struct TableProject {
  int number = 0;       // N of プロジェクトN, 0 when the table has no headings
  std::string heading;  // "プロジェクト1:情報発信プロジェクト", verbatim
  std::vector<TableMeasure> measures;
  int line = 0;
};

struct ProgressTable {
  std::string source;  // file name, for messages
  const char* encoding = "UTF-8";
  std::string layout;                            // name of the layout that read it
  YearKind year_kind = YearKind::kFiscal;        // how the actual columns' years are written
  std::map<std::string, CellStatus> cell_words;  // layout words: なし → none, 設置 → text
  std::vector<std::pair<int, std::string>> explain;  // line → how the reader took it
  std::string title;
  std::vector<int> fiscal_years;   // the plan period, ascending
  std::vector<std::string> notes;  // ※ lines before the first measure
  std::vector<TableProject> projects;

  size_t IndicatorCount() const;
};

// "プロジェクト1:情報発信プロジェクト" → 1 (full-width digits too); 0 when
// |heading| is not a project heading.
int ProjectNumber(std::string_view heading);

// "①広報誌に…" → "①", "(1)…" → "(1)"; "" when |line| is not a measure line.
std::string MeasureMarker(std::string_view line);

// Parses already-decoded UTF-8 text. Every error reads
// "|source|:LINE: what was expected" (with "cell N" where one cell is wrong).
Result<ProgressTable> ParseProgressTable(std::string_view utf8, std::string_view source);

// Parses records already split into cells (a spreadsheet's sheet); errors as above.
Result<ProgressTable> ParseProgressRecords(std::vector<Record> records, std::string_view source);

// ParseProgressRecords for records whose cells are known to be valid UTF-8
// (ParseRecords has checked them): not checked again.
Result<ProgressTable> ParseCheckedProgressRecords(std::vector<Record> records,
                                                  std::string_view source);

// Reads |path|, decodes it (see DecodeToUtf8) and parses it.
Result<ProgressTable> ReadProgressTable(const std::string& path, Encoding encoding);

}  // namespace shihyo
