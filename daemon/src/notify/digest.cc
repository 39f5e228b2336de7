#include "notify/digest.h"

#include <algorithm>
#include <cstdio>
#include <set>

#include "base/text.h"
#include "base/text_table.h"
#include "model/value_parser.h"

namespace shihyo {

namespace {

// kRemoved: resolved because an import removed its indicator from the
// table, not because a value was fixed.
enum class Kind { kNew, kOngoing, kResolved, kRemoved };

constexpr const char* kFooter =
    "このメールは shihyo が自動で送信しています。データを直して取り込み直すと、"
    "次の評価で「解消」としてお知らせします。";

struct Entry {
  const AlertRecord* alert;
  Kind kind;
};

// Resolved because its indicator is no longer in the store (an import
// removed it): said so, never as if the value were fixed.
bool Removed(const AlertRecord& a, const DigestContext& ctx) {
  return ctx.snapshot && !CurrentIndicator(ctx.snapshot, a);
}

size_t CountRemoved(const GroupNotification& n, const DigestContext& ctx) {
  return std::count_if(n.resolved.begin(), n.resolved.end(),
                       [&](const AlertRecord* a) { return Removed(*a, ctx); });
}

// Everything of |kind| in one list (kNew: the firing ones), in table order:
// plan, row, fiscal year.
std::vector<Entry> Entries(const GroupNotification& n, Kind kind, const DigestContext& ctx) {
  std::vector<Entry> out;
  if (kind == Kind::kResolved || kind == Kind::kRemoved) {
    for (const AlertRecord* a : n.resolved) {
      if (Removed(*a, ctx) == (kind == Kind::kRemoved)) out.push_back({a, kind});
    }
  } else {
    for (const AlertRecord* a : n.fresh) out.push_back({a, Kind::kNew});
    for (const AlertRecord* a : n.ongoing) out.push_back({a, Kind::kOngoing});
  }
  std::stable_sort(out.begin(), out.end(), [](const Entry& x, const Entry& y) {
    const AlertFinding& a = x.alert->finding;
    const AlertFinding& b = y.alert->finding;
    if (a.plan != b.plan) return a.plan < b.plan;
    if (a.ordinal != b.ordinal) return a.ordinal < b.ordinal;
    return a.fiscal_year.value_or(0) < b.fiscal_year.value_or(0);
  });
  return out;
}

std::string Plans(const GroupNotification& n) {
  std::set<std::string> plans;
  for (const auto* list : {&n.fresh, &n.ongoing, &n.resolved}) {
    for (const AlertRecord* a : *list) plans.insert(a->finding.plan);
  }
  std::string out;
  for (const std::string& p : plans) out += (out.empty() ? "" : "、") + p;
  return out;
}

const char* KindLabel(Kind k) {
  switch (k) {
    case Kind::kNew:
      return "新規";
    case Kind::kOngoing:
      return "継続";
    case Kind::kResolved:
      return "解消";
    case Kind::kRemoved:
      return "表から削除";
  }
  return "";
}

std::string Badge(const Entry& e) {
  if (e.kind == Kind::kResolved) return "[解消]";
  if (e.kind == Kind::kRemoved) return "[表から削除]";
  return "[" + std::string(SeverityLabel(e.alert->finding.severity)) + "・" + KindLabel(e.kind) +
         "]";
}

// The series to show: the current one for resolved alerts (re-evaluated),
// the one the finding saw otherwise.
struct SeriesView {
  std::string target;
  std::vector<std::pair<int, std::string>> cells;  // fiscal year, raw
};

SeriesView Series(const Entry& e, const DigestContext& ctx) {
  SeriesView v;
  const Indicator* current =
      e.kind == Kind::kResolved ? CurrentIndicator(ctx.snapshot, *e.alert) : nullptr;
  if (current) {
    v.target = current->target_raw;
    for (const Observation& o : current->observations) v.cells.emplace_back(o.fiscal_year, o.raw);
    return v;
  }
  const AlertEvidence& ev = e.alert->finding.evidence;
  v.target = ev.target_raw;
  for (const Observation& o : ev.series) v.cells.emplace_back(o.fiscal_year, o.raw);
  return v;
}

std::string Counts(const GroupNotification& n, const DigestContext& ctx) {
  size_t removed = CountRemoved(n, ctx);
  std::string out = "新規 " + std::to_string(n.fresh.size()) + "件・継続 " +
                    std::to_string(n.ongoing.size()) + "件・解消 " +
                    std::to_string(n.resolved.size() - removed) + "件";
  if (removed > 0) out += "・表から削除 " + std::to_string(removed) + "件";
  return out;
}

constexpr const char* kRemovedHeading = "表から削除された指標のアラート";
constexpr const char* kRemovedNote =
    "次の指標は取り込んだ表からなくなったため、アラートを閉じました。"
    "値が直ったのではありません。削除が意図したものか確かめてください。";

std::string Clean(const std::string& s) { return EscapeControls(s); }

// The message without a leading "indicator：", which the heading above says.
std::string Body(const AlertFinding& f) {
  std::string message = f.message;
  std::string prefix = f.indicator + "：";
  if (message.rfind(prefix, 0) == 0) message = message.substr(prefix.size());
  return Clean(message);
}

std::string TextSeries(const Entry& e, const DigestContext& ctx) {
  SeriesView s = Series(e, ctx);
  if (s.cells.empty()) return "";
  std::vector<TextTable::Column> cols = {{"", TextTable::Align::kLeft, 0}};
  std::vector<std::string> row = {e.kind == Kind::kResolved  ? "現在の実績"
                                  : e.kind == Kind::kRemoved ? "削除前の実績"
                                                             : "実績"};
  for (const auto& [fy, raw] : s.cells) {
    cols.push_back({FormatEraYear(fy), TextTable::Align::kRight, 0});
    row.push_back(raw.empty() ? "（空欄）" : raw);
  }
  TextTable table(cols);
  table.AddRow(row);
  return "    目標 " + (s.target.empty() ? std::string("（空欄）") : Clean(s.target)) + "\n" +
         table.Render("    ");
}

void TextSection(const std::vector<Entry>& entries, const DigestContext& ctx, std::string* out) {
  std::string project = "\x01", indicator = "\x01";
  for (const Entry& e : entries) {
    const AlertFinding& f = e.alert->finding;
    if (f.project != project) {
      project = f.project;
      *out +=
          "\n■ " + (project.empty() ? std::string("（プロジェクトなし）") : Clean(project)) + "\n";
      indicator = "\x01";
    }
    if (f.indicator != indicator) {
      indicator = f.indicator;
      *out += "\n● " + Clean(indicator) + "\n" + TextSeries(e, ctx);
    }
    std::string when = e.kind == Kind::kResolved && e.alert->ends_at
                           ? FormatJapaneseDate(*e.alert->ends_at) + "に解消"
                           : "検出 " + FormatJapaneseDate(e.alert->starts_at);
    if (e.kind == Kind::kRemoved) when = "表から削除されたため解消";
    *out += "  " + Badge(e) + " " + Body(f) + "\n";
    *out += "      （ルール " + Clean(f.rule) + "・" + when + "）\n";
  }
}

void HtmlSection(const std::vector<Entry>& entries, const DigestContext& ctx, std::string* out) {
  std::string project = "\x01", indicator = "\x01", shown_series_for = "\x01";
  for (const Entry& e : entries) {
    const AlertFinding& f = e.alert->finding;
    if (f.project != project) {
      project = f.project;
      *out += "<h3>" + HtmlEscape(project.empty() ? "（プロジェクトなし）" : project) + "</h3>\n";
      indicator = "\x01";
    }
    if (f.indicator != indicator) {
      indicator = f.indicator;
      *out += "<h4>" + HtmlEscape(indicator) + "</h4>\n";
    }
    bool first_of_indicator = f.indicator != shown_series_for;
    shown_series_for = f.indicator;
    *out += "<p><strong>" + HtmlEscape(Badge(e)) + "</strong> " + HtmlEscape(Body(f)) +
            "<br><small>ルール " + HtmlEscape(f.rule) + "</small></p>\n";
    SeriesView s = Series(e, ctx);
    if (s.cells.empty() || !first_of_indicator) continue;
    int fy = f.fiscal_year.value_or(0);
    std::string head = "<tr><th>年度</th>",
                values = "<tr><th>" +
                         std::string(e.kind == Kind::kResolved  ? "現在の実績"
                                     : e.kind == Kind::kRemoved ? "削除前の実績"
                                                                : "実績") +
                         "</th>";
    for (const auto& [year, raw] : s.cells) {
      std::string style = year == fy ? " style=\"background:#fde2e2;font-weight:bold\"" : "";
      head += "<th>" + HtmlEscape(FormatEraYear(year)) + "</th>";
      values += "<td" + style + ">" + HtmlEscape(raw.empty() ? "（空欄）" : raw) + "</td>";
    }
    *out += "<table border=\"1\" cellpadding=\"4\" style=\"border-collapse:collapse\">" + head +
            "</tr>" + values + "</tr><tr><th>目標</th><td colspan=\"" +
            std::to_string(s.cells.size()) + "\">" + HtmlEscape(s.target) + "</td></tr></table>\n";
  }
}

}  // namespace

std::string HtmlEscape(const std::string& s) {
  std::string out;
  for (char c : Clean(s)) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string HtmlPre(const std::string& text) {
  std::string out = "<pre>";
  size_t start = 0;
  while (start <= text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    out += HtmlEscape(text.substr(start, nl - start));
    if (nl < text.size()) out += '\n';
    start = nl + 1;
  }
  return out + "</pre>";
}

const Indicator* CurrentIndicator(const std::vector<Plan>* snapshot, const AlertRecord& alert) {
  if (!snapshot) return nullptr;
  const AlertFinding& f = alert.finding;
  for (const Plan& p : *snapshot) {
    if (p.name != f.plan) continue;
    for (const Indicator& ind : p.indicators) {
      if (ind.name == f.indicator && ind.project == f.project && ind.measure == f.measure) {
        return &ind;
      }
    }
  }
  return nullptr;
}

std::string DigestSubject(const GroupNotification& n, const DigestContext& ctx) {
  std::vector<std::string> parts;
  if (!n.fresh.empty()) parts.push_back("新規アラート " + std::to_string(n.fresh.size()) + "件");
  if (n.reminder) parts.push_back("未解消のアラート " + std::to_string(n.ongoing.size()) + "件");
  size_t removed = CountRemoved(n, ctx);
  if (n.resolved.size() > removed) {
    parts.push_back("解消 " + std::to_string(n.resolved.size() - removed) + "件");
  }
  if (removed > 0) parts.push_back("表から削除 " + std::to_string(removed) + "件");
  std::string subject = "[shihyo] ";
  for (size_t i = 0; i < parts.size(); ++i) subject += (i ? "・" : "") + parts[i];
  std::string where = Plans(n);
  for (const auto& [label, value] : n.group.labels) {
    if (label != "plan" && !value.empty()) where += " " + value;
  }
  if (!where.empty()) subject += " — " + where;
  return Clean(subject);  // never a line break in a header
}

std::string DigestText(const GroupNotification& n, const DigestContext& ctx) {
  std::string out = "shihyo（指標チェック）からのお知らせです。\n";
  out += "計画: " + Clean(Plans(n)) + "\n";
  out += FormatJapaneseDateTime(ctx.now) + " 時点　" + Counts(n, ctx) + "\n";
  if (n.reminder) {
    out += "前回のお知らせから変化はありませんが、解消していないアラートがあります。\n";
  }
  std::vector<Entry> active = Entries(n, Kind::kNew, ctx);
  if (!active.empty()) {
    out += "\n━━ アラート ━━\n";
    TextSection(active, ctx, &out);
  }
  std::vector<Entry> resolved = Entries(n, Kind::kResolved, ctx);
  if (!resolved.empty()) {
    out += "\n━━ 解消したアラート ━━\n";
    TextSection(resolved, ctx, &out);
  }
  std::vector<Entry> removed = Entries(n, Kind::kRemoved, ctx);
  if (!removed.empty()) {
    out += "\n━━ " + std::string(kRemovedHeading) + " ━━\n" + kRemovedNote + "\n";
    TextSection(removed, ctx, &out);
  }
  out += "\n--\n" + std::string(kFooter) + "\n詳細: " + ctx.external_url + "\n";
  return out;
}

std::string DigestHtml(const GroupNotification& n, const DigestContext& ctx) {
  std::string out = "<!DOCTYPE html>\n<html lang=\"ja\"><head><meta charset=\"utf-8\"><title>" +
                    HtmlEscape(DigestSubject(n, ctx)) + "</title></head><body>\n";
  out += "<p>shihyo（指標チェック）からのお知らせです。<br>計画: " + HtmlEscape(Plans(n)) + "<br>" +
         FormatJapaneseDateTime(ctx.now) + " 時点　" + Counts(n, ctx) + "</p>\n";
  if (n.reminder) {
    out += "<p>前回のお知らせから変化はありませんが、解消していないアラートがあります。</p>\n";
  }
  std::vector<Entry> active = Entries(n, Kind::kNew, ctx);
  if (!active.empty()) {
    out += "<h2>アラート</h2>\n";
    HtmlSection(active, ctx, &out);
  }
  std::vector<Entry> resolved = Entries(n, Kind::kResolved, ctx);
  if (!resolved.empty()) {
    out += "<h2>解消したアラート</h2>\n";
    HtmlSection(resolved, ctx, &out);
  }
  std::vector<Entry> removed = Entries(n, Kind::kRemoved, ctx);
  if (!removed.empty()) {
    out += "<h2>" + std::string(kRemovedHeading) + "</h2>\n<p>" + kRemovedNote + "</p>\n";
    HtmlSection(removed, ctx, &out);
  }
  out += "<hr><p><small>" + std::string(kFooter) + "<br>詳細: " + HtmlEscape(ctx.external_url) +
         "</small></p>\n</body></html>\n";
  return out;
}

}  // namespace shihyo
