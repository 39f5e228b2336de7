// The XML parts of a zip container (.xlsx, .ods) streamed through expat, with
// the size of every entry bounded. Internal to import/. A ZipXml is
// thread-compatible; handlers are called on the calling thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"
#include "import/sheet.h"

struct zip;

namespace shihyo {

// Receives one XML document's events. Names are local names (the namespace
// dropped: "c" for spreadsheetml's c, "table-cell" for table:table-cell). A
// non-ok Status stops the parse and is returned by ZipXml::Parse.
class XmlHandler {
 public:
  virtual ~XmlHandler() = default;
  // |attrs| is expat's NULL-terminated name/value array; see XmlAttr.
  virtual Status Start(std::string_view name, const char** attrs) = 0;
  virtual Status End(std::string_view name) = 0;
  virtual Status Text(std::string_view text) = 0;
};

// The value of the attribute whose local name is |name|, or nullptr.
const char* XmlAttr(const char** attrs, std::string_view name);

class ZipXml {
 public:
  // Opens a zip container held in |bytes|, which must outlive the ZipXml.
  // Errors: "|source|: not a zip file (…)" for anything libzip cannot read.
  static Result<std::unique_ptr<ZipXml>> Open(std::string_view bytes, std::string source,
                                              const SheetLimits& limits);
  ~ZipXml();
  ZipXml(const ZipXml&) = delete;
  ZipXml& operator=(const ZipXml&) = delete;

  // True when the container holds the entry |name|.
  bool Has(const std::string& name) const;

  // Streams entry |name| through |handler|. kNotFound when there is no such
  // entry; kInvalidArgument for an entry over the size limits, XML that is not
  // well-formed or has a DOCTYPE, or nesting deeper than the limit (messages
  // start "|source|: |name|:LINE:COL"); or the handler's own error, as it is.
  Status Parse(const std::string& name, XmlHandler* handler);

 private:
  ZipXml(zip* archive, std::string source, const SheetLimits& limits);

  zip* archive_;
  std::string source_;
  SheetLimits limits_;
};

}  // namespace shihyo
