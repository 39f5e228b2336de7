// `shihyo daemon`, `preview`, `alerts` and `send-test`: alerts and their
// delivery from the command line, and the helpers the state commands share.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <tuple>

#include "alert/inhibit.h"
#include "base/i18n.h"
#include "base/log.h"
#include "base/regex.h"
#include "base/text_table.h"
#include "base/time_zone.h"
#include "cli/cli_tools.h"
#include "notify/receiver_registry.h"
#include "service/once.h"
#include "state/alert_view.h"

namespace shihyo {

namespace {

// Why a command that needs an existing state DB cannot go on, or "" if it can.
std::string MissingStateProblem(const Config& config, StateAccess access) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (access == StateAccess::kCreate || fs::exists(config.state, ec)) return "";
  if (access == StateAccess::kExisting) {
    return "shihyo: " +
           TrF("the state DB {} (state: in {}) does not exist yet: the service creates "
               "it on its first cycle (systemctl start shihyo, or shihyo daemon "
               "--config {} --once)",
               {config.state, config.path, config.path});
  }
  fs::path dir = fs::path(config.state).parent_path();
  std::string dir_name = dir.empty() ? std::string(".") : dir.string();
  struct stat st {};
  if (::stat(dir_name.c_str(), &st) != 0)
    return "shihyo: " + TrF("the directory of the state DB {} does not exist", {config.state});
  if (st.st_uid == ::geteuid()) return "";
  return "shihyo: " + TrF("the state DB {} (state: in {}) does not exist yet, and creating it as "
                          "this user would leave the service unable to write it: run the command "
                          "as the owner of {} (e.g. sudo -u shihyo), or start the service first",
                          {config.state, config.path, dir_name});
}

}  // namespace

int LoadEnv(const std::string& config_path, CliContext& ctx, CliEnv* env, StateAccess access) {
  Result<Config> config = LoadConfig(config_path, ReceiverConfigKinds());
  if (!config.ok()) {
    ctx.err << config.status().message() << "\n";
    return config.status().IsInvalidArgument() ? kExitFailure : kExitUsage;
  }
  env->config = std::move(config).value();
  SetDisplayZone(env->config.zone);
  std::error_code ec;
  bool missing = !std::filesystem::exists(env->config.state, ec);
  if (access != StateAccess::kPreview) {
    if (std::string problem = MissingStateProblem(env->config, access); !problem.empty()) {
      ctx.err << problem << "\n";
      return kExitUsage;
    }
  }
  bool in_memory = access == StateAccess::kPreview && missing;
  auto state = StateStore::Open(in_memory ? ":memory:" : env->config.state);
  if (!state.ok()) return ReportError(ctx, state.status());
  env->state = std::move(state).value();
  return kExitOk;
}

int PathsFromConfig(const std::string& config_path, CliContext& ctx, std::string* db,
                    std::string* rules) {
  bool need_rules = rules && rules->empty();
  if (!db->empty() && !need_rules) return kExitOk;
  Result<Config> config = LoadConfig(config_path, ReceiverConfigKinds());
  if (!config.ok()) {
    ctx.err << config.status().message() << "\n"
            << "shihyo: "
            << TrF("give --db (and --rules), or a valid --config (read: {})", {config_path})
            << "\n";
    return config.status().IsInvalidArgument() ? kExitFailure : kExitUsage;
  }
  if (db->empty()) *db = config->store;
  if (need_rules) *rules = config->rules;
  return kExitOk;
}

std::string Ts(TimePoint t) { return FormatIso8601(t); }

// A time as staff read it: in the config's timezone (Asia/Tokyo unless set), to the minute.
std::string LocalTs(TimePoint t) { return FormatLocalDateTime(t); }

void AddConfigOption(CLI::App* cmd, std::string* config) {
  *config = kDefaultConfigPath;
  cmd->add_option("--config", *config, "daemon config (shihyo.yaml)")->capture_default_str();
}

