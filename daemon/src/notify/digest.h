// Renders one group notification as the email staff read: a Japanese subject
// and a body grouped by project then indicator, each alert with its severity,
// message and the evidence as a small table of fiscal years and target;
// resolved alerts in their own section with the current values. Plain text
// and HTML. Pure.
#pragma once

#include <string>
#include <vector>

#include "alert/notify_planner.h"
#include "model/indicator.h"
#include "notify/message.h"

namespace shihyo {

// |s| for HTML text or an attribute: & < > " ' as entities, control
// characters (also CR and LF) as \xNN. For every untrusted string in HTML.
std::string HtmlEscape(const std::string& s);

// |text| as <pre>, each line escaped by HtmlEscape, the line breaks kept.
std::string HtmlPre(const std::string& text);

struct DigestContext {
  const std::vector<Plan>* snapshot = nullptr;  // current indicators, overrides applied
  TimePoint now{};
  std::string external_url;
};

// "[shihyo] 新規アラート 7件 — 第2期釜石市子ども・子育て支援事業計画 …". Resolved
// alerts whose indicator is gone from |ctx|'s snapshot count as "表から削除".
std::string DigestSubject(const GroupNotification& n, const DigestContext& ctx);

// The plain-text digest (also the {{text}} of chat templates).
std::string DigestText(const GroupNotification& n, const DigestContext& ctx);

// The HTML digest.
std::string DigestHtml(const GroupNotification& n, const DigestContext& ctx);

// The indicator |alert| is about in |snapshot|, or nullptr when it is gone.
const Indicator* CurrentIndicator(const std::vector<Plan>* snapshot, const AlertRecord& alert);

}  // namespace shihyo
