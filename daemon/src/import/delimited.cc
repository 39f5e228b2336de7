#include "import/delimited.h"

namespace shihyo {

char DetectDelimiter(std::string_view text) {
  bool quoted = false;
  for (char c : text) {
    if (c == '"') quoted = !quoted;
    if (c == '\t' && !quoted) return '\t';
  }
  return ',';
}

namespace {

// Bounds far above any real progress table, so that hostile input costs little.
constexpr size_t kMaxRecords = 100000;
constexpr size_t kMaxCells = 2000;
constexpr size_t kMaxCellBytes = 64 * 1024;

class Splitter {
 public:
  Splitter(std::string_view text, char delimiter, std::string_view source)
      : text_(text), delimiter_(delimiter), source_(source) {
    stops_[0] = delimiter;
  }

  Result<std::vector<Record>> Run() {
    while (pos_ < text_.size()) {
      Record record;
      record.line = line_;
      Status s = ReadRecord(&record);
      if (!s.ok()) return s;
      if (records_.size() == kMaxRecords) {
        return Error(record.line, "more than " + std::to_string(kMaxRecords) +
                                      " lines; a progress table is far smaller");
      }
      records_.push_back(std::move(record));
    }
    return std::move(records_);
  }

 private:
  // Consumes a line end at pos_ if there is one.
  bool AtLineEnd() {
    if (text_[pos_] == '\n') {
      ++pos_;
    } else if (text_[pos_] == '\r') {
      ++pos_;
      if (pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
    } else {
      return false;
    }
    ++line_;
    return true;
  }

  Status ReadRecord(Record* record) {
    std::string cell;
    while (true) {
      if (pos_ >= text_.size()) {
        record->cells.push_back(std::move(cell));
        return Status::Ok();
      }
      if (cell.empty() && text_[pos_] == '"') {
        Status s = ReadQuoted(&cell);
        if (!s.ok()) return s;
        if (pos_ < text_.size() && text_[pos_] != delimiter_ && text_[pos_] != '\n' &&
            text_[pos_] != '\r') {
          return Error(line_, "unexpected text after a closing quote (expected '" +
                                  std::string(delimiter_ == '\t' ? "\\t" : ",") +
                                  "' or the end of the line)");
        }
        continue;
      }
      if (text_[pos_] == delimiter_) {
        if (record->cells.size() + 1 == kMaxCells) {
          return Error(line_, "more than " + std::to_string(kMaxCells) + " cells in one line");
        }
        record->cells.push_back(std::move(cell));
        cell.clear();
        ++pos_;
        continue;
      }
      if (AtLineEnd()) {
        record->cells.push_back(std::move(cell));
        return Status::Ok();
      }
      // The bytes up to the next delimiter or line end, appended at once.
      size_t end = text_.find_first_of(stops_, pos_);
      if (end == std::string_view::npos) end = text_.size();
      if (cell.size() + (end - pos_) > kMaxCellBytes) return CellTooLong(record->cells.size());
      cell.append(text_.substr(pos_, end - pos_));
      pos_ = end;
    }
  }

  Status CellTooLong(size_t index) const {
    return Error(line_, "cell " + std::to_string(index + 1) + ": longer than " +
                            std::to_string(kMaxCellBytes / 1024) + " KiB");
  }

  Status ReadQuoted(std::string* cell) {
    int start_line = line_;
    ++pos_;  // opening quote
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == '"') {
        if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
          cell->push_back('"');
          pos_ += 2;
          continue;
        }
        ++pos_;
        return Status::Ok();
      }
      if (c == '\n' || (c == '\r' && (pos_ + 1 >= text_.size() || text_[pos_ + 1] != '\n'))) {
        ++line_;
      }
      if (cell->size() == kMaxCellBytes)
        return Error(start_line,
                     "a quoted cell longer than " + std::to_string(kMaxCellBytes / 1024) + " KiB");
      cell->push_back(c);
      ++pos_;
    }
    return Error(start_line, "unterminated quoted cell (a '\"' opens here and is never closed)");
  }

  Status Error(int line, const std::string& what) const {
    return Status::InvalidArgument(std::string(source_) + ":" + std::to_string(line) + ": " + what);
  }

  std::string_view text_;
  char delimiter_;
  char stops_[4] = {',', '\n', '\r', '\0'};  // what ends an unquoted run: the delimiter first
  std::string_view source_;
  size_t pos_ = 0;
  int line_ = 1;
  std::vector<Record> records_;
};

}  // namespace

Result<std::vector<Record>> SplitRecords(std::string_view text, char delimiter,
                                         std::string_view source) {
  return Splitter(text, delimiter, source).Run();
}

}  // namespace shihyo
