// The receivers section of shihyo.yaml: names, and the one kind each has;
// the kinds read their own sections (notify/<kind>/).
#include <set>

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
  std::optional<std::string> v = ReadString(f, what, &errors);
  if (!v) return std::nullopt;
  std::optional<Seconds> d = ParseDurationSaturated(*v);  // 1s to 1h, like smtp.timeout
  if (!d) {
    errors.Add(f.mark(),
               what + ": expected a duration such as 30s, 5m, 2h or 7d, found '" + *v + "'");
  } else if (*d < kSmtpTimeoutBounds.min) {
    errors.Add(f.mark(), what + ": at least " + FormatDuration(kSmtpTimeoutBounds.min));
  } else if (*d > kSmtpTimeoutBounds.max) {
    errors.Add(f.mark(), what + ": at most " + FormatDuration(kSmtpTimeoutBounds.max));
  } else {
    return d;
  }
  return std::nullopt;
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

std::string ConfigReader::HttpUrl(const YamlField& f, const std::string& what) {
  std::string url = ReadString(f, what, &errors).value_or("");
  if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
    errors.Add(f.mark(), what + ": expected an http:// or https:// URL");
  }
  if (HasControls(url)) errors.Add(f.mark(), what + ": control characters in the URL");
  return url;
}

namespace {

// "'email', 'webhook', 'alertmanager'": the kinds, in the registry's order.
std::string KindList(const std::vector<ReceiverConfigKind>& kinds) {
  std::string out;
  for (const ReceiverConfigKind& k : kinds) out += (out.empty() ? "'" : ", '") + k.key + "'";
  return out;
}

}  // namespace

void ReadReceivers(const YamlField& field, const std::vector<ReceiverConfigKind>& kinds,
                   ConfigReader* r, Config* config) {
  if (!field.value.IsSequence()) {
    r->errors.Add(field.mark(), "'receivers': expected a list");
    return;
  }
  std::set<std::string> names;
  std::vector<std::string> keys = {"name"};
  for (const ReceiverConfigKind& k : kinds) keys.push_back(k.key);
  for (const YAML::Node& node : field.value) {
    Receiver rec;
    std::string context = "receiver";
    if (!ChildScalar(node, "name").empty())
      context = "receiver '" + ChildScalar(node, "name") + "'";
    int found = 0;
    for (const YamlField& f : ReadFields(node, node.Mark(), context, keys, &r->errors)) {
      if (f.key == "name") {
        rec.name = ReadString(f, context + ": 'name'", &r->errors).value_or("");
        if (!names.insert(rec.name).second)
          r->errors.Add(f.mark(), context + ": duplicate receiver name");
      } else {
        ++found;
        for (const ReceiverConfigKind& k : kinds) {
          if (f.key != k.key) continue;
          rec.kind = k.key;
          rec.settings = k.read(f, context, r);
        }
      }
    }
    if (!node.IsMap()) continue;
    if (rec.name.empty()) r->errors.Add(node.Mark(), context + ": missing 'name'");
    if (found != 1)
      r->errors.Add(node.Mark(), context + ": needs exactly one of " + KindList(kinds));
    config->receivers.push_back(std::move(rec));
  }
}

}  // namespace shihyo
