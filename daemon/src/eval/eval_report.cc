#include "eval/eval_report.h"

#include <map>

#include "model/value_parser.h"

namespace shihyo {

namespace {

std::string Counts(const std::vector<const Finding*>& findings) {
  int by[3] = {0, 0, 0};
  for (const Finding* f : findings) ++by[static_cast<int>(f->severity)];
  return std::to_string(findings.size()) + "件（重大 " + std::to_string(by[2]) + "・警告 " +
         std::to_string(by[1]) + "・情報 " + std::to_string(by[0]) + "）";
}

std::string SeriesLine(const Indicator& ind) {
  std::string line =
      "目標 " + (ind.target_raw.empty() ? std::string("（空欄）") : ind.target_raw) + " ／ 実績";
  for (const Observation& o : ind.observations) {
    if (!o.in_table) continue;  // a year the table has no cell for
    // R2 for 令和2年度, H30 for 平成30年度: how the staff abbreviate.
    std::string era = o.fiscal_year >= 2019 ? "R" + std::to_string(o.fiscal_year - 2018)
                                            : "H" + std::to_string(o.fiscal_year - 1988);
    line += "  " + era + " " + (o.raw.empty() ? std::string("空欄") : o.raw);
  }
  return line;
}

}  // namespace

nlohmann::json EvalJson(const EvalResult& result, TimePoint now, size_t rule_count) {
  nlohmann::json findings = nlohmann::json::array();
  std::map<std::string, int> by_severity = {{"critical", 0}, {"warning", 0}, {"info", 0}};
  std::map<std::string, int> by_check;
  for (const Finding& f : result.findings) {
    findings.push_back(FindingJson(f));
    ++by_severity[SeverityName(f.severity)];
    ++by_check[f.check];
  }
  return {
      {"now", FormatIso8601(now)},
      {"rules", rule_count},
      {"findings", std::move(findings)},
      {"warnings", result.warnings},
      {"summary",
       {{"total", result.findings.size()}, {"by_severity", by_severity}, {"by_check", by_check}}}};
}

std::string RenderEvalText(const EvalResult& result, TimePoint now, size_t rule_count) {
  std::string out = "指標チェック結果（評価日 " + FormatJapaneseDate(now) + "、ルール " +
                    std::to_string(rule_count) + "件）\n";
  static const std::vector<Plan> kNone;
  for (const Plan& plan : result.snapshot ? *result.snapshot : kNone) {
    std::vector<const Finding*> mine;
    for (const Finding& f : result.findings) {
      if (f.plan == plan.name) mine.push_back(&f);
    }
    out += "\n" + plan.name + "\n検出 " + Counts(mine) + "\n";
    std::string project = "\x01", indicator;
    int ordinal = -1;
    for (const Finding* f : mine) {
      if (f->project != project) {
        project = f->project;
        out += "\n■ " + (project.empty() ? std::string("（プロジェクトなし）") : project) + "\n";
        ordinal = -1;
      }
      if (f->ordinal != ordinal) {
        ordinal = f->ordinal;
        out += "\n  ● " + f->indicator + "\n";
        if (f->source) out += "    " + SeriesLine(*f->source) + "\n";
      }
      out += "    [" + std::string(SeverityLabel(f->severity)) + "] " + f->message + "\n";
      const std::string& check = f->check;
      out += "        ルール " + f->rule + (check == f->rule ? "" : "（" + check + "）") +
             (f->fiscal_year ? "・" + FormatEraYear(*f->fiscal_year) : "") + "\n";
    }
  }
  if (!result.warnings.empty()) {
    out += "\n注意:\n";
    for (const std::string& w : result.warnings) out += "  " + w + "\n";
  }
  return out;
}

}  // namespace shihyo
