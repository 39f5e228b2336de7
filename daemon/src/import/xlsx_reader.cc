#include "import/xlsx_reader.h"

#include <cstdlib>

#include "import/number_format.h"
#include "import/xlsx_parts.h"
#include "import/zip_xml.h"

namespace shihyo {

namespace {

// "C12" → column 2, row 11 (0-based). False when |ref| is not a cell reference.
bool ParseCellRef(std::string_view ref, size_t* row, size_t* column) {
  size_t i = 0, col = 0, r = 0;
  while (i < ref.size() && ref[i] >= 'A' && ref[i] <= 'Z' && i < 4) {
    col = col * 26 + static_cast<size_t>(ref[i++] - 'A' + 1);
  }
  size_t digits = 0;
  while (i < ref.size() && ref[i] >= '0' && ref[i] <= '9' && digits < 8) {
    r = r * 10 + static_cast<size_t>(ref[i++] - '0');
    ++digits;
  }
  if (col == 0 || r == 0 || i != ref.size()) return false;
  *row = r - 1;
  *column = col - 1;
  return true;
}

struct Merge {
  size_t row1, col1, row2, col2;
};

constexpr size_t kMaxMerges = 100000;
// A <v> longer than any cell may be is cut here; SheetBuilder::Set then refuses it.
constexpr size_t kMaxValueBytes = 1u << 20;

// One worksheet part: <row>, <c r t s> with <v> or <is>, <mergeCell ref>.
class SheetHandler : public XmlHandler {
 public:
  SheetHandler(SheetBuilder* builder, const std::vector<std::string>* strings,
               const std::vector<std::string>* formats, bool date1904)
      : builder_(builder), strings_(strings), formats_(formats), date1904_(date1904) {}

  Status Start(std::string_view name, const char** attrs) override {
    if (name == "row") return StartRow(attrs);
    if (name == "c") return StartCell(attrs);
    if (name == "v") value_.clear(), in_v_ = true;
    if (name == "is") in_inline_ = true;
    if (in_inline_) inline_.Start(name);
    if (name == "mergeCell") return AddMerge(XmlAttr(attrs, "ref"));
    return Status::Ok();
  }

  Status End(std::string_view name) override {
    if (in_inline_) inline_.End(name);
    if (name == "is") in_inline_ = false;
    if (name == "v") in_v_ = false;
    if (name == "c") return builder_->Set(row_, column_, CellText());
    return Status::Ok();
  }

  Status Text(std::string_view text) override {
    if (in_v_ && value_.size() <= kMaxValueBytes) value_ += text;
    if (in_inline_) inline_.Text(text);
    return Status::Ok();
  }

  const std::vector<Merge>& merges() const { return merges_; }

 private:
  Status StartRow(const char** attrs) {
    long long r = ParseIndex(XmlAttr(attrs, "r"), 1 << 24);
    row_ = r > 0 ? static_cast<size_t>(r - 1) : (seen_row_ ? row_ + 1 : 0);
    seen_row_ = true;
    column_ = static_cast<size_t>(-1);
    return Status::Ok();
  }

  Status StartCell(const char** attrs) {
    const char* ref = XmlAttr(attrs, "r");
    size_t row = row_;
    if (ref == nullptr || !ParseCellRef(ref, &row, &column_)) ++column_;
    if (ref != nullptr && row != row_) row_ = row;
    const char* type = XmlAttr(attrs, "t");
    type_ = type ? type : "n";
    long long style = ParseIndex(XmlAttr(attrs, "s"), 1 << 20);
    style_ = style >= 0 ? static_cast<size_t>(style) : 0;
    value_.clear();
    inline_.Take();
    return Status::Ok();
  }

  Status AddMerge(const char* ref) {
    if (ref == nullptr || merges_.size() == kMaxMerges) return Status::Ok();
    std::string_view s(ref);
    size_t colon = s.find(':');
    if (colon == std::string_view::npos) return Status::Ok();
    Merge m;
    if (ParseCellRef(s.substr(0, colon), &m.row1, &m.col1) &&
        ParseCellRef(s.substr(colon + 1), &m.row2, &m.col2)) {
      merges_.push_back(m);
    }
    return Status::Ok();
  }

