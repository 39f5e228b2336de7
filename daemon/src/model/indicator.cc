#include "model/indicator.h"

namespace shihyo {

const char* DirectionName(Direction d) {
  switch (d) {
    case Direction::kIncrease:
      return "increase";
    case Direction::kDecrease:
      return "decrease";
    case Direction::kBoolean:
      return "boolean";
  }
  return "increase";
}

std::optional<Direction> DirectionFromName(std::string_view name) {
  for (Direction d : {Direction::kIncrease, Direction::kDecrease, Direction::kBoolean}) {
    if (name == DirectionName(d)) return d;
  }
  return std::nullopt;
}

const char* AggregationName(Aggregation a) {
  switch (a) {
    case Aggregation::kLevel:
      return "level";
    case Aggregation::kPerYear:
      return "per_year";
    case Aggregation::kCumulative:
      return "cumulative";
    case Aggregation::kSum:
      return "sum";
  }
  return "level";
}

std::optional<Aggregation> AggregationFromName(std::string_view name) {
  for (Aggregation a :
       {Aggregation::kLevel, Aggregation::kPerYear, Aggregation::kCumulative, Aggregation::kSum}) {
    if (name == AggregationName(a)) return a;
  }
  return std::nullopt;
}

const Observation* Indicator::Find(int fiscal_year) const {
  for (const Observation& o : observations) {
    if (o.fiscal_year == fiscal_year) return &o;
  }
  return nullptr;
}

int Indicator::LastTableYear() const {
  for (auto it = observations.rbegin(); it != observations.rend(); ++it) {
    if (it->in_table) return it->fiscal_year;
  }
  return 0;
}

int Indicator::TargetYear() const { return target_year ? *target_year : LastTableYear(); }

std::optional<std::pair<int, double>> Indicator::BaselinePoint() const {
  if (!baseline_year || baseline.status != CellStatus::kValue || !baseline.value) {
    return std::nullopt;
  }
  if (!observations.empty() && *baseline_year >= observations.front().fiscal_year) {
    for (const Observation& o : observations) {
      if (o.fiscal_year <= *baseline_year && o.cell.status != CellStatus::kMissing) {
        return std::nullopt;
      }
    }
  }
  return std::make_pair(*baseline_year, *baseline.value);
}

}  // namespace shihyo
