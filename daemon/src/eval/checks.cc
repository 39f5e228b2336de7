// The catalog of checks (placeholders, default messages), shared helpers,
// and the cell checks: unit_mismatch, unparseable, missing_actual,
// status_only, annotated.
#include "eval/checks.h"

#include <cmath>
#include <cstdio>

#include "eval/checks_internal.h"
#include "model/value_parser.h"

namespace shihyo {

namespace {

const std::set<std::string> kCommon = {
    "indicator",      "plan",        "project",         "measure",
    "department",     "rule",        "check",           "severity",
    "severity_label", "fiscal_year", "fiscal_year_era", "target",
    "target_raw",     "target_unit", "value",           "value_raw",
    "unit",           "footnotes",   "series"};

std::set<std::string> With(std::initializer_list<const char*> extra) {
  std::set<std::string> s = kCommon;
  for (const char* e : extra) s.insert(e);
  return s;
}

}  // namespace

const std::set<std::string>& PlaceholdersFor(Check check) {
  static const std::map<Check, std::set<std::string>> table = {
      {Check::kUnitMismatch, With({})},
      {Check::kUnparseable, With({"error", "cell"})},
      {Check::kMissingActual, With({"deadline", "days_overdue"})},
      {Check::kStatusOnly, With({"statuses"})},
      {Check::kAnnotated, With({})},
      {Check::kTargetMissed, With({"achieved", "shortfall", "ratio"})},
      {Check::kTargetUnreachable,
       With({"current", "current_year_era", "gap", "remaining_years", "best_gain",
             "best_gain_year_era", "gain_word", "no_progress", "capacity", "slack", "achieved"})},
      {Check::kRising,
       With({"previous", "previous_raw", "previous_year_era", "change", "change_percent", "run"})},
      {Check::kSpike,
       With({"previous", "next", "factor_seen", "previous_year_era", "next_year_era"})},
      {Check::kCumulativeDecrease,
       With({"previous", "previous_raw", "previous_year_era", "change"})},
      {Check::kDuplicateSeries, With({"other", "values"})},
      {Check::kExpression, With({"condition", "previous", "change", "change_percent", "ratio",
                                 "total", "best_gain", "years_left"})},
  };
  return table.at(check);
}

const char* DefaultMessage(Check check) {
  switch (check) {
    case Check::kUnitMismatch:
      return "{{indicator}}：{{fiscal_year_era}}の実績値「{{value_raw}}」の単位（{{unit}}）が"
             "目標値「{{target_raw}}」の単位（{{target_unit}}）と異なります。";
    case Check::kUnparseable:
      return "{{indicator}}：{{#fiscal_year_era}}{{fiscal_year_era}}の{{/fiscal_year_era}}"
             "{{cell}}「{{value_raw}}」を数値として読み取れません。";
    case Check::kMissingActual:
      return "{{indicator}}：{{fiscal_year_era}}の実績値が未記入です"
             "（期限 {{deadline}}、{{days_overdue}}日経過）。";
    case Check::kStatusOnly:
      return "{{indicator}}：目標値「{{target_raw}}」に対して数値の実績が一度も記録されていません"
             "（{{statuses}}）。";
    case Check::kAnnotated:
      return "{{indicator}}：{{fiscal_year_era}}の実績値「{{value_raw}}」には※注記があり、"
             "目標値とそのまま比較できません{{#footnotes}}（{{footnotes}}）{{/footnotes}}。";
    case Check::kTargetMissed:
      return "{{indicator}}：{{fiscal_year_era}}の実績{{achieved}}{{unit}}は目標値"
             "「{{target_raw}}」に届いていません（不足 {{shortfall}}{{unit}}）。";
    case Check::kTargetUnreachable:
      return "{{indicator}}：目標値「{{target_raw}}」まで残り{{gap}}{{unit}}を残り{{remaining_"
             "years}}"
             "年度で達成する必要がありますが、{{#no_progress}}これまで{{gain_word}}がありません"
             "{{/no_progress}}{{^no_progress}}1年度あたりの{{gain_word}}はこれまで最大でも"
             "{{best_gain}}{{unit}}（{{best_gain_year_era}}）です{{/no_progress}}。";
    case Check::kRising:
      return "{{indicator}}：{{fiscal_year_era}}に{{previous}}から{{value}}{{unit}}へ増加しました"
             "（+{{change}}、+{{change_percent}}%）。";
    case Check::kSpike:
      return "{{indicator}}：{{fiscal_year_era}}の{{value}}{{unit}}は前後の年度"
             "（{{previous}}、{{next}}）から大きく外れています。";
    case Check::kCumulativeDecrease:
      return "{{indicator}}：累計値が{{fiscal_year_era}}に{{previous}}から{{value}}{{unit}}へ"
             "減少しています。";
    case Check::kDuplicateSeries:
      return "{{indicator}}：実績値（{{values}}）が「{{other}}」と全年度で同じです。"
             "転記の誤りではありませんか。";
    case Check::kExpression:
      return "{{indicator}}：{{fiscal_year_era}}の値{{value}}{{unit}}が条件「{{condition}}」に"
             "該当します。";
  }
  return "";
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
  std::snprintf(buf, sizeof buf, "%.0f", whole);
  std::string digits = buf;
  std::string grouped;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped += ',';
    grouped += digits[i];
  }
  if (cents > 0) {
    std::snprintf(buf, sizeof buf, ".%02d", cents);
    std::string frac = buf;
    if (frac.back() == '0') frac.pop_back();
    grouped += frac;
  }
  return (negative ? "-" : "") + grouped;
}

