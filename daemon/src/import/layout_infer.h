// `import --infer`: proposes a layout for a row-per-indicator table no layout
// knows, from its header row and the cells under it. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "import/delimited.h"

namespace shihyo {

struct InferredLayout {
  std::string yaml;                // a commented layout file, for review
  int header_line = 0;             // the row taken as the header
  std::vector<std::string> roles;  // one line per header cell: "cell → role (why)"
};

// Proposes a `kind: rows` layout named |name| for |records|: the header row
// (the first row with a name-like cell and a year or target cell), each
// header cell's role (name, code, unit, baseline and its year, target and its
// year, direction, actual per year, rate, note), the era of bare years, and
// section rows. kInvalidArgument naming |source| when no row looks like a
// header.
Result<InferredLayout> InferLayout(const std::vector<Record>& records, std::string_view source,
                                   const std::string& name);

}  // namespace shihyo
