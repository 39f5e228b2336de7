// Spreadsheets read directly (.xlsx, .ods, .xls): every sheet becomes the grid
// of rows and cells the delimited-text reader yields, with each cell's text as
// the spreadsheet program displays it, so that the layouts read it unchanged.
// Pure except ReadWorkbook (which reads a file); thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "import/delimited.h"

namespace shihyo {

enum class SheetFormat { kNone, kXlsx, kOds, kXls };

// Bounds far above any real progress table, so that a hostile file costs
// little: a zip bomb, a billion repeated columns, a sheet a million rows long.
struct SheetLimits {
  size_t max_file_bytes = 64u << 20;   // the workbook file itself
  size_t max_entry_bytes = 64u << 20;  // one uncompressed zip entry
  size_t max_ratio = 1000;             // uncompressed / compressed size of one entry
  size_t max_rows = 100000;
  size_t max_columns = 2000;
  size_t max_cell_bytes = 64u << 10;
  size_t max_cells = 1000000;         // cells of one sheet, up to each row's last one
  size_t max_text_bytes = 64u << 20;  // text of one sheet (a shared string counts each time)
  size_t max_sheets = 256;
  size_t max_depth = 64;  // XML element nesting
};

// One worksheet. rows[i].line is the spreadsheet's row number (1-based) and
// every row up to the last non-empty one is present, empty rows as one "" cell.
struct Sheet {
  std::string name;
  std::vector<Record> rows;
};

// The format |path| names by its extension (case-insensitive); kNone for text.
SheetFormat SheetFormatOf(std::string_view path);

// "xlsx", "ods", "xls".
const char* SheetFormatName(SheetFormat format);

// Reads every sheet of the workbook at |path|. Errors name the file and, where
// one is at fault, the sheet, row and cell: "a.xlsx[Sheet1]:12: cell C12: …".
Result<std::vector<Sheet>> ReadWorkbook(const std::string& path, SheetFormat format,
                                        const SheetLimits& limits = SheetLimits());

// Reads a zip-based workbook (.xlsx or .ods) from memory; |source| names it in errors.
Result<std::vector<Sheet>> ReadZipWorkbook(std::string_view bytes, SheetFormat format,
                                           std::string_view source,
                                           const SheetLimits& limits = SheetLimits());

// The sheets |selector| names: "" for all, a sheet's name, or its 1-based
// number. kInvalidArgument naming the sheets there are when none matches.
Result<std::vector<Sheet>> SelectSheets(std::vector<Sheet> sheets, std::string_view selector,
                                        std::string_view source);

// Collects cells by (row, column), 0-based, into a Sheet, enforcing the limits.
class SheetBuilder {
 public:
  SheetBuilder(std::string source, std::string name, const SheetLimits& limits);

  // Sets the text of a cell; errors name the cell ("a.xlsx[S]:3: cell B3: …").
  Status Set(size_t row, size_t column, std::string text);
  // Empties the cells of a merged range, rows |row1|..|row2| and columns
  // |col1|..|col2|, but its first cell, which keeps the value. Visits only
  // cells that exist; returns how many rows and cells it visited, so that the
  // caller can bound the work of many overlapping ranges.
  size_t ClearMerged(size_t row1, size_t col1, size_t row2, size_t col2);
  // The source prefix for a row, "a.xlsx[S]:3".
  std::string Where(size_t row) const;
  // The finished sheet; the builder is empty afterwards.
  Sheet Finish();

 private:
  std::string source_;
  Sheet sheet_;
  SheetLimits limits_;
  size_t cells_ = 0;
  size_t text_bytes_ = 0;
};

// "A", "B", …, "Z", "AA": the letters of a 0-based column.
std::string ColumnLetters(size_t column);

}  // namespace shihyo
