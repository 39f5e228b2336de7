// Parameter constructors and the helpers check functions share.
#include "eval/checks/check.h"

#include <charconv>
#include <cmath>
#include <cstdio>

#include "model/value_parser.h"

namespace shihyo {

ParamSpec BoolParam(std::string key, bool fallback) {
  return {.key = std::move(key), .type = ParamType::kBool, .fallback = fallback};
}

ParamSpec IntParam(std::string key, int fallback, int min, int max) {
  return {.key = std::move(key),
          .type = ParamType::kInt,
          .fallback = fallback,
          .min = static_cast<double>(min),
          .max = static_cast<double>(max)};
}

ParamSpec NumberParam(std::string key, std::optional<double> fallback, double min, double max) {
  ParamSpec spec = {.key = std::move(key), .type = ParamType::kNumber, .min = min, .max = max};
  if (fallback) spec.fallback = *fallback;
  return spec;
}

ParamSpec ChoiceParam(std::string key, std::string fallback, std::vector<std::string> choices) {
  return {.key = std::move(key),
          .type = ParamType::kChoice,
          .fallback = std::move(fallback),
          .choices = std::move(choices)};
}

ParamSpec UnitPairsParam(std::string key) {
  return {
      .key = std::move(key), .type = ParamType::kUnitPairs, .fallback = CheckParams::UnitPairs{}};
}

ParamSpec ConditionParam(std::string key) {
  return {.key = std::move(key), .type = ParamType::kCondition};
}

ParamSpec IncludeAnnotatedParam() { return BoolParam("include_annotated", false); }

ParamSpec IncludeTargetParam() { return BoolParam("include_target", false); }

RawFinding MakeFinding(const Indicator& indicator, std::optional<int> fiscal_year) {
  RawFinding f;
  f.indicator = &indicator;
  f.fiscal_year = fiscal_year;
  return f;
}

void AddFigure(RawFinding* finding, const char* name, double value) {
  finding->figures.push_back(Figure{name, value});
}

void AddFigure(RawFinding* finding, const char* name, std::string value) {
  finding->figures.push_back(Figure{name, std::move(value)});
}

std::vector<Point> NumericSeries(const Indicator& ind, bool include_annotated) {
  std::vector<Point> points;
  for (const Observation& o : ind.observations) {
    if (o.cell.status != CellStatus::kValue || !o.cell.value) continue;
    if (o.cell.annotated && !include_annotated) continue;
    points.push_back(Point{o.fiscal_year, *o.cell.value, &o});
  }
  return points;
}

void AddPreviousYear(RawFinding* finding, const Point& prev, const Point& cur) {
  AddFigure(finding, "previous", prev.value);
  AddFigure(finding, "previous_raw", prev.observation->raw);
  AddFigure(finding, "previous_year_era", FormatEraYear(prev.fiscal_year));
  AddFigure(finding, "change", cur.value - prev.value);
}

double Total(const std::vector<Point>& points) {
  double total = 0;
  for (const Point& p : points) total += p.value;
  return total;
}

bool Meets(double value, double target, Direction direction) {
  switch (direction) {
    case Direction::kIncrease:
      return value >= target;
    case Direction::kDecrease:
      return value <= target;
    case Direction::kBoolean:
      return value == target;
  }
  return true;
}

namespace {

// "3142" → "3,142".
std::string GroupDigits(const std::string& digits) {
  std::string grouped;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped += ',';
    grouped += digits[i];
  }
  return grouped;
}

}  // namespace

std::string FormatNumber(double value, int decimals) {
  if (std::isnan(value)) return "—";
  if (std::isinf(value)) return value > 0 ? "∞" : "-∞";
  double scale = decimals <= 0 ? 1 : decimals == 1 ? 10 : 100;
  double rounded = std::round(value * scale) / scale;
  bool negative = rounded < 0;
  double abs = std::fabs(rounded);
  double whole = std::floor(abs);
  int cents = static_cast<int>(std::lround((abs - whole) * 100));
  char buf[64];
  if (whole < 1e18) {  // exact as an integer: the digits printf prints, cheaper
    auto r = std::to_chars(buf, buf + sizeof buf - 1, static_cast<int64_t>(whole));
    *r.ptr = '\0';
  } else {
    std::snprintf(buf, sizeof buf, "%.0f", whole);
  }
  std::string grouped = GroupDigits(buf);
  if (cents > 0) {
    // ".%02d" (cents is 1–100), without a trailing zero.
    char frac[5] = {'.', static_cast<char>('0' + cents / 10 % 10),
                    static_cast<char>('0' + cents % 10)};
    size_t len = cents % 10 == 0 ? 2 : 3;
    if (cents >= 100) {
      grouped += std::to_string(cents).insert(0, ".");
      if (grouped.back() == '0') grouped.pop_back();
    } else {
      grouped.append(frac, len);
    }
  }
  return (negative ? "-" : "") + grouped;
}

}  // namespace shihyo
