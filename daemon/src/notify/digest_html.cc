// The HTML digest: tables with inline styles and bgcolor, so that severity
// shows in clients that drop CSS (a coloured badge and its label, 【重大】,
// 【警告】, 【情報】), 640 px wide, links only where the daemon serves a page.
#include <set>

#include "base/text.h"
#include "notify/advice.h"
#include "notify/digest.h"
#include "notify/digest_model.h"
#include "notify/resolved_reason.h"

namespace shihyo {

Colors ColorsOf(Severity s) {
  switch (s) {
    case Severity::kCritical:
      return {"#c62828", "#ffffff", "#fdecea"};
    case Severity::kWarning:
      return {"#f9a825", "#000000", "#fff8e1"};
    case Severity::kInfo:
      return {"#1565c0", "#ffffff", "#e3f2fd"};
  }
  return {"#616161", "#ffffff", "#eeeeee"};
}

std::string HtmlBadge(const std::string& label, const Colors& c) {
  // A table of its own, so that the colour is as tall as the label, not as
  // the text beside it.
  return "<td valign=\"top\" style=\"padding:0\"><table role=\"presentation\" cellpadding=\"0\" "
         "cellspacing=\"0\" border=\"0\"><tr><td class=\"badge\" nowrap bgcolor=\"" +
         std::string(c.strong) + "\" style=\"background:" + c.strong + ";color:" + c.text +
         ";padding:1px 4px;white-space:nowrap;font-size:12px;font-weight:bold\"><font color=\"" +
         c.text + "\"><b>" + HtmlEscape(label) + "</b></font></td></tr></table></td>";
}

namespace {

constexpr const char* kSmall = "color:#666666;font-size:11px";

std::string Link(const std::string& url, const std::string& text) {
  if (url.empty()) return "";
  return " <a href=\"" + HtmlEscape(url) + "\" style=\"font-size:12px;color:#1a56b0\">" + text +
         "</a>";
}

// One row of the page: a cell with padding.
std::string Row(const std::string& inner, const std::string& extra_style = "") {
  return "<tr><td style=\"padding:6px 20px;" + extra_style + "\">" + inner + "</td></tr>\n";
}

// A box with a bar of |c| at the left (a cell with bgcolor, not a border).
std::string Box(const std::string& cls, const Colors& c, const std::string& inner) {
  return "<table class=\"" + cls +
         "\" role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" "
         "border=\"0\" style=\"border:1px solid #dddddd\"><tr><td width=\"6\" bgcolor=\"" +
         c.strong + "\" style=\"width:6px;background:" + c.strong +
         "\"></td><td style=\"padding:6px 10px\">" + inner + "</td></tr></table>";
}

// A line: a badge and text beside it.
std::string BadgeLine(const std::string& label, const Colors& c, const std::string& html) {
  return "<table role=\"presentation\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" "
         "style=\"margin:2px 0\"><tr>" +
         HtmlBadge(label, c) + "<td style=\"padding:0 0 0 6px\">" + html + "</td></tr></table>\n";
}

std::string Advice(const std::string& check, Severity s) {
  return "<div class=\"advice\" style=\"margin:3px 0;font-size:13px\"><b>対応：</b>" +
         HtmlEscape(CheckAdvice(check, s)) + "</div>\n";
}

bool Active(EntryKind k) { return k == EntryKind::kNew || k == EntryKind::kOngoing; }

Colors KindColors(EntryKind k) {
  return k == EntryKind::kRemoved ? kRemovedColors : kResolvedColors;
}

std::string EntryHtml(const DigestEntry& e, const DigestContext& ctx) {
  const AlertFinding& f = e.alert->finding;
  std::string when = "<span style=\"" + std::string(kSmall) + "\">（" + WhenLine(e) + "）</span>";
  if (!Active(e.kind)) {
    return BadgeLine("【" + std::string(KindLabel(e.kind)) + "】", KindColors(e.kind),
                     HtmlEscape(ResolvedReasonText(*e.alert, e.reason, ctx)) + when +
                         "<br><span style=\"" + kSmall + "\">もとのお知らせ：" +
                         HtmlEscape(MessageBody(f)) + "</span>" +
                         Link(AlertLink(ctx, *e.alert), "詳細"));
  }
  Colors c = ColorsOf(f.severity);
  if (e.grouped) {  // said in full in its group: one small line
    return "<div class=\"grouped\" style=\"margin:2px 0;font-size:12px;color:#555555\"><font "
           "color=\"" +
           std::string(c.strong) + "\"><b>" + SeverityBadge(f.severity) + "</b></font>" +
           HtmlEscape(GroupTitle(f.check, f.fiscal_year)) + "（まとめて上に記載）</div>\n";
  }
  // In a block, an ongoing alert says 継続, a new one nothing more (the
  // summary counts both; the block's 詳細 link shows their dates).
  when = e.kind == EntryKind::kNew ? ""
                                   : "<span style=\"" + std::string(kSmall) + "\">（継続）</span>";
  return BadgeLine(SeverityBadge(f.severity), c, HtmlEscape(MessageBody(f)) + when);
}

std::string HtmlBlock(const IndicatorBlock& b, const DigestContext& ctx) {
  const AlertFinding& head = b.finding();
  bool active = Active(b.entries.front().kind);
  // The name, then its project and link in small type on the same line.
  std::string inner = "<div><b style=\"font-size:15px\">" + HtmlEscape(head.indicator) +
                      "</b> <span style=\"" + kSmall + "\">" + HtmlEscape(head.project) +
                      "</span>" + Link(IndicatorLink(ctx, head), "詳細") + "</div>";
  for (const DigestEntry& e : b.entries) inner += EntryHtml(e, ctx);
  std::string advice;
  std::set<std::string> advised;
  for (const DigestEntry& e : b.entries) {
    const AlertFinding& f = e.alert->finding;
    // Critical ones are advised at the top, each; grouped ones in their group.
    bool elsewhere = e.grouped || f.severity == Severity::kCritical;
    if (active && !elsewhere && advised.insert(f.check).second) {
      advice += Advice(f.check, f.severity);
    }
  }
  inner += HtmlSeriesTable(SeriesOf(b)) + advice;
  return Row(Box("block", active ? ColorsOf(b.worst) : KindColors(b.entries.front().kind), inner));
}

std::string HtmlGroup(const DigestGroup& g, const DigestContext& ctx) {
  EntryKind kind = g.entries.front().kind;
  bool active = Active(kind);
  Colors c = active ? ColorsOf(g.severity) : KindColors(kind);
  std::string label =
      active ? SeverityBadge(g.severity) : "【" + std::string(KindLabel(kind)) + "】";
  std::string names;
  for (const DigestEntry& e : g.entries) {
    std::string name = HtmlEscape(e.alert->finding.indicator);
    if (!active) {
      std::vector<std::string> changes = ValueChanges(*e.alert, ctx);
      if (!changes.empty()) name += "（" + HtmlEscape(changes.front()) + "）";
    }
    names += (names.empty() ? "" : "、") + ("<span class=\"name\">" + name + "</span>");
  }
  std::string inner = BadgeLine(label, c,
                                "<b>" + HtmlEscape(g.title) + "：" +
                                    std::to_string(g.entries.size()) + "指標</b>") +
                      "<div class=\"names\" style=\"font-size:12px;color:#333333;margin:2px 0\">" +
                      names + "</div>\n" + (active ? Advice(g.check, g.severity) : "");
  return Row(Box("group", c, inner));
}

std::string HtmlSection(const DigestSection& s, const DigestContext& ctx) {
  std::string out;
  for (const DigestGroup& g : s.groups) out += HtmlGroup(g, ctx);
  for (const IndicatorBlock& b : s.blocks) out += HtmlBlock(b, ctx);
  return out;
}

std::string Heading(const std::string& text, const std::string& cls) {
  return Row("<div class=\"" + cls +
                 "\" style=\"font-size:17px;font-weight:bold;border-bottom:2px solid #333333\">" +
                 text + "</div>",
             "padding-top:14px");
}

std::string CountCell(Severity s, size_t count) {
  Colors c = count > 0 ? ColorsOf(s) : Colors{"#eeeeee", "#666666", "#eeeeee"};
  return "<td align=\"center\" bgcolor=\"" + std::string(c.strong) +
         "\" style=\"background:" + c.strong + ";color:" + c.text +
         ";padding:6px 14px;font-size:15px\"><font color=\"" + c.text + "\"><b>" +
         SeverityLabel(s) + " " + std::to_string(count) + "件</b></font></td><td width=\"6\"></td>";
}

std::string HtmlSummary(const DigestModel& m, const GroupNotification& n,
                        const DigestContext& ctx) {
  std::string inner = "<div style=\"" + std::string(kSmall) +
                      "\">shihyo（指標チェック）からのお知らせ・" +
                      FormatJapaneseDateTime(ctx.now) +
                      " 時点</div><div style=\"font-size:16px;"
                      "font-weight:bold;margin:2px 0 8px\">" +
                      HtmlEscape(PlansOf(n)) + "</div>";
  if (m.fresh + m.ongoing > 0) {
    inner +=
        "<div style=\"font-size:13px\">解消していないアラート</div><table role=\"presentation\" "
        "cellpadding=\"0\" cellspacing=\"0\" border=\"0\" style=\"margin:2px 0 6px\"><tr>";
    for (Severity s : {Severity::kCritical, Severity::kWarning, Severity::kInfo}) {
      auto it = m.by_severity.find(s);
      inner += CountCell(s, it == m.by_severity.end() ? 0 : it->second);
    }
    inner += "</tr></table>";
  }
  inner += "<div style=\"font-size:13px\">" + CountsLine(m) + "</div>";
  if (n.reminder) {
    inner +=
        "<div style=\"font-size:13px\">前回のお知らせから変化はありませんが、"
        "解消していないアラートがあります。</div>";
  }
  return "<tr><td class=\"summary\" bgcolor=\"#f7f7f7\" style=\"padding:14px 20px;"
         "background:#f7f7f7\">" +
         inner + "</td></tr>\n";
}

std::string HtmlCritical(const DigestModel& m, const DigestContext& ctx) {
  if (m.critical.empty()) return "";
  Colors c = ColorsOf(Severity::kCritical);
  std::string inner = "<div style=\"font-weight:bold;font-size:16px\"><font color=\"" +
                      std::string(c.strong) + "\">重大：すぐに確認してください（" +
                      std::to_string(m.critical.size()) + "件）</font></div>\n";
  for (const DigestEntry& e : m.critical) {
    const AlertFinding& f = e.alert->finding;
    inner += "<div class=\"critical-alert\" style=\"margin:8px 0 4px\">" +
             BadgeLine(SeverityBadge(f.severity), c,
                       "<b>" + HtmlEscape(f.indicator) + "</b><span style=\"" + kSmall + "\">（" +
                           WhenLine(e) + "）</span><br>" + HtmlEscape(MessageBody(f)) +
                           Link(AlertLink(ctx, *e.alert), "詳細")) +
             Advice(f.check, f.severity) + "</div>";
  }
  return Row(
      "<table class=\"critical\" role=\"presentation\" width=\"100%\" cellpadding=\"0\" "
      "cellspacing=\"0\" border=\"0\" bgcolor=\"" +
          std::string(c.light) + "\" style=\"background:" + c.light +
          "\"><tr><td width=\"6\" bgcolor=\"" + c.strong + "\" style=\"width:6px;background:" +
          c.strong + "\"></td><td style=\"padding:8px 12px\">" + inner + "</td></tr></table>",
      "padding-top:12px");
}

std::string HtmlFooter(const GroupNotification& n, const DigestContext& ctx) {
  std::string base = BaseUrl(ctx);
  std::string out = "<tr><td style=\"padding:14px 20px 18px;border-top:1px solid #dddddd;" +
                    std::string(kSmall) + "\">" + kFooter;
  if (!base.empty()) {
    out += "<br>すべてのアラート:" + Link(base + "/alerts", HtmlEscape(base + "/alerts"));
  }
  out += "<div class=\"admin\" style=\"margin-top:6px;font-size:10px;color:#999999\">管理者向け：" +
         HtmlEscape(AdminLine(n)) + "</div></td></tr>\n";
  return out;
}

}  // namespace

std::string DigestHtml(const GroupNotification& n, const DigestContext& ctx) {
  DigestModel m = BuildDigestModel(n, ctx);
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"ja\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
      "content=\"width=device-width\"><title>" +
      HtmlEscape(DigestSubject(n, ctx)) +
      "</title></head><body style=\"margin:0;padding:0;background:#eeeeee\">\n"
      "<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" "
      "border=\"0\" "
      "bgcolor=\"#eeeeee\"><tr><td align=\"center\" style=\"padding:10px 4px\">\n"
      "<table role=\"presentation\" width=\"640\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" "
      "bgcolor=\"#ffffff\" style=\"width:100%;max-width:640px;background:#ffffff;text-align:left;"
      "font-family:'Hiragino Kaku Gothic ProN',Meiryo,'IPAGothic',sans-serif;font-size:14px;"
      "line-height:1.5;color:#222222\">\n";
  out += HtmlSummary(m, n, ctx) + HtmlCritical(m, ctx);
  if (!m.active.groups.empty() || !m.active.blocks.empty()) {
    out += Heading("アラート", "active-heading") + HtmlSection(m.active, ctx);
  }
  if (m.resolved > 0)
    out += Heading("解消したアラート", "resolved-heading") + HtmlSection(m.resolved_section, ctx);
  if (m.removed > 0) {
    out += Heading(kRemovedHeading, "removed-heading") +
           Row("<p style=\"margin:0\">" + std::string(kRemovedNote) + "</p>") +
           HtmlSection(m.removed_section, ctx);
  }
  out += HtmlFooter(n, ctx) + "</table>\n</td></tr></table>\n</body></html>\n";
  return out;
}

}  // namespace shihyo
