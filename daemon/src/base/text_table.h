// A terminal table that aligns Japanese double-width text and wraps long
// cells. Thread-compatible.
#pragma once

#include <string>
#include <vector>

namespace shihyo {

class TextTable {
 public:
  enum class Align { kLeft, kRight };
  struct Column {
    std::string title;
    Align align = Align::kLeft;
    int max_width = 0;  // wrap cells wider than this many columns; 0 = never
  };

  explicit TextTable(std::vector<Column> columns) : columns_(std::move(columns)) {}

  // Adds a row; missing trailing cells are empty, extra cells are ignored.
  void AddRow(std::vector<std::string> cells);

  // Adds a line of free text (a heading) between rows; it spans the table and
  // does not widen any column. |repeat_titles| prints the column titles under it.
  void AddSection(std::string text, bool repeat_titles = false);

  // Every line starts with |indent|; columns are separated by two spaces.
  std::string Render(const std::string& indent = "") const;

 private:
  struct Row {
    std::vector<std::string> cells;
    bool section = false;
    bool titles = false;
  };
  std::vector<Column> columns_;
  std::vector<Row> rows_;
};

// Splits |text| into lines of at most |width| display columns (never inside a
// UTF-8 sequence). |width| <= 0 returns |text| as one line.
std::vector<std::string> WrapToWidth(const std::string& text, int width);

// |text| padded with spaces to |width| display columns.
std::string PadToWidth(const std::string& text, int width, TextTable::Align align);

}  // namespace shihyo
