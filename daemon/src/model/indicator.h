// Plain data for what the indicator store holds: plans, indicators and their
// yearly observations. No logic beyond name conversions; thread-compatible.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/value_parser.h"

namespace shihyo {

// What "met" means. Names are part of the JSON and rule-file contracts.
enum class Direction {
  kIncrease,  // value >= target (the default)
  kDecrease,  // value <= target: 減少/削減/抑制, a target of 0件
  kBoolean,   // 有り/無し
};

enum class Aggregation {
  kLevel,       // each year's value is a state (registered facilities)
  kPerYear,     // the target applies to every year (年3回)
  kCumulative,  // the value is a running total (累計)
  kSum,         // yearly amounts add up toward a plan-period total (parks built)
};

const char* DirectionName(Direction d);
std::optional<Direction> DirectionFromName(std::string_view name);
const char* AggregationName(Aggregation a);
std::optional<Aggregation> AggregationFromName(std::string_view name);

struct Observation {
  int fiscal_year = 0;  // Western year the fiscal year starts in
  std::string raw;      // the cell exactly as in the file, "" when empty
  CellValue cell;       // parsed
  // False when the table has no cell for this year for this indicator (a
  // transposed table lists its own years per indicator); such a year is
  // neither reported nor missing.
  bool in_table = true;

  bool operator==(const Observation&) const = default;
};

// An achievement rate (達成率) the table reports for a year, kept so that it
// can be compared with the rate computed from the values.
struct ReportedRate {
  int fiscal_year = 0;
  std::string raw;
  std::optional<double> value;  // percent; nullopt when |raw| is not a number
};

// A planned value (計画値) for a year of its own.
struct PlannedValue {
  int year = 0;
  std::string year_kind;  // fiscal, calendar, unspecified
  std::string raw;
  CellValue cell;
};

// A cell the layout keeps as a note: column header (or tag) and text.
struct IndicatorNote {
  std::string label;
  std::string text;
};

struct Indicator {
  int64_t id = 0;
  std::string plan;  // plan title
  std::string project;  // heading, e.g. "プロジェクト1:情報発信プロジェクト"; "" if none
  int project_number = 0;              // N of プロジェクトN
  std::string measure;                 // the measure line, e.g. "①広報誌に…"; "" if none
  std::string measure_marker;          // "①"
  std::vector<std::string> footnotes;  // the measure's ※ lines
  std::string name;
  std::string department;  // from a trailing "(子ども課・健康推進課)"; "" if none
  int ordinal = 0;         // position in the table, 0-based
  int source_line = 0;
  std::string target_raw;
  CellValue target;
  Direction direction = Direction::kIncrease;
  Aggregation aggregation = Aggregation::kLevel;
  std::vector<Observation> observations;      // one per plan year, ascending
  std::map<std::string, std::string> labels;  // set by rule-file overrides
  // From tables of other layouts; empty (or nullopt) when the table has none.
  std::string code;           // 主要施策コード
  std::string unit;           // the indicator's unit, applied to bare numbers
  std::string direction_raw;  // the table's direction word (アップ, ⇘ …)
  std::optional<int> target_year;
  std::string target_year_kind;  // fiscal, calendar, unspecified
  std::string baseline_raw;      // 基準値/現状値, verbatim
  CellValue baseline;
  std::optional<int> baseline_year;
  std::string baseline_year_kind;
  std::vector<PlannedValue> planned;
  std::vector<IndicatorNote> notes;
  std::vector<ReportedRate> reported_rates;  // ascending fiscal year

  // The observation for |fiscal_year|, or nullptr.
  const Observation* Find(int fiscal_year) const;

  // The year the target is for: |target_year| when the table gives one, else
  // the last year the table has a cell for (the plan's last year). 0 when
  // there are no observations.
  int TargetYear() const;

  // The last year the table has a cell for; 0 when none.
  int LastTableYear() const;

  // The baseline as a point before the first observation: its value when
  // numeric and its year is known and earlier than every observation.
  std::optional<std::pair<int, double>> BaselinePoint() const;
};

struct Plan {
  int64_t id = 0;
  std::string name;
  int first_year = 0;  // plan period, inclusive
  int last_year = 0;
  std::vector<std::string> notes;
  std::string source;
  std::string imported_at;  // ISO 8601 UTC of the last import that changed it
  std::string year_kind =
      "fiscal";        // how the table writes the years: fiscal, calendar, unspecified
  std::string layout;  // the layout that read it ("" before schema v2)
  std::vector<Indicator> indicators;  // table order
};

// One cell changed by an import. |fiscal_year| is nullopt for the target.
struct CellChange {
  std::string imported_at;
  std::string source;
  std::string plan;
  std::string indicator;
  std::optional<int> fiscal_year;
  std::optional<std::string> old_raw;  // nullopt: the cell is new
  std::optional<std::string> new_raw;  // nullopt: the indicator was removed
};

}  // namespace shihyo
