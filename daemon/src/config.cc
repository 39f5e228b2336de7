#include "config.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "message_template.h"
#include "regex.h"
#include "text.h"
#include "yaml_util.h"

namespace shihyo {

namespace fs = std::filesystem;

Result<std::string> ReadSecret(const SecretSource& source) {
  std::string value;
  if (!source.file.empty()) {
    std::ifstream in(source.file, std::ios::binary);
    if (!in) return Status::IOError(source.file + ": cannot read the secret file");
    std::ostringstream s;
    s << in.rdbuf();
    value = s.str();
  } else if (!source.env.empty()) {
    const char* v = std::getenv(source.env.c_str());
    if (v == nullptr) return Status::NotFound("environment variable " + source.env + " is not set");
    value = v;
  } else {
    return Status::NotFound("no secret configured");
  }
  while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.pop_back();
  return value;
}

std::optional<Seconds> ParseDuration(const std::string& text) {
  if (text.empty()) return std::nullopt;
  size_t i = 0;
  long long n = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    n = n * 10 + (text[i++] - '0');
    if (n > 100LL * 365 * 24 * 3600) return std::nullopt;
  }
  if (i == 0) return std::nullopt;
  std::string unit = text.substr(i);
  long long mult = unit.empty() || unit == "s" ? 1 : unit == "m" ? 60 : unit == "h" ? 3600
                   : unit == "d"                    ? 86400
                                                    : -1;
  if (mult < 0) return std::nullopt;
  return Seconds(n * mult);
}

std::optional<std::chrono::milliseconds> ParseMillis(const std::string& text) {
  if (text.size() > 2 && text.substr(text.size() - 2) == "ms") {
    std::optional<Seconds> n = ParseDuration(text.substr(0, text.size() - 2));
    if (!n) return std::nullopt;
    return std::chrono::milliseconds(n->count());
  }
  std::optional<Seconds> s = ParseDuration(text);
  if (!s) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::milliseconds>(*s);
}

const Receiver* Config::FindReceiver(const std::string& name) const {
  for (const Receiver& r : receivers) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

namespace {

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

bool ValidLabelName(const std::string& s) {
  if (s.empty() || (s[0] >= '0' && s[0] <= '9')) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) {
      return false;
    }
  }
  return true;
}

class ConfigLoader {
 public:
  explicit ConfigLoader(const std::string& path) : errors_(path) {
    config_.path = path;
    base_ = fs::path(path).parent_path();
  }

  Result<Config> Load() {
    std::optional<YAML::Node> doc = LoadYamlFile(errors_.file(), &errors_);
    if (doc) ReadTop(*doc);
    if (needs_smtp_ && !config_.smtp) {
      errors_.Add(*needs_smtp_, "an email receiver needs an 'smtp' section");
    }
    if (!errors_.empty()) {
      std::string all;
      for (const std::string& e : errors_.messages()) all += (all.empty() ? "" : "\n") + e;
      return Status::InvalidArgument(all);
    }
    return std::move(config_);
  }

 private:
  std::string Path(const std::string& p) const {
    if (p.empty() || fs::path(p).is_absolute()) return p;
    return (base_ / p).lexically_normal().string();
  }

  std::optional<Seconds> Duration(const YamlField& f, const std::string& what) {
    std::optional<std::string> v = ReadString(f, what, &errors_);
    if (!v) return std::nullopt;
    std::optional<Seconds> d = ParseDuration(*v);
    if (!d) errors_.Add(f.mark(), what + ": expected a duration such as 30s, 5m, 2h or 7d, found '" + *v + "'");
    return d;
  }

