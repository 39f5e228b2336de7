// Office Open XML workbooks (.xlsx) as written by Excel, LibreOffice and
// openpyxl: shared and inline strings, number formats (styles.xml), formulas
// by their cached value, merged cells. Internal to import/; thread-safe.
#pragma once

#include <string_view>
#include <vector>

#include "base/status.h"
#include "import/sheet.h"

namespace shihyo {

class ZipXml;

// Reads every worksheet of |zip|, in workbook order. |source| names the file.
Result<std::vector<Sheet>> ReadXlsx(ZipXml& zip, std::string_view source,
                                    const SheetLimits& limits);

}  // namespace shihyo
