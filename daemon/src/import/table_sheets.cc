// ReadTables: a spreadsheet's sheets through the layouts, or a text file.
#include "import/sheet.h"
#include "import/table_reader.h"

namespace shihyo {

namespace {

std::string SheetSource(const std::string& path, const Sheet& sheet) {
  return path + "[" + sheet.name + "]";
}

bool IsNoLayout(const Status& s, const std::string& source) {
  return s.message().rfind(source + ": no layout reads this table:", 0) == 0;
}

// Reads each sheet; a sheet no layout recognises is skipped unless it was
// asked for by name, and its reasons are kept for the error when none reads.
Result<std::vector<TableRead>> ReadSheets(const std::string& path, SheetFormat format,
                                          const std::vector<Sheet>& sheets,
                                          const std::vector<Layout>& layouts, bool chosen) {
  std::vector<TableRead> reads;
  std::string reasons;
  for (const Sheet& sheet : sheets) {
    std::string source = SheetSource(path, sheet);
    Result<TableRead> read = ParseRecords(sheet.rows, source, layouts);
    if (!read.ok()) {
      if (chosen || !IsNoLayout(read.status(), source)) return read.status();
      reasons += "\n" + read.status().message();
      continue;
    }
    read->table.encoding = SheetFormatName(format);
    reads.push_back(std::move(read).value());
  }
  if (reads.empty()) {
    return Status::InvalidArgument(path + ": no sheet is a table a layout reads" +
                                   (reasons.empty() ? " (the workbook has no sheets)" : reasons));
  }
  return reads;
}

}  // namespace

Result<std::vector<TableRead>> ReadTables(const std::string& path, Encoding encoding,
                                          const std::vector<Layout>& layouts,
                                          const std::string& sheet) {
  SheetFormat format = SheetFormatOf(path);
  if (format == SheetFormat::kNone) {
    if (!sheet.empty()) {
      return Status::InvalidArgument(path + ": --sheet applies to .xlsx, .ods and .xls files");
    }
    Result<TableRead> read = ReadTable(path, encoding, layouts);
    if (!read.ok()) return read.status();
    std::vector<TableRead> one;  // not {…}: an initializer list copies the table
    one.push_back(std::move(read).value());
    return one;
  }
  Result<std::vector<Sheet>> sheets = ReadWorkbook(path, format);
  if (!sheets.ok()) return sheets.status();
  Result<std::vector<Sheet>> chosen = SelectSheets(std::move(sheets).value(), sheet, path);
  if (!chosen.ok()) return chosen.status();
  return ReadSheets(path, format, *chosen, layouts, !sheet.empty());
}

}  // namespace shihyo