  void ReadTop(const YAML::Node& doc) {
    YAML::Mark top;
    top.line = 0;
    top.column = 0;
    std::optional<YamlField> route;
    bool has_store = false, has_state = false, has_rules = false;
    for (const YamlField& f : ReadFields(doc, top, "config",
                                         {"store", "state", "rules", "external_url",
                                          "admin_receiver", "evaluation", "smtp", "receivers",
                                          "route", "outbox", "log_level"},
                                         &errors_)) {
      std::string what = "'" + f.key + "'";
      if (f.key == "store") has_store = true, config_.store = Path(ReadString(f, what, &errors_).value_or(""));
      if (f.key == "state") has_state = true, config_.state = Path(ReadString(f, what, &errors_).value_or(""));
      if (f.key == "rules") has_rules = true, config_.rules = Path(ReadString(f, what, &errors_).value_or(""));
      if (f.key == "external_url") config_.external_url = ReadString(f, what, &errors_).value_or(config_.external_url);
      if (f.key == "admin_receiver") config_.admin_receiver = ReadString(f, what, &errors_).value_or("");
      if (f.key == "log_level") ReadLogLevel(f);
      if (f.key == "evaluation") ReadEvaluation(f);
      if (f.key == "smtp") ReadSmtp(f);
      if (f.key == "receivers") ReadReceivers(f);
      if (f.key == "outbox") ReadOutbox(f);
      if (f.key == "route") route = f;
    }
    if (!doc.IsMap()) return;
    if (!has_store) errors_.Add(top, "config: missing 'store' (the indicator store)");
    if (!has_state) errors_.Add(top, "config: missing 'state' (the state DB)");
    if (!has_rules) errors_.Add(top, "config: missing 'rules' (the rule directory)");
    if (!route) {
      errors_.Add(top, "config: missing 'route' (which receiver gets which alerts)");
    } else {
      Route defaults;
      config_.route = ReadRoute(*route, "route", defaults, true);
    }
    if (!config_.admin_receiver.empty() && !config_.FindReceiver(config_.admin_receiver)) {
      errors_.Add(top, "config: 'admin_receiver': no receiver named '" + config_.admin_receiver + "'");
    }
  }

  void ReadLogLevel(const YamlField& f) {
    std::string v = ReadString(f, "'log_level'", &errors_).value_or("info");
    static const std::set<std::string> kLevels = {"trace", "debug", "info", "warn", "error", "off"};
    if (!kLevels.count(v)) {
      errors_.Add(f.mark(), "'log_level': unknown level '" + v + "' (expected trace, debug, info, warn, error or off)");
    }
    config_.log_level = v;
  }

  void ReadEvaluation(const YamlField& field) {
    for (const YamlField& f : ReadFields(field.value, field.mark(), "'evaluation'",
                                         {"interval", "poll_interval"}, &errors_)) {
      std::string what = "'evaluation': '" + f.key + "'";
      if (f.key == "interval") {
        std::optional<Seconds> d = Duration(f, what);
        if (!d) continue;
        if (*d < Seconds(10)) errors_.Add(f.mark(), what + ": at least 10s");
        config_.evaluation_interval = *d;
      } else {
        std::optional<std::string> v = ReadString(f, what, &errors_);
        std::optional<std::chrono::milliseconds> ms = v ? ParseMillis(*v) : std::nullopt;
        if (!ms) {
          if (v) errors_.Add(f.mark(), what + ": expected a duration such as 2s or 500ms");
          continue;
        }
        if (*ms < std::chrono::milliseconds(100)) errors_.Add(f.mark(), what + ": at least 100ms");
        config_.poll_interval = *ms;
      }
    }
  }

  SecretSource ReadSecretSource(const std::vector<YamlField>& fields, const char* file_key,
                                const char* env_key, const std::string& what) {
    SecretSource s;
    for (const YamlField& f : fields) {
      if (f.key == file_key) s.file = Path(ReadString(f, what + ": '" + file_key + "'", &errors_).value_or(""));
      if (f.key == env_key) s.env = ReadString(f, what + ": '" + env_key + "'", &errors_).value_or("");
    }
    if (!s.file.empty() && !s.env.empty()) {
      errors_.Add(fields.front().mark(), what + ": set '" + file_key + "' or '" + env_key + "', not both");
    }
    return s;
  }

  void ReadSmtp(const YamlField& field) {
    SmtpConfig smtp;
    std::vector<YamlField> fields = ReadFields(
        field.value, field.mark(), "'smtp'",
        {"url", "starttls", "user", "password", "password_file", "password_env", "from",
         "timeout", "tls_verify"},
        &errors_);
    bool has_url = false, has_from = false;
    for (const YamlField& f : fields) {
      std::string what = "'smtp': '" + f.key + "'";
      if (f.key == "password") {
        errors_.Add(f.mark(), "'smtp': 'password' is not read from this file: put it in "
                              "'password_file' or 'password_env'");
      } else if (f.key == "url") {
        has_url = true;
        smtp.url = ReadString(f, what, &errors_).value_or("");
        if (smtp.url.rfind("smtp://", 0) != 0 && smtp.url.rfind("smtps://", 0) != 0) {
          errors_.Add(f.mark(), what + ": expected smtp://host:port or smtps://host:port");
        }
      } else if (f.key == "starttls") {
        std::string v = ReadString(f, what, &errors_).value_or("required");
        if (v == "required") smtp.starttls = SmtpConfig::StartTls::kRequired;
        else if (v == "opportunistic") smtp.starttls = SmtpConfig::StartTls::kOpportunistic;
        else if (v == "off") smtp.starttls = SmtpConfig::StartTls::kOff;
        else errors_.Add(f.mark(), what + ": expected required, opportunistic or off");
      } else if (f.key == "user") {
        smtp.user = ReadString(f, what, &errors_).value_or("");
      } else if (f.key == "from") {
        has_from = true;
        smtp.from = ReadString(f, what, &errors_).value_or("");
        if (!ValidAddress(smtp.from)) errors_.Add(f.mark(), what + ": not an email address");
      } else if (f.key == "timeout") {
        smtp.timeout = Duration(f, what).value_or(smtp.timeout);
      } else if (f.key == "tls_verify") {
        smtp.tls_verify = ReadBool(f, what, &errors_).value_or(true);
      }
    }
    if (field.value.IsMap()) {
      smtp.password = ReadSecretSource(fields, "password_file", "password_env", "'smtp'");
      if (!has_url) errors_.Add(field.mark(), "'smtp': missing 'url'");
      if (!has_from) errors_.Add(field.mark(), "'smtp': missing 'from'");
    }
    config_.smtp = smtp;
  }

