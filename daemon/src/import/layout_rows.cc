// The row-per-indicator reader: a header row names the columns (each header
// cell gets the role of the first layout column whose pattern matches it),
// then one row per indicator; section rows open projects.
#include <optional>

#include "base/text.h"
#include "import/layout_reader.h"
#include "import/table_builder.h"
#include "model/inference.h"

namespace shihyo {

namespace {

// "5ヵ年目標", "5か年目標", "５ヶ年目標" → 5; 0 when |label| names no period.
int PeriodYears(const std::string& label) {
  static const char* const kMarks[] = {"ヵ年", "か年", "カ年", "ヶ年", "ケ年", "箇年"};
  for (const char* mark : kMarks) {
    size_t at = label.find(mark);
    if (at == std::string::npos) continue;
    std::string before = FoldWidth(label.substr(0, at));
    size_t digits = before.size();
    while (digits > 0 && before[digits - 1] >= '0' && before[digits - 1] <= '9') --digits;
    std::string n = before.substr(digits);
    if (!n.empty() && n.size() <= 2) return std::stoi(n);
  }
  return 0;
}

struct HeaderColumn {
  ColumnRole role = ColumnRole::kIgnore;
  std::string label;
  std::optional<YearLabel> year;
};

// The year a header gives: at its start (平成32年, 23年度, 平成13年実績) or in
// brackets after a word (基準値(H30), 目標(令和6年度)).
std::optional<YearLabel> HeaderYear(const std::string& label, const std::string& era) {
  if (std::optional<YearLabel> y = ParseYearLabel(label, era)) return y;
  std::string folded = FoldWidth(label);
  size_t open = folded.find('(');
  if (open == std::string::npos) return std::nullopt;
  std::optional<YearLabel> y = ParseYearLabel(folded.substr(open + 1), era);
  if (!y || y->rest.empty() || y->rest[0] != ')') return std::nullopt;
  return y;
}

class RowsReader {
 public:
  RowsReader(const Layout& layout, std::string_view source) : layout_(layout), b_(source) {}

  Result<ProgressTable> Run(const std::vector<Record>& records) {
    for (const Record& r : records) {
      std::vector<std::string> cells = UsedCells(r);
      if (cells.empty()) continue;
      Status s = Handle(r.line, cells);
      if (!s.ok()) return s;
    }
    Status s = Flush();
    if (!s.ok()) return s;
    return b_.Build(layout_.name, layout_.plan);
  }

 private:
  Status Handle(int line, const std::vector<std::string>& cells) {
    if (IsLayoutHeader(layout_, cells)) return ReadHeader(line, cells);
    if (layout_.title_line && !b_.HasTitle() && header_line_ == 0 && !seen_) {
      seen_ = true;
      b_.SetTitle(cells[0]);
      b_.Explain(line, "title: " + cells[0]);
      return Status::Ok();
    }
    seen_ = true;
    for (const LayoutHeading& h : layout_.headings) {
      if (cells.size() == 1 && h.pattern->Search(cells[0]))
        return Heading(line, cells[0], h.project);
    }
    if (cells.size() == 1 && layout_.single_cell_sections) return Heading(line, cells[0], true);
    if (header_line_ == 0) {
      return b_.Error(line, "unexpected line '" + EscapeControls(cells[0]) +
                                "' before the header row (layout '" + layout_.name +
                                "' expects a section heading or the header)");
    }
    return ReadRow(line, cells);
  }

  Status Heading(int line, const std::string& text, bool project) {
    Status s = Flush();
    if (!s.ok()) return s;
    if (project) {
      b_.StartProject(text, line);
    } else {
      b_.StartMeasure(text, line);
    }
    b_.Explain(line, std::string(project ? "project: " : "measure: ") + text);
    return Status::Ok();
  }

  Status ReadHeader(int line, const std::vector<std::string>& cells) {
    Status flushed = Flush();
    if (!flushed.ok()) return flushed;
    std::string era = layout_.bare_year_era.empty() ? FirstEra(cells) : layout_.bare_year_era;
    std::vector<HeaderColumn> columns;
    std::string text;
    for (size_t i = 0; i < cells.size(); ++i) {
      HeaderColumn c;
      c.label = cells[i];
      if (!cells[i].empty()) {
        Status s = Assign(line, i, era, columns, &c);
        if (!s.ok()) return s;
      }
      text += (i ? ", " : "") + std::to_string(i + 1) + " " + c.label + "=" +
              ColumnRoleName(c.role) + (c.year ? "(" + std::to_string(c.year->year) + ")" : "");
      columns.push_back(std::move(c));
    }
    if (header_line_ != 0 && columns_.size() == columns.size()) {
      b_.Explain(line, "header repeated");
    } else {
      b_.Explain(line, "header: " + text);
    }
    columns_ = std::move(columns);
    header_line_ = line;
    return Status::Ok();
  }

