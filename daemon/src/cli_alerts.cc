// `shihyo daemon --once`, `preview`, `alerts`, `silence`, `outbox` and
// `send-test`: alerts and their delivery from the command line.
#include <algorithm>
#include <cstdlib>
#include <memory>
#include <random>

#include "cli_tools.h"
#include "cycle.h"
#include "digest.h"
#include "log.h"
#include "rule_loader.h"
#include "smtp_notifier.h"
#include "text_table.h"
#include "webhook_notifier.h"

namespace shihyo {

namespace {

// Everything a command working on the daemon's files needs.
struct Env {
  Config config;
  std::unique_ptr<StateStore> state;
};

int LoadEnv(const std::string& config_path, CliContext& ctx, Env* env) {
  Result<Config> config = LoadConfig(config_path);
  if (!config.ok()) {
    ctx.err << config.status().message() << "\n";
    return config.status().IsInvalidArgument() ? kExitFailure : kExitUsage;
  }
  env->config = std::move(config).value();
  auto state = StateStore::Open(env->config.state);
  if (!state.ok()) return ReportError(ctx, state.status());
  env->state = std::move(state).value();
  return kExitOk;
}

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

std::string Ts(TimePoint t) { return FormatIso8601(t); }

struct CycleOptions {
  std::string config;
  std::string now;
  bool once = false;
  std::string receiver;
};

// Loads rules and the indicator store and runs one cycle (or a dry run).
int RunOneCycle(const CycleOptions& opts, CliContext& ctx, bool dry_run) {
  Env env;
  if (int rc = LoadEnv(opts.config, ctx, &env)) return rc;
  if (!ctx.log_level_set) InitLogging(env.config.log_level);
  TimePoint now;
  if (!ResolveNow(opts.now, ctx, &now)) return kExitUsage;
  RuleLoad rules = LoadRuleDir(env.config.rules);
  for (const std::string& e : rules.errors) ctx.err << e << "\n";
  if (!rules.ok()) return kExitFailure;
  auto store = IndicatorStore::Open(env.config.store, IndicatorStore::Mode::kReadOnly);
  if (!store.ok()) return ReportError(ctx, store.status());
  Cycle cycle(env.config, rules.rules, store->get(), env.state.get());
  Result<CycleResult> result = cycle.Evaluate(now, dry_run);
  if (!result.ok()) return ReportError(ctx, result.status());
  for (const std::string& w : result->warnings) ctx.err << "warning: " << w << "\n";
  if (dry_run) {
    int shown = 0;
    for (const Message& m : result->messages) {
      if (!opts.receiver.empty() && m.receiver != opts.receiver) continue;
      const Receiver* r = env.config.FindReceiver(m.receiver);
      ctx.out << "==== message " << ++shown << ": receiver " << m.receiver << " ====\n";
      if (m.kind == Receiver::Kind::kEmail && env.config.smtp) {
        ctx.out << RenderEmailPreview(m, *env.config.smtp, now) << "\n";
      } else if (r) {
        ctx.out << "POST " << PostUrl(*r) << "\n";
        for (const auto& [k, v] : WebhookHeaders(m, *r, true)) ctx.out << k << ": " << v << "\n";
        if (r->kind == Receiver::Kind::kWebhook && !r->webhook.secret.empty()) {
          ctx.out << r->webhook.signature_header << ": sha256=… (HMAC of the body, at send time)\n";
        }
        nlohmann::json pretty = nlohmann::json::parse(m.body, nullptr, false);
        ctx.out << "\n" << (pretty.is_discarded() ? m.body : pretty.dump(2)) << "\n\n";
      }
    }
    if (shown == 0) ctx.out << "(the next cycle would send nothing)\n";
    return kExitOk;
  }
  Notifiers notifiers(env.config);
  Outbox outbox(env.state.get(), &notifiers, env.config.outbox);
  Result<DeliveryReport> delivered = outbox.DeliverDue(now);
  if (!delivered.ok()) return ReportError(ctx, delivered.status());
  Result<int> pending = env.state->PendingCount();
  if (!pending.ok()) return ReportError(ctx, pending.status());
  for (const std::string& e : delivered->errors) ctx.err << "delivery failed: " << e << "\n";
  ctx.out << "evaluated " << Ts(now) << ": " << result->eval.findings.size() << " findings, "
          << result->firing << " alerts firing (" << result->fired << " new, " << result->resolved
          << " resolved); messages: " << result->messages.size() << " queued, " << delivered->sent
          << " sent, " << delivered->retrying << " retrying, " << delivered->dead
          << " dead; outbox pending " << *pending << "\n";
  return *pending == 0 ? kExitOk : kExitFailure;
}

struct StateOptions {
  std::string config;
  std::string format = "text";
  std::string status;
  bool all = false;
  std::vector<std::string> ids;
  std::vector<std::string> matchers;
  std::string until, duration, comment, author;
  std::string receiver;
};

int RunAlerts(const StateOptions& opts, CliContext& ctx) {
  Env env;
  if (int rc = LoadEnv(opts.config, ctx, &env)) return rc;
  auto alerts = env.state->LoadAlerts();
  auto log = env.state->LoadNotifyLog();
  if (!alerts.ok()) return ReportError(ctx, alerts.status());
  if (!log.ok()) return ReportError(ctx, log.status());
  std::map<std::string, TimePoint> notified;
  for (const auto& [key, e] : *log) {
    if (!e.last_sent) continue;
    for (const std::string& fp : e.firing) notified[fp] = std::max(notified[fp], *e.last_sent);
  }
  nlohmann::json list = nlohmann::json::array();
  TextTable table({{"状態", TextTable::Align::kLeft, 0}, {"重要度", TextTable::Align::kLeft, 0},
                   {"ルール", TextTable::Align::kLeft, 0}, {"指標", TextTable::Align::kLeft, 36},
                   {"年度", TextTable::Align::kLeft, 0}, {"開始", TextTable::Align::kLeft, 0},
                   {"最終通知", TextTable::Align::kLeft, 0}, {"fingerprint", TextTable::Align::kLeft, 0}});
  for (const auto& entry : *alerts) {
    // Not a structured binding: clang 14 cannot capture one in the lambda below.
    const std::string& fp = entry.first;
    const AlertRecord& a = entry.second;
    if (!opts.all && !a.firing()) continue;
    std::string state = a.firing() ? (a.silenced() ? "silenced" : "firing") : "resolved";
    auto label = [&](const char* k) { return a.labels.count(k) ? a.labels.at(k) : ""; };
    auto n = notified.find(fp);
    list.push_back({{"fingerprint", fp}, {"state", state}, {"rule", a.rule},
                    {"severity", label("severity")}, {"indicator", label("indicator")},
                    {"fiscal_year", label("fiscal_year")}, {"starts_at", Ts(a.starts_at)},
                    {"ends_at", a.ends_at ? nlohmann::json(Ts(*a.ends_at)) : nlohmann::json()},
                    {"last_notified", n == notified.end() ? nlohmann::json() : nlohmann::json(Ts(n->second))},
                    {"silenced_by", a.silenced_by}, {"labels", a.labels},
                    {"message", a.finding.value("message", "")}});
    table.AddRow({state, label("severity"), a.rule, label("indicator"), label("fiscal_year"),
                  Ts(a.starts_at), n == notified.end() ? "-" : Ts(n->second), fp});
  }
  if (opts.format == "json") {
    ctx.out << nlohmann::json{{"alerts", list}}.dump(2) << "\n";
  } else {
    ctx.out << table.Render();
  }
  return kExitOk;
}

std::string NewSilenceId() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(rng()));
  return buf;
}

