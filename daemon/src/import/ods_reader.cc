#include "import/ods_reader.h"

#include <memory>
#include <utility>

#include "import/number_format.h"
#include "import/xlsx_parts.h"
#include "import/zip_xml.h"

namespace shihyo {

namespace {

constexpr long long kMaxRepeat = 1LL << 30;

size_t Repeat(const char** attrs, const char* name) {
  long long n = ParseIndex(XmlAttr(attrs, name), kMaxRepeat);
  return n > 0 ? static_cast<size_t>(n) : 1;
}

// content.xml: <table:table> → a sheet, rows and cells with their repeats.
class ContentHandler : public XmlHandler {
 public:
  ContentHandler(std::string source, const SheetLimits& limits)
      : source_(std::move(source)), limits_(limits) {}

  Status Start(std::string_view name, const char** attrs) override {
    if (in_annotation_ > 0 || name == "annotation") return ++in_annotation_, Status::Ok();
    if (name == "table") return StartTable(attrs);
    if (!builder_) return Status::Ok();
    if (name == "table-row") {
      row_repeat_ = Repeat(attrs, "number-rows-repeated");
      row_cells_.clear();
      column_ = 0;
    } else if (name == "table-cell" || name == "covered-table-cell") {
      StartCell(attrs);
      covered_ = name == "covered-table-cell";
    } else if (name == "p" && in_cell_) {
      if (paragraphs_++ > 0) text_ += '\n';
    } else if (name == "s" && in_cell_) {
      text_.append(std::min<size_t>(Repeat(attrs, "c"), 1000), ' ');
    } else if (name == "tab" && in_cell_) {
      text_ += '\t';
    } else if (name == "line-break" && in_cell_) {
      text_ += '\n';
    }
    return Status::Ok();
  }

  Status End(std::string_view name) override {
    if (in_annotation_ > 0) return --in_annotation_, Status::Ok();
    if (!builder_) return Status::Ok();
    if (name == "table-cell" || name == "covered-table-cell") return EndCell();
    if (name == "table-row") return EndRow();
    if (name == "table") sheets_.push_back(builder_->Finish()), builder_.reset();
    return Status::Ok();
  }

  Status Text(std::string_view text) override {
    if (in_cell_ && in_annotation_ == 0 && text_.size() <= limits_.max_cell_bytes) text_ += text;
    return Status::Ok();
  }

  std::vector<Sheet> TakeSheets() { return std::move(sheets_); }

 private:
  Status StartTable(const char** attrs) {
    if (builder_) return Status::InvalidArgument("a table inside a table");
    if (sheets_.size() == limits_.max_sheets) {
      return Status::InvalidArgument("more than " + std::to_string(limits_.max_sheets) + " sheets");
    }
    const char* name = XmlAttr(attrs, "name");
    builder_ = std::make_unique<SheetBuilder>(source_, name ? name : "", limits_);
    row_ = 0;
    return Status::Ok();
  }

  void StartCell(const char** attrs) {
    in_cell_ = true;
    paragraphs_ = 0;
    text_.clear();
    cell_repeat_ = Repeat(attrs, "number-columns-repeated");
    const char* value = XmlAttr(attrs, "value");
    fallback_ = value ? value : "";
  }

  Status EndCell() {
    in_cell_ = false;
    if (text_.empty() && !fallback_.empty()) text_ = fallback_;
    if (covered_) text_.clear();  // hidden by a merged range: empty, as in the TSV
    if (!text_.empty()) {
      if (column_ + cell_repeat_ > limits_.max_columns) {
        return Status::InvalidArgument(builder_->Where(row_) + ": cell " + ColumnLetters(column_) +
                                       std::to_string(row_ + 1) + ": repeated " +
                                       std::to_string(cell_repeat_) + " times, beyond column " +
                                       std::to_string(limits_.max_columns));
      }
      for (size_t i = 0; i < cell_repeat_; ++i) row_cells_.emplace_back(column_ + i, text_);
    }
    column_ = std::min<size_t>(column_ + cell_repeat_, kMaxRepeat);
    return Status::Ok();
  }

  Status EndRow() {
    if (!row_cells_.empty() && row_ + row_repeat_ > limits_.max_rows) {
      return Status::InvalidArgument(builder_->Where(row_) + ": a row repeated " +
                                     std::to_string(row_repeat_) + " times, beyond row " +
                                     std::to_string(limits_.max_rows));
    }
    size_t repeat = row_cells_.empty() ? 0 : row_repeat_;
    for (size_t r = 0; r < repeat; ++r) {
      for (const auto& [column, text] : row_cells_) {
        if (Status s = builder_->Set(row_ + r, column, text); !s.ok()) return s;
      }
    }
    row_ = std::min<size_t>(row_ + row_repeat_, kMaxRepeat);
    return Status::Ok();
  }

  std::string source_;
  SheetLimits limits_;
  std::unique_ptr<SheetBuilder> builder_;
  std::vector<Sheet> sheets_;
  int in_annotation_ = 0;
  size_t row_ = 0, row_repeat_ = 1, column_ = 0, cell_repeat_ = 1;
  bool in_cell_ = false;
  bool covered_ = false;
  int paragraphs_ = 0;
  std::string text_, fallback_;
  std::vector<std::pair<size_t, std::string>> row_cells_;
};

}  // namespace

Result<std::vector<Sheet>> ReadOds(ZipXml& zip, std::string_view source,
                                   const SheetLimits& limits) {
  if (!zip.Has("content.xml")) {
    return Status::InvalidArgument(std::string(source) +
                                   ": no content.xml; not an OpenDocument spreadsheet");
  }
  ContentHandler handler{std::string(source), limits};
  if (Status s = zip.Parse("content.xml", &handler); !s.ok()) return s;
  return handler.TakeSheets();
}

}  // namespace shihyo
