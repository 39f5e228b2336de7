// A layout: how to read one family of progress tables, as described by a
// layout file (data/layouts/*.yaml, /etc/shihyo/layouts.d/*.yaml). Loading
// validates the whole file and reports every problem as file:line:col.
// Layouts are immutable after loading; thread-safe to share.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "import/pattern.h"
#include "model/value_parser.h"
#include "model/year_label.h"

namespace shihyo {

// What a column (row-per-indicator tables) or a year tag (transposed tables) holds.
enum class ColumnRole {
  kName,
  kCode,
  kUnit,
  kTarget,
  kTargetYear,
  kBaseline,
  kBaselineYear,
  kDirection,
  kActual,
  kPlanned,
  kRate,  // the reported achievement rate of the actual column before it
  kNote,
  kIgnore,
};

const char* ColumnRoleName(ColumnRole role);

struct LayoutColumn {
  std::shared_ptr<const Pattern> header;  // matched against the header cell
  ColumnRole role = ColumnRole::kIgnore;
  // The column's year when its header names none (直近値 → 平成25年度).
  std::optional<YearLabel> year;
};

struct LayoutHeading {
  std::shared_ptr<const Pattern> pattern;
  bool project = true;  // false: a measure
};

struct Layout {
  enum class Kind {
    kSectioned,   // Kamaishi's reader: title, プロジェクトN, ①, two-line header, ※ notes
    kRows,        // one row per indicator under a header row
    kTransposed,  // one small table per indicator: heading, year row, value row
  };

  std::string name;
  std::string file;  // where it was loaded from ("builtin:kamaishi.yaml" when embedded)
  std::string description;
  Kind kind = Kind::kRows;
  std::string plan;         // the plan's name when the table has no title line
  bool title_line = false;  // the first non-empty line is the plan's title

  // Recognition: every given criterion must hold.
  std::vector<std::shared_ptr<const Pattern>> match_header;  // a row's first cells, in order
  std::shared_ptr<const Pattern> match_line;                 // some row's first cell
  std::shared_ptr<const Pattern> match_title;                // the first non-empty line

  std::shared_ptr<const Pattern> skip;  // rows whose first cell matches are not read
  std::vector<LayoutHeading> headings;  // rows that open a project or measure
  bool single_cell_sections = false;    // rows: a row with one cell opens a project
  std::vector<LayoutColumn> columns;    // rows: header cell → role, first match wins
  std::string bare_year_era;            // era of 23年度; "" = the era of the header's other years
  std::map<std::string, CellStatus> words;  // cell words: なし → none, 設置 → text
  // rows: a row whose label cell (a cell of a column without a role) is one of
  // these words reads its year cells in that role (見込量 → planned, 実績値 →
  // actual); a row without a name continues the indicator above it.
  std::map<std::string, ColumnRole> row_kinds;

  // Transposed.
  std::shared_ptr<const Pattern> indicator;     // a row that starts an indicator
  std::map<std::string, ColumnRole> year_tags;  // (基準値) → baseline
  ColumnRole untagged = ColumnRole::kActual;
  std::shared_ptr<const Pattern> note;  // a line kept as the indicator's note
};

// Limits that keep a hostile layout file from costing much.
constexpr size_t kMaxLayoutFileBytes = 64 * 1024;
constexpr size_t kMaxLayoutPatterns = 200;
constexpr size_t kMaxPatternChars = 500;

// Parses a layout file's text. |file| names it in messages. On error the
// status message holds every problem, one "file:line:col: message" a line.
Result<Layout> ParseLayout(const std::string& text, const std::string& file);

// Reads and parses |path| (at most kMaxLayoutFileBytes).
Result<Layout> LoadLayoutFile(const std::string& path);

struct LayoutSearch {
  std::string dir;                                   // --layouts DIR; "" for none
  std::string system_dir = "/etc/shihyo/layouts.d";  // skipped when absent
  bool builtin = true;                               // the layouts shipped in the binary
};

// The known layouts in search order: |dir|, then |system_dir|, then the
// built-in ones; a name seen earlier hides a later one. Every *.yaml file
// is read; any error fails the whole load with every message.
Result<std::vector<Layout>> LoadLayouts(const LayoutSearch& search);

// The shipped layout files: name ("kamaishi.yaml") → text.
const std::map<std::string, std::string>& BuiltinLayoutFiles();

}  // namespace shihyo
