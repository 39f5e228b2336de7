// Legacy Excel workbooks (.xls, BIFF5/BIFF8) through libfreexl. libfreexl
// gives each cell's value but not its number format, so a number reads as
// the plain number ("5070", "1" for a cell displayed as 100%); text cells,
// which is what a progress table mostly holds, read exactly. Internal to
// import/; thread-safe (each call opens its own handle).
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "import/sheet.h"

namespace shihyo {

// Reads every worksheet of the .xls file at |path|.
Result<std::vector<Sheet>> ReadXlsWorkbook(const std::string& path, const SheetLimits& limits);

}  // namespace shihyo
