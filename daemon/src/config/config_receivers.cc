// The receivers section of shihyo.yaml: email, webhook and Alertmanager.
#include <set>

#include "base/message_template.h"
#include "base/regex.h"
#include "base/text.h"
#include "config/config_reader.h"

namespace shihyo {

namespace fs = std::filesystem;

ConfigReader::ConfigReader(const std::string& file)
    : errors(file), base(fs::path(file).parent_path()) {}

std::string ConfigReader::Path(const std::string& p) const {
  if (p.empty() || fs::path(p).is_absolute()) return p;
  return (base / p).lexically_normal().string();
}

std::optional<Seconds> ConfigReader::Duration(const YamlField& f, const std::string& what) {
  std::optional<std::string> v = ReadString(f, what, &errors);
  if (!v) return std::nullopt;
  std::optional<Seconds> d = ParseDuration(*v);
  if (!d)
    errors.Add(f.mark(),
               what + ": expected a duration such as 30s, 5m, 2h or 7d, found '" + *v + "'");
  return d;
}

std::optional<Seconds> ConfigReader::Timeout(const YamlField& f, const std::string& what) {
  std::optional<Seconds> d = Duration(f, what);
  if (d && *d < Seconds(1)) {
    errors.Add(f.mark(), what + ": at least 1s");
    return std::nullopt;
  }
  return d;
}

SecretSource ConfigReader::ReadSecretSource(const std::vector<YamlField>& fields,
                                            const char* file_key, const char* env_key,
                                            const std::string& what) {
  SecretSource s;
  for (const YamlField& f : fields) {
    if (f.key == file_key)
      s.file = Path(ReadString(f, what + ": '" + file_key + "'", &errors).value_or(""));
    if (f.key == env_key) s.env = ReadString(f, what + ": '" + env_key + "'", &errors).value_or("");
  }
  if (!s.file.empty() && !s.env.empty()) {
    errors.Add(fields.front().mark(),
               what + ": set '" + file_key + "' or '" + env_key + "', not both");
  }
  return s;
}

bool ValidAddress(const std::string& addr) {
  if (addr.empty() || HasControls(addr)) return false;
  std::string a = addr;
  size_t lt = a.find('<');
  if (lt != std::string::npos) {
    if (a.back() != '>') return false;
    a = a.substr(lt + 1, a.size() - lt - 2);
  }
  size_t at = a.find('@');
  return at != std::string::npos && at > 0 && at + 1 < a.size() &&
         a.find_first_of(" \t<>,;\"") == std::string::npos;
}

namespace {

void ReadEmail(const YamlField& field, const std::string& context, ConfigReader* r, Receiver* rec) {
  rec->kind = Receiver::Kind::kEmail;
  for (const YamlField& f : ReadFields(field.value, field.mark(), context + ": 'email'",
                                       {"to", "cc", "bcc"}, &r->errors)) {
    std::string what = context + ": 'email': '" + f.key + "'";
    std::vector<std::string> list =
        ReadStringList(f, what, &r->errors).value_or(std::vector<std::string>{});
    for (const std::string& a : list) {
      if (!ValidAddress(a))
        r->errors.Add(f.mark(), what + ": '" + EscapeControls(a) + "' is not an email address");
    }
    (f.key == "to" ? rec->email.to : f.key == "cc" ? rec->email.cc : rec->email.bcc) = list;
  }
  if (rec->email.to.empty() && rec->email.cc.empty() && rec->email.bcc.empty()) {
    r->errors.Add(field.mark(), context + ": 'email': needs at least one address in to, cc or bcc");
  }
  r->needs_smtp = field.mark();  // checked at the end: smtp may come later in the file
}

void ReadHttpUrl(const YamlField& f, const std::string& what, ConfigReader* r, std::string* url) {
  *url = ReadString(f, what, &r->errors).value_or("");
  if (url->rfind("http://", 0) != 0 && url->rfind("https://", 0) != 0) {
    r->errors.Add(f.mark(), what + ": expected an http:// or https:// URL");
  }
  if (HasControls(*url)) r->errors.Add(f.mark(), what + ": control characters in the URL");
}

void ReadBodyTemplate(const YamlField& f, const std::string& context, ConfigReader* r,
                      WebhookReceiver* w) {
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

void ReadWebhook(const YamlField& field, const std::string& context, ConfigReader* r,
                 Receiver* rec) {
  rec->kind = Receiver::Kind::kWebhook;
  WebhookReceiver& w = rec->webhook;
  std::vector<YamlField> fields =
      ReadFields(field.value, field.mark(), context + ": 'webhook'",
                 {"url", "format", "template", "content_type", "headers", "secret", "secret_file",
                  "secret_env", "signature_header", "timeout", "tls_verify", "max_alerts"},
                 &r->errors);
  bool has_url = false;
  std::optional<YamlField> tmpl;
  for (const YamlField& f : fields) {
    std::string what = context + ": 'webhook': '" + f.key + "'";
    if (f.key == "url") has_url = true, ReadHttpUrl(f, what, r, &w.url);
    if (f.key == "format") {
      std::string v = ReadString(f, what, &r->errors).value_or("shihyo");
      if (v == "shihyo")
        w.format = WebhookReceiver::Format::kShihyo;
      else if (v == "alertmanager")
        w.format = WebhookReceiver::Format::kAlertmanager;
      else if (v == "template")
        w.format = WebhookReceiver::Format::kTemplate;
      else
        r->errors.Add(f.mark(), what + ": expected shihyo, alertmanager or template");
    }
    if (f.key == "template") tmpl = f;
    if (f.key == "content_type")
      w.content_type = ReadString(f, what, &r->errors).value_or(w.content_type);
    if (f.key == "headers") {
      for (const auto& [k, v] :
           ReadStringMap(f, what, &r->errors).value_or(std::map<std::string, std::string>{})) {
        if (HasControls(k) || HasControls(v) || k.find(':') != std::string::npos) {
          r->errors.Add(f.mark(), what + ": header '" + EscapeControls(k) +
                                      "' has a control character or ':'");
        }
        w.headers.emplace_back(k, v);
      }
    }
    if (f.key == "secret") {
      r->errors.Add(f.mark(), context +
                                  ": 'webhook': 'secret' is not read from this file: put it "
                                  "in 'secret_file' or 'secret_env'");
    }
    if (f.key == "signature_header")
      w.signature_header = ReadString(f, what, &r->errors).value_or(w.signature_header);
    if (f.key == "timeout") w.timeout = r->Timeout(f, what).value_or(w.timeout);
    if (f.key == "tls_verify") w.tls_verify = ReadBool(f, what, &r->errors).value_or(true);
    if (f.key == "max_alerts") w.max_alerts = ReadInt(f, what, 0, 100000, &r->errors).value_or(0);
  }
  if (!field.value.IsMap()) return;
  w.secret = r->ReadSecretSource(fields, "secret_file", "secret_env", context + ": 'webhook'");
  if (!has_url) r->errors.Add(field.mark(), context + ": 'webhook': missing 'url'");
  if (w.format == WebhookReceiver::Format::kTemplate) {
    if (!tmpl) {
      r->errors.Add(field.mark(), context + ": 'webhook': format 'template' needs a 'template'");
    } else {
      ReadBodyTemplate(*tmpl, context, r, &w);
    }
  } else if (tmpl) {
    r->errors.Add(tmpl->mark(),
                  context + ": 'webhook': 'template' is used only with format: template");
  }
}

void ReadAlertmanager(const YamlField& field, const std::string& context, ConfigReader* r,
                      Receiver* rec) {
  rec->kind = Receiver::Kind::kAlertmanager;
  bool has_url = false;
  for (const YamlField& f : ReadFields(field.value, field.mark(), context + ": 'alertmanager'",
                                       {"url", "timeout", "tls_verify"}, &r->errors)) {
    std::string what = context + ": 'alertmanager': '" + f.key + "'";
    if (f.key == "url") has_url = true, ReadHttpUrl(f, what, r, &rec->alertmanager.url);
    if (f.key == "timeout")
      rec->alertmanager.timeout = r->Timeout(f, what).value_or(rec->alertmanager.timeout);
    if (f.key == "tls_verify")
      rec->alertmanager.tls_verify = ReadBool(f, what, &r->errors).value_or(true);
  }
  if (field.value.IsMap() && !has_url)
    r->errors.Add(field.mark(), context + ": 'alertmanager': missing 'url'");
}

}  // namespace

void ReadReceivers(const YamlField& field, ConfigReader* r, Config* config) {
  if (!field.value.IsSequence()) {
    r->errors.Add(field.mark(), "'receivers': expected a list");
    return;
  }
  std::set<std::string> names;
  for (const YAML::Node& node : field.value) {
    Receiver rec;
    std::string context = "receiver";
    if (!ChildScalar(node, "name").empty())
      context = "receiver '" + ChildScalar(node, "name") + "'";
    int kinds = 0;
    for (const YamlField& f :
         ReadFields(node, node.Mark(), context, {"name", "email", "webhook", "alertmanager"},
                    &r->errors)) {
      if (f.key == "name") {
        rec.name = ReadString(f, context + ": 'name'", &r->errors).value_or("");
        if (!names.insert(rec.name).second)
          r->errors.Add(f.mark(), context + ": duplicate receiver name");
      } else {
        ++kinds;
        if (f.key == "email") ReadEmail(f, context, r, &rec);
        if (f.key == "webhook") ReadWebhook(f, context, r, &rec);
        if (f.key == "alertmanager") ReadAlertmanager(f, context, r, &rec);
      }
    }
    if (!node.IsMap()) continue;
    if (rec.name.empty()) r->errors.Add(node.Mark(), context + ": missing 'name'");
    if (kinds != 1) {
      r->errors.Add(node.Mark(),
                    context + ": needs exactly one of 'email', 'webhook', 'alertmanager'");
    }
    config->receivers.push_back(std::move(rec));
  }
}

}  // namespace shihyo