namespace checks_internal {

RawFinding Make(const Indicator& ind, std::optional<int> fy) {
  RawFinding f;
  f.indicator = &ind;
  f.fiscal_year = fy;
  return f;
}

void Add(RawFinding* f, const char* name, double value) {
  f->figures.push_back(Figure{name, value});
}

void Add(RawFinding* f, const char* name, std::string value) {
  f->figures.push_back(Figure{name, std::move(value)});
}

}  // namespace checks_internal

using namespace checks_internal;  // NOLINT: this file's own helpers

namespace {

void CheckUnitMismatch(const Rule& rule, const Indicator& ind, std::vector<RawFinding>* out) {
  if (ind.target.status != CellStatus::kValue || ind.target.unit.empty()) return;
  auto equivalent = [&](const std::string& a, const std::string& b) {
    for (const auto& [x, y] : rule.params.equivalent_units) {
      if ((x == a && y == b) || (x == b && y == a)) return true;
    }
    return false;
  };
  for (const Observation& o : ind.observations) {
    if (o.cell.status != CellStatus::kValue || o.cell.unit.empty()) continue;
    if (o.cell.unit == ind.target.unit || equivalent(o.cell.unit, ind.target.unit)) continue;
    out->push_back(Make(ind, o.fiscal_year));
  }
}

void CheckUnparseable(const Rule& rule, const Indicator& ind, std::vector<RawFinding>* out) {
  if (rule.params.include_target && ind.target.status == CellStatus::kUnparseable) {
    RawFinding f = Make(ind, std::nullopt);
    Add(&f, "cell", "目標値");
    Add(&f, "error", ind.target.error);
    out->push_back(std::move(f));
  }
  for (const Observation& o : ind.observations) {
    if (o.cell.status != CellStatus::kUnparseable) continue;
    RawFinding f = Make(ind, o.fiscal_year);
    Add(&f, "cell", "実績値");
    Add(&f, "error", o.cell.error);
    out->push_back(std::move(f));
  }
}

bool IsStatus(CellStatus s) {
  return s == CellStatus::kSurveyDone || s == CellStatus::kNotAvailable;
}

void CheckMissingActual(const Rule& rule, const Indicator& ind, TimePoint now,
                        std::vector<RawFinding>* out) {
  if (ind.observations.empty()) return;
  bool numeric = false, status = false;
  for (const Observation& o : ind.observations) {
    numeric =
        numeric || o.cell.status == CellStatus::kValue || o.cell.status == CellStatus::kBoolean;
    status = status || IsStatus(o.cell.status);
  }
  // Survey rows hold an entry only in the years a survey was done; by
  // default only the plan's last year must have one.
  bool last_year_only = !numeric && status && !rule.params.status_only_every_year;
  int last_year = ind.observations.back().fiscal_year;
  for (const Observation& o : ind.observations) {
    bool empty =
        o.cell.status == CellStatus::kMissing ||
        (rule.params.not_available_is_missing && o.cell.status == CellStatus::kNotAvailable);
    if (!empty || (last_year_only && o.fiscal_year != last_year)) continue;
    TimePoint deadline = FiscalYearEnd(o.fiscal_year) + std::chrono::days(rule.params.grace_days);
    if (now < deadline) continue;
    RawFinding f = Make(ind, o.fiscal_year);
    CivilDate d = JapanDate(deadline - std::chrono::seconds(1));
    Add(&f, "deadline",
        std::to_string(d.year) + "年" + std::to_string(d.month) + "月" + std::to_string(d.day) +
            "日");
    Add(&f, "days_overdue",
        static_cast<double>(std::chrono::floor<std::chrono::days>(now - deadline).count()));
    out->push_back(std::move(f));
  }
}

void CheckStatusOnly(const Indicator& ind, std::vector<RawFinding>* out) {
  if (ind.target.status != CellStatus::kValue) return;
  std::string statuses;
  for (const Observation& o : ind.observations) {
    if (o.cell.status == CellStatus::kValue || o.cell.status == CellStatus::kBoolean) return;
    if (IsStatus(o.cell.status)) {
      statuses += (statuses.empty() ? "" : "、") + FormatEraYear(o.fiscal_year) + " " + o.raw;
    }
  }
  if (statuses.empty()) return;
  RawFinding f = Make(ind, std::nullopt);
  Add(&f, "statuses", statuses);
  out->push_back(std::move(f));
}

void CheckAnnotated(const Rule& rule, const Indicator& ind, std::vector<RawFinding>* out) {
  if (rule.params.include_target && ind.target.annotated) {
    out->push_back(Make(ind, std::nullopt));
  }
  for (const Observation& o : ind.observations) {
    if (o.cell.annotated) out->push_back(Make(ind, o.fiscal_year));
  }
}

}  // namespace

