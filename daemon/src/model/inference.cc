#include "model/inference.h"

#include <array>

#include "base/text.h"

namespace shihyo {

namespace {

bool Contains(std::string_view s, std::string_view part) {
  return s.find(part) != std::string_view::npos;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// "…(子ども課・健康推進課)" → "子ども課・健康推進課". Every part separated by
// ・ or 、 must name an office (…課, …室, …係, …局, …部, …センター).
std::string Department(std::string_view name) {
  std::string folded = FoldWidth(name);
  std::string_view s = folded;
  if (!EndsWith(s, ")")) return "";
  size_t open = s.rfind('(');
  if (open == std::string_view::npos) return "";
  std::string_view inner = s.substr(open + 1, s.size() - open - 2);
  if (inner.empty()) return "";
  static constexpr std::array<std::string_view, 6> kOffices = {"課", "室", "係",
                                                               "局", "部", "センター"};
  std::string_view rest = inner;
  while (!rest.empty()) {
    size_t sep = std::min(rest.find("・"), rest.find("、"));
    std::string_view part = rest.substr(0, sep);
    bool office = false;
    for (std::string_view o : kOffices)
      office = office || (part.size() > o.size() && EndsWith(part, o));
    if (!office) return "";
    if (sep == std::string_view::npos) break;
    rest.remove_prefix(sep + std::string_view("・").size());
  }
  return std::string(inner);
}

}  // namespace

Inference InferIndicator(std::string_view name, const CellValue& target) {
  Inference inf;
  inf.department = Department(name);
  if (Contains(name, "累計") || target.cumulative) {
    inf.aggregation = Aggregation::kCumulative;
  } else if (target.per_year) {
    inf.aggregation = Aggregation::kPerYear;
  }
  if (target.status == CellStatus::kBoolean) {
    inf.direction = Direction::kBoolean;
  } else if (Contains(name, "減少") || Contains(name, "削減") || Contains(name, "抑制") ||
             Contains(name, "低減") || target.bound == Bound::kAtMost ||
             (target.status == CellStatus::kValue && target.value && *target.value == 0)) {
    inf.direction = Direction::kDecrease;
  }
  return inf;
}

std::optional<Direction> DirectionFromWord(std::string_view word) {
  static constexpr std::array<std::string_view, 10> kUp = {"アップ", "増加", "上昇", "向上", "増",
                                                           "↑",      "⇧",    "⇗",    "↗",    "UP"};
  static constexpr std::array<std::string_view, 12> kDown = {
      "ダウン", "減少", "低下", "削減", "抑制", "減", "↓", "⇩", "⇘", "↘", "DOWN", "低減"};
  std::string folded = FoldWidth(word);
  std::string_view w = TrimSpace(folded);
  for (std::string_view up : kUp) {
    if (w == up) return Direction::kIncrease;
  }
  for (std::string_view down : kDown) {
    if (w == down) return Direction::kDecrease;
  }
  return std::nullopt;
}

Inference InferIndicator(std::string_view name, const CellValue& target,
                         std::string_view direction_word) {
  Inference inf = InferIndicator(name, target);
  if (std::optional<Direction> d = DirectionFromWord(direction_word)) inf.direction = *d;
  return inf;
}

Inference InferIndicator(std::string_view name, const CellValue& target,
                         std::string_view direction_word, const CellValue& baseline) {
  Inference inf = InferIndicator(name, target, direction_word);
  if (DirectionFromWord(direction_word) || inf.direction != Direction::kIncrease ||
      inf.aggregation != Aggregation::kLevel || !target.value || !baseline.value ||
      target.unit != baseline.unit || target.bound != Bound::kNone) {
    return inf;
  }
  if (*target.value < *baseline.value) inf.direction = Direction::kDecrease;
  return inf;
}

}  // namespace shihyo
