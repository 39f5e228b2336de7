// The daemon's configuration (shihyo.yaml): typed fields with their defaults,
// read and validated like rule files ("file:line:column: message" for every
// problem, unknown keys rejected). Secrets are never in the file: passwords
// and webhook secrets come from a file or an environment variable, read when
// they are needed. Plain data after loading; thread-compatible.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"

namespace shihyo {

class Regex;
class TimeZone;
struct YamlField;
struct ConfigReader;

using Seconds = std::chrono::seconds;

// Where a secret comes from: exactly one of |file| and |env| is set.
struct SecretSource {
  std::string file;
  std::string env;
  bool empty() const { return file.empty() && env.empty(); }
};

// Reads the secret (without a trailing newline). kNotFound when unset.
Result<std::string> ReadSecret(const SecretSource& source);

struct SmtpConfig {
  std::string url;  // smtp://host:port (STARTTLS per |starttls|) or smtps://host:port
  enum class StartTls { kRequired, kOpportunistic, kOff };
  StartTls starttls = StartTls::kRequired;  // smtp:// only; smtps:// is TLS from the start
  std::string user;
  SecretSource password;
  std::string from;  // "shihyo <shihyo@example.lg.jp>" or a bare address
  Seconds timeout{30};
  bool tls_verify = true;
};

// A receiver kind's own settings: each kind (notify/<kind>/) derives its
// struct from this one, so that config/ knows no kind. Immutable once read.
class ReceiverSettings {
 public:
  virtual ~ReceiverSettings() = default;
  // True when the receiver takes every alert each cycle (as Alertmanager
  // does) instead of grouped notifications.
  virtual bool PushesAlerts() const { return false; }
};

struct Receiver {
  std::string name;
  std::string kind;  // its kind's key in the file: "email", "webhook", …
  std::shared_ptr<const ReceiverSettings> settings;  // of |kind|; null only when built by hand

  // |settings| as |T|, or nullptr when they are of another type.
  template <typename T>
  const T* SettingsAs() const {
    return dynamic_cast<const T*>(settings.get());
  }
};

// How one receiver kind's section (receivers[].<key>) is read. The receiver
// registry (notify/receiver_registry.h) lists one per kind.
struct ReceiverConfigKind {
  std::string key;
  // Reads |field| for the receiver |context| names ("receiver 'x'"),
  // reporting every problem to |reader|.
  std::function<std::shared_ptr<const ReceiverSettings>(
      const YamlField& field, const std::string& context, ConfigReader* reader)>
      read;
};

// label = value, label =~ regex (anchored), or their negations.
struct Matcher {
  std::string label;
  std::string value;
  std::shared_ptr<const Regex> regex;  // set for =~ and !~
  bool negate = false;
};

// A node of the routing tree, in the manner of Alertmanager: an alert goes
// down the first child whose matchers all hold (and on to the next ones when
// that child says continue); where no child matches, the node itself takes
// it. Unset fields are inherited from the parent when loaded.
struct Route {
  std::string receiver;
  std::vector<Matcher> matchers;
  std::vector<std::string> group_by;  // label names; empty = one group for all
  bool group_each = false;            // group_by: [...]: one message per alert
  Seconds group_wait{0};              // before a new group's first notification
  // Before notifying a group again about new or resolved alerts. Unless set
  // here or above, the group_wait in force (as before the key existed).
  Seconds group_interval{0};
  bool group_interval_set = false;
  Seconds repeat_interval{std::chrono::hours(24 * 7)};
  bool send_resolved = true;
  bool continue_matching = false;
  std::vector<Route> routes;
};

// An inhibition rule, as in Alertmanager: while an alert matching
// |source_matchers| fires, alerts matching |target_matchers| with the same
// values of the |equal| labels (absent counts as empty) are not notified.
struct InhibitRule {
  std::vector<Matcher> source_matchers;
  std::vector<Matcher> target_matchers;
  std::vector<std::string> equal;
  std::string where;  // "file:line" of the rule, for logs
};

struct OutboxConfig {
  Seconds initial_backoff{30};   // first retry after about this long (with jitter)
  Seconds max_backoff{30 * 60};  // delays double up to this
  Seconds max_age{24 * 3600};    // then the message is dead
};

// The built-in HTTP server (http/): status pages, /metrics, the JSON API.
// Off unless the config has an 'http' section.
struct HttpConfig {
  std::string host = "127.0.0.1";  // an IPv4 or IPv6 literal (no names: nothing to resolve)
  int port = 9387;
  // Changes over HTTP (silences, retrying dead messages): only with a
  // 'write' section, authenticated by this token (Bearer, or the password of
  // Basic auth) read from a file or the environment at each request.
  bool write = false;
  SecretSource token;
  // host:port as written ("[::1]:9387" for IPv6), for logs and status.
  std::string listen() const;
};

struct Config {
  std::string path;                               // the file it was read from
  std::string store;                              // indicator store (read-only)
  std::string state;                              // state DB: alerts, silences, outbox
  std::string rules;                              // rule directory
  std::string external_url = "http://localhost";  // for links (generatorURL)
  std::string admin_receiver;                     // told about rule reload errors and dead messages
  Seconds evaluation_interval{3600};              // evaluate at least this often
  std::chrono::milliseconds poll_interval{2000};  // PRAGMA data_version poll
  std::optional<SmtpConfig> smtp;
  std::vector<Receiver> receivers;
  Route route;
  std::vector<InhibitRule> inhibit_rules;
  // The time zone of the times shown to people (tz database name); checked
  // when loaded: |zone| is then set.
  std::string timezone = "Asia/Tokyo";
  std::shared_ptr<const TimeZone> zone;
  OutboxConfig outbox;
  std::string log_level = "info";
  std::optional<HttpConfig> http;  // nullopt: no HTTP server