  void ReadReceivers(const YamlField& field) {
    if (!field.value.IsSequence()) {
      errors_.Add(field.mark(), "'receivers': expected a list");
      return;
    }
    std::set<std::string> names;
    for (const YAML::Node& node : field.value) {
      Receiver r;
      std::string context = "receiver";
      if (!ChildScalar(node, "name").empty()) context = "receiver '" + ChildScalar(node, "name") + "'";
      int kinds = 0;
      for (const YamlField& f : ReadFields(node, node.Mark(), context,
                                           {"name", "email", "webhook", "alertmanager"}, &errors_)) {
        if (f.key == "name") {
          r.name = ReadString(f, context + ": 'name'", &errors_).value_or("");
          if (!names.insert(r.name).second) errors_.Add(f.mark(), context + ": duplicate receiver name");
        } else {
          ++kinds;
          if (f.key == "email") ReadEmail(f, context, &r);
          if (f.key == "webhook") ReadWebhook(f, context, &r);
          if (f.key == "alertmanager") ReadAlertmanager(f, context, &r);
        }
      }
      if (!node.IsMap()) continue;
      if (r.name.empty()) errors_.Add(node.Mark(), context + ": missing 'name'");
      if (kinds != 1) {
        errors_.Add(node.Mark(), context + ": needs exactly one of 'email', 'webhook', 'alertmanager'");
      }
      config_.receivers.push_back(std::move(r));
    }
  }

  void ReadEmail(const YamlField& field, const std::string& context, Receiver* r) {
    r->kind = Receiver::Kind::kEmail;
    for (const YamlField& f : ReadFields(field.value, field.mark(), context + ": 'email'",
                                         {"to", "cc", "bcc"}, &errors_)) {
      std::string what = context + ": 'email': '" + f.key + "'";
      std::vector<std::string> list = ReadStringList(f, what, &errors_).value_or(std::vector<std::string>{});
      for (const std::string& a : list) {
        if (!ValidAddress(a)) errors_.Add(f.mark(), what + ": '" + EscapeControls(a) + "' is not an email address");
      }
      (f.key == "to" ? r->email.to : f.key == "cc" ? r->email.cc : r->email.bcc) = list;
    }
    if (r->email.to.empty() && r->email.cc.empty() && r->email.bcc.empty()) {
      errors_.Add(field.mark(), context + ": 'email': needs at least one address in to, cc or bcc");
    }
    needs_smtp_ = field.mark();  // checked at the end: smtp may come later in the file
  }

  void ReadHttpUrl(const YamlField& f, const std::string& what, std::string* url) {
    *url = ReadString(f, what, &errors_).value_or("");
    if (url->rfind("http://", 0) != 0 && url->rfind("https://", 0) != 0) {
      errors_.Add(f.mark(), what + ": expected an http:// or https:// URL");
    }
    if (HasControls(*url)) errors_.Add(f.mark(), what + ": control characters in the URL");
  }