  Status Assign(int line, size_t i, const std::string& era, const std::vector<HeaderColumn>& before,
                HeaderColumn* c) {
    const LayoutColumn* col = nullptr;
    for (const LayoutColumn& lc : layout_.columns) {
      if (lc.header->Search(c->label)) {
        col = &lc;
        break;
      }
    }
    if (!col) {
      return b_.CellError(line, i,
                          "header '" + EscapeControls(c->label) +
                              "' matches no column of layout '" + layout_.name +
                              "' (give it a column, with role ignore to skip it)");
    }
    c->role = col->role;
    c->year = HeaderYear(c->label, era);
    if (!c->year) c->year = col->year;
    if ((c->role == ColumnRole::kActual || c->role == ColumnRole::kPlanned) && !c->year) {
      return b_.CellError(line, i,
                          "expected a year in the header of a " +
                              std::string(ColumnRoleName(c->role)) + " column, found '" +
                              EscapeControls(c->label) + "'");
    }
    if (c->role == ColumnRole::kRate) {
      c->year.reset();
      for (auto it = before.rbegin(); it != before.rend() && !c->year; ++it) {
        if (it->role == ColumnRole::kActual) c->year = it->year;
      }
      if (!c->year) return b_.CellError(line, i, "a rate column needs an actual column before it");
    }
    return Status::Ok();
  }

  Status ReadRow(int line, const std::vector<std::string>& cells) {
    if (cells.size() > columns_.size()) {
      return b_.CellError(line, cells.size() - 1,
                          "too many cells: the header on line " + std::to_string(header_line_) +
                              " has " + std::to_string(columns_.size()) + " columns");
    }
    row_role_ = RowKind(cells);
    PendingIndicator p;
    p.ind.line = line;
    std::string explain;
    for (size_t i = 0; i < cells.size(); ++i) {
      Status s = ReadCell(line, i, cells[i], &p);
      if (!s.ok()) return s;
      if (!cells[i].empty() && columns_[i].role != ColumnRole::kIgnore) {
        explain += (explain.empty() ? "" : ", ") + std::string(ColumnRoleName(columns_[i].role)) +
                   "=" + cells[i];
      }
    }
    if (p.ind.name.empty() && held_) {
      // A row kind's second row (実績値 under 見込量): the name cell is merged.
      b_.Explain(line, "continues " + held_->ind.name + ": " + explain);
      Merge(std::move(p), &*held_);
      return Status::Ok();
    }
    if (p.ind.name.empty()) return b_.Error(line, "expected the indicator's name, found nothing");
    if (!p.ind.target_year && p.ind.baseline_year) {
      // "5ヵ年目標": the target is for N years after the baseline.
      if (int n = PeriodYears(target_label_); n > 0) {
        p.ind.target_year = TableYear{p.ind.baseline_year->year + n, p.ind.baseline_year->kind};
      }
    }
    b_.Explain(line, "indicator: " + explain);
    if (layout_.row_kinds.empty()) return Finish(std::move(p));
    Status s = Flush();
    held_ = std::move(p);
    return s;
  }

  // The role a row's label cell gives its year cells (見込量 → planned), or actual.
  ColumnRole RowKind(const std::vector<std::string>& cells) const {
    for (size_t i = 0; i < cells.size(); ++i) {
      if (columns_[i].role != ColumnRole::kIgnore) continue;
      auto it = layout_.row_kinds.find(std::string(TrimSpace(cells[i])));
      if (it != layout_.row_kinds.end()) return it->second;
    }
    return ColumnRole::kActual;
  }

  static void Merge(PendingIndicator p, PendingIndicator* into) {
    if (into->actuals.empty()) into->actual_kind = p.actual_kind;
    for (auto& [year, raw] : p.actuals) into->actuals[year] = std::move(raw);
    for (auto& [year, raw] : p.rates) into->rates[year] = std::move(raw);
    for (TableYearValue& v : p.ind.planned) into->ind.planned.push_back(std::move(v));
    for (TableNote& n : p.ind.notes) into->ind.notes.push_back(std::move(n));
    if (into->ind.target_raw.empty()) into->ind.target_raw = p.ind.target_raw;
    if (into->ind.baseline_raw.empty()) into->ind.baseline_raw = p.ind.baseline_raw;
  }

