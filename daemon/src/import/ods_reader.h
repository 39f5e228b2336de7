// OpenDocument spreadsheets (.ods, LibreOffice's own format): each cell's
// displayed text (<text:p>, which LibreOffice writes formatted: "5,070人"),
// repeated rows and columns expanded within the limits, covered (merged)
// cells empty, annotations skipped. Internal to import/; thread-safe.
#pragma once

#include <string_view>
#include <vector>

#include "base/status.h"
#include "import/sheet.h"

namespace shihyo {

class ZipXml;

// Reads every table of |zip|'s content.xml, in order. |source| names the file.
Result<std::vector<Sheet>> ReadOds(ZipXml& zip, std::string_view source, const SheetLimits& limits);

}  // namespace shihyo
