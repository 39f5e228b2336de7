#include "import/sheet.h"

#include <fstream>

#include "base/text.h"
#include "import/ods_reader.h"
#include "import/table_reader.h"
#include "import/xls_reader.h"
#include "import/xlsx_reader.h"
#include "import/zip_xml.h"

namespace shihyo {

namespace {

bool EndsWithNoCase(std::string_view s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  s = s.substr(s.size() - suffix.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != suffix[i]) return false;
  }
  return true;
}

Result<std::string> ReadBytes(const std::string& path, size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IOError(path + ": cannot open for reading");
  std::string bytes(max_bytes + 1, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (in.bad()) return Status::IOError(path + ": read error");
  bytes.resize(static_cast<size_t>(in.gcount()));
  if (bytes.size() > max_bytes) {
    return Status::InvalidArgument(path + ": larger than " + std::to_string(max_bytes >> 20) +
                                   " MiB; a progress table is far smaller");
  }
  return bytes;
}

}  // namespace

SheetFormat SheetFormatOf(std::string_view path) {
  if (EndsWithNoCase(path, ".xlsx") || EndsWithNoCase(path, ".xlsm")) return SheetFormat::kXlsx;
  if (EndsWithNoCase(path, ".ods")) return SheetFormat::kOds;
  if (EndsWithNoCase(path, ".xls")) return SheetFormat::kXls;
  return SheetFormat::kNone;
}

const char* SheetFormatName(SheetFormat format) {
  switch (format) {
    case SheetFormat::kXlsx:
      return "xlsx";
    case SheetFormat::kOds:
      return "ods";
    case SheetFormat::kXls:
      return "xls";
    case SheetFormat::kNone:
      break;
  }
  return "text";
}

Result<std::vector<Sheet>> ReadWorkbook(const std::string& path, SheetFormat format,
                                        const SheetLimits& limits) {
  if (Status file = CheckTableFile(path); !file.ok()) return file;
  if (format == SheetFormat::kXls) return ReadXlsWorkbook(path, limits);
  Result<std::string> bytes = ReadBytes(path, limits.max_file_bytes);
  if (!bytes.ok()) return bytes.status();
  return ReadZipWorkbook(*bytes, format, path, limits);
}

Result<std::vector<Sheet>> ReadZipWorkbook(std::string_view bytes, SheetFormat format,
                                           std::string_view source, const SheetLimits& limits) {
  Result<std::unique_ptr<ZipXml>> zip = ZipXml::Open(bytes, std::string(source), limits);
  if (!zip.ok()) return zip.status();
  if (format == SheetFormat::kOds) return ReadOds(**zip, source, limits);
  return ReadXlsx(**zip, source, limits);
}

Result<std::vector<Sheet>> SelectSheets(std::vector<Sheet> sheets, std::string_view selector,
                                        std::string_view source) {
  if (selector.empty()) return sheets;
  std::string names;
  for (size_t i = 0; i < sheets.size(); ++i) {
    if (sheets[i].name == selector || std::to_string(i + 1) == selector) {
      return std::vector<Sheet>{std::move(sheets[i])};
    }
    names += (i ? ", " : "") + std::to_string(i + 1) + " '" + sheets[i].name + "'";
  }
  return Status::InvalidArgument(std::string(source) + ": no sheet '" + std::string(selector) +
                                 "' (the sheets: " + (names.empty() ? "none" : names) + ")");
}

std::string ColumnLetters(size_t column) {
  std::string letters;
  for (size_t n = column + 1; n > 0; n = (n - 1) / 26) {
    letters.insert(letters.begin(), static_cast<char>('A' + (n - 1) % 26));
  }
  return letters;
}

SheetBuilder::SheetBuilder(std::string source, std::string name, const SheetLimits& limits)
    : source_(std::move(source)), limits_(limits) {
  sheet_.name = std::move(name);
}

std::string SheetBuilder::Where(size_t row) const {
  return source_ + "[" + sheet_.name + "]:" + std::to_string(row + 1);
}

Status SheetBuilder::Set(size_t row, size_t column, std::string text) {
  if (text.empty()) return Status::Ok();
  std::string cell = ColumnLetters(column) + std::to_string(row + 1);
  auto error = [&](const std::string& what) {
    return Status::InvalidArgument(Where(row) + ": cell " + cell + ": " + what);
  };
  if (row >= limits_.max_rows) {
    return error("beyond row " + std::to_string(limits_.max_rows) +
                 "; a progress table is far smaller");
  }
  if (column >= limits_.max_columns) {
    return error("beyond column " + std::to_string(limits_.max_columns));
  }
  if (text.size() > limits_.max_cell_bytes) {
    return error("longer than " + std::to_string(limits_.max_cell_bytes >> 10) + " KiB");
  }
  if (FindInvalidUtf8(text) != std::string_view::npos) return error("text that is not UTF-8");
  if (sheet_.rows.size() <= row) sheet_.rows.resize(row + 1);
  std::vector<std::string>& cells = sheet_.rows[row].cells;
  if (cells.size() <= column) {
    cells_ += column + 1 - cells.size();
    cells.resize(column + 1);
  }
  text_bytes_ += text.size();
  if (cells_ > limits_.max_cells || text_bytes_ > limits_.max_text_bytes) {
    return error("the sheet holds more than " + std::to_string(limits_.max_cells) + " cells or " +
                 std::to_string(limits_.max_text_bytes >> 20) + " MiB of text");
  }
  cells[column] = std::move(text);
  return Status::Ok();
}

size_t SheetBuilder::ClearMerged(size_t row1, size_t col1, size_t row2, size_t col2) {
  size_t visited = 0;
  for (size_t r = row1; r <= row2 && r < sheet_.rows.size(); ++r) {
    std::vector<std::string>& cells = sheet_.rows[r].cells;
    ++visited;
    for (size_t c = col1; c <= col2 && c < cells.size(); ++c, ++visited) {
      if (r != row1 || c != col1) cells[c].clear();
    }
  }
  return visited;
}

Sheet SheetBuilder::Finish() {
  for (size_t i = 0; i < sheet_.rows.size(); ++i) {
    sheet_.rows[i].line = static_cast<int>(i + 1);
    if (sheet_.rows[i].cells.empty()) sheet_.rows[i].cells.emplace_back();
  }
  Sheet out = std::move(sheet_);
  sheet_ = Sheet{};
  return out;
}

}  // namespace shihyo
