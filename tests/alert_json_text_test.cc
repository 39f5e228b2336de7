// The state DB's alert rows written without a JSON DOM (notify/alert_json_text.h)
// are byte for byte what nlohmann's Dump() of the DOM writes.
#include "notify/alert_json_text.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "eval/evaluator.h"
#include "eval/rule_loader.h"
#include "fakes.h"
#include "notify/alert_json.h"
#include "state/state_connection.h"
#include "store/store.h"

namespace shihyo {
namespace {

std::string Dumped(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

TEST_CASE("alert_json_text: every finding of the bundled table as the DOM writes it",
          "[alert_json]") {
  testing::TempDir dir;
  std::string db = dir.File("store.db");
  REQUIRE(testing::RunShihyo({"import", "--db", db, testing::KamaishiPath()}).code == 0);
  auto store = IndicatorStore::Open(db, IndicatorStore::Mode::kReadOnly);
  REQUIRE(store.ok());
  Result<std::vector<Plan>> plans = (*store)->LoadPlans();
  REQUIRE(plans.ok());
  RuleLoad rules = LoadRuleDir(testing::SourcePath("rules"));
  REQUIRE(rules.ok());
  EvalResult eval = Evaluate(rules.rules, *plans, *ParseTime("2026-11-28"));
  REQUIRE(eval.findings.size() > 10);
  EvidenceCache cache;
  std::vector<AlertFinding> alerts;
  for (const Finding& f : eval.findings) alerts.push_back(ToAlertFinding(f, &cache));
  AlertJsonWriter writer;  // twice each: the second from the evidence kept
  for (int pass = 0; pass < 2; ++pass) {
    for (const AlertFinding& a : alerts) {
      CHECK(writer.Finding(a) == Dumped(AlertFindingJson(a)));
      Labels labels{{"plan", a.plan}, {"indicator", a.indicator}, {"rule", a.rule}};
      CHECK(AlertJsonWriter::LabelsText(labels) == Dumped(LabelsJson(labels)));
    }
  }
  // One IndicatorEvidence per indicator, shared by its findings.
  std::set<const IndicatorEvidence*> distinct;
  for (const AlertFinding& a : alerts) distinct.insert(a.evidence.indicator.get());
  CHECK(distinct.size() < alerts.size());
}

TEST_CASE("alert_json_text: escapes, invalid UTF-8, numbers and nulls as the DOM", "[alert_json]") {
  const std::vector<std::string> texts = {
      "",
      "plain",
      "quote \" backslash \\ slash /",
      std::string("controls \b\f\n\r\t \x01\x1f\x7f end"),
      std::string("nul \0 inside", 12),
      "日本語：目標値「100%」",
      "bad \xff byte",
      "overlong \xc0\xaf",
      "surrogate \xed\xa0\x80",
      "truncated \xe3\x81",
      "above \xf4\x90\x80\x80",
      "four bytes \xf0\x9f\x98\x80 ok",
  };
  const std::vector<double> numbers = {0,
                                       1,
                                       -1,
                                       1.5,
                                       -0.25,
                                       1e20,
                                       9e15,
                                       8.9e15,
                                       1.0 / 3,
                                       1e-7,
                                       123456.789,
                                       -0.0,
                                       std::numeric_limits<double>::infinity(),
                                       std::nan("")};
  AlertJsonWriter writer;
  std::vector<std::shared_ptr<IndicatorEvidence>> kept;
  for (size_t i = 0; i < texts.size(); ++i) {
    const std::string& t = texts[i];
    AlertFinding f;
    f.rule = t, f.check = t, f.plan = t, f.indicator = t, f.message = t, f.fingerprint = t;
    f.project = i % 2 ? t : "", f.measure = i % 3 ? t : "", f.department = i % 2 ? "" : t;
    f.ordinal = static_cast<int>(i) - 3;
    if (i % 2) f.fiscal_year = 2019 + static_cast<int>(i);
    f.severity = static_cast<Severity>(i % 3);
    f.labels = {{t, t}, {"k", "v"}};
    f.related = {t, "x"};
    f.evidence.figures = {{t + "n", numbers[i % numbers.size()]},
                          {"text", t},
                          {"z", numbers[(i + 5) % numbers.size()]}};
    if (i % 4 != 3) {
      auto e = std::make_shared<IndicatorEvidence>();
      e->target_raw = t;
      e->target = ParseCell("100%");
      e->target.value = numbers[(i + 2) % numbers.size()];
      e->direction = static_cast<Direction>(i % 3);
      e->aggregation = static_cast<Aggregation>(i % 4);
      e->series = {{2020, t, ParseCell(t)},
                   {2021, "3品※単年実績", ParseCell("3品※単年実績")},
                   {2022, "12件", ParseCell("12件")}};
      if (i % 2) e->footnotes = {t, "※注"};
      kept.push_back(e);
      f.evidence.indicator = e;
    }
    CHECK(writer.Finding(f) == Dumped(AlertFindingJson(f)));
    CHECK(AlertJsonWriter::LabelsText(f.labels) == Dumped(LabelsJson(f.labels)));
  }
}

TEST_CASE("alert_json_text: an outbox payload as the DOM writes it", "[alert_json]") {
  Message m;
  m.id = "0123@example.lg.jp";
  m.receiver = "kodomo";
  m.kind = "email";
  m.group_key = "kodomo/0/plan=計画\x1f";
  m.summary = "[shihyo] 新規アラート 2件 — \"計画\"";
  m.created_at = *ParseTime("2026-11-28T09:30:00Z");
  m.subject = m.summary;
  m.to = {"a@example.lg.jp", "b@example.lg.jp"};
  m.bcc = {"c@example.lg.jp"};
  m.text = "本文\n\t表\r\n";
  m.html = "<p style=\"x\">本文</p>\x01 bad \xff";
  CHECK(MessagePayload(m) == Dumped(MessageToJson(m)));
  Message webhook;
  webhook.id = "w";
  webhook.kind = "webhook";
  webhook.body = "{\"alerts\":[]}";
  CHECK(MessagePayload(webhook) == Dumped(MessageToJson(webhook)));
}

}  // namespace
}  // namespace shihyo
