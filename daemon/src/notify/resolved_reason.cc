#include "notify/resolved_reason.h"

#include "model/value_parser.h"

namespace shihyo {

namespace {

std::string Shown(const std::string& raw) { return raw.empty() ? "（空欄）" : raw; }

const Observation* Saw(const IndicatorEvidence& ev, int fiscal_year) {
  for (const Observation& o : ev.series) {
    if (o.fiscal_year == fiscal_year) return &o;
  }
  return nullptr;
}

// "令和5年度 25件 → 12件" when the cell of |fiscal_year| differs.
void AddChange(const IndicatorEvidence& ev, const Indicator& now, int fiscal_year,
               std::vector<std::string>* out) {
  const Observation* before = Saw(ev, fiscal_year);
  const Observation* after = now.Find(fiscal_year);
  std::string old_raw = before ? before->raw : "", new_raw = after ? after->raw : "";
  if (!before || old_raw == new_raw) return;
  out->push_back(FormatEraYear(fiscal_year) + " " + Shown(old_raw) + " → " + Shown(new_raw));
}

// The inference used until every record carries its own reason (and for
// records resolved before it did).
std::string InferResolvedReason(const AlertRecord& alert, const DigestContext& ctx) {
  if (!ctx.snapshot) return "";
  if (!CurrentIndicator(ctx.snapshot, alert)) return "indicator_removed";
  if (!ValueChanges(alert, ctx).empty()) return "value_changed";
  if (alert.silenced()) return "silenced";
  return "";
}

}  // namespace

std::string ResolvedReasonOf(const AlertRecord& alert, const DigestContext& ctx) {
  // The reason the evaluation recorded (alert/alert_state.cc); the inference
  // stays as the fallback for records resolved before it did.
  if (!alert.resolved_reason.empty()) return alert.resolved_reason;
  return InferResolvedReason(alert, ctx);
}

std::vector<std::string> ValueChanges(const AlertRecord& alert, const DigestContext& ctx) {
  std::vector<std::string> out;
  const Indicator* now = CurrentIndicator(ctx.snapshot, alert);
  if (!now || !alert.finding.evidence.has_indicator()) return out;
  const IndicatorEvidence& ev = *alert.finding.evidence.indicator;
  std::optional<int> own = alert.finding.fiscal_year;
  if (own) AddChange(ev, *now, *own, &out);
  if (ev.target_raw != now->target_raw) {
    out.push_back("目標 " + Shown(ev.target_raw) + " → " + Shown(now->target_raw));
  }
  if (!out.empty()) return out;  // the alert's own cells: the rest is other alerts' news
  for (const Observation& o : ev.series) AddChange(ev, *now, o.fiscal_year, &out);
  return out;
}

std::string ResolvedReasonText(const AlertRecord& alert, const std::string& reason,
                               const DigestContext& ctx) {
  std::string changes;
  for (const std::string& c : ValueChanges(alert, ctx))
    changes += (changes.empty() ? "" : "、") + c;
  if (reason == "value_changed") {
    return "値が変わりました" + (changes.empty() ? std::string() : "（" + changes + "）") + "。";
  }
  if (reason == "rule_changed") {
    return "ルールの条件が変わり、当てはまらなくなりました（" +
           (changes.empty() ? std::string("値は変わっていません")
                            : "値も変わりました：" + changes) +
           "）。";
  }
  if (reason == "rule_removed") {
    return "このアラートを出したルールが削除されました。値が直ったのではありません。";
  }
  if (reason == "indicator_removed") {
    return "取り込んだ表から指標がなくなりました。値が直ったのではありません。";
  }
  if (reason == "silenced") return "サイレンスで通知を止めたため、以後はお知らせしません。";
  return "次の評価で当てはまらなくなりました（表の値は変わっていません）。";
}

}  // namespace shihyo
