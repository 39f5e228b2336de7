#include "notify/webhook/webhook_payload.h"

#include "base/message_template.h"
#include "model/value_parser.h"
#include "notify/alert_json.h"

namespace shihyo {

namespace {

constexpr const char* kZeroTime = "0001-01-01T00:00:00Z";

nlohmann::json Dump(const Labels& labels) { return LabelsJson(labels); }

std::vector<std::pair<const AlertRecord*, bool>> AllAlerts(const GroupNotification& n) {
  std::vector<std::pair<const AlertRecord*, bool>> out;  // alert, is new
  for (const AlertRecord* a : n.fresh) out.emplace_back(a, true);
  for (const AlertRecord* a : n.ongoing) out.emplace_back(a, false);
  for (const AlertRecord* a : n.resolved) out.emplace_back(a, false);
  return out;
}

nlohmann::json SeriesJson(const Indicator& ind) {
  nlohmann::json s = nlohmann::json::array();
  for (const Observation& o : ind.observations)
    s.push_back({{"fiscal_year", o.fiscal_year}, {"raw", o.raw}});
  return s;
}

// The group key as receivers see it: receiver, route and the group's labels
// as JSON, stable for the group and free of the U+001F separators of the
// internal key (which stays the notification log's key).
std::string PublicGroupKey(const GroupNotification& n) {
  const std::string& key = n.group.key;
  size_t path_end = key.find('/', n.receiver->name.size() + 1);
  if (path_end == std::string::npos) return Dump(n.group.labels).dump();
  std::string rest = key.substr(path_end + 1);
  if (rest.rfind("alert=", 0) == 0) return key;  // one message per alert: a fingerprint
  return key.substr(0, path_end + 1) + Dump(n.group.labels).dump();
}

// Whether |a| resolved because its indicator left the table: as the cycle
// recorded it, or for an alert resolved before causes were kept, as the
// snapshot shows it.
bool IndicatorRemoved(const AlertRecord& a, const DigestContext& ctx) {
  if (!a.resolved_reason.empty()) return a.resolved_reason == kResolvedIndicatorRemoved;
  return ctx.snapshot && !CurrentIndicator(ctx.snapshot, a);
}

}  // namespace

nlohmann::json ShihyoWebhookJson(const GroupNotification& n, const DigestContext& ctx,
                                 const std::string& id) {
  nlohmann::json alerts = nlohmann::json::array();
  for (const auto& [a, fresh] : AllAlerts(n)) {
    const nlohmann::json f = AlertFindingJson(a->finding);
    nlohmann::json j = {
        {"status", a->firing() ? "firing" : "resolved"},
        {"new", fresh},
        {"fingerprint", a->fingerprint},
        {"starts_at", FormatIso8601(a->starts_at)},
        {"ends_at", a->ends_at ? nlohmann::json(FormatIso8601(*a->ends_at)) : nlohmann::json()},
        {"labels", Dump(a->labels)}};
    for (const char* key : {"rule", "check", "severity", "plan", "project", "indicator",
                            "fiscal_year", "fiscal_year_era", "message", "evidence"}) {
      j[key] = f.at(key);
    }
    if (!a->firing()) {
      const Indicator* current = CurrentIndicator(ctx.snapshot, *a);
      j["current"] = current ? nlohmann::json{{"target", current->target_raw},
                                              {"series", SeriesJson(*current)}}
                             : nlohmann::json();
      // "removed": an import removed the indicator; the value was not fixed.
      // Kept for scripts; resolved_cause says more (AlertRecord::resolved_reason).
      j["resolved_reason"] = IndicatorRemoved(*a, ctx) ? "removed" : "no_longer_found";
      j["resolved_cause"] = a->resolved_reason;
    }
    alerts.push_back(std::move(j));
  }
  return {{"version", "1"},
          {"id", id},
          {"receiver", n.receiver->name},
          {"status", n.fresh.empty() && n.ongoing.empty() ? "resolved" : "firing"},
          {"group_key", PublicGroupKey(n)},
          {"group_labels", Dump(n.group.labels)},
          {"external_url", ctx.external_url},
          {"reminder", n.reminder},
          {"counts",
           {{"new", n.fresh.size()},
            {"firing", n.fresh.size() + n.ongoing.size()},
            {"resolved", n.resolved.size()}}},
          {"alerts", std::move(alerts)}};
}

nlohmann::json AlertmanagerWebhookJson(const GroupNotification& n, const DigestContext& ctx,
                                       int max_alerts) {
  nlohmann::json alerts = nlohmann::json::array();
  std::optional<Labels> common_labels;
  std::optional<nlohmann::json> common_annotations;
  int truncated = 0;
  for (const auto& entry : AllAlerts(n)) {
    const AlertRecord* a = entry.first;  // captured below: no structured binding (clang 14)
    nlohmann::json ann = AlertAnnotationsJson(*a);
    if (!common_labels) {
      common_labels = a->labels;
      common_annotations = ann;
    } else {
      std::erase_if(*common_labels, [&](const auto& kv) {
        auto it = a->labels.find(kv.first);
        return it == a->labels.end() || it->second != kv.second;
      });
      for (auto it = common_annotations->begin(); it != common_annotations->end();) {
        it = ann.contains(it.key()) && ann[it.key()] == it.value() ? std::next(it)
                                                                   : common_annotations->erase(it);
      }
    }
    if (max_alerts > 0 && static_cast<int>(alerts.size()) >= max_alerts) {
      ++truncated;
      continue;
    }
    alerts.push_back({{"status", a->firing() ? "firing" : "resolved"},
                      {"labels", Dump(a->labels)},
                      {"annotations", ann},
                      {"startsAt", FormatIso8601(a->starts_at)},
                      {"endsAt", a->ends_at ? FormatIso8601(*a->ends_at) : kZeroTime},
                      {"generatorURL", GeneratorUrl(ctx.external_url, *a)},
                      {"fingerprint", a->fingerprint}});
  }
  nlohmann::json group_labels = Dump(n.group.labels);
  return {{"version", "4"},
          {"groupKey", "{}:" + group_labels.dump()},
          {"truncatedAlerts", truncated},
          {"status", n.fresh.empty() && n.ongoing.empty() ? "resolved" : "firing"},
          {"receiver", n.receiver->name},
          {"groupLabels", group_labels},
          {"commonLabels", Dump(common_labels.value_or(Labels{}))},
          {"commonAnnotations", common_annotations.value_or(nlohmann::json::object())},
          {"externalURL", ctx.external_url},
          {"alerts", std::move(alerts)}};
}

namespace {

nlohmann::json TemplateContext(const GroupNotification& n, const DigestContext& ctx,
                               const std::string& id) {
  nlohmann::json alerts = nlohmann::json::array();
  for (const auto& [a, fresh] : AllAlerts(n)) {
    const AlertFinding& f = a->finding;
    const char* state = fresh ? "新規" : "継続";
    if (!a->firing()) {
      state = IndicatorRemoved(*a, ctx) ? "表から削除" : "解消";
    }
    alerts.push_back({{"indicator", f.indicator},
                      {"message", f.message},
                      {"severity", SeverityName(f.severity)},
                      {"severity_label", SeverityLabel(f.severity)},
                      {"fiscal_year_era", f.fiscal_year ? FormatEraYear(*f.fiscal_year) : ""},
                      {"rule", f.rule},
                      {"plan", f.plan},
                      {"project", f.project},
                      {"state_label", state},
                      {"resolved_cause", a->firing() ? "" : a->resolved_reason}});
  }
  std::string group;
  for (const auto& [k, v] : n.group.labels) group += (group.empty() ? "" : " ") + v;
  return {{"receiver", n.receiver->name},
          {"status", n.fresh.empty() && n.ongoing.empty() ? "resolved" : "firing"},
          {"summary", DigestSubject(n, ctx)},
          {"text", DigestText(n, ctx)},
          {"count_new", std::to_string(n.fresh.size())},
          {"count_firing", std::to_string(n.fresh.size() + n.ongoing.size())},
          {"count_resolved", std::to_string(n.resolved.size())},
          {"group", group},
          {"message_id", id},
          {"external_url", ctx.external_url},
          {"alerts", std::move(alerts)}};
}

}  // namespace

Message BuildWebhook(const GroupNotification& n, const DigestContext& ctx, const std::string& id) {
  static const WebhookSettings kDefaults;
  const WebhookSettings* settings = n.receiver->SettingsAs<WebhookSettings>();
  const WebhookSettings& w = settings ? *settings : kDefaults;
  Message m;
  m.id = id;
  m.receiver = n.receiver->name;
  m.kind = "webhook";
  m.group_key = n.group.key;
  m.created_at = ctx.now;
  m.summary = DigestSubject(n, ctx);
  m.content_type = w.content_type;
  constexpr auto kReplace = nlohmann::json::error_handler_t::replace;
  switch (w.format) {
    case WebhookSettings::Format::kShihyo:
      m.body = ShihyoWebhookJson(n, ctx, id).dump(-1, ' ', false, kReplace);
      break;
    case WebhookSettings::Format::kAlertmanager:
      m.body = AlertmanagerWebhookJson(n, ctx, w.max_alerts).dump(-1, ' ', false, kReplace);
      break;
    case WebhookSettings::Format::kTemplate: {
      bool json = w.content_type.find("json") != std::string::npos;
      m.body = w.compiled_template
                   ? w.compiled_template->RenderJson(TemplateContext(n, ctx, id), json)
                   : "";
      break;
    }
  }
  return m;
}

}  // namespace shihyo
