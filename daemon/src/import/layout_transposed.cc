// The transposed reader: one small table per indicator — a row naming the
// indicator, a row of years (each tagged, e.g. "平成 25 (基準値)"), a row of
// values under them, and optional note lines.
#include "base/text.h"
#include "import/layout_reader.h"
#include "import/table_builder.h"

namespace shihyo {

namespace {

struct YearColumn {
  YearLabel year;
  ColumnRole role = ColumnRole::kActual;
  std::string tag;
};

// "(基準値)" → "基準値".
std::string Untag(std::string_view rest) {
  std::string folded = FoldWidth(rest);
  std::string_view s = TrimSpace(folded);
  if (s.size() >= 2 && s.front() == '(' && s.back() == ')') s = s.substr(1, s.size() - 2);
  return std::string(TrimSpace(s));
}

class TransposedReader {
 public:
  TransposedReader(const Layout& layout, std::string_view source) : layout_(layout), b_(source) {}

  Result<ProgressTable> Run(const std::vector<Record>& records) {
    for (const Record& r : records) {
      std::vector<std::string> cells = UsedCells(r);
      if (cells.empty()) continue;
      Status s = Handle(r.line, cells);
      if (!s.ok()) return s;
    }
    Status s = Close();
    if (!s.ok()) return s;
    return b_.Build(layout_.name, layout_.plan);
  }

 private:
  enum class State { kOutside, kYears, kValues, kInside };

  Status Handle(int line, const std::vector<std::string>& cells) {
    if (layout_.title_line && !b_.HasTitle() && !seen_) {
      seen_ = true;
      b_.SetTitle(cells[0]);
      b_.Explain(line, "title: " + cells[0]);
      return Status::Ok();
    }
    seen_ = true;
    if (cells.size() == 1) {
      if (const LayoutHeading* h = HeadingOf(cells[0])) return Heading(line, cells[0], *h);
      if (std::optional<Pattern::Captures> m = layout_.indicator->Match(cells[0])) {
        return Start(line, cells[0], *m);
      }
    }
    switch (state_) {
      case State::kYears:
        return ReadYears(line, cells);
      case State::kValues:
        return ReadValues(line, cells);
      case State::kInside:
      case State::kOutside:
        break;
    }
    if (state_ == State::kInside && layout_.note && cells.size() == 1) {
      if (std::optional<Pattern::Captures> m = layout_.note->Match(cells[0])) {
        std::string label = m->whole;
        while (!label.empty() && (label.back() == ')' || label.back() == ':')) label.pop_back();
        current_.ind.notes.push_back(TableNote{label, cells[0]});
        b_.Explain(line, "note: " + cells[0]);
        return Status::Ok();
      }
    }
    return b_.Error(line, "unexpected line '" + EscapeControls(cells[0]) + "' (layout '" +
                              layout_.name + "' expects a heading, an indicator line matching '" +
                              layout_.indicator->text() + "', its years, its values" +
                              (layout_.note ? ", or a note matching '" + layout_.note->text() + "'"
                                            : std::string()) +
                              ")");
  }

  const LayoutHeading* HeadingOf(const std::string& cell) const {
    for (const LayoutHeading& h : layout_.headings) {
      if (h.pattern->Search(cell)) return &h;
    }
    return nullptr;
  }

  Status Heading(int line, const std::string& cell, const LayoutHeading& h) {
    Status s = Close();
    if (!s.ok()) return s;
    h.project ? b_.StartProject(cell, line) : b_.StartMeasure(cell, line);
    b_.Explain(line, std::string(h.project ? "project: " : "measure: ") + cell);
    return Status::Ok();
  }

  Status Start(int line, const std::string& cell, const Pattern::Captures& m) {
    Status s = Close();
    if (!s.ok()) return s;
    current_ = PendingIndicator();
    current_.ind.line = line;
    current_.ind.name = std::string(TrimSpace(m.name.empty() ? cell : m.name));
    current_.ind.code = m.code;
    current_.ind.unit = UnitInName(current_.ind.name);
    state_ = State::kYears;
    b_.Explain(
        line, "indicator: " + current_.ind.name + (m.code.empty() ? "" : " (code " + m.code + ")"));
    return Status::Ok();
  }

