#include "config/config.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "base/regex.h"
#include "base/text.h"
#include "base/time_zone.h"
#include "config/config_reader.h"

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

const Receiver* Config::FindReceiver(const std::string& name) const {
  for (const Receiver& r : receivers) {
    if (r.name == name) return &r;
  }
  return nullptr;
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

namespace {

constexpr int kMaxRouteDepth = 16;

class ConfigLoader {
 public:
  ConfigLoader(const std::string& path, const std::vector<ReceiverConfigKind>& kinds)
      : r_(path), kinds_(kinds) {
    config_.path = path;
  }

  Result<Config> Load() {
    std::optional<YAML::Node> doc = LoadYamlFile(r_.errors.file(), &r_.errors);
    if (doc) ReadTop(*doc);
    if (r_.needs_smtp && !config_.smtp) {
      r_.errors.Add(*r_.needs_smtp, "an email receiver needs an 'smtp' section");
    }
    if (!r_.errors.empty()) {
      std::string all;
      for (const std::string& e : r_.errors.messages()) all += (all.empty() ? "" : "\n") + e;
      return Status::InvalidArgument(all);
    }
    return std::move(config_);
  }

 private:
  void ReadTop(const YAML::Node& doc) {
    YAML::Mark top = FileStart();
    std::optional<YamlField> route, admin, inhibit;
    bool has_store = false, has_state = false, has_rules = false;
    for (const YamlField& f : ReadFields(
             doc, top, "config",
             {"store", "state", "rules", "external_url", "admin_receiver", "evaluation", "smtp",
              "receivers", "route", "inhibit_rules", "outbox", "log_level", "http", "timezone"},
             &r_.errors)) {
      std::string what = "'" + f.key + "'";
      if (f.key == "store")
        has_store = true, config_.store = r_.Path(ReadString(f, what, &r_.errors).value_or(""));
      if (f.key == "state")
        has_state = true, config_.state = r_.Path(ReadString(f, what, &r_.errors).value_or(""));
      if (f.key == "rules")
        has_rules = true, config_.rules = r_.Path(ReadString(f, what, &r_.errors).value_or(""));
      if (f.key == "external_url")
        config_.external_url = ReadString(f, what, &r_.errors).value_or(config_.external_url);
      if (f.key == "admin_receiver")
        admin = f, config_.admin_receiver = ReadString(f, what, &r_.errors).value_or("");
      if (f.key == "log_level") ReadLogLevel(f);
      if (f.key == "evaluation") ReadEvaluation(f);
      if (f.key == "smtp") ReadSmtp(f);
      if (f.key == "receivers") ReadReceivers(f, kinds_, &r_, &config_);
      if (f.key == "outbox") ReadOutbox(f);
      if (f.key == "http") ReadHttp(f, &r_, &config_);
      if (f.key == "route") route = f;
      if (f.key == "inhibit_rules") inhibit = f;
      if (f.key == "timezone") ReadTimeZone(f);
    }
    if (!doc.IsMap()) return;
    if (!has_store) r_.errors.Add(top, "config: missing 'store' (the indicator store)");
    if (!has_state) r_.errors.Add(top, "config: missing 'state' (the state DB)");
    if (!has_rules) r_.errors.Add(top, "config: missing 'rules' (the rule directory)");
    if (!route) {
      r_.errors.Add(top, "config: missing 'route' (which receiver gets which alerts)");
    } else {
      Route defaults;
      config_.route = ReadRoute(*route, "route", defaults, true);
    }
    if (inhibit) ReadInhibitRules(*inhibit, &r_, &config_);
    if (!config_.zone) config_.zone = TokyoZone();  // the default, or a bad one reported
    if (admin && !config_.admin_receiver.empty() && !config_.FindReceiver(config_.admin_receiver)) {
      r_.errors.Add(admin->mark(),
                    "config: 'admin_receiver': no receiver named '" + config_.admin_receiver + "'");
    }
  }

  void ReadLogLevel(const YamlField& f) {
    std::string v = ReadString(f, "'log_level'", &r_.errors).value_or("info");
    static const std::set<std::string> kLevels = {"trace", "debug", "info", "warn", "error", "off"};
    if (!kLevels.count(v)) {
      r_.errors.Add(f.mark(), "'log_level': unknown level '" + v +
                                  "' (expected trace, debug, info, warn, error or off)");
    }
    config_.log_level = v;
  }

  void ReadTimeZone(const YamlField& f) {
    config_.timezone = ReadString(f, "'timezone'", &r_.errors).value_or(config_.timezone);
    Result<std::shared_ptr<const TimeZone>> zone = LoadTimeZone(config_.timezone);
    if (!zone.ok()) {
      r_.errors.Add(f.mark(), "'timezone': " + zone.status().message());
    } else {
      config_.zone = *zone;
    }
  }

  void ReadEvaluation(const YamlField& field) {
    for (const YamlField& f : ReadFields(field.value, field.mark(), "'evaluation'",
                                         {"interval", "poll_interval"}, &r_.errors)) {
      std::string what = "'evaluation': '" + f.key + "'";
      if (f.key == "interval") {
        config_.evaluation_interval =
            Bounded(f, what, kIntervalBounds).value_or(config_.evaluation_interval);
        continue;
      }
      std::optional<std::string> v = ReadString(f, what, &r_.errors);
      std::optional<std::chrono::milliseconds> ms = v ? ParseMillisSaturated(*v) : std::nullopt;
      if (!ms) {
        if (v) r_.errors.Add(f.mark(), what + ": expected a duration such as 2s or 500ms");
      } else if (*ms < std::chrono::milliseconds(100)) {
        r_.errors.Add(f.mark(), what + ": at least 100ms");
      } else if (*ms > kPollBounds.max) {
        r_.errors.Add(f.mark(), what + ": at most " + FormatDuration(kPollBounds.max));
      } else {
        config_.poll_interval = *ms;
      }
    }
  }

  // The duration at |f|, reported unless within |b| (and nullopt then).
  std::optional<Seconds> Bounded(const YamlField& f, const std::string& what, DurationBounds b) {
    std::optional<std::string> v = ReadString(f, what, &r_.errors);
    if (!v) return std::nullopt;
    std::optional<Seconds> d = ParseDurationSaturated(*v);
    if (!d) {
      r_.errors.Add(f.mark(),
                    what + ": expected a duration such as 30s, 5m, 2h or 7d, found '" + *v + "'");
    } else if (*d < b.min) {
      r_.errors.Add(f.mark(), what + ": at least " + FormatDuration(b.min));
    } else if (*d > b.max) {
      r_.errors.Add(f.mark(), what + ": at most " + FormatDuration(b.max));
    } else {
      return d;
    }
    return std::nullopt;
  }

  void ReadSmtp(const YamlField& field) {
    SmtpConfig smtp;
    std::vector<YamlField> fields =
        ReadFields(field.value, field.mark(), "'smtp'",
                   {"url", "starttls", "user", "password", "password_file", "password_env", "from",
                    "timeout", "tls_verify"},
                   &r_.errors);
    bool has_url = false, has_from = false;
    for (const YamlField& f : fields) {
      std::string what = "'smtp': '" + f.key + "'";
      if (f.key == "password") {
        r_.errors.Add(f.mark(),
                      "'smtp': 'password' is not read from this file: put it in "
                      "'password_file' or 'password_env'");
      } else if (f.key == "url") {
        has_url = true;
        smtp.url = ReadString(f, what, &r_.errors).value_or("");
        if (smtp.url.rfind("smtp://", 0) != 0 && smtp.url.rfind("smtps://", 0) != 0) {
          r_.errors.Add(f.mark(), what + ": expected smtp://host:port or smtps://host:port");
        }
      } else if (f.key == "starttls") {
        std::string v = ReadString(f, what, &r_.errors).value_or("required");
        if (v == "required")
          smtp.starttls = SmtpConfig::StartTls::kRequired;
        else if (v == "opportunistic")
          smtp.starttls = SmtpConfig::StartTls::kOpportunistic;
        else if (v == "off")
          smtp.starttls = SmtpConfig::StartTls::kOff;
        else
          r_.errors.Add(f.mark(), what + ": expected required, opportunistic or off");
      } else if (f.key == "user") {
        smtp.user = ReadString(f, what, &r_.errors).value_or("");
      } else if (f.key == "from") {
        has_from = true;
        smtp.from = ReadString(f, what, &r_.errors).value_or("");
        if (!ValidAddress(smtp.from)) r_.errors.Add(f.mark(), what + ": not an email address");
      } else if (f.key == "timeout") {
        smtp.timeout = Bounded(f, what, kSmtpTimeoutBounds).value_or(smtp.timeout);
      } else if (f.key == "tls_verify") {
        smtp.tls_verify = ReadBool(f, what, &r_.errors).value_or(true);
      }
    }
    if (field.value.IsMap()) {
      smtp.password = r_.ReadSecretSource(fields, "password_file", "password_env", "'smtp'");
      if (!has_url) r_.errors.Add(field.mark(), "'smtp': missing 'url'");
      if (!has_from) r_.errors.Add(field.mark(), "'smtp': missing 'from'");
    }
    config_.smtp = smtp;
  }

  void ReadOutbox(const YamlField& field) {
    OutboxConfig& o = config_.outbox;
    std::optional<YAML::Mark> at;  // the last key set: where a conflict is reported
    for (const YamlField& f :
         ReadFields(field.value, field.mark(), "'outbox'",
                    {"initial_backoff", "max_backoff", "max_age"}, &r_.errors)) {
      std::string what = "'outbox': '" + f.key + "'";
      at = f.mark();
      if (f.key == "initial_backoff")
        o.initial_backoff = Bounded(f, what, kInitialBackoffBounds).value_or(o.initial_backoff);
      if (f.key == "max_backoff")
        o.max_backoff = Bounded(f, what, kMaxBackoffBounds).value_or(o.max_backoff);
      if (f.key == "max_age") o.max_age = Bounded(f, what, kMaxAgeBounds).value_or(o.max_age);
    }
    // A message must live long enough for its first retry, and the backoff
    // cannot start above its own ceiling.
    std::string initial = " (" + FormatDuration(o.initial_backoff) + ")";
    if (at && o.max_backoff < o.initial_backoff) {
      r_.errors.Add(*at, "'outbox': 'max_backoff' (" + FormatDuration(o.max_backoff) +
                             ") is shorter than 'initial_backoff'" + initial);
    }
    if (at && o.max_age < o.initial_backoff) {
      r_.errors.Add(*at, "'outbox': 'max_age' (" + FormatDuration(o.max_age) +
                             ") is shorter than 'initial_backoff'" + initial +
                             ": a message would be dead before its first retry");
    }
  }

  std::vector<Matcher> ReadMatchers(const YamlField& f, const std::string& what, bool regex) {
    std::vector<Matcher> out;
    for (const auto& [label, value] :
         ReadStringMap(f, what, &r_.errors).value_or(std::map<std::string, std::string>{})) {
      Matcher m;
      m.label = label;
      m.value = value;
      if (!ValidLabelName(label))
        r_.errors.Add(f.mark(), what + ": '" + label + "' is not a label name");
      if (regex) {
        auto re = Regex::Compile("^(?:" + value + ")$");
        if (!re.ok()) {
          r_.errors.Add(f.mark(), what + ": '" + label +
                                      "': invalid regular expression: " + re.status().message());
        } else {
          m.regex = *re;
        }
      }
      out.push_back(std::move(m));
    }
    return out;
  }

  // group_by: label names, or [...] for one message per alert.
  void ReadGroupBy(const YamlField& f, const std::string& what, Route* r) {
    std::vector<std::string> labels =
        ReadStringList(f, what, &r_.errors).value_or(std::vector<std::string>{});
    r->group_each = labels.size() == 1 && labels[0] == "...";
    r->group_by = r->group_each ? std::vector<std::string>{} : labels;
    for (const std::string& l : r->group_by) {
      if (!ValidLabelName(l)) r_.errors.Add(f.mark(), what + ": '" + l + "' is not a label name");
    }
  }

  Route ReadRoute(const YamlField& field, const std::string& context, const Route& parent,
                  bool root, int depth = 0) {
    if (depth > kMaxRouteDepth) {
      // Deeper than anyone writes by hand: a YAML alias that includes itself.
      r_.errors.Add(field.mark(), context + ": routes nested more than " +
                                      std::to_string(kMaxRouteDepth) + " deep (an alias loop?)");
      return parent;
    }
    Route r = parent;  // inherit
    r.matchers.clear();
    r.routes.clear();
    r.continue_matching = false;
    bool has_receiver = false;
    for (const YamlField& f :
         ReadFields(field.value, field.mark(), context,
                    {"receiver", "match", "match_re", "group_by", "group_wait", "group_interval",
                     "repeat_interval", "send_resolved", "continue", "routes"},
                    &r_.errors)) {
      std::string what = context + ": '" + f.key + "'";
      if (f.key == "receiver") {
        has_receiver = true;
        r.receiver = ReadString(f, what, &r_.errors).value_or("");
        if (!config_.FindReceiver(r.receiver)) {
          r_.errors.Add(f.mark(), what + ": no receiver named '" + r.receiver + "'");
        }
      } else if (f.key == "match" || f.key == "match_re") {
        if (root) r_.errors.Add(f.mark(), what + ": the root route matches every alert");
        for (Matcher& m : ReadMatchers(f, what, f.key == "match_re"))
          r.matchers.push_back(std::move(m));
      } else if (f.key == "group_by") {
        ReadGroupBy(f, what, &r);
      } else if (f.key == "group_wait") {
        r.group_wait = Bounded(f, what, kGroupWaitBounds).value_or(r.group_wait);
      } else if (f.key == "group_interval") {
        std::optional<Seconds> d = Bounded(f, what, kGroupWaitBounds);
        if (d) r.group_interval = *d, r.group_interval_set = true;
      } else if (f.key == "repeat_interval") {
        r.repeat_interval = Bounded(f, what, kRepeatBounds).value_or(r.repeat_interval);
      } else if (f.key == "send_resolved") {
        r.send_resolved = ReadBool(f, what, &r_.errors).value_or(true);
      } else if (f.key == "continue") {
        if (root) r_.errors.Add(f.mark(), what + ": not allowed on the root route");
        r.continue_matching = ReadBool(f, what, &r_.errors).value_or(false);
      } else if (f.key == "routes") {
        if (!f.value.IsSequence()) {
          r_.errors.Add(f.mark(), what + ": expected a list of routes");
          continue;
        }
      }
    }
    if (root && !has_receiver)
      r_.errors.Add(field.mark(), context + ": the root route needs a 'receiver'");
    if (!r.group_interval_set) r.group_interval = r.group_wait;
    // Children inherit the settings read above.
    for (const YamlField& f : ReadChildren(field)) {
      r.routes.push_back(ReadRoute(f, context + " > route", r, false, depth + 1));
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

  ConfigReader r_;
  const std::vector<ReceiverConfigKind>& kinds_;
  Config config_;
};

}  // namespace

Result<Config> LoadConfig(const std::string& path, const std::vector<ReceiverConfigKind>& kinds) {
  ConfigLoader loader(path, kinds);
  return loader.Load();
}

}  // namespace shihyo
