// The state DB's alert rows as text, written without a JSON DOM: the same
// bytes as Dump() of AlertFindingJson and LabelsJson (compact, keys sorted,
// UTF-8 kept, invalid UTF-8 replaced), at a fraction of the cost. Not
// thread-safe (one writer per thread).
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

#include "alert/alert_finding.h"
#include "alert/alert_state.h"

namespace shihyo {

class AlertJsonWriter {
 public:
  // The text of AlertFindingJson(|finding|). The text of its indicator's
  // evidence is kept (by the IndicatorEvidence's address, a few thousand at
  // most) for the next findings about the same indicator: every
  // IndicatorEvidence passed in must outlive this writer.
  std::string Finding(const AlertFinding& finding);

  // The text of LabelsJson(|labels|).
  static std::string LabelsText(const Labels& labels);

  // |s| as a JSON string (quoted and escaped) appended to |out|.
  static void AppendString(std::string* out, std::string_view s);

 private:
  // An indicator's evidence around the finding's own figures:
  // {"aggregation":…,"direction":…,"figures": and ,"footnotes":…,"series":…,"target":…}.
  struct EvidenceText {
    std::string head;
    std::string tail;
  };
  const EvidenceText& Evidence(const IndicatorEvidence& e);

  std::unordered_map<const IndicatorEvidence*, EvidenceText> evidence_;
};

}  // namespace shihyo