void RunCheck(const Rule& rule, const std::vector<const Indicator*>& indicators, TimePoint now,
              std::vector<RawFinding>* out) {
  if (rule.check == Check::kDuplicateSeries) {
    CheckDuplicateSeries(rule, indicators, out);
    return;
  }
  for (const Indicator* ind : indicators) {
    switch (rule.check) {
      case Check::kUnitMismatch:
        CheckUnitMismatch(rule, *ind, out);
        break;
      case Check::kUnparseable:
        CheckUnparseable(rule, *ind, out);
        break;
      case Check::kMissingActual:
        CheckMissingActual(rule, *ind, now, out);
        break;
      case Check::kStatusOnly:
        CheckStatusOnly(*ind, out);
        break;
      case Check::kAnnotated:
        CheckAnnotated(rule, *ind, out);
        break;
      case Check::kTargetMissed:
        CheckTargetMissed(rule, *ind, out);
        break;
      case Check::kTargetUnreachable:
        CheckTargetUnreachable(rule, *ind, out);
        break;
      case Check::kRising:
        CheckRising(rule, *ind, out);
        break;
      case Check::kSpike:
        CheckSpike(rule, *ind, out);
        break;
      case Check::kCumulativeDecrease:
        CheckCumulativeDecrease(rule, *ind, out);
        break;
      case Check::kExpression:
        CheckExpression(rule, *ind, out);
        break;
      case Check::kDuplicateSeries:
        break;
    }
  }
}

}  // namespace shihyo
