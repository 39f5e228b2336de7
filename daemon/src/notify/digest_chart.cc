// The series table of an indicator block in the HTML digest, with a bar chart
// made of table cells. Why cells and not an image: Gmail strips SVG and
// data: images, Outlook (Word's renderer) ignores SVG and blocks remote and
// attached images until the reader allows them; table cells with bgcolor and
// height render in all of them, and without CSS.
#include <algorithm>
#include <cmath>
#include <set>

#include "base/text.h"
#include "model/value_parser.h"
#include "notify/digest.h"
#include "notify/digest_model.h"

namespace shihyo {

namespace {

constexpr int kChartHeight = 36;  // px of the tallest bar
constexpr const char* kBarColor = "#7da7d9";
constexpr const char* kTargetBarColor = "#cfcfcf";
constexpr const char* kTargetLineColor = "#333333";

std::string Px(int n) { return std::to_string(n); }

// A bar is drawn for a plain number; ※ values are another quantity.
std::optional<double> Plotted(const CellValue& c) {
  if (c.status != CellStatus::kValue || c.annotated || !c.value) return std::nullopt;
  return std::max(0.0, *c.value);
}

constexpr int kBarWidth = 26;  // px; the target line is as wide, so it reads as dashed

// One horizontal slice of a bar: |height| px in |color| (none: empty). Kept
// short: a digest has a hundred of them, and Gmail clips a message over 102 KB.
std::string Slice(int height, const char* color) {
  if (height <= 0) return "";
  std::string fill = color ? " bgcolor=\"" + std::string(color) + "\"" : "";
  return "<tr><td height=\"" + Px(height) + "\"" + fill + "></td></tr>";
}

// A cell kChartHeight px high: a bar of |bar_px| from the bottom in |color|
// and the target line |target_px| above the bottom (none when negative).
std::string BarCell(int bar_px, int target_px, const char* color) {
  std::set<int> cuts = {0, kChartHeight, kChartHeight - bar_px};
  int line_top = -1;
  if (target_px >= 0) {
    line_top = std::clamp(kChartHeight - target_px - 1, 0, kChartHeight - 2);
    cuts.insert(line_top);
    cuts.insert(line_top + 2);
  }
  std::string rows;
  for (auto it = cuts.begin(); std::next(it) != cuts.end(); ++it) {
    int y0 = *it, y1 = *std::next(it);
    const char* fill = y0 == line_top                ? kTargetLineColor
                       : y0 >= kChartHeight - bar_px ? color
                                                     : nullptr;
    rows += Slice(y1 - y0, fill);
  }
  // font-size and line-height 0 (inherited by the slices): no cell is taller
  // than its height attribute says.
  return "<td class=\"bar\" align=\"center\" valign=\"bottom\"><table width=\"" + Px(kBarWidth) +
         "\" cellpadding=\"0\" cellspacing=\"0\" style=\"font-size:0;line-height:0\">" + rows +
         "</table></td>";
}

int Scaled(double v, double top) {
  return static_cast<int>(std::lround(v / top * (kChartHeight - 4)));
}

std::string BarRow(const SeriesView& s) {
  double top = 0;
  bool any = false;
  for (const Observation& o : s.cells) {
    if (auto v = Plotted(o.cell)) {
      top = std::max(top, *v);
      any = true;
    }
  }
  std::optional<double> target = Plotted(s.target);
  if (target) top = std::max(top, *target);
  if (!any || top <= 0) return "";
  int target_px = target ? Scaled(*target, top) : -1;
  // The legend in the corner the years leave free: no extra line.
  std::string row =
      "<tr><td valign=\"bottom\" style=\"font-size:10px;line-height:1.2;color:#666666\">"
      "棒 実績<br>線 目標</td>";
  for (const Observation& o : s.cells) {
    auto it = s.flagged.find(o.fiscal_year);
    const char* color = it == s.flagged.end() ? kBarColor : ColorsOf(it->second).strong;
    auto v = Plotted(o.cell);
    row += BarCell(v ? Scaled(*v, top) : 0, target_px, color);
  }
  row += BarCell(target ? target_px : 0, target_px, kTargetBarColor);
  return row + "</tr>\n";
}

// Cells without styles of their own (a digest has a few hundred): the
// table's cellpadding, the rows' bgcolor.
std::string ValueCell(const std::string& raw, std::optional<Severity> flagged) {
  std::string text = raw.empty() ? "（空欄）" : HtmlEscape(raw);
  if (!flagged) return "<td align=\"right\">" + text + "</td>";
  Colors c = ColorsOf(*flagged);
  return "<td class=\"flagged\" align=\"right\" bgcolor=\"" + std::string(c.light) + "\"><b>" +
         text + "</b><br><font color=\"" + c.strong + "\"><small>" + SeverityBadge(*flagged) +
         "</small></font></td>";
}

}  // namespace

std::string HtmlSeriesTable(const SeriesView& s) {
  if (s.cells.empty()) return "";
  std::string head = "<tr bgcolor=\"#f3f3f3\"><td>年度</td>";
  std::string values = "<tr><td bgcolor=\"#f3f3f3\">" + s.label + "</td>";
  for (const Observation& o : s.cells) {
    head += "<td align=\"center\">" + FormatEraYear(o.fiscal_year) + "</td>";
    auto it = s.flagged.find(o.fiscal_year);
    values += ValueCell(o.raw,
                        it == s.flagged.end() ? std::nullopt : std::optional<Severity>(it->second));
  }
  head += "<td align=\"center\"><b>目標</b></td></tr>\n";
  values += ValueCell(s.target_raw, s.target_flagged) + "</tr>\n";
  return "<table class=\"series\" role=\"presentation\" cellpadding=\"3\" cellspacing=\"0\" "
         "border=\"0\" style=\"border-collapse:collapse;border:1px solid #dddddd;margin:6px 0 2px;"
         "font-size:12px;line-height:1.3\">\n" +
         BarRow(s) + head + values + "</table>\n";
}

}  // namespace shihyo