  Status ReadYears(int line, const std::vector<std::string>& cells) {
    std::string era = layout_.bare_year_era.empty() ? FirstEra(cells) : layout_.bare_year_era;
    years_.clear();
    std::string text;
    for (size_t i = 0; i < cells.size(); ++i) {
      std::optional<YearLabel> y = ParseYearLabel(cells[i], era);
      if (!y) {
        return b_.CellError(
            line, i,
            "expected a year such as 平成 25 (基準値), found '" + EscapeControls(cells[i]) + "'");
      }
      YearColumn c;
      c.year = *y;
      c.tag = Untag(y->rest);
      c.role = layout_.untagged;
      if (!c.tag.empty()) {
        auto it = layout_.year_tags.find(c.tag);
        if (it == layout_.year_tags.end()) {
          return b_.CellError(line, i,
                              "unknown year tag '" + EscapeControls(c.tag) + "' (layout '" +
                                  layout_.name + "' knows its year_tags)");
        }
        c.role = it->second;
      }
      text += (i ? ", " : "") + std::to_string(c.year.year) + "=" + ColumnRoleName(c.role);
      years_.push_back(std::move(c));
    }
    b_.Explain(line, "years: " + text);
    years_line_ = line;
    state_ = State::kValues;
    return Status::Ok();
  }

  Status ReadValues(int line, const std::vector<std::string>& cells) {
    if (cells.size() != years_.size()) {
      return b_.Error(line, std::to_string(cells.size()) + " values under the " +
                                std::to_string(years_.size()) + " years on line " +
                                std::to_string(years_line_) + " (expected one value per year)");
    }
    for (size_t i = 0; i < cells.size(); ++i) Put(years_[i], cells[i]);
    if (current_.ind.unit.empty()) current_.ind.unit = FirstUnit(cells);
    b_.Explain(line, "values: " + std::to_string(cells.size()));
    state_ = State::kInside;
    has_values_ = true;
    return Status::Ok();
  }

  void Put(const YearColumn& c, const std::string& cell) {
    TableYear year{c.year.year, c.year.kind};
    switch (c.role) {
      case ColumnRole::kBaseline:
        current_.ind.baseline_raw = cell;
        current_.ind.baseline_year = year;
        break;
      case ColumnRole::kTarget:
        current_.ind.target_raw = cell;
        current_.ind.target_year = year;
        break;
      case ColumnRole::kPlanned:
        current_.ind.planned.push_back(TableYearValue{year, cell});
        break;
      case ColumnRole::kActual:
        current_.actuals[year.year] = cell;
        if (current_.actuals.size() == 1) current_.actual_kind = year.kind;
        break;
      case ColumnRole::kNote:
        current_.ind.notes.push_back(TableNote{c.tag, cell});
        break;
      default:
        break;
    }
  }

  // Ends the indicator being read; one without a row of values is left out.
  Status Close() {
    State was = state_;
    state_ = State::kOutside;
    if (was == State::kOutside) return Status::Ok();
    if (!has_values_) {
      b_.Explain(current_.ind.line, "skipped: '" + current_.ind.name + "' has no row of values");
      return Status::Ok();
    }
    has_values_ = false;
    return b_.Add(std::move(current_));
  }

  const Layout& layout_;
  TableBuilder b_;
  State state_ = State::kOutside;
  PendingIndicator current_;
  std::vector<YearColumn> years_;
  int years_line_ = 0;
  bool has_values_ = false;
  bool seen_ = false;
};

}  // namespace

Result<ProgressTable> ReadTransposed(const Layout& layout, const std::vector<Record>& records,
                                     std::string_view source) {
  return TransposedReader(layout, source).Run(records);
}

}  // namespace shihyo
