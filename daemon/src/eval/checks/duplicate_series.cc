// duplicate_series: two indicators carry the same values in the same years.
#include <charconv>
#include <unordered_map>

#include "eval/checks/check.h"

namespace shihyo {

namespace {

// Indicators with equal series, in table order; groups in order of their first.
struct Groups {
  std::unordered_map<std::string, std::vector<const Indicator*>> by_key;
  std::vector<const std::vector<const Indicator*>*> order;  // into by_key (stable)
};

// Key: plan and the (year, value, unit) sequence; equal keys are equal
// series, so one hash lookup per indicator replaces comparing all pairs.
Groups GroupBySeries(const CheckParams& p, const std::vector<const Indicator*>& indicators) {
  Groups groups;
  int min_values = p.Int("min_values");
  bool ignore_constant = p.Bool("ignore_constant");
  std::string key;
  for (const Indicator* ind : indicators) {
    std::vector<Point> points = NumericSeries(*ind, true);
    if (static_cast<int>(points.size()) < min_values) continue;
    bool constant = true;
    key.assign(ind->plan);
    for (const Point& pt : points) {
      constant = constant && pt.value == points.front().value;
      char year[16];
      auto end = std::to_chars(year, year + sizeof year, pt.fiscal_year).ptr;
      key.append(1, '\x1f').append(year, end).append(1, ':');
      key.append(FormatNumber(pt.value)).append(1, ':').append(pt.observation->cell.unit);
    }
    if (constant && ignore_constant) continue;
    auto [it, inserted] = groups.by_key.try_emplace(key);
    if (inserted) groups.order.push_back(&it->second);
    it->second.push_back(ind);
  }
  return groups;
}

// The later rows are reported: the likely copies of the first.
void ReportCopies(const std::vector<const Indicator*>& group, std::vector<RawFinding>* out) {
  std::string values;
  for (const Point& pt : NumericSeries(*group.front(), true)) {
    values += (values.empty() ? "" : "/") + FormatNumber(pt.value);
  }
  for (size_t i = 1; i < group.size(); ++i) {
    RawFinding f = MakeFinding(*group[i], std::nullopt);
    std::string others;
    for (size_t j = 0; j < group.size(); ++j) {
      if (j == i) continue;
      f.related.push_back(group[j]);
      others += (others.empty() ? "" : "」「") + group[j]->name;
    }
    AddFigure(&f, "other", others);
    AddFigure(&f, "values", values);
    out->push_back(std::move(f));
  }
}

void Run(const CheckContext& ctx, const std::vector<const Indicator*>& indicators,
         std::vector<RawFinding>* out) {
  Groups groups = GroupBySeries(ctx.params, indicators);
  for (const std::vector<const Indicator*>* group : groups.order) {
    if (group->size() >= 2) ReportCopies(*group, out);
  }
}

}  // namespace

const CheckSpec& DuplicateSeriesCheck() {
  static const CheckSpec spec = {
      .name = "duplicate_series",
      .doc = "two indicators carry the same values in the same years",
      .params = {IntParam("min_values", 3, 2, 100), BoolParam("ignore_constant", true)},
      .placeholders = {"other", "values"},
      .default_message =
          "{{indicator}}：実績値（{{values}}）が「{{other}}」と全年度で同じです。"
          "転記の誤りではありませんか。",
      .over_set = Run,
  };
  return spec;
}

}  // namespace shihyo
