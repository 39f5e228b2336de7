// Reads a progress table file through the layout that recognises it, and
// says why the others did not. Pure except ReadTable (which reads a file);
// thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/encoding.h"
#include "base/status.h"
#include "import/delimited.h"
#include "import/layout.h"
#include "import/progress_table.h"

namespace shihyo {

// A layout that was tried and did not recognise the table.
struct LayoutMiss {
  std::string layout;
  std::string file;
  std::string reason;  // starts with the line where matching stopped
};

struct TableRead {
  ProgressTable table;             // table.layout names the layout that read it
  std::string layout_file;         // where that layout came from
  std::vector<LayoutMiss> misses;  // the layouts tried before it, in order
};

// Parses decoded UTF-8 text with the first of |layouts| whose match criteria
// hold. Errors: the matching layout's error ("|source|:LINE: …"), or when no
// layout matches, one line per layout with where and why it stopped.
Result<TableRead> ParseTable(std::string_view utf8, std::string_view source,
                             const std::vector<Layout>& layouts);

// ParseTable for records already split into cells (a spreadsheet's sheet).
// Taken by value: a sectioned layout's reader keeps the cells' text.
Result<TableRead> ParseRecords(std::vector<Record> records, std::string_view source,
                               const std::vector<Layout>& layouts);

// Reads |path|: a spreadsheet (.xlsx, .ods, .xls; see import/sheet.h) gives
// one table per sheet a layout recognises, or only the sheet |sheet| names
// (its name or 1-based number) when it is not empty; sheets no layout reads
// are skipped, and when none is read the error gives each sheet's reasons.
// Anything else is text, read by ReadTable (|sheet| must then be empty).
Result<std::vector<TableRead>> ReadTables(const std::string& path, Encoding encoding,
                                          const std::vector<Layout>& layouts,
                                          const std::string& sheet);

// kIOError when |path| is a directory or exists but is no regular file (a
// FIFO or device would block or never end); Ok otherwise, also when it does
// not exist (opening it then says so).
Status CheckTableFile(const std::string& path);

// The bytes of the table file |path|: kIOError for a missing file, a
// directory or anything but a regular file (FIFO, device), kInvalidArgument
// for a file larger than the import bound (16 MiB).
Result<std::string> ReadTableBytes(const std::string& path);

// Reads |path| (see DecodeToUtf8 for |encoding|) and parses it.
Result<TableRead> ReadTable(const std::string& path, Encoding encoding,
                            const std::vector<Layout>& layouts);

// How the table was read, one line per row the reader used, ordered by line.
std::vector<std::string> ExplainTable(const TableRead& read);

}  // namespace shihyo
