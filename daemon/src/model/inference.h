// Infers what an indicator's numbers mean from its name and target, the way a
// careful reader of a Japanese progress table would. Rule files can override
// the result. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "model/indicator.h"
#include "model/value_parser.h"

namespace shihyo {

struct Inference {
  Direction direction = Direction::kIncrease;
  Aggregation aggregation = Aggregation::kLevel;
  std::string department;  // "" when the name does not name one
};

// 累計 → cumulative; 年N回 → per_year; 減少/削減/抑制, 〜以下, a target of 0 →
// decrease; a 有り/無し target → boolean; otherwise increase and level.
// The department comes from a trailing "(子ども課・健康推進課)".
Inference InferIndicator(std::string_view name, const CellValue& target);

// A table's direction word or symbol: アップ/増加/上昇/向上/↑/⇗/↗ → increase,
// ダウン/減少/低下/削減/抑制/↓/⇘/↘ → decrease; nullopt for anything else.
std::optional<Direction> DirectionFromWord(std::string_view word);

// InferIndicator, with the direction the table states (|direction_word|, when
// it is one DirectionFromWord knows) taking precedence over the name's.
Inference InferIndicator(std::string_view name, const CellValue& target,
                         std::string_view direction_word);

// The above, and when neither the word nor the name says which way, a target
// below the baseline (both numbers, in the same unit) → decrease.
Inference InferIndicator(std::string_view name, const CellValue& target,
                         std::string_view direction_word, const CellValue& baseline);

}  // namespace shihyo