int RunSilenceAdd(const StateOptions& opts, CliContext& ctx) {
  Env env;
  if (int rc = LoadEnv(opts.config, ctx, &env)) return rc;
  Silence s;
  s.id = NewSilenceId();
  s.starts_at = ctx.clock.Now();
  for (const std::string& m : opts.matchers) {
    size_t eq = m.find('=');
    if (eq == std::string::npos || eq == 0) {
      ctx.err << "shihyo: --match '" << m << "': expected label=value or label=~regex\n";
      return kExitUsage;
    }
    bool regex = eq + 1 < m.size() && m[eq + 1] == '~';
    s.matchers.push_back({m.substr(0, eq), m.substr(eq + (regex ? 2 : 1)), regex});
  }
  if (!opts.until.empty()) {
    Result<TimePoint> until = ParseTime(opts.until);
    if (!until.ok()) {
      ReportError(ctx, until.status());
      return kExitUsage;
    }
    s.ends_at = *until;
  } else {
    std::optional<Seconds> d = ParseDuration(opts.duration);
    if (!d) {
      ctx.err << "shihyo: --for '" << opts.duration << "': expected a duration such as 2h or 7d\n";
      return kExitUsage;
    }
    s.ends_at = s.starts_at + *d;
  }
  if (s.ends_at <= s.starts_at) {
    ctx.err << "shihyo: the silence would end before it starts\n";
    return kExitUsage;
  }
  const char* user = std::getenv("USER");
  s.created_by = !opts.author.empty() ? opts.author : user ? user : "unknown";
  s.comment = opts.comment;
  Status added = env.state->AddSilence(s);
  if (!added.ok()) return ReportError(ctx, added);
  ctx.out << s.id << "\n";
  return kExitOk;
}