  void ReadWebhook(const YamlField& field, const std::string& context, Receiver* r) {
    r->kind = Receiver::Kind::kWebhook;
    WebhookReceiver& w = r->webhook;
    std::vector<YamlField> fields = ReadFields(
        field.value, field.mark(), context + ": 'webhook'",
        {"url", "format", "template", "content_type", "headers", "secret", "secret_file",
         "secret_env", "signature_header", "timeout", "tls_verify", "max_alerts"},
        &errors_);
    bool has_url = false;
    std::optional<YamlField> tmpl;
    for (const YamlField& f : fields) {
      std::string what = context + ": 'webhook': '" + f.key + "'";
      if (f.key == "url") has_url = true, ReadHttpUrl(f, what, &w.url);
      if (f.key == "format") {
        std::string v = ReadString(f, what, &errors_).value_or("shihyo");
        if (v == "shihyo") w.format = WebhookReceiver::Format::kShihyo;
        else if (v == "alertmanager") w.format = WebhookReceiver::Format::kAlertmanager;
        else if (v == "template") w.format = WebhookReceiver::Format::kTemplate;
        else errors_.Add(f.mark(), what + ": expected shihyo, alertmanager or template");
      }
      if (f.key == "template") tmpl = f;
      if (f.key == "content_type") w.content_type = ReadString(f, what, &errors_).value_or(w.content_type);
      if (f.key == "headers") {
        for (const auto& [k, v] : ReadStringMap(f, what, &errors_).value_or(std::map<std::string, std::string>{})) {
          if (HasControls(k) || HasControls(v) || k.find(':') != std::string::npos) {
            errors_.Add(f.mark(), what + ": header '" + EscapeControls(k) + "' has a control character or ':'");
          }
          w.headers.emplace_back(k, v);
        }
      }
      if (f.key == "secret") {
        errors_.Add(f.mark(), context + ": 'webhook': 'secret' is not read from this file: put it "
                                        "in 'secret_file' or 'secret_env'");
      }
      if (f.key == "signature_header") w.signature_header = ReadString(f, what, &errors_).value_or(w.signature_header);
      if (f.key == "timeout") w.timeout = Duration(f, what).value_or(w.timeout);
      if (f.key == "tls_verify") w.tls_verify = ReadBool(f, what, &errors_).value_or(true);
      if (f.key == "max_alerts") w.max_alerts = ReadInt(f, what, 0, 100000, &errors_).value_or(0);
    }
    if (!field.value.IsMap()) return;
    w.secret = ReadSecretSource(fields, "secret_file", "secret_env", context + ": 'webhook'");
    if (!has_url) errors_.Add(field.mark(), context + ": 'webhook': missing 'url'");
    if (w.format == WebhookReceiver::Format::kTemplate) {
      if (!tmpl) {
        errors_.Add(field.mark(), context + ": 'webhook': format 'template' needs a 'template'");
      } else {
        ReadBodyTemplate(*tmpl, context, &w);
      }
    } else if (tmpl) {
      errors_.Add(tmpl->mark(), context + ": 'webhook': 'template' is used only with format: template");
    }
  }

  void ReadBodyTemplate(const YamlField& f, const std::string& context, WebhookReceiver* w) {
    std::optional<std::string> text = ReadString(f, context + ": 'webhook': 'template'", &errors_);
    if (!text) return;
    static const std::set<std::string> kPlaceholders = {
        "receiver", "status", "summary", "text", "count_new", "count_firing", "count_resolved",
        "group", "message_id", "external_url", "alerts", "indicator", "message", "severity",
        "severity_label", "fiscal_year_era", "rule", "state_label", "plan", "project"};
    size_t at = std::string::npos;
    auto compiled = MessageTemplate::Compile(*text, kPlaceholders, &at);
    if (!compiled.ok()) {
      errors_.Add(f.mark(), context + ": 'webhook': 'template': " + compiled.status().message());
      return;
    }
    w->body_template = *text;
    w->compiled_template = *compiled;
  }

  void ReadAlertmanager(const YamlField& field, const std::string& context, Receiver* r) {
    r->kind = Receiver::Kind::kAlertmanager;
    bool has_url = false;
    for (const YamlField& f : ReadFields(field.value, field.mark(), context + ": 'alertmanager'",
                                         {"url", "timeout", "tls_verify"}, &errors_)) {
      std::string what = context + ": 'alertmanager': '" + f.key + "'";
      if (f.key == "url") has_url = true, ReadHttpUrl(f, what, &r->alertmanager.url);
      if (f.key == "timeout") r->alertmanager.timeout = Duration(f, what).value_or(r->alertmanager.timeout);
      if (f.key == "tls_verify") r->alertmanager.tls_verify = ReadBool(f, what, &errors_).value_or(true);
    }
    if (field.value.IsMap() && !has_url) errors_.Add(field.mark(), context + ": 'alertmanager': missing 'url'");
  }