void AddFormatOption(CLI::App* cmd, std::string* format) {
  cmd->add_option("--format", *format, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
}

namespace {

bool ResolveNow(const std::string& text, CliContext& ctx, TimePoint* now) {
  *now = ctx.clock.Now();
  if (text.empty()) return true;
  Result<TimePoint> t = ParseTime(text);
  if (!t.ok()) {
    ctx.err << "shihyo: --now: " << t.status().message() << "\n";
    return false;
  }
  *now = *t;
  return true;
}

struct CycleOptions {
  std::string config;
  std::string now;
  bool once = false;
  std::string receiver;
};

// What preview prints: each message as its receiver's kind shows it.
void PrintPreview(const CycleOptions& opts, const Config& config, const CycleResult& result,
                  TimePoint now, CliContext& ctx) {
  int shown = 0;
  if (result.next_flush) {  // groups still in group_wait (or group_interval), shown ahead
    ctx.out << "==== "
            << TrF("what goes out once group_wait (or group_interval) has passed, at {} {}",
                   {FormatLocalDateTime(*result.next_flush), DisplayZoneAbbrev(*result.next_flush)})
            << " ====\n";
  }
  for (const Message& m : result.messages) {
    if (!opts.receiver.empty() && m.receiver != opts.receiver) continue;
    const Receiver* r = config.FindReceiver(m.receiver);
    const ReceiverKind* kind = FindReceiverKind(m.kind);
    ctx.out << "==== message " << ++shown << ": receiver " << m.receiver << " ====\n";
    if (r && kind) ctx.out << kind->Preview(m, *r, config, now);
  }
  if (shown == 0) ctx.out << Tr("(the next cycle would send nothing)") << "\n";
}

// What `daemon --once` prints: delivery failures, then one summary line.
// Exit 1 when messages wait in the outbox or went dead in this run.
int PrintOnce(const OnceReport& report, TimePoint now, CliContext& ctx) {
  const CycleResult& c = report.cycle;
  const DeliveryReport& d = report.delivery;
  for (const std::string& e : d.errors) ctx.err << "delivery failed: " << e << "\n";
  ctx.out << "evaluated " << Ts(now) << ": " << c.eval.findings.size() << " findings, " << c.firing
          << " alerts firing (" << c.fired << " new, " << c.resolved
          << " resolved); messages: " << c.messages.size() << " queued, " << d.sent << " sent, "
          << d.retrying << " retrying, " << d.dead << " dead; outbox pending " << report.pending
          << "\n";
  return report.pending == 0 && d.dead == 0 ? kExitOk : kExitFailure;
}

// `daemon --once` and `preview` (|dry_run|): the service's one turn (service/once.h).
int RunOneCycle(const CycleOptions& opts, CliContext& ctx, bool dry_run) {
  CliEnv env;
  StateAccess access = dry_run ? StateAccess::kPreview : StateAccess::kCreate;
  if (int rc = LoadEnv(opts.config, ctx, &env, access)) return rc;
  if (!opts.receiver.empty() && !env.config.FindReceiver(opts.receiver)) {
    ctx.err << "shihyo: " << TrF("no receiver named '{}' in {}", {opts.receiver, opts.config})
            << "\n";
    return kExitUsage;
  }
  if (!ctx.log_level_set) InitLogging(env.config.log_level);
  TimePoint now;
  if (!ResolveNow(opts.now, ctx, &now)) return kExitUsage;
  FixedClock fixed(now);
  OnceOptions once;
  once.now = now;
  once.dry_run = dry_run;
  once.outbox_clock = opts.now.empty() ? &ctx.clock : &fixed;
  once.send_clock = &ctx.clock;
  once.evaluated = [&ctx](const CycleResult& r) {
    for (const std::string& w : r.warnings) ctx.err << "warning: " << w << "\n";
  };
  Result<OnceReport> report = RunOnce(env.config, env.state.get(), once);
  if (!report.ok()) return ReportError(ctx, report.status());
  for (const std::string& e : report->rule_errors) ctx.err << e << "\n";
  if (!report->rule_errors.empty()) return kExitFailure;
  if (!dry_run) return PrintOnce(*report, now, ctx);
  PrintPreview(opts, env.config, report->cycle, now, ctx);
  return kExitOk;
}

// One `alerts --filter`: a label (or `state`, `rule`) compared with =, !=,
// =~ or !~ (a regex matching the whole value), as Alertmanager's matchers.
struct AlertFilter {
  std::string label;
  std::string value;
  std::shared_ptr<const Regex> regex;
  bool negate = false;
};

Result<AlertFilter> ParseAlertFilter(const std::string& text) {
  size_t at = text.find_first_of("=!");
  if (at == std::string::npos || at == 0)
    return Status::InvalidArgument("--filter '" + text +
                                   "': expected label=value, label!=value, "
                                   "label=~regex or label!~regex");
  AlertFilter f;
  f.label = text.substr(0, at);
  std::string op = text.substr(at, 2);
  f.negate = text[at] == '!';
  if (f.negate && op != "!=" && op != "!~")
    return Status::InvalidArgument("--filter '" + text + "': expected != or !~ after the label");
  bool regex = op == "=~" || op == "!~";
  f.value = text.substr(at + (f.negate || regex ? 2 : 1));
  if (!regex) return f;
  auto re = Regex::Compile("^(?:" + f.value + ")$");
  if (!re.ok()) return Status::InvalidArgument("--filter '" + text + "': " + re.status().message());
  f.regex = *re;
  return f;
}

// Whether |a| (in |state|) passes every filter; an error if a regex cannot decide.
Result<bool> PassesFilters(const std::vector<AlertFilter>& filters, const AlertRecord& a,
                           const std::string& state) {
  for (const AlertFilter& f : filters) {
    std::string value = f.label == "state"        ? state
                        : f.label == "rule"       ? a.rule
                        : a.labels.count(f.label) ? a.labels.at(f.label)
                                                  : "";
    bool holds = value == f.value;
    if (f.regex) {
      Result<bool> m = f.regex->Match(value);
      if (!m.ok()) return m.status();
      holds = *m;
    }
    if (holds == f.negate) return false;
  }
  return true;
}

int SeverityRank(const AlertRecord& a) {
  auto it = a.labels.find("severity");
  std::string s = it == a.labels.end() ? "" : it->second;
  return s == "critical" ? 0 : s == "warning" ? 1 : s == "info" ? 2 : 3;
}

// The alerts `alerts` shows, most severe first, then firing before silenced
// before resolved, then the oldest first.
Result<std::vector<const AlertRecord*>> SelectAlerts(const std::map<std::string, AlertRecord>& all,
                                                     const StateCommandOptions& opts) {
  std::vector<AlertFilter> filters;
  for (const std::string& text : opts.filters) {
    Result<AlertFilter> f = ParseAlertFilter(text);
    if (!f.ok()) return f.status();
    filters.push_back(*f);
  }
  std::vector<const AlertRecord*> out;
  for (const auto& [fp, a] : all) {
    if (!opts.fingerprint.empty() ? fp != opts.fingerprint : !opts.all && !a.firing()) continue;
    Result<bool> pass = PassesFilters(filters, a, AlertStateName(a));
    if (!pass.ok()) return pass.status();
    if (*pass) out.push_back(&a);
  }
  auto state_rank = [](const AlertRecord* a) { return a->firing() ? (a->silenced() ? 1 : 0) : 2; };
  std::stable_sort(out.begin(), out.end(), [&](const AlertRecord* x, const AlertRecord* y) {
    return std::make_tuple(SeverityRank(*x), state_rank(x), x->starts_at) <
           std::make_tuple(SeverityRank(*y), state_rank(y), y->starts_at);
  });
  return out;
}

// What `alerts --fingerprint` adds below the table: the alert's history.
void PrintHistory(const std::vector<AlertEvent>& events, CliContext& ctx) {
  TextTable table({{"日時 (JST)", TextTable::Align::kLeft, 0},
                   {"出来事", TextTable::Align::kLeft, 0},
                   {"詳細", TextTable::Align::kLeft, 0}});
  for (const AlertEvent& e : events) {
    std::string detail = e.kind == AlertEvent::Kind::kNotified
                             ? e.receiver + " " + e.detail + " " + e.message_id
                             : e.detail;
    table.AddRow({LocalTs(e.at), AlertEventKindName(e.kind), detail});
  }
  ctx.out << "\n" << table.Render();
}

int RunAlerts(const StateCommandOptions& opts, CliContext& ctx) {
  CliEnv env;
  if (int rc = LoadEnv(opts.config, ctx, &env)) return rc;
  auto alerts = env.state->alerts().LoadAlerts();
  auto log = env.state->alerts().LoadNotifyLog();
  if (!alerts.ok()) return ReportError(ctx, alerts.status());
  if (!log.ok()) return ReportError(ctx, log.status());
  auto selected = SelectAlerts(*alerts, opts);
  if (!selected.ok()) {
    ctx.err << "shihyo: alerts: " << selected.status().message() << "\n";
    return kExitUsage;
  }
  if (!opts.fingerprint.empty() && alerts->count(opts.fingerprint) == 0) {
    ctx.err << "shihyo: " << TrF("no alert with fingerprint '{}'", {opts.fingerprint}) << "\n";
    return kExitFailure;
  }
  std::vector<AlertEvent> history;
  if (!opts.fingerprint.empty()) {
    auto events = env.state->alerts().LoadEvents(opts.fingerprint);
    if (!events.ok()) return ReportError(ctx, events.status());
    history = std::move(events).value();
  }
  std::map<std::string, TimePoint> from_log = NotifiedFromLog(*log);
  std::map<std::string, Inhibition> inhibited =  // muted now by the config's inhibit_rules
      InhibitedAlerts(env.config.inhibit_rules, *alerts);
  nlohmann::json list = nlohmann::json::array();
  // Local times in the config's timezone (Asia/Tokyo unless set).
  std::string started_header = "開始 (" + DisplayZoneAbbrev(ctx.clock.Now()) + ")";
  TextTable table({{"状態", TextTable::Align::kLeft, 0},
                   {"重要度", TextTable::Align::kLeft, 0},
                   {"ルール", TextTable::Align::kLeft, 0},
                   {"指標", TextTable::Align::kLeft, 36},
                   {"年度", TextTable::Align::kLeft, 0},
                   {started_header, TextTable::Align::kLeft, 0},
                   {"終了", TextTable::Align::kLeft, 0},
                   {"最終通知", TextTable::Align::kLeft, 0},
                   {"fingerprint", TextTable::Align::kLeft, 0}});
  for (const AlertRecord* a : *selected) {
    std::optional<TimePoint> last = LastNotified(*a, from_log);
    list.push_back(AlertRowJson(*a, last));
    std::string state = AlertStateName(*a);
    if (state == "firing" && inhibited.count(a->fingerprint))
      list.back()["state"] = state = "inhibited";
    if (!opts.fingerprint.empty()) list.back()["history"] = AlertHistoryJson(history);
    auto label = [a](const char* k) { return a->labels.count(k) ? a->labels.at(k) : ""; };
    table.AddRow({state, label("severity"), a->rule, label("indicator"), label("fiscal_year"),
                  LocalTs(a->starts_at), a->ends_at ? LocalTs(*a->ends_at) : "-",
                  last ? LocalTs(*last) : "-", a->fingerprint});
  }
  if (opts.format == "json") {
    ctx.out << nlohmann::json{{"alerts", list}}.dump(2) << "\n";
  } else {
    ctx.out << table.Render();
    if (!opts.fingerprint.empty()) PrintHistory(history, ctx);
  }
  return kExitOk;
}

int RunSendTest(const StateCommandOptions& opts, CliContext& ctx) {
  Result<Config> config = LoadConfig(opts.config, ReceiverConfigKinds());
  if (!config.ok()) {
    ctx.err << config.status().message() << "\n";
    return kExitFailure;
  }
  const Receiver* r = config->FindReceiver(opts.receiver);
  if (!r) {
    ctx.err << "shihyo: " << TrF("no receiver named '{}' in {}", {opts.receiver, opts.config})
            << "\n";
    return kExitUsage;
  }
  const ReceiverKind* kind = FindReceiverKind(r->kind);
  if (!kind) {
    ctx.err << "shihyo: " << TrF("receiver '{}' has no kind", {r->name}) << "\n";
    return kExitUsage;
  }
  Message m = kind->TestMessage(*r, NewMessageId(MessageIdDomain(*config)), ctx.clock.Now());
  Notifiers notifiers(*config, ctx.clock);
  Notifier* n = notifiers.For(r->name);
  Status s = n ? n->Send(m) : Status::InvalidArgument("receiver has no notifier (smtp missing?)");
  if (!s.ok()) {
    ctx.err << "shihyo: " << TrF("test to '{}' failed: {}", {r->name, s.message()}) << "\n";
    return kExitFailure;
  }
  ctx.out << TrF("test message {} delivered to '{}'", {m.id, r->name}) << "\n";
  return kExitOk;
}

}  // namespace

ToolRunner RegisterPreview(CLI::App& app, CliContext& ctx) {
  auto opts = std::make_shared<CycleOptions>();
  CLI::App* cmd = app.add_subcommand(
      "preview", "Show the messages the next cycle would send, without sending or changing state");
  AddConfigOption(cmd, &opts->config);
  cmd->add_option("--receiver", opts->receiver, "only this receiver's messages");
  cmd->add_option("--now", opts->now, "as of this time (YYYY-MM-DD or ISO 8601)");
  return [opts, &ctx]() { return RunOneCycle(*opts, ctx, true); };
}

ToolRunner RegisterAlerts(CLI::App& app, CliContext& ctx) {
  auto opts = std::make_shared<StateCommandOptions>();
  CLI::App* cmd = app.add_subcommand("alerts", "List alerts: state, since when, last notified");
  AddConfigOption(cmd, &opts->config);
  AddFormatOption(cmd, &opts->format);
  cmd->add_flag("--all", opts->all, "also resolved alerts");
  cmd->add_option("--fingerprint", opts->fingerprint,
                  "only this alert (firing or resolved), with its history");
  cmd->add_option("--filter", opts->filters,
                  "label=value, label!=value, label=~regex or label!~regex; also state= and "
                  "rule= (repeatable: all must hold)");
  return [opts, &ctx]() { return RunAlerts(*opts, ctx); };
}

ToolRunner RegisterSendTest(CLI::App& app, CliContext& ctx) {
  auto opts = std::make_shared<StateCommandOptions>();
  CLI::App* cmd = app.add_subcommand("send-test", "Send a test message to one receiver");
  AddConfigOption(cmd, &opts->config);
  cmd->add_option("--receiver", opts->receiver, "receiver name")->required();
  return [opts, &ctx]() { return RunSendTest(*opts, ctx); };
}

ToolRunner RegisterDaemon(CLI::App& app, CliContext& ctx) {
  auto opts = std::make_shared<CycleOptions>();
  CLI::App* cmd = app.add_subcommand("daemon", "Run the service (with --once: one cycle)");
  AddConfigOption(cmd, &opts->config);
  cmd->add_flag("--once", opts->once, "evaluate, update state, deliver what is due, and exit");
  cmd->add_option("--now", opts->now, "with --once: as of this time (YYYY-MM-DD or ISO 8601)");
  return [opts, &ctx]() {
    if (!opts->once) return RunDaemonLoop(opts->config, ctx);
    return RunOneCycle(*opts, ctx, false);
  };
}

}  // namespace shihyo