  // The receiver called |name|, or nullptr.
  const Receiver* FindReceiver(const std::string& name) const;
};

// An alert label name as Alertmanager allows it: [A-Za-z_][A-Za-z0-9_]*.
bool ValidLabelName(const std::string& s);

// One matcher as Alertmanager writes it: label="value", label!="value",
// label=~"regex" or label!~"regex" (quotes optional; regexes anchored).
Result<Matcher> ParseMatcherText(const std::string& text);

// Reads and validates |path|, each receiver's section with its kind in
// |kinds|. Relative paths in it are relative to the file's directory. On
// error the status message holds every problem, one "file:line:column:
// message" per line.
Result<Config> LoadConfig(const std::string& path, const std::vector<ReceiverConfigKind>& kinds);

// The longest duration ParseDuration accepts: 100 years, so that adding any
// duration to any time shihyo handles stays within TimePoint's range.
inline constexpr Seconds kMaxDuration{100LL * 365 * 86400};

// The bounds of each duration key (README "Running it as a service"); a
// value outside them is a file:line:column error, never clamped.
struct DurationBounds {
  Seconds min, max;
};
inline constexpr DurationBounds kIntervalBounds{Seconds(10), Seconds(7 * 86400)};
inline constexpr DurationBounds kPollBounds{Seconds(0), Seconds(86400)};  // and >= 100ms
inline constexpr DurationBounds kSmtpTimeoutBounds{Seconds(1), Seconds(3600)};
inline constexpr DurationBounds kGroupWaitBounds{Seconds(0), Seconds(86400)};
inline constexpr DurationBounds kRepeatBounds{Seconds(60), Seconds(3650LL * 86400)};
inline constexpr DurationBounds kInitialBackoffBounds{Seconds(1), Seconds(86400)};
inline constexpr DurationBounds kMaxBackoffBounds{Seconds(1), Seconds(7 * 86400)};
inline constexpr DurationBounds kMaxAgeBounds{Seconds(1), Seconds(3650LL * 86400)};

// "30s", "5m", "2h", "10d": the largest unit that divides |d| evenly.
std::string FormatDuration(Seconds d);

// Parses "30s", "5m", "2h", "7d" (or a bare number of seconds), at most
// kMaxDuration.
std::optional<Seconds> ParseDuration(const std::string& text);

// Like ParseDuration, and also "500ms".
std::optional<std::chrono::milliseconds> ParseMillis(const std::string& text);

// Like ParseDuration and ParseMillis, but a well-formed duration beyond
// kMaxDuration reads as kMaxDuration + 1s (for an "at most" message rather
// than "malformed"). nullopt only when malformed.
std::optional<Seconds> ParseDurationSaturated(const std::string& text);
std::optional<std::chrono::milliseconds> ParseMillisSaturated(const std::string& text);

}  // namespace shihyo
