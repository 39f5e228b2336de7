// The acceptance test of the default rules: on the bundled Kamaishi table at
// 2026-11-28, `shihyo eval --format json` finds what a careful reader finds,
// and none of what a naive script gets wrong.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "cli/cli.h"
#include "eval/eval_report.h"
#include "eval/evaluator.h"
#include "eval/finding_json.h"
#include "eval/rule_loader.h"
#include "fakes.h"
#include "store/store.h"

namespace shihyo {
namespace {

using testing::KamaishiPath;
using testing::SourcePath;
using testing::TempDir;

struct Key {
  std::string check, indicator;
  std::optional<int> fiscal_year;
  auto operator<=>(const Key&) const = default;
};

class KamaishiEval {
 public:
  KamaishiEval() {
    std::ostringstream out, err;
    std::string db = dir_.File("store.db");
    REQUIRE(RunCli({"import", "--db", db, KamaishiPath()}, out, err) == 0);
    std::ostringstream json;
    REQUIRE(RunCli({"eval", "--db", db, "--rules", SourcePath("rules"), "--now", "2026-11-28",
                    "--format", "json"},
                   json, err) == 0);
    doc_ = nlohmann::json::parse(json.str());
    for (const auto& f : doc_["findings"]) {
      Key k{f["check"], f["indicator"],
            f["fiscal_year"].is_null() ? std::nullopt : std::optional<int>(f["fiscal_year"])};
      keys_.insert(k);
    }
  }

  bool Has(const std::string& check, const std::string& indicator,
           std::optional<int> fy = std::nullopt) const {
    return keys_.count(Key{check, indicator, fy}) > 0;
  }
  // Every fiscal year (or null) |check| reported for |indicator|.
  std::set<std::optional<int>> Years(const std::string& check, const std::string& indicator) const {
    std::set<std::optional<int>> years;
    for (const Key& k : keys_) {
      if (k.check == check && k.indicator == indicator) years.insert(k.fiscal_year);
    }
    return years;
  }
  std::set<std::string> Indicators(const std::string& check) const {
    std::set<std::string> names;
    for (const Key& k : keys_) {
      if (k.check == check) names.insert(k.indicator);
    }
    return names;
  }
  const nlohmann::json& doc() const { return doc_; }