  Status Flush() {
    if (!held_) return Status::Ok();
    PendingIndicator p = std::move(*held_);
    held_.reset();
    return Finish(std::move(p));
  }

  Status Finish(PendingIndicator p) {
    if (p.ind.unit.empty()) p.ind.unit = UnitInName(p.ind.name);
    if (p.ind.unit.empty()) {
      std::vector<std::string> raws = {p.ind.baseline_raw, p.ind.target_raw};
      for (const auto& [year, raw] : p.actuals) raws.push_back(raw);
      for (const TableYearValue& v : p.ind.planned) raws.push_back(v.raw);
      p.ind.unit = FirstUnit(raws);
    }
    return b_.Add(std::move(p));
  }

  Status ReadYearCell(int line, size_t i, const std::string& cell, std::optional<TableYear>* out) {
    if (cell.empty()) return Status::Ok();
    std::optional<YearLabel> y = ParseYearLabel(cell, FirstEra({cell}));
    if (!y || !y->rest.empty()) {
      return b_.CellError(
          line, i,
          "expected a year (平成22年度, R2, 2020年), found '" + EscapeControls(cell) + "'");
    }
    *out = TableYear{y->year, y->kind};
    return Status::Ok();
  }

  // The cells that say what the indicator is: name, code, unit, direction, years.
  Status ReadLabelCell(int line, size_t i, const std::string& cell, PendingIndicator* p) {
    switch (columns_[i].role) {
      case ColumnRole::kName:
        p->ind.name = cell;
        break;
      case ColumnRole::kCode:
        p->ind.code = cell;
        break;
      case ColumnRole::kUnit:
        p->ind.unit = CanonicalUnit(cell);
        break;
      case ColumnRole::kDirection:
        if (!cell.empty() && !DirectionFromWord(cell)) {
          return b_.CellError(line, i,
                              "unknown direction '" + EscapeControls(cell) +
                                  "' (expected アップ/ダウン, 増加/減少, ↑/↓ or ⇗/⇘)");
        }
        p->ind.direction_raw = cell;
        break;
      case ColumnRole::kTargetYear:
        return ReadYearCell(line, i, cell, &p->ind.target_year);
      case ColumnRole::kBaselineYear:
        return ReadYearCell(line, i, cell, &p->ind.baseline_year);
      default:
        break;
    }
    return Status::Ok();
  }

  Status ReadCell(int line, size_t i, const std::string& cell, PendingIndicator* p) {
    const HeaderColumn& c = columns_[i];
    std::optional<TableYear> header_year;
    if (c.year) header_year = TableYear{c.year->year, c.year->kind};
    switch (c.role) {
      case ColumnRole::kTarget:
        p->ind.target_raw = cell;
        target_label_ = c.label;
        if (!p->ind.target_year) p->ind.target_year = header_year;
        break;
      case ColumnRole::kBaseline:
        p->ind.baseline_raw = cell;
        if (!p->ind.baseline_year) p->ind.baseline_year = header_year;
        break;
      case ColumnRole::kActual:
        if (row_role_ == ColumnRole::kPlanned) {
          if (!cell.empty()) p->ind.planned.push_back(TableYearValue{*header_year, cell});
          break;
        }
        p->actuals[c.year->year] = cell;
        if (p->actuals.size() == 1) p->actual_kind = c.year->kind;
        break;
      case ColumnRole::kPlanned:
        if (!cell.empty()) p->ind.planned.push_back(TableYearValue{*header_year, cell});
        break;
      case ColumnRole::kRate:
        if (!cell.empty()) p->rates[c.year->year] = cell;
        break;
      case ColumnRole::kNote:
        if (!cell.empty()) p->ind.notes.push_back(TableNote{c.label, cell});
        break;
      default:
        return ReadLabelCell(line, i, cell, p);
    }
    return Status::Ok();
  }

  const Layout& layout_;
  TableBuilder b_;
  std::vector<HeaderColumn> columns_;
  int header_line_ = 0;
  bool seen_ = false;
  std::string target_label_;                   // the target column's header
  ColumnRole row_role_ = ColumnRole::kActual;  // what this row's year cells hold
  std::optional<PendingIndicator> held_;       // with row_kinds: waits for its other rows
};

}  // namespace

Result<ProgressTable> ReadRows(const Layout& layout, const std::vector<Record>& records,
                               std::string_view source) {
  return RowsReader(layout, source).Run(records);
}

}  // namespace shihyo
