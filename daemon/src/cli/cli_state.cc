// `shihyo silence` and `shihyo outbox`: muting alerts and looking after the
// messages waiting to be delivered.
#include <cstdlib>
#include <memory>
#include <optional>
#include <random>

#include "base/i18n.h"
#include "base/text_table.h"
#include "cli/cli_tools.h"
#include "state/state_store.h"

namespace shihyo {

namespace {

std::string NewSilenceId() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(rng()));
  return buf;
}

// One --match: label=value, label!=value, label=~regex or label!~regex, as
// Alertmanager's matchers; nullopt for anything else (e.g. a label name
// that is not one, such as "indicator!" from a mistyped operator).
std::optional<SilenceMatcher> ParseSilenceMatcher(const std::string& m) {
  size_t at = m.find_first_of("=!");
  if (at == std::string::npos || !ValidLabelName(m.substr(0, at))) return std::nullopt;
  std::string op = m.substr(at, 2);
  SilenceMatcher out;
  out.label = m.substr(0, at);
  out.negate = m[at] == '!';
  if (out.negate && op != "!=" && op != "!~") return std::nullopt;
  out.regex = op == "=~" || op == "!~";
  out.value = m.substr(at + (out.negate || out.regex ? 2 : 1));
  return out;
}

// The --match options as matchers of |s|, compiled; false after printing why.
bool ReadMatchers(const StateCommandOptions& opts, CliContext& ctx, Silence* s) {
  for (const std::string& m : opts.matchers) {
    std::optional<SilenceMatcher> matcher = ParseSilenceMatcher(m);
    if (!matcher) {
      ctx.err << "shihyo: --match '" << m << "': "
              << Tr("expected label=value, label!=value, label=~regex or label!~regex (a label "
                    "name is letters, digits and _)")
              << "\n";
      return false;
    }
    s->matchers.push_back(std::move(*matcher));
  }
  if (Status compiled = CompileSilence(s); !compiled.ok()) {
    // The flag is the command line's business; the silence names the matcher.
    ReportError(ctx, Status::InvalidArgument("--match " + compiled.message()));
    return false;
  }
  return true;
}

// The end of |s| from --until or --for; false after printing why.
bool ReadEnd(const StateCommandOptions& opts, CliContext& ctx, Silence* s) {
  if (!opts.until.empty()) {
    Result<TimePoint> until = ParseTime(opts.until);
    if (!until.ok()) {
      ReportError(ctx, until.status());
      return false;
    }
    s->ends_at = *until;
  } else {
    std::optional<Seconds> d = ParseDuration(opts.duration);
    if (!d) {
      ctx.err << "shihyo: --for '" << opts.duration
              << "': " << Tr("expected a duration such as 2h or 7d") << "\n";
      return false;
    }
    s->ends_at = SaturatingAdd(s->starts_at, *d);
  }
  if (s->ends_at <= s->starts_at) {
    ctx.err << "shihyo: " << Tr("the silence would end before it starts") << "\n";
    return false;
  }
  return true;
}

// Tells (on stderr: stdout is the id) how many firing alerts |s| mutes now,
// so that a matcher that catches nothing, or far too much, shows at once.
void ReportSilenced(StateStore& state, const Silence& s, CliContext& ctx) {
  auto alerts = state.alerts().LoadAlerts();
  if (!alerts.ok()) return;
  int firing = 0, muted = 0;
  for (const auto& [fp, a] : *alerts) {
    if (!a.firing()) continue;
    ++firing;
    if (SilenceMatches(s, a.labels, nullptr)) ++muted;
  }
  ctx.err << TrF("this silence matches {} of the {} firing alert(s) now",
                 {std::to_string(muted), std::to_string(firing)})
          << "\n";
}

