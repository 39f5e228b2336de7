#include "import/xls_reader.h"

#include <freexl.h>

#include <cstdio>
#include <filesystem>
#include <memory>

namespace shihyo {

namespace {

struct XlsCloser {
  void operator()(const void* handle) const { freexl_close(handle); }
};
using XlsHandle = std::unique_ptr<const void, XlsCloser>;

std::string CellText(const FreeXL_CellValue& v) {
  char buf[64];
  switch (v.type) {
    case FREEXL_CELL_INT:
      return std::to_string(v.value.int_value);
    case FREEXL_CELL_DOUBLE:
      std::snprintf(buf, sizeof buf, "%.15g", v.value.double_value);
      return buf;
    case FREEXL_CELL_TEXT:
    case FREEXL_CELL_SST_TEXT:
    case FREEXL_CELL_DATE:
    case FREEXL_CELL_DATETIME:
    case FREEXL_CELL_TIME:
      return v.value.text_value ? v.value.text_value : "";
  }
  return "";
}

Status Error(const std::string& where, int code) {
  return Status::InvalidArgument(where + ": libfreexl cannot read it (error " +
                                 std::to_string(code) +
                                 "); not an .xls workbook, or a damaged one");
}

Result<Sheet> ReadSheet(const void* handle, unsigned short index, const std::string& path,
                        const SheetLimits& limits) {
  const char* name = nullptr;
  if (int rc = freexl_get_worksheet_name(handle, index, &name); rc != FREEXL_OK) {
    return Error(path, rc);
  }
  SheetBuilder builder(path, name ? name : "", limits);
  unsigned int rows = 0;
  unsigned short columns = 0;
  if (int rc = freexl_select_active_worksheet(handle, index); rc != FREEXL_OK) {
    return Error(builder.Where(0), rc);
  }
  if (int rc = freexl_worksheet_dimensions(handle, &rows, &columns); rc != FREEXL_OK) {
    return Error(builder.Where(0), rc);
  }
  if (rows > limits.max_rows || columns > limits.max_columns) {
    return Status::InvalidArgument(path + "[" + (name ? name : "") + "]: " + std::to_string(rows) +
                                   " rows × " + std::to_string(columns) +
                                   " columns; a progress table is far smaller");
  }
  for (unsigned int r = 0; r < rows; ++r) {
    for (unsigned short c = 0; c < columns; ++c) {
      FreeXL_CellValue value;
      if (int rc = freexl_get_cell_value(handle, r, c, &value); rc != FREEXL_OK) {
        return Error(builder.Where(r), rc);
      }
      if (Status s = builder.Set(r, c, CellText(value)); !s.ok()) return s;
    }
  }
  return builder.Finish();
}

}  // namespace

Result<std::vector<Sheet>> ReadXlsWorkbook(const std::string& path, const SheetLimits& limits) {
  std::error_code ec;
  uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) return Status::IOError(path + ": cannot open for reading (" + ec.message() + ")");
  if (size > limits.max_file_bytes) {
    return Status::InvalidArgument(path + ": larger than " +
                                   std::to_string(limits.max_file_bytes >> 20) +
                                   " MiB; a progress table is far smaller");
  }
  const void* raw = nullptr;
  int rc = freexl_open(path.c_str(), &raw);
  XlsHandle handle(raw);
  if (rc != FREEXL_OK) return Error(path, rc);
  unsigned int count = 0;
  if (rc = freexl_get_info(raw, FREEXL_BIFF_SHEET_COUNT, &count); rc != FREEXL_OK) {
    return Error(path, rc);
  }
  if (count > limits.max_sheets) {
    return Status::InvalidArgument(path + ": more than " + std::to_string(limits.max_sheets) +
                                   " sheets");
  }
  std::vector<Sheet> sheets;
  for (unsigned int i = 0; i < count; ++i) {
    Result<Sheet> sheet = ReadSheet(raw, static_cast<unsigned short>(i), path, limits);
    if (!sheet.ok()) return sheet.status();
    sheets.push_back(std::move(sheet).value());
  }
  return sheets;
}

}  // namespace shihyo
