// Reading a table with one layout (internal to import/): recognition, the
// row-per-indicator reader and the transposed reader. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "import/delimited.h"
#include "import/layout.h"
#include "import/progress_table.h"

namespace shihyo {

// "" when |records| satisfy |layout|'s match criteria; otherwise why not,
// starting with the line where matching stopped ("line 2: cell 3 '単位' …").
std::string MatchFailure(const Layout& layout, const std::vector<Record>& records);

// True when the first cells of |cells| match |layout.match_header| in order.
bool IsLayoutHeader(const Layout& layout, const std::vector<std::string>& cells);

Result<ProgressTable> ReadRows(const Layout& layout, const std::vector<Record>& records,
                               std::string_view source);
Result<ProgressTable> ReadTransposed(const Layout& layout, const std::vector<Record>& records,
                                     std::string_view source);

// The cells of |r| up to its last non-empty one, trimmed.
std::vector<std::string> UsedCells(const Record& r);

// The era ("平成") of the first cell of |cells| that writes one, or "".
std::string FirstEra(const std::vector<std::string>& cells);

// The unit of the first value cell among |raws| that has one, or "".
std::string FirstUnit(const std::vector<std::string>& raws);

}  // namespace shihyo
