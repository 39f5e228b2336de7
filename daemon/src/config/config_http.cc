// The http section of shihyo.yaml: where the built-in HTTP server listens.
#include <arpa/inet.h>

#include "config/config_reader.h"

namespace shihyo {

std::string HttpConfig::listen() const {
  bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

namespace {

// "127.0.0.1:9387" or "[::1]:9387" into |out|; false when malformed.
bool ParseListen(const std::string& text, HttpConfig* out) {
  size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon + 1 >= text.size()) return false;
  std::string host = text.substr(0, colon);
  std::string port = text.substr(colon + 1);
  if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos) return false;
  int p = std::stoi(port);
  if (p < 1 || p > 65535) return false;
  unsigned char buf[16];
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
    if (inet_pton(AF_INET6, host.c_str(), buf) != 1) return false;
  } else if (inet_pton(AF_INET, host.c_str(), buf) != 1) {
    return false;
  }
  out->host = host;
  out->port = p;
  return true;
}

// write: {token_file: …} or {token_env: …}, exactly one.
void ReadWrite(const YamlField& field, ConfigReader* reader, HttpConfig* http) {
  std::vector<YamlField> fields = ReadFields(field.value, field.mark(), "'http': 'write'",
                                             {"token_file", "token_env"}, &reader->errors);
  if (!field.value.IsMap()) return;
  http->write = true;
  http->token = reader->ReadSecretSource(fields, "token_file", "token_env", "'http': 'write'");
  if (http->token.empty()) {
    reader->errors.Add(field.mark(),
                       "'http': 'write': needs 'token_file' or 'token_env' (writes are "
                       "never open to everyone)");
  }
}

}  // namespace

void ReadHttp(const YamlField& field, ConfigReader* reader, Config* config) {
  HttpConfig http;
  for (const YamlField& f :
       ReadFields(field.value, field.mark(), "'http'", {"listen", "write"}, &reader->errors)) {
    std::string what = "'http': '" + f.key + "'";
    if (f.key == "write") {
      ReadWrite(f, reader, &http);
      continue;
    }
    std::optional<std::string> v = ReadString(f, what, &reader->errors);
    if (v && !ParseListen(*v, &http)) {
      reader->errors.Add(f.mark(), what + ": expected an address and port such as " +
                                       "127.0.0.1:9387 or [::1]:9387, found '" + *v + "'");
    }
  }
  config->http = http;
}

}  // namespace shihyo
