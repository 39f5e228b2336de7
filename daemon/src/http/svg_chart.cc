// The inline SVG chart of an indicator on the plan and alert pages. No
// scripts and no styles: presentation attributes only, so that the strict
// Content-Security-Policy holds.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "http/html_page.h"

namespace shihyo {

namespace {

constexpr double kWidth = 360, kHeight = 190, kLeft = 56, kRight = 12, kTop = 14, kBottom = 58;

std::string Fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// "1,234" or "12.5" for an axis or point label.
std::string Label(double v) {
  char buf[48];
  if (std::fabs(v - std::round(v)) < 1e-9 && std::fabs(v) < 1e15) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
    std::string s = buf, out;
    int digits = 0;
    for (auto it = s.rbegin(); it != s.rend(); ++it) {
      if (digits && digits % 3 == 0 && std::isdigit(static_cast<unsigned char>(*it))) out += ',';
      out += *it, digits += std::isdigit(static_cast<unsigned char>(*it)) ? 1 : 0;
    }
    return std::string(out.rbegin(), out.rend());
  }
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

std::string YearShort(int fy) {
  return fy >= 2019 ? "R" + std::to_string(fy - 2018) : "H" + std::to_string(fy - 1988);
}

bool Numeric(const CellValue& c) {
  return (c.status == CellStatus::kValue || c.status == CellStatus::kBoolean) && c.value &&
         std::isfinite(*c.value);
}

struct Scale {
  double lo = 0, hi = 1;
  double Y(double v) const { return kTop + (hi - v) / (hi - lo) * (kHeight - kTop - kBottom); }
};

Scale ScaleFor(const Indicator& ind) {
  Scale s;
  std::vector<double> values;
  for (const Observation& o : ind.observations)
    if (Numeric(o.cell)) values.push_back(*o.cell.value);
  if (Numeric(ind.target)) values.push_back(*ind.target.value);
  if (values.empty()) return s;
  s.lo = std::min(0.0, *std::min_element(values.begin(), values.end()));
  s.hi = std::max(*std::max_element(values.begin(), values.end()), s.lo + 1e-9) * 1.12;
  if (s.hi <= s.lo) s.hi = s.lo + 1;
  return s;
}

std::string Axes(const Scale& s) {
  double bottom = kHeight - kBottom;
  std::string out = "<line x1=\"" + Fmt(kLeft) + "\" y1=\"" + Fmt(bottom) + "\" x2=\"" +
                    Fmt(kWidth - kRight) + "\" y2=\"" + Fmt(bottom) +
                    "\" stroke=\"#888\"/><line x1=\"" + Fmt(kLeft) + "\" y1=\"" + Fmt(kTop) +
                    "\" x2=\"" + Fmt(kLeft) + "\" y2=\"" + Fmt(bottom) + "\" stroke=\"#888\"/>";
  for (double v : {s.lo, (s.lo + s.hi) / 2, s.hi / 1.12}) {
    out += "<text x=\"" + Fmt(kLeft - 4) + "\" y=\"" + Fmt(s.Y(v) + 4) +
           "\" font-size=\"10\" text-anchor=\"end\" fill=\"#555\">" + Esc(Label(v)) + "</text>";
  }
  return out;
}

std::string TargetLine(const Indicator& ind, const Scale& s) {
  if (!Numeric(ind.target)) return "";
  double y = s.Y(*ind.target.value);
  return "<line x1=\"" + Fmt(kLeft) + "\" y1=\"" + Fmt(y) + "\" x2=\"" + Fmt(kWidth - kRight) +
         "\" y2=\"" + Fmt(y) + "\" stroke=\"#2e7d32\" stroke-width=\"1.5\" " +
         "stroke-dasharray=\"6 4\"/><text x=\"" + Fmt(kWidth - kRight) + "\" y=\"" + Fmt(y - 4) +
         "\" font-size=\"10\" text-anchor=\"end\" fill=\"#2e7d32\">目標 " + Esc(ind.target_raw) +
         "</text>";
}

// One year's mark: a dot (red and larger when flagged, hollow for ※, a
// diamond for a unit that differs from the target's), its value, its year.
std::string Point(const Indicator& ind, const Observation& o, double x, const Scale& s,
                  bool flagged) {
  double bottom = kHeight - kBottom;
  std::string out = "<text x=\"" + Fmt(x) + "\" y=\"" + Fmt(bottom + 14) +
                    "\" font-size=\"10\" text-anchor=\"middle\" fill=\"#333\">" +
                    YearShort(o.fiscal_year) + "</text>";
  std::string color = flagged ? "#c62828" : "#24527a";
  if (!Numeric(o.cell)) {
    std::string what = o.raw.empty()                              ? "空欄"
                       : o.cell.status == CellStatus::kSurveyDone ? "調査済"
                                                                  : o.raw;
    if (what.size() > 18) what = "文字";  // a long text: the table shows it
    return out + "<text x=\"" + Fmt(x) + "\" y=\"" + Fmt(bottom - 4) +
           "\" font-size=\"9\" text-anchor=\"middle\" fill=\"" + color + "\">" + Esc(what) +
           "</text>";
  }
  double y = s.Y(*o.cell.value);
  bool unit_differs =
      !o.cell.unit.empty() && !ind.target.unit.empty() && o.cell.unit != ind.target.unit;
  if (unit_differs) {
    out += "<path d=\"M" + Fmt(x) + " " + Fmt(y - 7) + " l7 7 l-7 7 l-7 -7 z\" fill=\"#ef8f00\" " +
           "stroke=\"" + color + "\" stroke-width=\"2\"/>";
  } else {
    out += "<circle cx=\"" + Fmt(x) + "\" cy=\"" + Fmt(y) + "\" r=\"" + (flagged ? "6" : "4") +
           "\" fill=\"" + (o.cell.annotated ? "#fff" : color) + "\" stroke=\"" + color +
           "\" stroke-width=\"2\"/>";
  }
  out += "<text x=\"" + Fmt(x) + "\" y=\"" + Fmt(y - 10) +
         "\" font-size=\"10\" text-anchor=\"middle\" fill=\"" + color + "\">" + Esc(o.raw) +
         "</text>";
  return out;
}

}  // namespace

std::string IndicatorChart(const Indicator& ind, const std::vector<int>& flagged) {
  Scale s = ScaleFor(ind);
  size_t n = std::max<size_t>(ind.observations.size(), 1);
  double step = (kWidth - kLeft - kRight) / static_cast<double>(n);
  std::string out = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 " +
                    Fmt(kWidth) + " " + Fmt(kHeight) + "\" width=\"" + Fmt(kWidth) +
                    "\" height=\"" + Fmt(kHeight) + "\" aria-label=\"" + Esc(ind.name) +
                    " の推移\"><title>" + Esc(ind.name) + " の推移</title>" + Axes(s) +
                    TargetLine(ind, s);
  std::string line;
  for (size_t i = 0; i < ind.observations.size(); ++i) {
    const Observation& o = ind.observations[i];
    if (Numeric(o.cell)) {
      line += Fmt(kLeft + (i + 0.5) * step) + "," + Fmt(s.Y(*o.cell.value)) + " ";
    }
  }
  if (!line.empty()) {
    out += "<polyline points=\"" + line + "\" fill=\"none\" stroke=\"#24527a\" " +
           "stroke-width=\"1.5\"/>";
  }
  for (size_t i = 0; i < ind.observations.size(); ++i) {
    const Observation& o = ind.observations[i];
    bool f = std::find(flagged.begin(), flagged.end(), o.fiscal_year) != flagged.end();
    out += Point(ind, o, kLeft + (i + 0.5) * step, s, f);
  }
  double legend = kHeight - 18;
  out += "<text x=\"4\" y=\"" + Fmt(legend) + "\" font-size=\"9\" fill=\"#555\">" +
         "● 実績　<tspan fill=\"#c62828\">● 指摘あり</tspan>　○ ※付き　" +
         "<tspan fill=\"#ef8f00\">◆ 単位が目標と違う</tspan>　" +
         "<tspan fill=\"#2e7d32\">- - 目標</tspan></text></svg>";
  return out;
}

}  // namespace shihyo