int RunSilenceList(const StateOptions& opts, CliContext& ctx) {
  Env env;
  if (int rc = LoadEnv(opts.config, ctx, &env)) return rc;
  auto silences = env.state->LoadSilences(ctx.clock.Now(), opts.all);
  if (!silences.ok()) return ReportError(ctx, silences.status());
  nlohmann::json list = nlohmann::json::array();
  TextTable table({{"id", TextTable::Align::kLeft, 0}, {"条件", TextTable::Align::kLeft, 40},
                   {"期限", TextTable::Align::kLeft, 0}, {"作成者", TextTable::Align::kLeft, 0},
                   {"コメント", TextTable::Align::kLeft, 30}});
  for (const Silence& s : *silences) {
    std::string matchers;
    nlohmann::json mj = nlohmann::json::array();
    for (const SilenceMatcher& m : s.matchers) {
      matchers += (matchers.empty() ? "" : " ") + m.label + (m.regex ? "=~" : "=") + m.value;
      mj.push_back({{"label", m.label}, {"value", m.value}, {"regex", m.regex}});
    }
    list.push_back({{"id", s.id}, {"matchers", mj}, {"starts_at", Ts(s.starts_at)},
                    {"ends_at", Ts(s.ends_at)}, {"created_by", s.created_by}, {"comment", s.comment}});
    table.AddRow({s.id, matchers, Ts(s.ends_at), s.created_by, s.comment});
  }
  ctx.out << (opts.format == "json" ? nlohmann::json{{"silences", list}}.dump(2) + "\n" : table.Render());
  return kExitOk;
}

int RunSilenceExpire(const StateOptions& opts, CliContext& ctx) {
  Env env;
  if (int rc = LoadEnv(opts.config, ctx, &env)) return rc;
  for (const std::string& id : opts.ids) {
    Status s = env.state->ExpireSilence(id, ctx.clock.Now());
    if (!s.ok()) return ReportError(ctx, s);
    ctx.out << "expired " << id << "\n";
  }
  return kExitOk;
}

int RunOutboxList(const StateOptions& opts, CliContext& ctx) {
  Env env;
  if (int rc = LoadEnv(opts.config, ctx, &env)) return rc;
  auto entries = env.state->ListOutbox(opts.status, 1000);
  if (!entries.ok()) return ReportError(ctx, entries.status());
  nlohmann::json list = nlohmann::json::array();
  TextTable table({{"id", TextTable::Align::kLeft, 0}, {"状態", TextTable::Align::kLeft, 0},
                   {"宛先", TextTable::Align::kLeft, 0}, {"試行", TextTable::Align::kRight, 0},
                   {"次の試行", TextTable::Align::kLeft, 0}, {"件名", TextTable::Align::kLeft, 40},
                   {"最後のエラー", TextTable::Align::kLeft, 40}});
  for (const OutboxEntry& e : *entries) {
    list.push_back({{"id", e.message.id}, {"status", e.status}, {"receiver", e.message.receiver},
                    {"attempts", e.attempts}, {"created_at", Ts(e.message.created_at)},
                    {"next_attempt_at", Ts(e.next_attempt_at)},
                    {"sent_at", e.sent_at ? nlohmann::json(Ts(*e.sent_at)) : nlohmann::json()},
                    {"summary", e.message.summary}, {"last_error", e.last_error}});
    table.AddRow({e.message.id, e.status, e.message.receiver, std::to_string(e.attempts),
                  e.status == "pending" ? Ts(e.next_attempt_at) : "-", e.message.summary, e.last_error});
  }
  ctx.out << (opts.format == "json" ? nlohmann::json{{"messages", list}}.dump(2) + "\n" : table.Render());
  return kExitOk;
}

