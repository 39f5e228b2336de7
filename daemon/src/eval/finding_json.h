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

// What AppendFindingJson reuses between findings about the same indicator:
// the text of their evidence but the figures (its target and series). Valid
// while the indicators it has seen live: Clear() it before they go.
struct FindingJsonCache {
  void Clear() { valid = false; }
  bool valid = false;
  const Indicator* indicator = nullptr;
  int depth = 0;
  std::string evidence;  // the evidence but its figures, which go at |cut|
  size_t cut = 0;
  // The last plain (escape-free, UTF-8) text written for the plan, project,
  // measure, indicator, department and fiscal year: the same text again is
  // written without another look. Never stale: compared by content.
  std::string plain[6];
};

// The same, reusing and updating |cache|.
void AppendFindingJson(const Finding& finding, int depth, std::string* out,
                       FindingJsonCache* cache);

}  // namespace shihyo