int RunSilenceAdd(const StateCommandOptions& opts, CliContext& ctx) {
  CliEnv env;
  if (int rc = LoadEnv(opts.config, ctx, &env, StateAccess::kCreateIfOwner)) return rc;
  Silence s;
  s.id = NewSilenceId();
  s.starts_at = ctx.clock.Now();
  if (!ReadMatchers(opts, ctx, &s) || !ReadEnd(opts, ctx, &s)) return kExitUsage;
  const char* user = std::getenv("USER");
  s.created_by = !opts.author.empty() ? opts.author : user ? user : "unknown";
  s.comment = opts.comment;
  Status added = env.state->silences().AddSilence(s);
  if (!added.ok()) return ReportError(ctx, added);
  ctx.out << s.id << "\n";  // stdout: the id alone, for scripts
  ReportSilenced(*env.state, s, ctx);
  return kExitOk;
}

int RunSilenceList(const StateCommandOptions& opts, CliContext& ctx) {
  CliEnv env;
  if (int rc = LoadEnv(opts.config, ctx, &env)) return rc;
  auto silences = env.state->silences().LoadSilences(ctx.clock.Now(), opts.all);
  if (!silences.ok()) return ReportError(ctx, silences.status());
  nlohmann::json list = nlohmann::json::array();
  TextTable table({{"id", TextTable::Align::kLeft, 0},
                   {"条件", TextTable::Align::kLeft, 40},
                   {"期限", TextTable::Align::kLeft, 0},
                   {"作成者", TextTable::Align::kLeft, 0},
                   {"コメント", TextTable::Align::kLeft, 30}});
  for (const Silence& s : *silences) {
    std::string matchers;
    nlohmann::json mj = nlohmann::json::array();
    for (const SilenceMatcher& m : s.matchers) {
      matchers += (matchers.empty() ? "" : " ") + m.Text();
      mj.push_back(
          {{"label", m.label}, {"value", m.value}, {"regex", m.regex}, {"negate", m.negate}});
    }
    list.push_back({{"id", s.id},
                    {"matchers", mj},
                    {"starts_at", Ts(s.starts_at)},
                    {"ends_at", Ts(s.ends_at)},
                    {"created_by", s.created_by},
                    {"comment", s.comment}});
    table.AddRow({s.id, matchers, Ts(s.ends_at), s.created_by, s.comment});
  }
  ctx.out << (opts.format == "json" ? nlohmann::json{{"silences", list}}.dump(2) + "\n"
                                    : table.Render());
  return kExitOk;
}

int RunSilenceExpire(const StateCommandOptions& opts, CliContext& ctx) {
  CliEnv env;
  if (int rc = LoadEnv(opts.config, ctx, &env)) return rc;
  for (const std::string& id : opts.ids) {
    Status s = env.state->silences().ExpireSilence(id, ctx.clock.Now());
    if (!s.ok()) return ReportError(ctx, s);
    ctx.out << TrF("expired {}", {id}) << "\n";
  }
  return kExitOk;
}

int RunOutboxList(const StateCommandOptions& opts, CliContext& ctx) {
  CliEnv env;
  if (int rc = LoadEnv(opts.config, ctx, &env)) return rc;
  auto entries = env.state->outbox().ListOutbox(opts.status, 1000);
  if (!entries.ok()) return ReportError(ctx, entries.status());
  nlohmann::json list = nlohmann::json::array();
  // Local times in the config's timezone (Asia/Tokyo unless set).
  std::string created_header = "作成 (" + DisplayZoneAbbrev(ctx.clock.Now()) + ")";
  TextTable table({{"id", TextTable::Align::kLeft, 0},
                   {"状態", TextTable::Align::kLeft, 0},
                   {"宛先", TextTable::Align::kLeft, 0},
                   {"試行", TextTable::Align::kRight, 0},
                   {created_header, TextTable::Align::kLeft, 0},
                   {"次の試行", TextTable::Align::kLeft, 0},
                   {"送信", TextTable::Align::kLeft, 0},
                   {"件名", TextTable::Align::kLeft, 40},
                   {"最後のエラー", TextTable::Align::kLeft, 40}});
  for (const OutboxEntry& e : *entries) {
    list.push_back({{"id", e.message.id},
                    {"status", e.status},
                    {"receiver", e.message.receiver},
                    {"attempts", e.attempts},
                    {"created_at", Ts(e.message.created_at)},
                    {"next_attempt_at", Ts(e.next_attempt_at)},
                    {"sent_at", e.sent_at ? nlohmann::json(Ts(*e.sent_at)) : nlohmann::json()},
                    {"summary", e.message.summary},
                    {"last_error", e.last_error}});
    table.AddRow({e.message.id, e.status, e.message.receiver, std::to_string(e.attempts),
                  LocalTs(e.message.created_at),
                  e.status == "pending" ? LocalTs(e.next_attempt_at) : "-",
                  e.sent_at ? LocalTs(*e.sent_at) : "-", e.message.summary, e.last_error});
  }
  ctx.out << (opts.format == "json" ? nlohmann::json{{"messages", list}}.dump(2) + "\n"
                                    : table.Render());
  return kExitOk;
}