int RunOutboxRetry(const StateOptions& opts, CliContext& ctx) {
  Env env;
  if (int rc = LoadEnv(opts.config, ctx, &env)) return rc;
  Result<int> n = env.state->Requeue(opts.ids, ctx.clock.Now());
  if (!n.ok()) return ReportError(ctx, n.status());
  ctx.out << *n << " message(s) queued again\n";
  return kExitOk;
}

int RunSendTest(const StateOptions& opts, CliContext& ctx) {
  Result<Config> config = LoadConfig(opts.config);
  if (!config.ok()) {
    ctx.err << config.status().message() << "\n";
    return kExitFailure;
  }
  const Receiver* r = config->FindReceiver(opts.receiver);
  if (!r) {
    ctx.err << "shihyo: no receiver named '" << opts.receiver << "' in " << opts.config << "\n";
    return kExitUsage;
  }
  Message m;
  m.id = NewMessageId(MessageIdDomain(*config));
  m.receiver = r->name;
  m.kind = r->kind;
  m.created_at = ctx.clock.Now();
  m.subject = "[shihyo] テスト送信（" + r->name + "）";
  m.summary = m.subject;
  m.to = r->email.to;
  m.cc = r->email.cc;
  m.bcc = r->email.bcc;
  m.text = "shihyo からのテスト送信です。このメールが届いていれば、受信者「" + r->name +
           "」の設定は正しく動いています。\n";
  m.html = "<p>" + m.text + "</p>";
  nlohmann::json body = {{"version", "1"}, {"id", m.id}, {"receiver", r->name}, {"status", "test"},
                         {"message", m.text}, {"alerts", nlohmann::json::array()}};
  m.body = r->kind == Receiver::Kind::kAlertmanager ? "[]" : body.dump();
  Notifiers notifiers(*config);
  Notifier* n = notifiers.For(r->name);
  Status s = n ? n->Send(m) : Status::InvalidArgument("receiver has no notifier (smtp missing?)");
  if (!s.ok()) {
    ctx.err << "shihyo: test to '" << r->name << "' failed: " << s.message() << "\n";
    return kExitFailure;
  }
  ctx.out << "test message " << m.id << " delivered to '" << r->name << "'\n";
  return kExitOk;
}

void AddConfig(CLI::App* cmd, std::string* config) {
  cmd->add_option("--config", *config, "daemon config (shihyo.yaml)")->required();
}

void AddFormat(CLI::App* cmd, std::string* format) {
  cmd->add_option("--format", *format, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
}

}  // namespace

ToolRunner RegisterPreview(CLI::App& app, CliContext& ctx) {
  auto opts = std::make_shared<CycleOptions>();
  CLI::App* cmd = app.add_subcommand(
      "preview", "Show the messages the next cycle would send, without sending or changing state");
  AddConfig(cmd, &opts->config);
  cmd->add_option("--receiver", opts->receiver, "only this receiver's messages");
  cmd->add_option("--now", opts->now, "as of this time (YYYY-MM-DD or ISO 8601)");
  return [opts, &ctx]() { return RunOneCycle(*opts, ctx, true); };
}

