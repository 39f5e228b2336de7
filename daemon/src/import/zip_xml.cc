#include "import/zip_xml.h"

#include <expat.h>
#include <zip.h>

#include <array>
#include <vector>

namespace shihyo {

namespace {

std::string_view LocalName(const char* name) {
  std::string_view s(name);
  size_t sep = s.rfind('|');
  return sep == std::string_view::npos ? s : s.substr(sep + 1);
}

// Owns the expat parser for one entry and forwards its events.
class ExpatRun {
 public:
  ExpatRun(XmlHandler* handler, size_t max_depth)
      : parser_(XML_ParserCreateNS("UTF-8", '|')), handler_(handler), max_depth_(max_depth) {
    XML_SetUserData(parser_, this);
    XML_SetElementHandler(parser_, &ExpatRun::OnStart, &ExpatRun::OnEnd);
    XML_SetCharacterDataHandler(parser_, &ExpatRun::OnText);
    XML_SetStartDoctypeDeclHandler(parser_, &ExpatRun::OnDoctype);
  }
  ~ExpatRun() { XML_ParserFree(parser_); }
  ExpatRun(const ExpatRun&) = delete;
  ExpatRun& operator=(const ExpatRun&) = delete;

  // Feeds one chunk; |last| for the final one. A handler's error comes back
  // as it is (it names the cell); others get |where| and the XML position.
  Status Feed(const char* data, size_t size, bool last, const std::string& where) {
    if (XML_Parse(parser_, data, static_cast<int>(size), last) == XML_STATUS_OK) {
      return Status::Ok();
    }
    if (!handler_error_.ok()) return handler_error_;
    std::string at = where + ":" + std::to_string(XML_GetCurrentLineNumber(parser_)) + ":" +
                     std::to_string(XML_GetCurrentColumnNumber(parser_) + 1) + ": ";
    if (!stopped_.ok()) return Status::InvalidArgument(at + stopped_.message());
    return Status::InvalidArgument(
        at + "not well-formed XML: " + XML_ErrorString(XML_GetErrorCode(parser_)));
  }

 private:
  void Stop(Status s) {
    if (stopped_.ok()) stopped_ = std::move(s);
    XML_StopParser(parser_, XML_FALSE);
  }
  void HandlerFailed(Status s) {
    if (handler_error_.ok()) handler_error_ = std::move(s);
    XML_StopParser(parser_, XML_FALSE);
  }
  static void OnStart(void* self_ptr, const XML_Char* name, const XML_Char** attrs) {
    auto* self = static_cast<ExpatRun*>(self_ptr);
    if (++self->depth_ > self->max_depth_) {
      return self->Stop(Status::InvalidArgument("elements nested deeper than " +
                                                std::to_string(self->max_depth_)));
    }
    Status s = self->handler_->Start(LocalName(name), attrs);
    if (!s.ok()) self->HandlerFailed(std::move(s));
  }
  static void OnEnd(void* self_ptr, const XML_Char* name) {
    auto* self = static_cast<ExpatRun*>(self_ptr);
    --self->depth_;
    Status s = self->handler_->End(LocalName(name));
    if (!s.ok()) self->HandlerFailed(std::move(s));
  }
  static void OnText(void* self_ptr, const XML_Char* text, int len) {
    auto* self = static_cast<ExpatRun*>(self_ptr);
    Status s = self->handler_->Text(std::string_view(text, static_cast<size_t>(len)));
    if (!s.ok()) self->HandlerFailed(std::move(s));
  }
  static void OnDoctype(void* self_ptr, const XML_Char*, const XML_Char*, const XML_Char*, int) {
    // Spreadsheet parts never declare a DTD; refusing one rules out entity expansion.
    static_cast<ExpatRun*>(self_ptr)->Stop(Status::InvalidArgument("a DOCTYPE is not allowed"));
  }

  XML_Parser parser_;
  XmlHandler* handler_;
  size_t max_depth_;
  size_t depth_ = 0;
  Status stopped_;
  Status handler_error_;
};

// Closes a zip_file_t on every path.
struct FileCloser {
  void operator()(zip_file_t* f) const { zip_fclose(f); }
};

}  // namespace

const char* XmlAttr(const char** attrs, std::string_view name) {
  for (size_t i = 0; attrs[i] != nullptr; i += 2) {
    if (LocalName(attrs[i]) == name) return attrs[i + 1];
  }
  return nullptr;
}

ZipXml::ZipXml(zip* archive, std::string source, const SheetLimits& limits)
    : archive_(archive), source_(std::move(source)), limits_(limits) {}

ZipXml::~ZipXml() { zip_discard(archive_); }

Result<std::unique_ptr<ZipXml>> ZipXml::Open(std::string_view bytes, std::string source,
                                             const SheetLimits& limits) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  zip_t* archive = src ? zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &error) : nullptr;
  if (archive == nullptr) {
    std::string why = zip_error_strerror(&error);
    zip_error_fini(&error);
    zip_source_free(src);
    return Status::InvalidArgument(source + ": not a readable zip file (" + why +
                                   "); .xlsx and .ods files are zip containers");
  }
  zip_error_fini(&error);
  return std::unique_ptr<ZipXml>(new ZipXml(archive, std::move(source), limits));
}

bool ZipXml::Has(const std::string& name) const {
  return zip_name_locate(archive_, name.c_str(), 0) >= 0;
}

Status ZipXml::Parse(const std::string& name, XmlHandler* handler) {
  std::string where = source_ + ": " + name;
  zip_int64_t index = zip_name_locate(archive_, name.c_str(), 0);
  if (index < 0) return Status::NotFound(where + ": missing from the container");
  zip_stat_t st;
  if (zip_stat_index(archive_, static_cast<zip_uint64_t>(index), 0, &st) != 0) {
    return Status::InvalidArgument(where + ": " + zip_strerror(archive_));
  }
  size_t limit = limits_.max_entry_bytes;
  if (st.size > limit ||
      (st.size > (1u << 20) && st.size / (st.comp_size + 1) > limits_.max_ratio)) {
    return Status::InvalidArgument(
        where + ": " + std::to_string(st.size) + " bytes uncompressed from " +
        std::to_string(st.comp_size) + " (over the limit of " + std::to_string(limit >> 20) +
        " MiB or ratio " + std::to_string(limits_.max_ratio) + "; a zip bomb?)");
  }
  std::unique_ptr<zip_file_t, FileCloser> file(
      zip_fopen_index(archive_, static_cast<zip_uint64_t>(index), 0));
  if (!file) return Status::InvalidArgument(where + ": " + zip_strerror(archive_));
  ExpatRun run(handler, limits_.max_depth);
  std::array<char, 64 * 1024> buffer;
  size_t total = 0;
  while (true) {
    zip_int64_t n = zip_fread(file.get(), buffer.data(), buffer.size());
    if (n < 0) return Status::InvalidArgument(where + ": " + zip_file_strerror(file.get()));
    total += static_cast<size_t>(n);
    if (total > limit) {
      return Status::InvalidArgument(where + ": more than " + std::to_string(limit >> 20) +
                                     " MiB uncompressed (a zip bomb?)");
    }
    Status s = run.Feed(buffer.data(), static_cast<size_t>(n), n == 0, where);
    if (!s.ok()) return s;
    if (n == 0) return Status::Ok();
  }
}

}  // namespace shihyo