  std::string CellText() {
    if (type_ == "inlineStr") return inline_.Take();
    if (type_ == "s") {
      long long i = ParseIndex(value_.c_str(), 1LL << 40);
      return i >= 0 && static_cast<size_t>(i) < strings_->size() ? (*strings_)[i] : "";
    }
    if (type_ == "b") return value_ == "1" ? "TRUE" : value_ == "0" ? "FALSE" : value_;
    if (type_ != "n" || value_.empty()) return value_;  // str (formula text), e (#DIV/0!), d
    char* end = nullptr;
    double v = std::strtod(value_.c_str(), &end);
    if (end == value_.c_str() || *end != '\0') return value_;
    const std::string& code = style_ < formats_->size() ? (*formats_)[style_] : "General";
    return FormatNumber(v, code, date1904_);
  }

  SheetBuilder* builder_;
  const std::vector<std::string>* strings_;
  const std::vector<std::string>* formats_;
  bool date1904_;
  size_t row_ = 0;
  bool seen_row_ = false;
  size_t column_ = 0;
  std::string type_;
  size_t style_ = 0;
  std::string value_;
  bool in_v_ = false;
  bool in_inline_ = false;
  RichText inline_;
  std::vector<Merge> merges_;
};

// The first cell of a merged range keeps the value; the rest read as empty.
Status ApplyMerges(const std::vector<Merge>& merges, SheetBuilder* builder,
                   const SheetLimits& limits) {
  size_t visited = 0;
  for (const Merge& m : merges) {
    visited += builder->ClearMerged(m.row1, m.col1, m.row2, m.col2);
    if (visited > 4 * limits.max_cells) {
      return Status::InvalidArgument(builder->Where(m.row1) + ": merged ranges cover more than " +
                                     std::to_string(4 * limits.max_cells) + " cells");
    }
  }
  return Status::Ok();
}

// Parses an optional part: a missing one is fine, a broken one is not.
Status ParseOptional(ZipXml& zip, const std::string& name, XmlHandler* handler) {
  if (!zip.Has(name)) return Status::Ok();
  return zip.Parse(name, handler);
}

}  // namespace

Result<std::vector<Sheet>> ReadXlsx(ZipXml& zip, std::string_view source,
                                    const SheetLimits& limits) {
  std::string src(source);
  WorkbookHandler workbook;
  if (!zip.Has("xl/workbook.xml")) {
    return Status::InvalidArgument(src + ": no xl/workbook.xml; not an .xlsx workbook");
  }
  if (Status s = zip.Parse("xl/workbook.xml", &workbook); !s.ok()) return s;
  if (workbook.sheets.size() > limits.max_sheets) {
    return Status::InvalidArgument(src + ": more than " + std::to_string(limits.max_sheets) +
                                   " sheets");
  }
  RelsHandler rels;
  SharedStringsHandler strings(limits.max_cells);
  StylesHandler styles;
  for (auto [name, handler] :
       {std::pair<const char*, XmlHandler*>{"xl/_rels/workbook.xml.rels", &rels},
        {"xl/sharedStrings.xml", &strings},
        {"xl/styles.xml", &styles}}) {
    if (Status s = ParseOptional(zip, name, handler); !s.ok()) return s;
  }
  std::vector<Sheet> sheets;
  for (const XlsxSheetRef& ref : workbook.sheets) {
    auto target = rels.targets.find(ref.rel_id);
    std::string part = target != rels.targets.end()
                           ? target->second
                           : "xl/worksheets/sheet" + std::to_string(sheets.size() + 1) + ".xml";
    SheetBuilder builder(src, ref.name, limits);
    SheetHandler handler(&builder, &strings.strings, &styles.formats, workbook.date1904);
    if (Status s = zip.Parse(part, &handler); !s.ok()) {
      if (s.message().rfind(src + "[", 0) == 0) return s;  // names the sheet already
      return Status::InvalidArgument(s.message() + " (sheet '" + ref.name + "')");
    }
    if (Status s = ApplyMerges(handler.merges(), &builder, limits); !s.ok()) return s;
    sheets.push_back(builder.Finish());
  }
  return sheets;
}

}  // namespace shihyo
