// `shihyo daemon`, `preview`, `alerts` and `send-test`: alerts and their
// delivery from the command line, and the helpers the state commands share.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>

#include "base/log.h"
#include "base/text_table.h"
#include "cli/cli_tools.h"
#include "notify/receiver_registry.h"
#include "service/once.h"

namespace shihyo {

int LoadEnv(const std::string& config_path, CliContext& ctx, CliEnv* env, bool read_only) {
  Result<Config> config = LoadConfig(config_path, ReceiverConfigKinds());
  if (!config.ok()) {
    ctx.err << config.status().message() << "\n";
    return config.status().IsInvalidArgument() ? kExitFailure : kExitUsage;
  }
  env->config = std::move(config).value();
  std::error_code ec;
  bool missing = !std::filesystem::exists(env->config.state, ec);
  auto state = StateStore::Open(read_only && missing ? ":memory:" : env->config.state);
  if (!state.ok()) return ReportError(ctx, state.status());
  env->state = std::move(state).value();
  return kExitOk;
}

std::string Ts(TimePoint t) { return FormatIso8601(t); }

void AddConfigOption(CLI::App* cmd, std::string* config) {
  cmd->add_option("--config", *config, "daemon config (shihyo.yaml)")->required();
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
  for (const Message& m : result.messages) {
    if (!opts.receiver.empty() && m.receiver != opts.receiver) continue;
    const Receiver* r = config.FindReceiver(m.receiver);
    const ReceiverKind* kind = FindReceiverKind(m.kind);
    ctx.out << "==== message " << ++shown << ": receiver " << m.receiver << " ====\n";
    if (r && kind) ctx.out << kind->Preview(m, *r, config, now);
  }
  if (shown == 0) ctx.out << "(the next cycle would send nothing)\n";
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
  if (int rc = LoadEnv(opts.config, ctx, &env, dry_run)) return rc;
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

// When each firing alert was last notified, from the notification log.
std::map<std::string, TimePoint> LastNotified(const NotifyLog& log) {
  std::map<std::string, TimePoint> notified;
  for (const auto& [key, e] : log) {
    if (!e.last_sent) continue;
    for (const std::string& fp : e.firing) notified[fp] = std::max(notified[fp], *e.last_sent);
  }
  return notified;
}

// One alert of `alerts --format json`.
nlohmann::json AlertRow(const AlertRecord& a, const std::string& state,
                        const std::optional<TimePoint>& notified) {
  auto label = [&](const char* k) { return a.labels.count(k) ? a.labels.at(k) : ""; };
  return {{"fingerprint", a.fingerprint},
          {"state", state},
          {"rule", a.rule},
          {"severity", label("severity")},
          {"indicator", label("indicator")},
          {"fiscal_year", label("fiscal_year")},
          {"starts_at", Ts(a.starts_at)},
          {"ends_at", a.ends_at ? nlohmann::json(Ts(*a.ends_at)) : nlohmann::json()},
          {"last_notified", notified ? nlohmann::json(Ts(*notified)) : nlohmann::json()},
          {"silenced_by", a.silenced_by},
          {"labels", a.labels},
          {"message", a.finding.message}};
}

int RunAlerts(const StateCommandOptions& opts, CliContext& ctx) {
  CliEnv env;
  if (int rc = LoadEnv(opts.config, ctx, &env)) return rc;
  auto alerts = env.state->alerts().LoadAlerts();
  auto log = env.state->alerts().LoadNotifyLog();
  if (!alerts.ok()) return ReportError(ctx, alerts.status());
  if (!log.ok()) return ReportError(ctx, log.status());
  std::map<std::string, TimePoint> notified = LastNotified(*log);
  nlohmann::json list = nlohmann::json::array();
  TextTable table({{"状態", TextTable::Align::kLeft, 0},
                   {"重要度", TextTable::Align::kLeft, 0},
                   {"ルール", TextTable::Align::kLeft, 0},
                   {"指標", TextTable::Align::kLeft, 36},
                   {"年度", TextTable::Align::kLeft, 0},
                   {"開始", TextTable::Align::kLeft, 0},
                   {"最終通知", TextTable::Align::kLeft, 0},
                   {"fingerprint", TextTable::Align::kLeft, 0}});
  for (const auto& entry : *alerts) {
    // Not a structured binding: clang 14 cannot capture one in the lambda below.
    const std::string& fp = entry.first;
    const AlertRecord& a = entry.second;
    if (!opts.all && !a.firing()) continue;
    std::string state = a.firing() ? (a.silenced() ? "silenced" : "firing") : "resolved";
    auto n = notified.find(fp);
    std::optional<TimePoint> last;
    if (n != notified.end()) last = n->second;
    list.push_back(AlertRow(a, state, last));
    auto label = [&a](const char* k) { return a.labels.count(k) ? a.labels.at(k) : ""; };
    table.AddRow({state, label("severity"), a.rule, label("indicator"), label("fiscal_year"),
                  Ts(a.starts_at), last ? Ts(*last) : "-", fp});
  }
  if (opts.format == "json") {
    ctx.out << nlohmann::json{{"alerts", list}}.dump(2) << "\n";
  } else {
    ctx.out << table.Render();
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
    ctx.err << "shihyo: no receiver named '" << opts.receiver << "' in " << opts.config << "\n";
    return kExitUsage;
  }
  const ReceiverKind* kind = FindReceiverKind(r->kind);
  if (!kind) {
    ctx.err << "shihyo: receiver '" << r->name << "' has no kind\n";
    return kExitUsage;
  }
  Message m = kind->TestMessage(*r, NewMessageId(MessageIdDomain(*config)), ctx.clock.Now());
  Notifiers notifiers(*config, ctx.clock);
  Notifier* n = notifiers.For(r->name);
  Status s = n ? n->Send(m) : Status::InvalidArgument("receiver has no notifier (smtp missing?)");
  if (!s.ok()) {
    ctx.err << "shihyo: test to '" << r->name << "' failed: " << s.message() << "\n";
    return kExitFailure;
  }
  ctx.out << "test message " << m.id << " delivered to '" << r->name << "'\n";
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