  void ReadOutbox(const YamlField& field) {
    for (const YamlField& f : ReadFields(field.value, field.mark(), "'outbox'",
                                         {"initial_backoff", "max_backoff", "max_age"}, &errors_)) {
      std::optional<Seconds> d = Duration(f, "'outbox': '" + f.key + "'");
      if (!d) continue;
      if (f.key == "initial_backoff") config_.outbox.initial_backoff = *d;
      if (f.key == "max_backoff") config_.outbox.max_backoff = *d;
      if (f.key == "max_age") config_.outbox.max_age = *d;
    }
  }

  std::vector<Matcher> ReadMatchers(const YamlField& f, const std::string& what, bool regex) {
    std::vector<Matcher> out;
    for (const auto& [label, value] : ReadStringMap(f, what, &errors_).value_or(std::map<std::string, std::string>{})) {
      Matcher m;
      m.label = label;
      m.value = value;
      if (!ValidLabelName(label)) errors_.Add(f.mark(), what + ": '" + label + "' is not a label name");
      if (regex) {
        auto re = Regex::Compile("^(?:" + value + ")$");
        if (!re.ok()) {
          errors_.Add(f.mark(), what + ": '" + label + "': invalid regular expression: " + re.status().message());
        } else {
          m.regex = *re;
        }
      }
      out.push_back(std::move(m));
    }
    return out;
  }

  Route ReadRoute(const YamlField& field, const std::string& context, const Route& parent,
                  bool root) {
    Route r = parent;  // inherit
    r.matchers.clear();
    r.routes.clear();
    r.continue_matching = false;
    bool has_receiver = false;
    for (const YamlField& f : ReadFields(field.value, field.mark(), context,
                                         {"receiver", "match", "match_re", "group_by", "group_wait",
                                          "repeat_interval", "send_resolved", "continue", "routes"},
                                         &errors_)) {
      std::string what = context + ": '" + f.key + "'";
      if (f.key == "receiver") {
        has_receiver = true;
        r.receiver = ReadString(f, what, &errors_).value_or("");
        if (!config_.FindReceiver(r.receiver)) {
          errors_.Add(f.mark(), what + ": no receiver named '" + r.receiver + "'");
        }
      } else if (f.key == "match" || f.key == "match_re") {
        if (root) errors_.Add(f.mark(), what + ": the root route matches every alert");
        for (Matcher& m : ReadMatchers(f, what, f.key == "match_re")) r.matchers.push_back(std::move(m));
      } else if (f.key == "group_by") {
        std::vector<std::string> labels = ReadStringList(f, what, &errors_).value_or(std::vector<std::string>{});
        r.group_each = labels.size() == 1 && labels[0] == "...";
        r.group_by = r.group_each ? std::vector<std::string>{} : labels;
        for (const std::string& l : r.group_by) {
          if (!ValidLabelName(l)) errors_.Add(f.mark(), what + ": '" + l + "' is not a label name");
        }
      } else if (f.key == "group_wait") {
        r.group_wait = Duration(f, what).value_or(r.group_wait);
      } else if (f.key == "repeat_interval") {
        r.repeat_interval = Duration(f, what).value_or(r.repeat_interval);
        if (r.repeat_interval < Seconds(60)) errors_.Add(f.mark(), what + ": at least 1m");
      } else if (f.key == "send_resolved") {
        r.send_resolved = ReadBool(f, what, &errors_).value_or(true);
      } else if (f.key == "continue") {
        if (root) errors_.Add(f.mark(), what + ": not allowed on the root route");
        r.continue_matching = ReadBool(f, what, &errors_).value_or(false);
      } else if (f.key == "routes") {
        if (!f.value.IsSequence()) {
          errors_.Add(f.mark(), what + ": expected a list of routes");
          continue;
        }
      }
    }
    if (root && !has_receiver) errors_.Add(field.mark(), context + ": the root route needs a 'receiver'");
    // Children inherit the settings read above.
    for (const YamlField& f : ReadChildren(field)) {
      r.routes.push_back(ReadRoute(f, context + " > route", r, false));
    }
    return r;
  }

  std::vector<YamlField> ReadChildren(const YamlField& field) {
    std::vector<YamlField> children;
    YAML::Node routes = Child(field.value, "routes");
    if (!routes.IsDefined() || !routes.IsSequence()) return children;
    for (const YAML::Node& child : routes) {
      children.push_back(YamlField{"routes", child, child.Mark()});
    }
    return children;
  }

  YamlErrors errors_;
  Config config_;
  fs::path base_;
  std::optional<YAML::Mark> needs_smtp_;
};

}  // namespace

Result<Config> LoadConfig(const std::string& path) {
  ConfigLoader loader(path);
  return loader.Load();
}

}  // namespace shihyo
