// The digest as its renderers (digest_text.cc, digest_html.cc) see it: counts,
// the critical alerts first, one entry per rule and year that fired on many
// indicators, one block per indicator with all its alerts. Internal to
// notify/. Pure; thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "alert/notify_planner.h"
#include "notify/digest.h"

namespace shihyo {

enum class EntryKind { kNew, kOngoing, kResolved, kRemoved };

struct DigestEntry {
  const AlertRecord* alert = nullptr;
  EntryKind kind = EntryKind::kNew;
  std::string reason;    // resolved ones: ResolvedReasonOf
  bool grouped = false;  // also shown in a DigestGroup
};

// One rule for one fiscal year on many indicators: one entry of the digest
// (each alert keeps its own lifecycle; only the digest groups them).
struct DigestGroup {
  std::string title;  // GroupTitle, e.g. "令和6年度の実績が未記入"
  std::string check;
  Severity severity = Severity::kWarning;
  std::vector<DigestEntry> entries;  // one per indicator, table order
};

// One indicator and every alert of a section about it.
struct IndicatorBlock {
  std::vector<DigestEntry> entries;  // severity (critical first), then fiscal year
  Severity worst = Severity::kInfo;
  const AlertFinding& finding() const { return entries.front().alert->finding; }
};

struct DigestSection {
  std::vector<DigestGroup> groups;
  // Indicators with at least one alert not in a group.
  std::vector<IndicatorBlock> blocks;
};

struct DigestModel {
  std::map<Severity, size_t> by_severity;  // firing alerts
  size_t fresh = 0, ongoing = 0, resolved = 0, removed = 0;
  std::vector<DigestEntry> critical;  // firing critical alerts: first in the email
  DigestSection active, resolved_section, removed_section;
};

DigestModel BuildDigestModel(const GroupNotification& n, const DigestContext& ctx);

// The series shown for |block|: what the alerts saw (the values before an
// import removed the indicator, for removed ones); none for resolved ones,
// whose reason says what changed.
struct SeriesView {
  std::string label;  // 実績, 削除前の実績
  std::string target_raw;
  CellValue target;
  std::vector<Observation> cells;
  std::map<int, Severity> flagged;         // fiscal year → the worst alert for it
  std::optional<Severity> target_flagged;  // alerts about the indicator as a whole
};
SeriesView SeriesOf(const IndicatorBlock& block);

// "【重大】", "【警告】", "【情報】".
std::string SeverityBadge(Severity s);
// "新規", "継続", "解消", "表から削除".
const char* KindLabel(EntryKind k);
// The message without a leading "indicator：", which the heading says.
std::string MessageBody(const AlertFinding& f);
// "新規 7件・継続 0件・解消 1件" (・表から削除 N件 when any).
std::string CountsLine(const DigestModel& m);
// "重大 2件・警告 38件・情報 14件", the firing alerts by severity.
std::string SeverityLine(const DigestModel& m);
// The plans of |n|, joined by "、".
std::string PlansOf(const GroupNotification& n);
// "ルール abuse_cases_rising 2件・missing_actual 26件": for administrators only.
std::string AdminLine(const GroupNotification& n);
// What each kind of entry is shown with: "（新規・2026年11月28日検出）".
std::string WhenLine(const DigestEntry& e);
// <external_url>/alerts/<fingerprint>, "" without an external_url.
std::string AlertLink(const DigestContext& ctx, const AlertRecord& a);
// <external_url>/plans/<id>#i<ordinal>, "" without an external_url or plan.
std::string IndicatorLink(const DigestContext& ctx, const AlertFinding& f);
// <external_url> without a trailing slash.
std::string BaseUrl(const DigestContext& ctx);

// Colours that also survive a client without CSS (bgcolor, <font color>).
struct Colors {
  const char* strong;  // badge background, the bar of a flagged year
  const char* text;    // text on |strong|
  const char* light;   // background of a flagged cell or a block
};
Colors ColorsOf(Severity s);
constexpr Colors kResolvedColors{"#2e7d32", "#ffffff", "#e8f5e9"};
constexpr Colors kRemovedColors{"#616161", "#ffffff", "#eeeeee"};

// A badge: |label| ("【重大】") in a cell with its background as bgcolor and
// inline style, the text bold in <font color>.
std::string HtmlBadge(const std::string& label, const Colors& c);

// The series of |s| as one table (digest_chart.cc): a bar per year against
// the target line (plain table cells with bgcolor: no SVG, no image), the
// years, the values with every flagged cell marked by colour and by its
// severity label, and the target.
std::string HtmlSeriesTable(const SeriesView& s);

constexpr const char* kRemovedHeading = "表から削除された指標のアラート";
constexpr const char* kRemovedNote =
    "次の指標は取り込んだ表からなくなったため、アラートを閉じました。"
    "値が直ったのではありません。削除が意図したものか確かめてください。";
constexpr const char* kFooter =
    "このメールは shihyo が自動で送信しています。アラートの原因がなくなると"
    "（値を直して取り込み直す、状況が変わるなど）、次の評価で「解消」としてお知らせします。";

}  // namespace shihyo
