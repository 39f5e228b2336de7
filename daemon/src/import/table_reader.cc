#include "import/table_reader.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/text.h"
#include "import/delimited.h"
#include "import/layout_reader.h"

namespace shihyo {

namespace {

constexpr size_t kMaxTableBytes = 16 * 1024 * 1024;

// Reads the table with |layout|: |records| are the ones it keeps; |all|
// (every record, cells checked) goes to a sectioned layout's reader, which
// takes them over.
Result<ProgressTable> ReadWith(const Layout& layout, std::vector<Record>* all,
                               const std::vector<Record>& records, std::string_view source) {
  switch (layout.kind) {
    case Layout::Kind::kSectioned: {
      Result<ProgressTable> t = ParseCheckedProgressRecords(std::move(*all), source);
      if (t.ok()) t->layout = layout.name;
      return t;
    }
    case Layout::Kind::kRows:
      return ReadRows(layout, records, source);
    case Layout::Kind::kTransposed:
      return ReadTransposed(layout, records, source);
  }
  return Status::InvalidArgument("unknown layout kind");
}

// What ScanCell found in a cell.
struct CellScan {
  bool invalid = false;  // bytes that are not valid UTF-8 (reported first)
  bool control = false;  // a control character other than TAB and line ends
  char32_t first = 0;    // the first such control character
};

bool IsControl(char32_t cp) {
  if (cp == '\t' || cp == '\n' || cp == '\r') return false;  // a quoted CSV cell may hold them
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029;
}

// Validates |cell| as UTF-8 and finds its first control character, in one
// pass (ASCII bytes without decoding).
CellScan ScanCell(std::string_view cell) {
  CellScan scan;
  size_t pos = 0;
  char32_t cp;
  while (pos < cell.size()) {
    auto byte = static_cast<unsigned char>(cell[pos]);
    if (byte < 0x80) {
      cp = byte;
      ++pos;
    } else if (!DecodeUtf8(cell, &pos, &cp)) {
      scan.invalid = true;
      return scan;
    }
    if (!scan.control && IsControl(cp)) {
      scan.control = true;
      scan.first = cp;
    }
  }
  return scan;
}

// Every cell is valid UTF-8 without control characters: a NUL or ESC in a
// title makes a look-alike plan, and in a name it reaches terminals and logs.
Status CheckCells(const std::vector<Record>& records, std::string_view source) {
  for (const Record& r : records) {
    for (size_t i = 0; i < r.cells.size(); ++i) {
      CellScan scan = ScanCell(r.cells[i]);
      if (!scan.invalid && !scan.control) continue;
      std::string where =
          std::string(source) + ":" + std::to_string(r.line) + ": cell " + std::to_string(i + 1);
      if (scan.invalid) return Status::InvalidArgument(where + ": bytes that are not valid UTF-8");
      std::string shown;
      AppendUtf8(scan.first, &shown);
      return Status::InvalidArgument(where + ": control character " + EscapeControls(shown) +
                                     " (expected printable text)");
    }
  }
  return Status::Ok();
}

// A title, heading or name is a label: copied into every alert, message and
// log line about the indicator. Far above any real one (the bundled table's
// longest is 60), far below what amplifies (issue 13: a 10 MB title).
constexpr size_t kMaxNameChars = 1000;

Status CheckNameLengths(const ProgressTable& t, std::string_view source) {
  auto check = [&](const std::string& text, int line, const char* what) {
    size_t chars = CharOffset(text, text.size());
    if (chars <= kMaxNameChars) return Status::Ok();
    std::string where = std::string(source) + (line > 0 ? ":" + std::to_string(line) : "");
    return Status::InvalidArgument(where + ": " + what + " is " + std::to_string(chars) +
                                   " characters long (at most " + std::to_string(kMaxNameChars) +
                                   ")");
  };
  if (Status s = check(t.title, 0, "the plan title"); !s.ok()) return s;
  for (const TableProject& p : t.projects) {
    if (Status s = check(p.heading, p.line, "the project heading"); !s.ok()) return s;
    for (const TableMeasure& m : p.measures) {
      if (Status s = check(m.text, m.line, "the measure line"); !s.ok()) return s;
      for (const TableIndicator& i : m.indicators) {
        if (Status s = check(i.name, i.line, "the indicator name"); !s.ok()) return s;
      }
    }
  }
  return Status::Ok();
}

// The records a layout reads: those its 'skip' pattern does not match.
std::vector<Record> Kept(const Layout& layout, const std::vector<Record>& records) {
  if (!layout.skip) return records;
  std::vector<Record> kept;
  for (const Record& r : records) {
    std::vector<std::string> cells = UsedCells(r);
    if (!cells.empty() && layout.skip->Search(cells[0])) continue;
    kept.push_back(r);
  }
  return kept;
}

std::string NoLayout(std::string_view source, const std::vector<LayoutMiss>& misses) {
  std::string out = std::string(source) + ": no layout reads this table:";
  for (const LayoutMiss& m : misses) {
    out += "\n  " + m.layout + " (" + m.file + "): " + m.reason;
  }
  if (misses.empty()) out += " no layouts are known";
  out +=
      "\n  describe the table in a layout file (README: \"Your municipality's table\") and "
      "pass --layouts DIR";
  return out;
}

}  // namespace

Result<TableRead> ParseTable(std::string_view utf8, std::string_view source,
                             const std::vector<Layout>& layouts) {
  Result<std::vector<Record>> records = SplitRecords(utf8, DetectDelimiter(utf8), source);
  if (!records.ok()) return records.status();
  return ParseRecords(std::move(records).value(), source, layouts);
}

Result<TableRead> ParseRecords(std::vector<Record> records, std::string_view source,
                               const std::vector<Layout>& layouts) {
  if (Status s = CheckCells(records, source); !s.ok()) return s;
  TableRead read;
  for (const Layout& layout : layouts) {
    // Copied only when the layout skips some records.
    std::vector<Record> filtered;
    const std::vector<Record>& kept = layout.skip ? (filtered = Kept(layout, records)) : records;
    std::string why = MatchFailure(layout, kept);
    if (!why.empty()) {
      read.misses.push_back(LayoutMiss{layout.name, layout.file, why});
      continue;
    }
    // |records| may be taken over here (and |kept| may be them): the loop ends.
    Result<ProgressTable> table = ReadWith(layout, &records, kept, source);
    if (!table.ok()) return table.status();
    if (Status s = CheckNameLengths(*table, source); !s.ok()) return s;
    table->cell_words = layout.words;
    read.table = std::move(table).value();
    read.layout_file = layout.file;
    return read;
  }
  return Status::InvalidArgument(NoLayout(source, read.misses));
}

Status CheckTableFile(const std::string& path) {
  // A FIFO or a device (/dev/zero) would be read forever or blocks in open():
  // look before opening.
  std::error_code ec;
  std::filesystem::file_status st = std::filesystem::status(path, ec);
  bool exists = std::filesystem::exists(st);  // if not, opening says so
  if (std::filesystem::is_directory(st)) {
    return Status::IOError(path + ": is a directory (expected a progress table file)");
  }
  if (exists && !std::filesystem::is_regular_file(st)) {
    return Status::IOError(path +
                           ": not a regular file (a FIFO, device or socket); expected a progress "
                           "table file");
  }
  return Status::Ok();
}

Result<std::string> ReadTableBytes(const std::string& path) {
  if (Status file = CheckTableFile(path); !file.ok()) return file;
  std::error_code ec;
  std::string too_large = path + ": larger than " + std::to_string(kMaxTableBytes >> 20) +
                          " MiB; a progress table is far smaller";
  if (std::filesystem::file_size(path, ec) > kMaxTableBytes && !ec) {
    return Status::InvalidArgument(too_large);
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IOError(path + ": cannot open for reading");
  // Grown as read: zeroing a 16 MiB buffer per file was most of reading a
  // 12 KB table (a fifth of importing 300 of them).
  std::string bytes;
  char chunk[1 << 16];
  while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
    bytes.append(chunk, static_cast<size_t>(in.gcount()));
    if (bytes.size() > kMaxTableBytes) return Status::InvalidArgument(too_large);
  }
  if (in.bad()) return Status::IOError(path + ": read error");
  return bytes;
}

Result<TableRead> ReadTable(const std::string& path, Encoding encoding,
                            const std::vector<Layout>& layouts) {
  Result<std::string> bytes = ReadTableBytes(path);
  if (!bytes.ok()) return bytes.status();
  Result<DecodedText> text = DecodeToUtf8(*bytes, path, encoding);
  if (!text.ok()) return text.status();
  Result<TableRead> read = ParseTable(text->utf8, path, layouts);
  if (read.ok()) read->table.encoding = text->detected;
  return read;
}

}  // namespace shihyo
