// The JSON of a finding written straight to text: what FindingJson(f).dump(2)
// prints, byte for byte, without building nlohmann's document (its allocations
// were most of `shihyo eval --format json`). Pure.
#pragma once

#include <string>

#include "model/finding.h"

namespace shihyo {

// Appends FindingJson(|finding|).dump(2) as it reads nested |depth| levels
// deep in a document dumped with indent 2: every line after the first
// indented by 2 × |depth| more spaces. Throws as dump() does on text that is
// not UTF-8.
void AppendFindingJson(const Finding& finding, int depth, std::string* out);

}  // namespace shihyo
