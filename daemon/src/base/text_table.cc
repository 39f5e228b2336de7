#include "base/text_table.h"

#include <algorithm>

#include "base/text.h"

namespace shihyo {

std::vector<std::string> WrapToWidth(const std::string& text, int width) {
  std::vector<std::string> lines;
  if (width <= 0 || DisplayWidth(text) <= width) {
    lines.push_back(text);
    return lines;
  }
  std::string line;
  int line_width = 0;
  size_t pos = 0;
  char32_t cp;
  while (pos < text.size()) {
    size_t start = pos;
    DecodeUtf8(text, &pos, &cp);
    std::string piece = text.substr(start, pos - start);
    int w = DisplayWidth(piece);
    if (line_width + w > width && !line.empty()) {
      lines.push_back(line);
      line.clear();
      line_width = 0;
    }
    line += piece;
    line_width += w;
  }
  if (!line.empty()) lines.push_back(line);
  return lines;
}

std::string PadToWidth(const std::string& text, int width, TextTable::Align align) {
  int pad = std::max(0, width - DisplayWidth(text));
  if (align == TextTable::Align::kRight) return std::string(pad, ' ') + text;
  return text + std::string(pad, ' ');
}

void TextTable::AddRow(std::vector<std::string> cells) {
  cells.resize(columns_.size());
  for (std::string& c : cells) c = EscapeControls(c);
  rows_.push_back(Row{std::move(cells), false, false});
}

void TextTable::AddSection(std::string text, bool repeat_titles) {
  rows_.push_back(Row{{EscapeControls(text)}, true, repeat_titles});
}

std::string TextTable::Render(const std::string& indent) const {
  std::vector<int> widths(columns_.size(), 0);
  auto measure = [&](size_t col, const std::string& cell) {
    for (const std::string& line : WrapToWidth(cell, columns_[col].max_width)) {
      widths[col] = std::max(widths[col], DisplayWidth(line));
    }
  };
  for (size_t c = 0; c < columns_.size(); ++c) measure(c, columns_[c].title);
  for (const Row& row : rows_) {
    if (row.section) continue;
    for (size_t c = 0; c < columns_.size(); ++c) measure(c, row.cells[c]);
  }
  std::string out;
  auto emit = [&](const std::vector<std::string>& cells) {
    std::vector<std::vector<std::string>> wrapped;
    size_t height = 1;
    for (size_t c = 0; c < columns_.size(); ++c) {
      wrapped.push_back(WrapToWidth(cells[c], columns_[c].max_width));
      height = std::max(height, wrapped.back().size());
    }
    for (size_t h = 0; h < height; ++h) {
      std::string line = indent;
      for (size_t c = 0; c < columns_.size(); ++c) {
        const std::string& piece = h < wrapped[c].size() ? wrapped[c][h] : std::string();
        if (c) line += "  ";
        line += PadToWidth(piece, widths[c], columns_[c].align);
      }
      while (!line.empty() && line.back() == ' ') line.pop_back();
      out += line + "\n";
    }
  };
  std::vector<std::string> titles;
  for (const Column& col : columns_) titles.push_back(col.title);
  bool titles_shown = false;
  for (const Row& row : rows_) {
    if (row.section) {
      out += row.cells[0] + "\n";
      if (row.titles) {
        emit(titles);
        titles_shown = true;
      }
      continue;
    }
    if (!titles_shown) emit(titles);
    titles_shown = true;
    emit(row.cells);
  }
  if (!titles_shown) emit(titles);
  return out;
}

}  // namespace shihyo
