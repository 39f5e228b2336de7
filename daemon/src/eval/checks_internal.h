// Internal to the checks module: the check functions split across
// checks*.cc and the helpers they share.
#pragma once

#include <vector>

#include "eval/checks.h"

namespace shihyo {
namespace checks_internal {

RawFinding Make(const Indicator& ind, std::optional<int> fiscal_year);
void Add(RawFinding* f, const char* name, double value);
void Add(RawFinding* f, const char* name, std::string value);

}  // namespace checks_internal

void CheckTargetMissed(const Rule& rule, const Indicator& ind, std::vector<RawFinding>* out);
void CheckTargetUnreachable(const Rule& rule, const Indicator& ind, std::vector<RawFinding>* out);
void CheckRising(const Rule& rule, const Indicator& ind, std::vector<RawFinding>* out);
void CheckSpike(const Rule& rule, const Indicator& ind, std::vector<RawFinding>* out);
void CheckCumulativeDecrease(const Rule& rule, const Indicator& ind, std::vector<RawFinding>* out);
void CheckExpression(const Rule& rule, const Indicator& ind, std::vector<RawFinding>* out);
void CheckDuplicateSeries(const Rule& rule, const std::vector<const Indicator*>& indicators,
                          std::vector<RawFinding>* out);

}  // namespace shihyo
