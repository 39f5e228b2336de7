// Spreadsheet number formats ("#,##0\"人\"", "0.0%", "yyyy/m/d", "ggge年m月d日"):
// the text a spreadsheet program displays for a number. Covers what progress
// tables use: digits, thousands separators, decimals, percent, quoted and
// escaped literals, sections (positive;negative;zero), dates with 和暦 eras.
// Conditions and colours ([>100], [Red]) are skipped. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace shihyo {

// The code of a built-in Excel format (0 General, 3 "#,##0", 9 "0%", 14 a
// date …), or "General" for an id without a fixed code.
std::string BuiltinNumberFormat(int id);

// |value| as displayed with format |code|. Dates are serial days since
// 1899-12-30 (|date1904|: since 1904-01-01). "General" (or "") gives up to 15
// significant digits without trailing zeros, as "5070" or "0.3".
std::string FormatNumber(double value, std::string_view code, bool date1904 = false);

}  // namespace shihyo