ToolRunner RegisterAlerts(CLI::App& app, CliContext& ctx) {
  auto opts = std::make_shared<StateOptions>();
  CLI::App* cmd = app.add_subcommand("alerts", "List alerts: state, since when, last notified");
  AddConfig(cmd, &opts->config);
  AddFormat(cmd, &opts->format);
  cmd->add_flag("--all", opts->all, "also resolved alerts");
  return [opts, &ctx]() { return RunAlerts(*opts, ctx); };
}

ToolRunner RegisterSilence(CLI::App& app, CliContext& ctx) {
  auto opts = std::make_shared<StateOptions>();
  CLI::App* cmd = app.add_subcommand("silence", "Mute alerts by label until a time");
  cmd->require_subcommand(1);
  CLI::App* add = cmd->add_subcommand("add", "Add a silence; prints its id");
  AddConfig(add, &opts->config);
  add->add_option("--match", opts->matchers, "label=value or label=~regex (repeatable)")->required();
  auto* until = add->add_option("--until", opts->until, "end (YYYY-MM-DD or ISO 8601)");
  add->add_option("--for", opts->duration, "duration such as 2h or 7d")->excludes(until);
  add->add_option("--comment", opts->comment, "why")->required();
  add->add_option("--author", opts->author, "who (default: $USER)");
  CLI::App* list = cmd->add_subcommand("list", "List silences in force");
  AddConfig(list, &opts->config);
  AddFormat(list, &opts->format);
  list->add_flag("--all", opts->all, "also expired silences");
  CLI::App* expire = cmd->add_subcommand("expire", "End silences now");
  AddConfig(expire, &opts->config);
  expire->add_option("ids", opts->ids, "silence ids")->required();
  return [opts, add, list, &ctx]() {
    if (add->parsed()) {
      if (opts->until.empty() && opts->duration.empty()) {
        ctx.err << "shihyo: silence add needs --until or --for\n";
        return static_cast<int>(kExitUsage);
      }
      return RunSilenceAdd(*opts, ctx);
    }
    return list->parsed() ? RunSilenceList(*opts, ctx) : RunSilenceExpire(*opts, ctx);
  };
}

ToolRunner RegisterOutbox(CLI::App& app, CliContext& ctx) {
  auto opts = std::make_shared<StateOptions>();
  CLI::App* cmd = app.add_subcommand("outbox", "Show and requeue notification messages");
  cmd->require_subcommand(1);
  CLI::App* list = cmd->add_subcommand("list", "List messages, newest first");
  AddConfig(list, &opts->config);
  AddFormat(list, &opts->format);
  list->add_option("--status", opts->status, "pending, sent, dead or superseded")
      ->check(CLI::IsMember({"pending", "sent", "dead", "superseded"}));
  CLI::App* retry = cmd->add_subcommand("retry", "Queue dead messages again (all, or by id)");
  AddConfig(retry, &opts->config);
  retry->add_option("ids", opts->ids, "message ids (default: every dead message)");
  return [opts, list, &ctx]() {
    return list->parsed() ? RunOutboxList(*opts, ctx) : RunOutboxRetry(*opts, ctx);
  };
}

ToolRunner RegisterSendTest(CLI::App& app, CliContext& ctx) {
  auto opts = std::make_shared<StateOptions>();
  CLI::App* cmd = app.add_subcommand("send-test", "Send a test message to one receiver");
  AddConfig(cmd, &opts->config);
  cmd->add_option("--receiver", opts->receiver, "receiver name")->required();
  return [opts, &ctx]() { return RunSendTest(*opts, ctx); };
}

ToolRunner RegisterDaemon(CLI::App& app, CliContext& ctx) {
  auto opts = std::make_shared<CycleOptions>();
  CLI::App* cmd = app.add_subcommand("daemon", "Run the service (with --once: one cycle)");
  AddConfig(cmd, &opts->config);
  cmd->add_flag("--once", opts->once, "evaluate, update state, deliver what is due, and exit");
  cmd->add_option("--now", opts->now, "with --once: as of this time (YYYY-MM-DD or ISO 8601)");
  return [opts, &ctx]() {
    if (!opts->once) return RunDaemonLoop(opts->config, ctx);
    return RunOneCycle(*opts, ctx, false);
  };
}

}  // namespace shihyo