 private:
  TempDir dir_;
  nlohmann::json doc_;
  std::set<Key> keys_;
};

const char* const kUsers = "子育て支援センターの利用者数";

TEST_CASE("kamaishi: what a careful reader finds", "[kamaishi]") {
  KamaishiEval e;
  CHECK(e.Years("unit_mismatch", kUsers) == std::set<std::optional<int>>{2021, 2022, 2023});
  CHECK(e.Indicators("unit_mismatch") == std::set<std::string>{kUsers});

  CHECK(e.Has("rising", "児童虐待発生件数(の減少)", 2023));
  CHECK(e.Has("rising", "釜石市への児童虐待通告件数", 2023));

  bool duplicate_named_both = false;
  for (const auto& f : e.doc()["findings"]) {
    if (f["check"] != "duplicate_series") continue;
    std::set<std::string> named = {f["indicator"].get<std::string>()};
    for (const auto& r : f["related"]) named.insert(r.get<std::string>());
    duplicate_named_both =
        named == std::set<std::string>{"関係機関との連携件数(児童相談所からの広報支援回数)",
                                       "関係機関との連携件数(児童相談所からの後方支援回数)"};
    CHECK_THAT(f["message"].get<std::string>(),
               Catch::Contains("関係機関との連携件数(児童相談所からの広報支援回数)"));
  }
  CHECK(duplicate_named_both);

  for (const char* name : {"虐待に関する市民向けの講座の定期開催(累計)", kUsers,
                           "児童虐待発生件数(の減少)", "老朽化した施設や公園の改修数"}) {
    CAPTURE(name);
    CHECK(e.Has("target_unreachable", name));
  }

  std::set<std::string> missing = e.Indicators("missing_actual");
  CHECK(missing.size() == 26);
  for (const std::string& name : missing) {
    CAPTURE(name);
    CHECK(e.Years("missing_actual", name) == std::set<std::optional<int>>{2024});
  }

  CHECK(e.Indicators("status_only") ==
        std::set<std::string>{
            "広報に掲載した子育て情報の満足度", "プッシュ配信があつて助かったというエピソード",
            "子育てに関わる人がポータルサイトを知っている",
            "知りたい情報がすぐに出てくる(ホームページの満足度)",
            "市内の公園の満足度(アンケート調査)", "「赤ちゃんの駅」の周知度(又は利用者数)",
            "既存の公共施設の利用満足度", "子育て支援センターの利用満足度",
            "子ども家庭総合支援拠点の周知度"});

  CHECK(e.Years("annotated", "子育て世代が集える公園の整備数") ==
        std::set<std::optional<int>>{2020});
}

TEST_CASE("kamaishi: what a naive script gets wrong is not reported", "[kamaishi]") {
  KamaishiEval e;
  for (const char* name :
       {"釜石市LINEの友達登録数(累計)", "「赤ちゃんの駅」登録数", "子ども家庭支援員の配置人数",
        "親子の交流スペースの確保の有無", "虐待に対しての市民への周知啓発回数",
        "子育て世代が集える公園の整備数"}) {
    CAPTURE(name);
    for (const char* check : {"target_missed", "target_unreachable", "rising"}) {
      CAPTURE(check);
      CHECK(e.Years(check, name).empty());
    }
  }
  // Awareness activities going up is good news.
  CHECK(e.Years("rising", "虐待に関する市民向けの講座の定期開催(累計)").empty());
}

TEST_CASE("kamaishi: the JSON contract and the evidence", "[kamaishi]") {
  KamaishiEval e;
  const auto& findings = e.doc()["findings"];
  REQUIRE(findings.size() > 0);
  std::set<std::string> fingerprints;
  for (const auto& f : findings) {
    for (const char* key : {"rule", "check", "severity", "indicator", "fiscal_year", "message",
                            "fingerprint", "evidence"}) {
      CAPTURE(key);
      CHECK(f.contains(key));
    }
    CHECK(fingerprints.insert(f["fingerprint"].get<std::string>()).second);
  }
  for (const auto& f : findings) {
    if (f["check"] != "target_unreachable" || f["indicator"] != kUsers) continue;
    const auto& fig = f["evidence"]["figures"];
    CHECK(fig["gap"] == 3142);
    CHECK(fig["best_gain"] == 963);
    CHECK(fig["remaining_years"] == 1);
    CHECK(f["evidence"]["target"]["value"] == 8000);
    CHECK(f["evidence"]["series"].size() == 5);
    CHECK(f["severity"] == "warning");
    CHECK_THAT(f["message"].get<std::string>(), Catch::Contains("3,142"));
  }
  for (const auto& f : findings) {
    if (f["check"] == "rising") CHECK(f["severity"] == "critical");
  }
}

TEST_CASE("kamaishi: fingerprints are stable across runs and unchanged re-imports", "[kamaishi]") {
  KamaishiEval a;
  KamaishiEval b;  // a fresh store, imported again
  std::vector<std::string> fa, fb;
  for (const auto& f : a.doc()["findings"]) fa.push_back(f["fingerprint"]);
  for (const auto& f : b.doc()["findings"]) fb.push_back(f["fingerprint"]);
  CHECK(fa == fb);
}

// The evaluation of the bundled table, held whole (Evaluate, as the daemon does).
struct KamaishiResult {
  TempDir dir;
  RuleSet rules;
  EvalResult result;
  TimePoint now = *ParseTime("2026-11-28");
  KamaishiResult() {
    std::ostringstream out, err;
    std::string db = dir.File("store.db");
    REQUIRE(RunCli({"import", "--db", db, KamaishiPath()}, out, err) == 0);
    RuleLoad load = LoadRuleDir(SourcePath("rules"));
    REQUIRE(load.ok());
    rules = std::move(load.rules);
    auto store = IndicatorStore::Open(db, IndicatorStore::Mode::kReadOnly);
    REQUIRE(store.ok());
    Result<std::vector<Plan>> plans = (*store)->LoadPlans();
    REQUIRE(plans.ok());
    result = Evaluate(rules, *plans, now);
    REQUIRE(result.findings.size() > 50);
  }
};

TEST_CASE("kamaishi: the streamed JSON and text are the documents, byte for byte", "[kamaishi]") {
  KamaishiResult k;
  std::string dom = EvalJson(k.result, k.now, k.rules.rules.size()).dump(2) + "\n";
  std::ostringstream json;
  EvalJsonWriter writer(json, k.now, k.rules.rules.size());
  // Two halves, as two plans would come.
  size_t half = k.result.findings.size() / 2;
  std::vector<Finding> first(k.result.findings.begin(), k.result.findings.begin() + half);
  std::vector<Finding> second(k.result.findings.begin() + half, k.result.findings.end());
  writer.AddPlan(k.result.snapshot->front(), first);
  writer.AddPlan(k.result.snapshot->front(), second);
  writer.Finish(k.result.warnings);
  CHECK(json.str() == dom);

  std::ostringstream empty;
  EvalJsonWriter none(empty, k.now, 3);
  none.Finish({"w"});
  CHECK(empty.str() == EvalJson(EvalResult{nullptr, {}, {"w"}, {}}, k.now, 3).dump(2) + "\n");

  // The CLI's text, written plan by plan, is RenderEvalText of the whole result.
  std::ostringstream text, err;
  REQUIRE(RunCli({"eval", "--db", k.dir.File("store.db"), "--rules", SourcePath("rules"), "--now",
                  "2026-11-28"},
                 text, err) == 0);
  CHECK(text.str() == RenderEvalText(k.result, k.now, k.rules.rules.size()));
}

TEST_CASE("kamaishi: a finding's JSON written directly is its dump at any depth", "[kamaishi]") {
  KamaishiResult k;
  for (const Finding& f : k.result.findings) {
    std::string direct;
    AppendFindingJson(f, 0, &direct);
    REQUIRE(direct == FindingJson(f).dump(2));
  }
  // With a cache, as EvalJsonWriter writes them: findings about one
  // indicator share the text of its evidence, and a change of depth or
  // indicator is seen.
  FindingJsonCache cache;
  int depth = 0;
  for (const Finding& f : k.result.findings) {
    depth = (depth + 1) % 3;
    std::string direct;
    AppendFindingJson(f, depth / 2, &direct, &cache);
    std::string plain;
    AppendFindingJson(f, depth / 2, &plain);
    REQUIRE(direct == plain);
  }
  // Text with escapes is never taken for the known plain text, the second
  // time either; and plain text after it is looked at again.
  Finding g = k.result.findings.front();
  for (const char* plan : {"計画\"引用\"", "計画\"引用\"", "計画", "計画"}) {
    g.plan = plan;
    std::string direct;
    AppendFindingJson(g, 0, &direct, &cache);
    REQUIRE(direct == FindingJson(g).dump(2));
  }
  Finding f = k.result.findings.front();
  // Text to escape, figures of every kind (a repeated name keeps the last),
  // empty and null fields, no source.
  f.message = "tab\there \"quoted\" back\\slash \x01 \x7f 改行\n";
  f.labels = {{"a\"b", "c\nd"}, {"team", "子ども"}};
  f.related = {"x", "y\"z"};
  f.figures = {{"b", 1.5},
               {"a", std::string("t")},
               {"b", 2.0},
               {"inf", std::numeric_limits<double>::infinity()},
               {"nan", std::nan("")},
               {"tiny", 1e-7},
               {"big", 1e300},
               {"frac", 0.1 + 0.2},
               {"neg", -3.25}};
  f.project.clear();
  f.measure.clear();
  f.department.clear();
  f.fiscal_year.reset();
  for (int depth : {0, 2, 5}) {
    std::string direct;
    AppendFindingJson(f, depth, &direct);
    nlohmann::json wrapped = FindingJson(f);
    for (int d = 0; d < depth; ++d) wrapped = nlohmann::json::array({wrapped});
    std::string dumped = wrapped.dump(2);
    size_t open = dumped.find('{');
    size_t close = dumped.rfind('}');
    CHECK(direct == dumped.substr(open, close + 1 - open));
  }
  f.source = nullptr;
  std::string direct;
  AppendFindingJson(f, 1, &direct);
  CHECK(direct == nlohmann::json::array({FindingJson(f)}).dump(2).substr(4, direct.size()));
  // Not UTF-8: the same error as dump().
  f.indicator = "\xff\xfe";
  CHECK_THROWS_AS(AppendFindingJson(f, 0, &direct), nlohmann::json::type_error);
}

}  // namespace
}  // namespace shihyo
