#include "eval/message_render.h"

namespace shihyo {

namespace {

bool NameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || static_cast<unsigned char>(c) >= 0x80;
}

bool SimpleName(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!NameChar(c)) return false;
  }
  return true;
}

}  // namespace

std::optional<SimpleMessage> SimpleMessage::Compile(const std::string& source) {
  if (source.find_first_of("\r\n") != std::string::npos ||
      source.find("{{{") != std::string::npos || source.find("}}}") != std::string::npos) {
    return std::nullopt;
  }
  SimpleMessage m;
  std::vector<size_t> open;  // indices of the open sections
  size_t pos = 0;
  while (pos < source.size()) {
    size_t tag = source.find("{{", pos);
    if (tag == std::string::npos) tag = source.size();
    if (tag > pos) {
      std::string text = source.substr(pos, tag - pos);
      if (text.find("}}") != std::string::npos) return std::nullopt;
      m.parts_.push_back(Part{Part::Kind::kText, std::move(text)});
    }
    if (tag == source.size()) break;
    size_t close = source.find("}}", tag + 2);
    if (close == std::string::npos) return std::nullopt;
    std::string_view body(source.data() + tag + 2, close - tag - 2);
    pos = close + 2;
    Part::Kind kind = Part::Kind::kValue;
    if (!body.empty() && (body[0] == '#' || body[0] == '^' || body[0] == '/')) {
      kind = body[0] == '#'   ? Part::Kind::kSection
             : body[0] == '^' ? Part::Kind::kInverted
                              : Part::Kind::kEnd;
      body.remove_prefix(1);
    }
    if (!SimpleName(body)) return std::nullopt;
    if (kind == Part::Kind::kEnd) {
      if (open.empty() || m.parts_[open.back()].text != body) return std::nullopt;
      m.parts_[open.back()].end = m.parts_.size();
      open.pop_back();
    } else if (kind != Part::Kind::kValue) {
      open.push_back(m.parts_.size());
    }
    size_t slot = 0;
    while (slot < m.names_.size() && m.names_[slot] != body) ++slot;
    if (slot == m.names_.size()) m.names_.emplace_back(body);
    m.parts_.push_back(Part{kind, std::string(body), 0, slot});
  }
  if (!open.empty()) return std::nullopt;
  m.size_hint_ = source.size() + 64;  // its text and a few values, in one allocation
  return m;
}

std::string SimpleMessage::Render(const std::map<std::string, std::string>& values) const {
  std::vector<const std::string*> slots;
  for (const std::string& name : names_) {
    auto it = values.find(name);
    slots.push_back(it == values.end() ? nullptr : &it->second);
  }
  return Render(slots);
}

std::string SimpleMessage::Render(const std::vector<const std::string*>& values) const {
  std::string out;
  out.reserve(size_hint_);
  bool section = false;  // a section's text was rendered
  for (size_t i = 0; i < parts_.size(); ++i) {
    const Part& p = parts_[i];
    const std::string* value = p.kind == Part::Kind::kText ? nullptr : values[p.slot];
    switch (p.kind) {
      case Part::Kind::kText:
        out += p.text;
        break;
      case Part::Kind::kValue:
        if (value) out += *value;
        break;
      case Part::Kind::kSection:
      case Part::Kind::kInverted: {
        bool truthy = value && !value->empty();
        if (truthy == (p.kind == Part::Kind::kSection)) {
          section = true;
        } else {
          i = p.end;  // past its text, at its end tag
        }
        break;
      }
      case Part::Kind::kEnd:
        break;
    }
  }
  // mustache drops a line that a section left blank (a "standalone" line).
  if (section && out.find_first_not_of(" \t") == std::string::npos) out.clear();
  return out;
}

}  // namespace shihyo
