#include "import/xlsx_parts.h"

#include "import/number_format.h"

namespace shihyo {

void RichText::Start(std::string_view name) {
  if (name == "rPh") ++in_phonetic_;
  if (name == "t") ++in_t_;
}

void RichText::End(std::string_view name) {
  if (name == "rPh" && in_phonetic_ > 0) --in_phonetic_;
  if (name == "t" && in_t_ > 0) --in_t_;
}

void RichText::Text(std::string_view text) {
  if (in_t_ > 0 && in_phonetic_ == 0) text_ += text;
}

std::string RichText::Take() {
  std::string out = std::move(text_);
  text_.clear();
  in_t_ = 0;
  in_phonetic_ = 0;
  return out;
}

long long ParseIndex(const char* text, long long max) {
  if (text == nullptr || *text == '\0') return -1;
  long long n = 0;
  for (const char* p = text; *p; ++p) {
    if (*p < '0' || *p > '9') return -1;
    n = n * 10 + (*p - '0');
    if (n > max) return -1;
  }
  return n;
}

Status WorkbookHandler::Start(std::string_view name, const char** attrs) {
  if (name == "workbookPr") {
    const char* d = XmlAttr(attrs, "date1904");
    date1904 = d != nullptr && (std::string_view(d) == "1" || std::string_view(d) == "true");
  }
  if (name != "sheet") return Status::Ok();
  const char* sheet_name = XmlAttr(attrs, "name");
  const char* id = XmlAttr(attrs, "id");
  if (sheet_name == nullptr || id == nullptr) {
    return Status::InvalidArgument("a <sheet> without name or r:id");
  }
  sheets.push_back({sheet_name, id});
  return Status::Ok();
}

Status RelsHandler::Start(std::string_view name, const char** attrs) {
  if (name != "Relationship") return Status::Ok();
  const char* id = XmlAttr(attrs, "Id");
  const char* target = XmlAttr(attrs, "Target");
  if (id == nullptr || target == nullptr) return Status::Ok();
  std::string path = target;
  if (!path.empty() && path[0] == '/') {
    path.erase(0, 1);
  } else {
    path = "xl/" + path;
  }
  targets[id] = path;
  return Status::Ok();
}

Status SharedStringsHandler::Start(std::string_view name, const char**) {
  if (name == "si") {
    text_.Take();
    if (strings.size() == max_strings_) {
      return Status::InvalidArgument("more than " + std::to_string(max_strings_) + " strings");
    }
  }
  text_.Start(name);
  return Status::Ok();
}

Status SharedStringsHandler::End(std::string_view name) {
  text_.End(name);
  if (name == "si") strings.push_back(text_.Take());
  return Status::Ok();
}

Status SharedStringsHandler::Text(std::string_view text) {
  text_.Text(text);
  return Status::Ok();
}

Status StylesHandler::Start(std::string_view name, const char** attrs) {
  if (name == "numFmt") {
    long long id = ParseIndex(XmlAttr(attrs, "numFmtId"), 1 << 20);
    const char* code = XmlAttr(attrs, "formatCode");
    if (id >= 0 && code != nullptr) custom_[static_cast<int>(id)] = code;
  } else if (name == "cellXfs") {
    in_cell_xfs_ = true;
  } else if (name == "xf" && in_cell_xfs_) {
    if (formats.size() >= (1u << 16)) return Status::InvalidArgument("more than 65536 cell styles");
    long long id = ParseIndex(XmlAttr(attrs, "numFmtId"), 1 << 20);
    auto it = custom_.find(static_cast<int>(id));
    formats.push_back(it != custom_.end() ? it->second : BuiltinNumberFormat(static_cast<int>(id)));
  }
  return Status::Ok();
}

Status StylesHandler::End(std::string_view name) {
  if (name == "cellXfs") in_cell_xfs_ = false;
  return Status::Ok();
}

}  // namespace shihyo
