// Parses one cell of a Japanese progress table ("5,070人", "※41か所", "年3回",
// "有り", "アンケート調査済", "—") and Japanese fiscal years ("令和2年度").
// Pure functions: no I/O, no logging, no locale; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace shihyo {

// What a cell holds. The names (StatusName) are part of the JSON contract.
enum class CellStatus {
  kValue,         // a number, usually with a unit
  kMissing,       // empty cell
  kSurveyDone,    // アンケート調査済: a survey was done, no number recorded
  kNotAvailable,  // —, -, ―, －: explicitly not available
  kBoolean,       // 有り / 無し
  kUnparseable,   // none of the above; CellValue::error says why
  kNone,          // なし where a layout says it means "none yet" (never from ParseCell)
  kText,          // a word instead of a number (設置, 策定), where a layout says so
};

// A bound written after the number: 90%以上, 10件以下.
enum class Bound { kNone, kAtLeast, kAtMost };

struct CellValue {
  CellStatus status = CellStatus::kMissing;
  // kValue: the number (万/億 applied); kBoolean: 1 for 有り, 0 for 無し.
  std::optional<double> value;
  // Canonical unit after alias folding (箇所 → か所, 名 → 人, ％ → %); "" if none.
  std::string unit;
  bool annotated = false;   // carries a ※ mark: a different quantity, see footnote
  bool per_year = false;    // 年3回: the quantity is per fiscal year
  bool cumulative = false;  // 累計10回: a running total
  Bound bound = Bound::kNone;
  std::string error;  // kUnparseable only: what was expected, in English
  // A note written after the value in the same cell: "※単年実績" of
  // "3品※単年実績", "(平成20年)" of "3,437百万円(平成20年)". A ※ note also
  // sets |annotated|.
  std::string note;

  bool operator==(const CellValue&) const = default;
};

// Classifies and parses one cell. Never fails: text that is none of the known
// forms comes back as kUnparseable with |error| set. |raw| may hold any bytes.
CellValue ParseCell(std::string_view raw);

// The note ParseCell would split off |raw| ("" when none); for cells read
// back from a store, which keeps the raw text but not the note.
std::string CellNote(std::string_view raw);

struct Quantity {
  double value = 0;
  std::string unit;  // canonical, "" when none
};

// Parses a plain number with an optional unit: "5,070人", "１２３件", "3.5%",
// "1.2万人", "▲3件". Returns kInvalidArgument naming what was wrong.
Result<Quantity> ParseJapaneseNumber(std::string_view text);

// Folds unit spellings to one canonical form: か所/箇所/ヶ所/カ所/ケ所 → か所,
// 人/名 → 人, ％/パーセント → %. Unknown units are returned unchanged.
std::string CanonicalUnit(std::string_view unit);

// "令和2年度", "令和元年度", "R2", "平成30年度", "H30", "2020年度", "FY2020",
// "2020" → the Western year the fiscal year starts in (2020 runs April 2020 to
// March 2021). Returns kInvalidArgument for anything else.
Result<int> ParseEraYear(std::string_view text);

// 2023 → "令和5年度", 2019 → "令和元年度", 2018 → "平成30年度".
std::string FormatEraYear(int fiscal_year);

// The JSON/DB names of a status: "value", "missing", "survey_done",
// "not_available", "boolean", "unparseable", "none", "text".
const char* StatusName(CellStatus status);
// Inverse of StatusName; nullopt for an unknown name.
std::optional<CellStatus> StatusFromName(std::string_view name);

}  // namespace shihyo
