// A receiver's 'webhook' section of shihyo.yaml.
#include <set>

#include "base/message_template.h"
#include "base/text.h"
#include "config/config_reader.h"
#include "notify/webhook/webhook_kind.h"

namespace shihyo {

namespace {

struct WebhookFields {
  bool has_url = false;
  std::optional<YamlField> tmpl;
};

void ReadBodyTemplate(const YamlField& f, const std::string& context, ConfigReader* r,
                      WebhookSettings* w) {
  std::optional<std::string> text = ReadString(f, context + ": 'webhook': 'template'", &r->errors);
  if (!text) return;
  static const std::set<std::string> kPlaceholders = {
      "receiver",        "status",         "summary",     "text",       "count_new",
      "count_firing",    "count_resolved", "group",       "message_id", "external_url",
      "alerts",          "indicator",      "message",     "severity",   "severity_label",
      "fiscal_year_era", "rule",           "state_label", "plan",       "project"};
  size_t at = std::string::npos;
  auto compiled = MessageTemplate::Compile(*text, kPlaceholders, &at);
  if (!compiled.ok()) {
    r->errors.Add(f.mark(), context + ": 'webhook': 'template': " + compiled.status().message());
    return;
  }
  w->body_template = *text;
  w->compiled_template = *compiled;
}

void ReadFormat(const YamlField& f, const std::string& what, ConfigReader* r, WebhookSettings* w) {
  std::string v = ReadString(f, what, &r->errors).value_or("shihyo");
  if (v == "shihyo")
    w->format = WebhookSettings::Format::kShihyo;
  else if (v == "alertmanager")
    w->format = WebhookSettings::Format::kAlertmanager;
  else if (v == "template")
    w->format = WebhookSettings::Format::kTemplate;
  else
    r->errors.Add(f.mark(), what + ": expected shihyo, alertmanager or template");
}

void ReadHeaders(const YamlField& f, const std::string& what, ConfigReader* r, WebhookSettings* w) {
  for (const auto& [k, v] :
       ReadStringMap(f, what, &r->errors).value_or(std::map<std::string, std::string>{})) {
    if (HasControls(k) || HasControls(v) || k.find(':') != std::string::npos) {
      r->errors.Add(f.mark(),
                    what + ": header '" + EscapeControls(k) + "' has a control character or ':'");
    }
    w->headers.emplace_back(k, v);
  }
}

// One key of the section (secret_file and secret_env are read together later).
void ReadField(const YamlField& f, const std::string& context, ConfigReader* r, WebhookSettings* w,
               WebhookFields* seen) {
  std::string what = context + ": 'webhook': '" + f.key + "'";
  if (f.key == "url") seen->has_url = true, w->url = r->HttpUrl(f, what);
  if (f.key == "format") ReadFormat(f, what, r, w);
  if (f.key == "template") seen->tmpl = f;
  if (f.key == "content_type")
    w->content_type = ReadString(f, what, &r->errors).value_or(w->content_type);
  if (f.key == "headers") ReadHeaders(f, what, r, w);
  if (f.key == "secret") {
    r->errors.Add(f.mark(), context +
                                ": 'webhook': 'secret' is not read from this file: put it "
                                "in 'secret_file' or 'secret_env'");
  }
  if (f.key == "signature_header")
    w->signature_header = ReadString(f, what, &r->errors).value_or(w->signature_header);
  if (f.key == "timeout") w->timeout = r->Timeout(f, what).value_or(w->timeout);
  if (f.key == "tls_verify") w->tls_verify = ReadBool(f, what, &r->errors).value_or(true);
  if (f.key == "max_alerts") w->max_alerts = ReadInt(f, what, 0, 100000, &r->errors).value_or(0);
}

// What only the whole section can tell: a url, and a template exactly with format: template.
void CheckSection(const YamlField& field, const std::string& context, const WebhookFields& seen,
                  ConfigReader* r, WebhookSettings* w) {
  if (!seen.has_url) r->errors.Add(field.mark(), context + ": 'webhook': missing 'url'");
  if (w->format == WebhookSettings::Format::kTemplate) {
    if (!seen.tmpl) {
      r->errors.Add(field.mark(), context + ": 'webhook': format 'template' needs a 'template'");
    } else {
      ReadBodyTemplate(*seen.tmpl, context, r, w);
    }
  } else if (seen.tmpl) {
    r->errors.Add(seen.tmpl->mark(),
                  context + ": 'webhook': 'template' is used only with format: template");
  }
}

}  // namespace

std::shared_ptr<const ReceiverSettings> ReadWebhookConfig(const YamlField& field,
                                                          const std::string& context,
                                                          ConfigReader* r) {
  auto w = std::make_shared<WebhookSettings>();
  std::vector<YamlField> fields =
      ReadFields(field.value, field.mark(), context + ": 'webhook'",
                 {"url", "format", "template", "content_type", "headers", "secret", "secret_file",
                  "secret_env", "signature_header", "timeout", "tls_verify", "max_alerts"},
                 &r->errors);
  WebhookFields seen;
  for (const YamlField& f : fields) ReadField(f, context, r, w.get(), &seen);
  if (!field.value.IsMap()) return w;
  w->secret = r->ReadSecretSource(fields, "secret_file", "secret_env", context + ": 'webhook'");
  CheckSection(field, context, seen, r, w.get());
  return w;
}

}  // namespace shihyo
