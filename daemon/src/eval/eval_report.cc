#include "eval/eval_report.h"

#include <map>
#include <sstream>

#include "eval/finding_json.h"
#include "model/value_parser.h"

namespace shihyo {

namespace {

std::string Counts(const std::vector<const Finding*>& findings) {
  int by[3] = {0, 0, 0};
  for (const Finding* f : findings) ++by[static_cast<int>(f->severity)];
  return std::to_string(findings.size()) + "件（重大 " + std::to_string(by[2]) + "・警告 " +
         std::to_string(by[1]) + "・情報 " + std::to_string(by[0]) + "）";
}

// Appends "目標 … ／ 実績  R2 …" to |line|; returns |line|.
std::string* AppendSeriesLine(const Indicator& ind, std::string* line) {
  line->append("目標 ").append(ind.target_raw.empty() ? "（空欄）" : ind.target_raw);
  line->append(" ／ 実績");
  for (const Observation& o : ind.observations) {
    if (!o.in_table) continue;  // a year the table has no cell for
    // R2 for 令和2年度, H30 for 平成30年度: how the staff abbreviate.
    line->append("  ").append(o.fiscal_year >= 2019 ? "R" : "H");
    line->append(
        std::to_string(o.fiscal_year >= 2019 ? o.fiscal_year - 2018 : o.fiscal_year - 1988));
    line->append(" ").append(o.raw.empty() ? "空欄" : o.raw);
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

EvalJsonWriter::EvalJsonWriter(std::ostream& out, TimePoint now, size_t rule_count)
    : out_(out), now_(now), rule_count_(rule_count) {
  // nlohmann's objects sort their keys: "findings" comes first.
  out_ << "{\n  \"findings\": [";
}

void EvalJsonWriter::AddPlan(const Plan&, const std::vector<Finding>& findings) {
  std::string& text = text_;
  text.clear();
  cache_.Clear();  // the last plan's indicators are gone
  int* by_severity[3] = {&by_severity_["info"], &by_severity_["warning"],
                         &by_severity_["critical"]};
  const std::string* check = nullptr;
  int* check_count = nullptr;
  for (const Finding& f : findings) {
    text += total_ == 0 ? "\n    " : ",\n    ";
    AppendFindingJson(f, 2, &text, &cache_);  // in "findings", in the document
    ++total_;
    ++*by_severity[static_cast<int>(f.severity)];
    if (!check || *check != f.check) {
      check = &f.check;
      check_count = &by_check_[f.check];
    }
    ++*check_count;
  }
  out_.write(text.data(), static_cast<std::streamsize>(text.size()));
  cache_.Clear();
}

void EvalJsonWriter::Finish(const std::vector<std::string>& warnings) {
  out_ << (total_ == 0 ? "]" : "\n  ]");
  nlohmann::json rest = {
      {"now", FormatIso8601(now_)},
      {"rules", rule_count_},
      {"warnings", warnings},
      {"summary", {{"total", total_}, {"by_severity", by_severity_}, {"by_check", by_check_}}}};
  // "{\n  \"now\": …": the rest of the document after its opening brace.
  std::string text = rest.dump(2);
  out_ << "," << text.substr(1) << "\n";
}

EvalTextWriter::EvalTextWriter(std::ostream& out, TimePoint now, size_t rule_count) : out_(out) {
  out_ << "指標チェック結果（評価日 " << FormatJapaneseDate(now) << "、ルール " << rule_count
       << "件）\n";
}

void EvalTextWriter::AddPlan(const Plan& plan, const std::vector<const Finding*>& mine) {
  std::string& out = text_;
  out.clear();
  out.append("\n").append(plan.name).append("\n検出 ").append(Counts(mine)).append("\n");
  const std::string* project = nullptr;
  int ordinal = -1;
  for (const Finding* f : mine) {
    if (!project || f->project != *project) {
      project = &f->project;
      out.append("\n■ ").append(project->empty() ? "（プロジェクトなし）" : *project).append("\n");
      ordinal = -1;
    }
    if (f->ordinal != ordinal) {
      ordinal = f->ordinal;
      out.append("\n  ● ").append(f->indicator).append("\n");
      if (f->source) AppendSeriesLine(*f->source, &out.append("    "))->append("\n");
    }
    out.append("    [").append(SeverityLabel(f->severity)).append("] ").append(f->message);
    out.append("\n        ルール ").append(f->rule);
    if (f->check != f->rule) out.append("（").append(f->check).append("）");
    if (f->fiscal_year) out.append("・").append(FormatEraYear(*f->fiscal_year));
    out.append("\n");
  }
  out_.write(out.data(), static_cast<std::streamsize>(out.size()));
}

void EvalTextWriter::Finish(const std::vector<std::string>& warnings) {
  if (warnings.empty()) return;
  out_ << "\n注意:\n";
  for (const std::string& w : warnings) out_ << "  " << w << "\n";
}

std::string RenderEvalText(const EvalResult& result, TimePoint now, size_t rule_count) {
  std::ostringstream out;
  EvalTextWriter writer(out, now, rule_count);
  static const std::vector<Plan> kNone;
  // The findings are in plan order: each plan's are the next run with its name.
  size_t next = 0;
  for (const Plan& plan : result.snapshot ? *result.snapshot : kNone) {
    std::vector<const Finding*> mine;
    for (; next < result.findings.size() && result.findings[next].plan == plan.name; ++next) {
      mine.push_back(&result.findings[next]);
    }
    writer.AddPlan(plan, mine);
  }
  writer.Finish(result.warnings);
  return out.str();
}

}  // namespace shihyo
