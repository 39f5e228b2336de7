// Measures evaluation speed and memory on synthetic progress tables of
// growing size, to show that one evaluation is linear in the number of
// observations (duplicate_series hashes, it never compares all pairs).
//
//   build/tests/shihyo_bench [rules-dir]     prints one line per size
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "eval/evaluator.h"
#include "eval/rule_loader.h"
#include "model/inference.h"
#include "model/value_parser.h"

namespace {

using shihyo::Indicator;
using shihyo::Plan;

// |n| indicators over five fiscal years, shaped like the Kamaishi table:
// counts, people, survey rows, a few duplicates and unit slips.
std::vector<Plan> MakePlans(int n) {
  Plan plan;
  plan.name = "ベンチマーク計画";
  plan.first_year = 2020;
  plan.last_year = 2024;
  plan.indicators.reserve(n);
  unsigned seed = 12345;
  auto next = [&seed]() { return seed = seed * 1103515245u + 12345u; };
  for (int i = 0; i < n; ++i) {
    Indicator ind;
    ind.plan = plan.name;
    ind.project = "プロジェクト" + std::to_string(i % 7 + 1) + ":テスト";
    ind.project_number = i % 7 + 1;
    ind.name = (i % 11 == 0 ? "児童虐待発生件数" : "指標") + std::to_string(i);
    ind.ordinal = i;
    const char* unit = i % 3 == 0 ? "件" : "人";
    ind.target_raw = std::to_string(100 + next() % 900) + unit;
    ind.target = shihyo::ParseCell(ind.target_raw);
    shihyo::Inference inf = shihyo::InferIndicator(ind.name, ind.target);
    ind.direction = inf.direction;
    ind.aggregation = inf.aggregation;
    for (int fy = 2020; fy <= 2024; ++fy) {
      std::string raw;
      if (i % 13 == 0) {
        raw = fy == 2022 ? "アンケート調査済" : "";
      } else if (fy < 2024) {
        raw = std::to_string((i % 17 == 0 ? 60 : next() % 1000)) + (next() % 50 == 0 ? "件" : unit);
      }
      ind.observations.push_back({fy, raw, shihyo::ParseCell(raw)});
    }
    plan.indicators.push_back(std::move(ind));
  }
  return {plan};
}

long MaxRssKb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir = argc > 1 ? argv[1] : SHIHYO_SOURCE_DIR "/rules";
  shihyo::RuleLoad load = shihyo::LoadRuleDir(dir);
  if (!load.ok()) {
    for (const std::string& e : load.errors) std::fprintf(stderr, "%s\n", e.c_str());
    return 2;
  }
  auto now = *shihyo::ParseTime("2026-11-28");
  std::printf("%10s %12s %10s %12s %14s %12s\n", "indicators", "observations", "findings",
              "eval_ms", "ns/observation", "max_rss_kb");
  for (int n : {1000, 10000, 100000}) {
    std::vector<Plan> plans = MakePlans(n);
    auto start = std::chrono::steady_clock::now();
    shihyo::EvalResult result = shihyo::Evaluate(load.rules, plans, now);
    auto elapsed = std::chrono::steady_clock::now() - start;
    double ms = std::chrono::duration<double, std::milli>(elapsed).count();
    long observations = static_cast<long>(n) * 5;
    std::printf("%10d %12ld %10zu %12.1f %14.1f %12ld\n", n, observations, result.findings.size(),
                ms, ms * 1e6 / observations, MaxRssKb());
  }
  return 0;
}
