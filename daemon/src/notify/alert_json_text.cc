#include "notify/alert_json_text.h"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "model/indicators_view.h"
#include "model/value_parser.h"

namespace shihyo {

namespace {

// Whether |s| is well-formed UTF-8 (Unicode Table 3-7: no overlong forms,
// no surrogates, nothing above U+10FFFF), as nlohmann's decoder reads it.
bool WellFormedUtf8(std::string_view s) {
  size_t i = 0, n = s.size();
  while (i < n) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    int more = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      more = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      more = 2;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      more = 3;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return false;
    }
    if (i + more >= n) return false;
    for (int k = 1; k <= more; ++k) {
      auto b = static_cast<unsigned char>(s[i + k]);
      if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF)) return false;
    }
    i += more + 1;
  }
  return true;
}

void AppendNumber(std::string* out, std::optional<double> v) {
  nlohmann::json j = NumberJson(v);
  if (j.is_number_integer()) {
    *out += std::to_string(j.get<int64_t>());
  } else {
    *out += j.dump();  // null, or a double as nlohmann writes it
  }
}

void AppendOrNull(std::string* out, const std::string& s) {
  if (s.empty()) {
    *out += "null";
  } else {
    AlertJsonWriter::AppendString(out, s);
  }
}

// The members of CellJson(|raw|, |cell|) from "annotated" on; with
// |fiscal_year|, that member too (in its sorted place).
void AppendCell(std::string* out, const std::string& raw, const CellValue& cell,
                std::optional<int> fiscal_year) {
  *out += cell.annotated ? "{\"annotated\":true" : "{\"annotated\":false";
  if (fiscal_year) *out += ",\"fiscal_year\":" + std::to_string(*fiscal_year);
  std::string note = cell.note.empty() ? CellNote(raw) : cell.note;
  if (!note.empty() && cell.status == CellStatus::kValue) {
    *out += ",\"note\":";
    AlertJsonWriter::AppendString(out, note);
  }
  *out += ",\"raw\":";
  AlertJsonWriter::AppendString(out, raw);
  *out += ",\"status\":";
  AlertJsonWriter::AppendString(out, StatusName(cell.status));
  *out += ",\"unit\":";
  AppendOrNull(out, cell.unit);
  *out += ",\"value\":";
  AppendNumber(out, cell.value);
  *out += '}';
}

void AppendStrings(std::string* out, const std::vector<std::string>& list) {
  *out += '[';
  for (size_t i = 0; i < list.size(); ++i) {
    if (i) *out += ',';
    AlertJsonWriter::AppendString(out, list[i]);
  }
  *out += ']';
}

void AppendFigures(std::string* out, const AlertEvidence& e) {
  *out += '{';
  bool first = true;
  for (const auto& [name, value] : e.figures) {
    if (!first) *out += ',';
    first = false;
    AlertJsonWriter::AppendString(out, name);
    *out += ':';
    if (const double* d = std::get_if<double>(&value)) {
      AppendNumber(out, *d);
    } else {
      AlertJsonWriter::AppendString(out, std::get<std::string>(value));
    }
  }
  *out += '}';
}

}  // namespace

void AlertJsonWriter::AppendString(std::string* out, std::string_view s) {
  if (!WellFormedUtf8(s)) {  // rare: nlohmann's replacement rules, exactly
    *out += nlohmann::json(std::string(s))
                .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return;
  }
  *out += '"';
  size_t plain = 0;  // where the text not escaped yet begins
  for (size_t i = 0; i < s.size(); ++i) {
    char ch = s[i];
    if (static_cast<unsigned char>(ch) >= 0x20 && ch != '"' && ch != '\\') continue;
    out->append(s.data() + plain, i - plain);  // the run before it, at once
    plain = i + 1;
    switch (ch) {
      case '"':
        *out += "\\\"";
        break;
      case '\\':
        *out += "\\\\";
        break;
      case '\b':
        *out += "\\b";
        break;
      case '\f':
        *out += "\\f";
        break;
      case '\n':
        *out += "\\n";
        break;
      case '\r':
        *out += "\\r";
        break;
      case '\t':
        *out += "\\t";
        break;
      default: {  // another control character
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(ch));
        *out += buf;
      }
    }
  }
  out->append(s.data() + plain, s.size() - plain);
  *out += '"';
}

std::string AlertJsonWriter::LabelsText(const Labels& labels) {
  std::string out = "{";
  for (const auto& [k, v] : labels) {
    if (out.size() > 1) out += ',';
    AppendString(&out, k);
    out += ':';
    AppendString(&out, v);
  }
  return out + "}";
}

const AlertJsonWriter::EvidenceText& AlertJsonWriter::Evidence(const IndicatorEvidence& e) {
  // Alerts come by plan: the texts of a few plans' indicators are enough,
  // and a first cycle's would all be held at once.
  constexpr size_t kKept = 4096;
  if (evidence_.size() >= kKept && !evidence_.count(&e)) evidence_.clear();
  auto [it, added] = evidence_.try_emplace(&e);
  if (!added) return it->second;
  EvidenceText& t = it->second;
  t.head = std::string("{\"aggregation\":\"") + AggregationName(e.aggregation) +
           "\",\"direction\":\"" + DirectionName(e.direction) + "\",\"figures\":";
  if (!e.footnotes.empty()) {
    t.tail = ",\"footnotes\":";
    AppendStrings(&t.tail, e.footnotes);
  }
  t.tail += ",\"series\":[";
  for (size_t i = 0; i < e.series.size(); ++i) {
    if (i) t.tail += ',';
    AppendCell(&t.tail, e.series[i].raw, e.series[i].cell, e.series[i].fiscal_year);
  }
  t.tail += "],\"target\":";
  AppendCell(&t.tail, e.target_raw, e.target, std::nullopt);
  t.tail += '}';
  return t;
}

std::string AlertJsonWriter::Finding(const AlertFinding& f) {
  std::string out;
  out.reserve(2048);
  out += "{\"check\":";
  AppendString(&out, f.check);
  out += ",\"department\":";
  AppendOrNull(&out, f.department);
  out += ",\"evidence\":";
  if (const IndicatorEvidence* e = f.evidence.indicator.get()) {
    const EvidenceText& t = Evidence(*e);
    out += t.head;
    AppendFigures(&out, f.evidence);
    out += t.tail;
  } else {
    out += "{\"figures\":";
    AppendFigures(&out, f.evidence);
    out += '}';
  }
  out += ",\"fingerprint\":";
  AppendString(&out, f.fingerprint);
  if (f.fiscal_year) {
    out += ",\"fiscal_year\":" + std::to_string(*f.fiscal_year) + ",\"fiscal_year_era\":";
    AppendString(&out, FormatEraYear(*f.fiscal_year));
  } else {
    out += ",\"fiscal_year\":null,\"fiscal_year_era\":null";
  }
  out += ",\"indicator\":";
  AppendString(&out, f.indicator);
  out += ",\"labels\":" + LabelsText(f.labels) + ",\"measure\":";
  AppendOrNull(&out, f.measure);
  out += ",\"message\":";
  AppendString(&out, f.message);
  out += ",\"ordinal\":" + std::to_string(f.ordinal) + ",\"plan\":";
  AppendString(&out, f.plan);
  out += ",\"project\":";
  AppendOrNull(&out, f.project);
  out += ",\"related\":";
  AppendStrings(&out, f.related);
  out += ",\"rule\":";
  AppendString(&out, f.rule);
  out += ",\"severity\":";
  AppendString(&out, SeverityName(f.severity));
  out += '}';
  return out;
}

}  // namespace shihyo
