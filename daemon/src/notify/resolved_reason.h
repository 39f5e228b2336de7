// Why a resolved alert resolved, in the words staff read: its value changed
// (old → new), its rule changed or was removed, its indicator left the table,
// or it was silenced. Pure; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "alert/alert_state.h"
#include "notify/digest.h"

namespace shihyo {

// Why |alert| (resolved) resolved: "value_changed", "rule_changed",
// "rule_removed", "indicator_removed", "silenced" or "" (not known: it was no
// longer found). Reads the record's own reason when it has one; infers from
// |ctx|'s snapshot otherwise (indicator gone, or a cell or the target differs
// from what the alert saw).
std::string ResolvedReasonOf(const AlertRecord& alert, const DigestContext& ctx);

// The cells of |alert|'s indicator that differ between what the alert saw and
// the current snapshot of |ctx|, "令和5年度 25件 → 12件": the alert's own year
// and the target when either changed, the other years otherwise; empty when
// the indicator is gone or nothing differs.
std::vector<std::string> ValueChanges(const AlertRecord& alert, const DigestContext& ctx);

// One Japanese sentence saying why |alert| resolved, for |reason| as
// ResolvedReasonOf returns it; the value changes are shown for
// "value_changed".
std::string ResolvedReasonText(const AlertRecord& alert, const std::string& reason,
                               const DigestContext& ctx);

}  // namespace shihyo
