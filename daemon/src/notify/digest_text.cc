// The plain-text digest (also the {{text}} of chat templates): summary first,
// the critical alerts, the grouped entries, then one block per indicator.
#include <set>

#include "base/text.h"
#include "base/text_table.h"
#include "model/value_parser.h"
#include "notify/advice.h"
#include "notify/digest.h"
#include "notify/digest_model.h"
#include "notify/resolved_reason.h"

namespace shihyo {

namespace {

constexpr int kWrapWidth = 72;  // display columns of a wrapped name list

// |items| joined by "、", wrapped at kWrapWidth columns, each line indented.
std::string WrappedList(const std::vector<std::string>& items, const std::string& indent) {
  std::string out, line;
  for (size_t i = 0; i < items.size(); ++i) {
    std::string item = items[i] + (i + 1 < items.size() ? "、" : "");
    if (!line.empty() && DisplayWidth(line + item) > kWrapWidth) {
      out += indent + line + "\n";
      line.clear();
    }
    line += item;
  }
  if (!line.empty()) out += indent + line + "\n";
  return out;
}

std::string TextSeries(const SeriesView& s) {
  if (s.cells.empty()) return "";
  std::vector<TextTable::Column> cols = {{"", TextTable::Align::kLeft, 0}};
  std::vector<std::string> row = {s.label};
  bool any = false;
  for (const Observation& o : s.cells) {
    cols.push_back({FormatEraYear(o.fiscal_year), TextTable::Align::kRight, 0});
    bool flagged = s.flagged.count(o.fiscal_year) > 0;
    any = any || flagged;
    row.push_back((o.raw.empty() ? "（空欄）" : EscapeControls(o.raw)) + (flagged ? "*" : ""));
  }
  TextTable table(cols);
  table.AddRow(row);
  std::string target = s.target_raw.empty() ? "（空欄）" : EscapeControls(s.target_raw);
  return "    目標 " + target + (s.target_flagged ? "*" : "") + "\n" + table.Render("    ") +
         (any || s.target_flagged ? "    （* はアラートの対象）\n" : "");
}

// The advice for each check of |entries|, once per check (grouped ones are
// advised in their group, critical ones at the top).
std::string BlockAdvice(const std::vector<DigestEntry>& entries, const std::string& indent) {
  std::set<std::string> seen;
  std::string out;
  for (const DigestEntry& e : entries) {
    const AlertFinding& f = e.alert->finding;
    bool elsewhere = e.grouped || f.severity == Severity::kCritical;  // advised above
    if (elsewhere || !seen.insert(f.check).second) continue;
    out += indent + "→ 対応: " + CheckAdvice(f.check, f.severity) + "\n";
  }
  return out;
}

std::string EntryLine(const DigestEntry& e, const std::string& group_title,
                      const DigestContext& ctx) {
  const AlertFinding& f = e.alert->finding;
  if (e.kind == EntryKind::kResolved || e.kind == EntryKind::kRemoved) {
    return "  【" + std::string(KindLabel(e.kind)) + "】" +
           ResolvedReasonText(*e.alert, e.reason, ctx) + "（" + WhenLine(e) +
           "）\n      もとのお知らせ: " + MessageBody(f) + "\n";
  }
  if (e.grouped) {
    return "  " + SeverityBadge(f.severity) + group_title + "（まとめて上に記載）\n";
  }
  return "  " + SeverityBadge(f.severity) + MessageBody(f) + "（" + WhenLine(e) + "）\n";
}

void TextBlock(const IndicatorBlock& b, const DigestContext& ctx, std::string* out) {
  const AlertFinding& head = b.finding();
  *out += "\n● " + EscapeControls(head.indicator) + "\n";
  if (!head.project.empty()) *out += "  （" + EscapeControls(head.project) + "）\n";
  *out += TextSeries(SeriesOf(b));
  for (const DigestEntry& e : b.entries) {
    *out += EntryLine(e, GroupTitle(e.alert->finding.check, e.alert->finding.fiscal_year), ctx);
  }
  if (b.entries.front().kind == EntryKind::kNew || b.entries.front().kind == EntryKind::kOngoing) {
    *out += BlockAdvice(b.entries, "  ");
  }
  std::string link = IndicatorLink(ctx, head);
  if (!link.empty()) *out += "  詳細: " + link + "\n";
}

void TextGroup(const DigestGroup& g, const DigestContext& ctx, std::string* out) {
  EntryKind kind = g.entries.front().kind;
  bool active = kind == EntryKind::kNew || kind == EntryKind::kOngoing;
  *out += "\n" + (active ? SeverityBadge(g.severity) : "【" + std::string(KindLabel(kind)) + "】") +
          g.title + "：" + std::to_string(g.entries.size()) + "指標\n";
  std::vector<std::string> names;
  for (const DigestEntry& e : g.entries) {
    std::string name = EscapeControls(e.alert->finding.indicator);
    if (!active) {
      std::vector<std::string> changes = ValueChanges(*e.alert, ctx);
      if (!changes.empty()) name += "（" + changes.front() + "）";
    }
    names.push_back(name);
  }
  if (active) *out += "  → 対応: " + CheckAdvice(g.check, g.severity) + "\n";
  *out += WrappedList(names, "    ");
}

void TextSection(const DigestSection& s, const DigestContext& ctx, std::string* out) {
  for (const DigestGroup& g : s.groups) TextGroup(g, ctx, out);
  for (const IndicatorBlock& b : s.blocks) TextBlock(b, ctx, out);
}

void TextCritical(const DigestModel& m, const DigestContext& ctx, std::string* out) {
  if (m.critical.empty()) return;
  *out += "\n━━ 重大：すぐに確認してください（" + std::to_string(m.critical.size()) + "件）━━\n";
  for (const DigestEntry& e : m.critical) {
    const AlertFinding& f = e.alert->finding;
    *out += "\n" + SeverityBadge(f.severity) + EscapeControls(f.indicator) + "（" + WhenLine(e) +
            "）\n  " + MessageBody(f) + "\n  → 対応: " + CheckAdvice(f.check, f.severity) + "\n";
    std::string link = AlertLink(ctx, *e.alert);
    if (!link.empty()) *out += "  詳細: " + link + "\n";
  }
}

}  // namespace

std::string DigestText(const GroupNotification& n, const DigestContext& ctx) {
  DigestModel m = BuildDigestModel(n, ctx);
  std::string out = "shihyo（指標チェック）からのお知らせです。\n";
  out += "計画: " + PlansOf(n) + "\n";
  out += FormatJapaneseDateTime(ctx.now) + " 時点　" + CountsLine(m) + "\n";
  if (m.fresh + m.ongoing > 0) out += "解消していないアラート: " + SeverityLine(m) + "\n";
  if (n.reminder) {
    out += "前回のお知らせから変化はありませんが、解消していないアラートがあります。\n";
  }
  TextCritical(m, ctx, &out);
  if (!m.active.groups.empty() || !m.active.blocks.empty()) {
    out += "\n━━ アラート ━━\n";
    TextSection(m.active, ctx, &out);
  }
  if (m.resolved > 0) {
    out += "\n━━ 解消したアラート ━━\n";
    TextSection(m.resolved_section, ctx, &out);
  }
  if (m.removed > 0) {
    out += "\n━━ " + std::string(kRemovedHeading) + " ━━\n" + kRemovedNote + "\n";
    TextSection(m.removed_section, ctx, &out);
  }
  out += "\n--\n" + std::string(kFooter) + "\n";
  if (!BaseUrl(ctx).empty()) out += "詳細: " + BaseUrl(ctx) + "\n";
  out += "管理者向け: " + AdminLine(n) + "\n";
  return out;
}

}  // namespace shihyo
