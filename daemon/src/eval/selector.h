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

}  // namespace shihyo
