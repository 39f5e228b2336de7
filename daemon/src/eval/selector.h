// Matching indicators against a rule's selector. Pure; thread-safe.
#pragma once

#include "model/indicator.h"
#include "model/rule.h"

namespace shihyo {

// True when every field set in |selector| matches |indicator| (an empty
// selector matches everything).
bool Matches(const Selector& selector, const Indicator& indicator);

// True when |indicator| matches |select| and none of |exclude|.
bool Selects(const Selector& select, const std::vector<Selector>& exclude,
             const Indicator& indicator);

// Selects() for a rule that reports what it cannot decide: a regex that hits
// PCRE2's match limit is never taken as "no match". It counts against
// leaving the indicator out (a select regex as matching, an exclude regex
// as not), and |errors| gets one line naming the field and the error.
bool Selects(const Selector& select, const std::vector<Selector>& exclude,
             const Indicator& indicator, std::vector<std::string>* errors);

}  // namespace shihyo
