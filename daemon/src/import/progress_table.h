// Reads a Japanese progress table (進捗状況【数値指標】) as exported from a
// spreadsheet: title line, プロジェクトN: headings, ①②③ measures, a one- or
// two-line header (指標内容 目標値 実績値 / era years), indicator rows and ※
// footnotes. The result holds the cells verbatim; nothing is parsed into
// numbers here. Everything but ReadProgressTable (which reads a file) is
// pure; all of it is thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/encoding.h"
#include "base/status.h"

namespace shihyo {

struct TableIndicator {
  std::string name;
  std::string target_raw;
  std::vector<std::string> actual_raw;  // one per fiscal year; "" when empty
  int line = 0;
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

// Reads |path|, decodes it (see DecodeToUtf8) and parses it.
Result<ProgressTable> ReadProgressTable(const std::string& path, Encoding encoding);

}  // namespace shihyo
