// Recognition: does a table look like what a layout describes, and if not,
// where did it stop matching.
#include "base/text.h"
#include "import/layout_reader.h"

namespace shihyo {

namespace {

// 'text', cut after 40 characters.
std::string Quote(std::string_view s) {
  std::string text = EscapeControls(s);
  size_t pos = 0;
  char32_t cp;
  for (int chars = 0; pos < text.size() && chars < 40; ++chars) {
    if (!DecodeUtf8(text, &pos, &cp)) break;
  }
  if (pos < text.size()) text = text.substr(0, pos) + "…";
  return "'" + text + "'";
}

// How many leading cells of |cells| match |layout.match_header|.
size_t HeaderPrefix(const Layout& layout, const std::vector<std::string>& cells) {
  size_t n = 0;
  while (n < layout.match_header.size() && n < cells.size() &&
         layout.match_header[n]->Search(cells[n])) {
    ++n;
  }
  return n;
}

std::string HeaderFailure(const Layout& layout, const std::vector<Record>& records) {
  size_t best = 0;
  const Record* best_row = nullptr;
  std::vector<std::string> best_cells;
  for (const Record& r : records) {
    std::vector<std::string> cells = UsedCells(r);
    if (cells.empty()) continue;
    size_t n = HeaderPrefix(layout, cells);
    if (n == layout.match_header.size()) return "";
    if (!best_row || n > best) {
      best = n;
      best_row = &r;
      best_cells = std::move(cells);
    }
  }
  if (!best_row) return "the file holds no rows";
  std::string found = best < best_cells.size() ? Quote(best_cells[best]) : "nothing";
  return "line " + std::to_string(best_row->line) + ": cell " + std::to_string(best + 1) + " is " +
         found + ", not the header cell " + Quote(layout.match_header[best]->text()) +
         (best == 0
              ? " (no row starts like the header)"
              : " (the closest row to the header: cells 1–" + std::to_string(best) + " matched)");
}

}  // namespace

std::vector<std::string> UsedCells(const Record& r) {
  std::vector<std::string> cells;
  size_t used = 0;
  for (size_t i = 0; i < r.cells.size(); ++i) {
    if (!TrimSpace(r.cells[i]).empty()) used = i + 1;
  }
  for (size_t i = 0; i < used; ++i) cells.emplace_back(TrimSpace(r.cells[i]));
  return cells;
}

bool IsLayoutHeader(const Layout& layout, const std::vector<std::string>& cells) {
  return !layout.match_header.empty() && HeaderPrefix(layout, cells) == layout.match_header.size();
}

std::string MatchFailure(const Layout& layout, const std::vector<Record>& records) {
  if (layout.match_title) {
    for (const Record& r : records) {
      std::vector<std::string> cells = UsedCells(r);
      if (cells.empty()) continue;
      if (!layout.match_title->Search(cells[0])) {
        return "line " + std::to_string(r.line) + ": the title " + Quote(cells[0]) +
               " does not match " + Quote(layout.match_title->text());
      }
      break;
    }
  }
  if (!layout.match_header.empty()) {
    std::string why = HeaderFailure(layout, records);
    if (!why.empty()) return why;
  }
  if (layout.match_line) {
    for (const Record& r : records) {
      std::vector<std::string> cells = UsedCells(r);
      if (!cells.empty() && layout.match_line->Search(cells[0])) return "";
    }
    return "no line starts with a cell matching " + Quote(layout.match_line->text());
  }
  return "";
}

std::string FirstEra(const std::vector<std::string>& cells) {
  for (const std::string& c : cells) {
    std::optional<YearLabel> y = ParseYearLabel(c);
    if (y && !y->era.empty()) return y->era;
  }
  return "";
}

std::string FirstUnit(const std::vector<std::string>& raws) {
  for (const std::string& raw : raws) {
    CellValue v = ParseCell(raw);
    if (v.status == CellStatus::kValue && !v.unit.empty()) return v.unit;
  }
  return "";
}

}  // namespace shihyo