int RunOutboxRetry(const StateCommandOptions& opts, CliContext& ctx) {
  CliEnv env;
  if (int rc = LoadEnv(opts.config, ctx, &env)) return rc;
  Result<int> n = env.state->outbox().Requeue(opts.ids, ctx.clock.Now());
  if (!n.ok()) return ReportError(ctx, n.status());
  ctx.out << TrF("{} message(s) queued again", {std::to_string(*n)}) << "\n";
  return kExitOk;
}

}  // namespace

ToolRunner RegisterSilence(CLI::App& app, CliContext& ctx) {
  auto opts = std::make_shared<StateCommandOptions>();
  CLI::App* cmd = app.add_subcommand("silence", "Mute alerts by label until a time");
  cmd->require_subcommand(1);
  CLI::App* add = cmd->add_subcommand("add", "Add a silence; prints its id");
  AddConfigOption(add, &opts->config);
  add->add_option("--match", opts->matchers, "label=value or label=~regex (repeatable)")
      ->required();
  auto* until = add->add_option("--until", opts->until, "end (YYYY-MM-DD or ISO 8601)");
  add->add_option("--for", opts->duration, "duration such as 2h or 7d")->excludes(until);
  add->add_option("--comment", opts->comment, "why")->required();
  add->add_option("--author", opts->author, "who (default: $USER)");
  CLI::App* list = cmd->add_subcommand("list", "List silences in force");
  AddConfigOption(list, &opts->config);
  AddFormatOption(list, &opts->format);
  list->add_flag("--all", opts->all, "also expired silences");
  CLI::App* expire = cmd->add_subcommand("expire", "End silences now");
  AddConfigOption(expire, &opts->config);
  expire->add_option("ids", opts->ids, "silence ids")->required();
  return [opts, add, list, &ctx]() {
    if (add->parsed()) {
      if (opts->until.empty() && opts->duration.empty()) {
        ctx.err << "shihyo: " << Tr("silence add needs --until or --for") << "\n";
        return static_cast<int>(kExitUsage);
      }
      return RunSilenceAdd(*opts, ctx);
    }
    return list->parsed() ? RunSilenceList(*opts, ctx) : RunSilenceExpire(*opts, ctx);
  };
}

ToolRunner RegisterOutbox(CLI::App& app, CliContext& ctx) {
  auto opts = std::make_shared<StateCommandOptions>();
  CLI::App* cmd = app.add_subcommand("outbox", "Show and requeue notification messages");
  cmd->require_subcommand(1);
  CLI::App* list = cmd->add_subcommand("list", "List messages, newest first");
  AddConfigOption(list, &opts->config);
  AddFormatOption(list, &opts->format);
  list->add_option("--status", opts->status, "pending, sent, dead or superseded")
      ->check(CLI::IsMember({"pending", "sent", "dead", "superseded"}));
  CLI::App* retry = cmd->add_subcommand("retry", "Queue dead messages again (all, or by id)");
  AddConfigOption(retry, &opts->config);
  retry->add_option("ids", opts->ids, "message ids (default: every dead message)");
  return [opts, list, &ctx]() {
    return list->parsed() ? RunOutboxList(*opts, ctx) : RunOutboxRetry(*opts, ctx);
  };
}

}  // namespace shihyo
