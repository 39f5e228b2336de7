// The workbook-level parts of an .xlsx (workbook.xml, its relationships,
// sharedStrings.xml, styles.xml) as XML handlers. Internal to import/;
// each handler is used by one parse on one thread.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "import/zip_xml.h"

namespace shihyo {

// The text of a <si> or <is>: every <t>, except the phonetic guide (<rPh>).
class RichText {
 public:
  void Start(std::string_view name);
  void End(std::string_view name);
  void Text(std::string_view text);
  // Takes the text collected so far.
  std::string Take();
  size_t size() const { return text_.size(); }

 private:
  std::string text_;
  int in_t_ = 0;
  int in_phonetic_ = 0;
};

struct XlsxSheetRef {
  std::string name;
  std::string rel_id;
};

class WorkbookHandler : public XmlHandler {
 public:
  Status Start(std::string_view name, const char** attrs) override;
  Status End(std::string_view) override { return Status::Ok(); }
  Status Text(std::string_view) override { return Status::Ok(); }

  std::vector<XlsxSheetRef> sheets;
  bool date1904 = false;
};

// xl/_rels/workbook.xml.rels: relationship id → part path inside the zip.
class RelsHandler : public XmlHandler {
 public:
  Status Start(std::string_view name, const char** attrs) override;
  Status End(std::string_view) override { return Status::Ok(); }
  Status Text(std::string_view) override { return Status::Ok(); }

  std::map<std::string, std::string> targets;
};

class SharedStringsHandler : public XmlHandler {
 public:
  explicit SharedStringsHandler(size_t max_strings) : max_strings_(max_strings) {}
  Status Start(std::string_view name, const char** attrs) override;
  Status End(std::string_view name) override;
  Status Text(std::string_view text) override;

  std::vector<std::string> strings;

 private:
  size_t max_strings_;
  RichText text_;
};

// styles.xml: the number format code of every cell style (cellXfs), by index.
class StylesHandler : public XmlHandler {
 public:
  Status Start(std::string_view name, const char** attrs) override;
  Status End(std::string_view name) override;
  Status Text(std::string_view) override { return Status::Ok(); }

  std::vector<std::string> formats;

 private:
  std::map<int, std::string> custom_;
  bool in_cell_xfs_ = false;
};

// A number attribute: the digits of |text| as an int in [0, max], else -1.
long long ParseIndex(const char* text, long long max);

}  // namespace shihyo
