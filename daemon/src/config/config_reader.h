// What reading shihyo.yaml shares: config*.cc and the receiver kinds'
// readers (notify/<kind>/), which get it through ReceiverConfigKind.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "base/yaml_util.h"
#include "config/config.h"

namespace shihyo {

struct ConfigReader {
  explicit ConfigReader(const std::string& file);

  // |p| relative to the config file's directory (absolute paths unchanged).
  std::string Path(const std::string& p) const;
  // A duration value ("30s", "5m"); reports a bad one.
  std::optional<Seconds> Duration(const YamlField& f, const std::string& what);
  // A timeout: 1s to 1h (0 would mean "wait forever"; more overflows libcurl's
  // milliseconds and blocks delivery).
  std::optional<Seconds> Timeout(const YamlField& f, const std::string& what);
  // |file_key| or |env_key| among |fields| (not both).
  SecretSource ReadSecretSource(const std::vector<YamlField>& fields, const char* file_key,
                                const char* env_key, const std::string& what);
  // An http:// or https:// URL without control characters; reports a bad one.
  std::string HttpUrl(const YamlField& f, const std::string& what);

  YamlErrors errors;
  std::filesystem::path base;
  std::optional<YAML::Mark> needs_smtp;  // an email receiver was seen here
};

// "addr@example.lg.jp" or "Name <addr@example.lg.jp>", without controls.
bool ValidAddress(const std::string& address);

// Reads the receivers list into |config|, each receiver's section with its
// kind in |kinds|.
void ReadReceivers(const YamlField& field, const std::vector<ReceiverConfigKind>& kinds,
                   ConfigReader* reader, Config* config);

// Reads the http section (config_http.cc) into |config|.
void ReadHttp(const YamlField& field, ConfigReader* reader, Config* config);

// Reads the inhibit_rules list (config_inhibit.cc) into |config|.
void ReadInhibitRules(const YamlField& field, ConfigReader* reader, Config* config);

}  // namespace shihyo
