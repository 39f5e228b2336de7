#include "service/cycle.h"

#include <spdlog/spdlog.h>
#include <time.h>

#include <algorithm>
#include <utility>

#include "alert/notify_planner.h"
#include "base/log.h"
#include "notify/digest.h"
#include "notify/email/smtp_notifier.h"
#include "notify/receiver_registry.h"
#include "service/cycle_memory.h"

namespace shihyo {

std::string MessageIdDomain(const Config& config) {
  if (config.smtp) {
    std::string from = BareAddress(config.smtp->from);
    size_t at = from.find('@');
    if (at != std::string::npos && at + 1 < from.size()) return from.substr(at + 1);
  }
  return "shihyo.invalid";
}

Cycle::Cycle(const Config& config, const RuleSet& rules, IndicatorStore* store, StateStore* state,
             CycleMemory* memory)
    : config_(config), rules_(rules), store_(store), state_(state), memory_(memory) {}

Seconds Cycle::PushTtl() const { return std::max(Seconds(300), config_.evaluation_interval * 4); }

namespace {

// The messages of a plan, made one at a time by their receivers' kinds.
// Their ids, receivers, kinds and groups are known before they are made:
// what the alert history records of them.
class MessageMaker {
 public:
  MessageMaker(const NotifyPlan& plan, const DigestContext& ctx, Seconds ttl,
               const std::string& domain)
      : ctx_(ctx), ttl_(ttl) {
    for (const GroupNotification& n : plan.notifications) {
      // (A kind that pushes leaves a group message's group_key empty, but
      // the planner never groups for it.)
      const ReceiverKind* kind = FindReceiverKind(n.receiver->kind);
      if (kind) Add(kind, &n, nullptr, n.receiver->name, n.group.key, domain);
    }
    for (const ReceiverPush& p : plan.pushes) {
      const ReceiverKind* kind = FindReceiverKind(p.receiver->kind);
      if (kind) Add(kind, nullptr, &p, p.receiver->name, "", domain);
    }
  }

  // Each message's id, receiver, kind and group key (and, once made, its
  // summary and creation time), without its contents.
  std::vector<Message>& headers() { return headers_; }

  // The next message; nullopt when all are made.
  std::optional<Message> Next() {
    if (next_ >= items_.size()) return std::nullopt;
    const Item& item = items_[next_];
    Message& header = headers_[next_++];
    Message m = item.n ? item.kind->BuildGroupMessage(*item.n, ctx_, header.id)
                       : item.kind->BuildPush(*item.p, ctx_, ttl_, header.id);
    header.group_key = m.group_key;
    header.summary = m.summary;
    header.created_at = m.created_at;
    return m;
  }

 private:
  struct Item {
    const ReceiverKind* kind;
    const GroupNotification* n;  // or
    const ReceiverPush* p;
  };
  void Add(const ReceiverKind* kind, const GroupNotification* n, const ReceiverPush* p,
           const std::string& receiver, const std::string& group_key, const std::string& domain) {
    items_.push_back({kind, n, p});
    Message& h = headers_.emplace_back();
    h.id = NewMessageId(domain);
    h.receiver = receiver;
    h.kind = kind->name();
    h.group_key = group_key;
  }

  DigestContext ctx_;
  Seconds ttl_;
  std::vector<Item> items_;
  std::vector<Message> headers_;
  size_t next_ = 0;
};

}  // namespace

std::vector<Message> Cycle::BuildMessages(const NotifyPlan& plan, const EvalResult& eval,
                                          TimePoint now) const {
  DigestContext ctx{eval.snapshot.get(), now, config_.external_url};
  MessageMaker maker(plan, ctx, PushTtl(), MessageIdDomain(config_));
  std::vector<Message> out;
  while (std::optional<Message> m = maker.Next()) out.push_back(std::move(*m));
  return out;
}

namespace {

// What the evaluation history records of |result|.
EvaluationRecord Record(const CycleResult& result, TimePoint now,
                        std::chrono::steady_clock::time_point started) {
  EvaluationRecord ev;
  ev.at = now;
  ev.findings = result.findings;
  ev.firing = result.firing;
  ev.fired = result.fired;
  ev.resolved = result.resolved;
  ev.messages = static_cast<int>(result.messages.size());
  ev.duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::steady_clock::now() - started)
                       .count();
  return ev;
}

// One line per alert that fired or resolved; a summary instead when there
// are many (the first cycle), with the lines at debug level.
void LogTransitions(const AlertTransition& t, const std::map<std::string, AlertRecord>& alerts) {
  constexpr size_t kMaxLines = 20;
  bool summary = t.fired.size() + t.resolved.size() > kMaxLines;
  if (summary) {
    spdlog::info("alerts fired={} resolved={} (one line each at debug level)", t.fired.size(),
                 t.resolved.size());
  }
  auto level = summary ? spdlog::level::debug : spdlog::level::info;
  if (!spdlog::should_log(level)) return;
  for (const std::string& fp : t.fired) {
    const AlertRecord& a = alerts.at(fp);
    spdlog::log(level, "alert fired rule={} fingerprint={} severity={} indicator=\"{}\"{}",
                LogSafe(a.rule), fp,
                LogSafe(a.labels.count("severity") ? a.labels.at("severity") : ""),
                LogSafe(a.labels.count("indicator") ? a.labels.at("indicator") : ""),
                a.silenced() ? " silenced_by=" + LogSafe(a.silenced_by) : "");
  }
  for (const std::string& fp : t.resolved) {
    spdlog::log(level, "alert resolved rule={} fingerprint={}", LogSafe(alerts.at(fp).rule), fp);
  }
}

}  // namespace

namespace {

double ThreadCpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

}  // namespace

Result<CycleResult> Cycle::Evaluate(TimePoint now, bool dry_run) {
  double cpu = ThreadCpuMs();
  Result<CycleResult> r = EvaluateOnce(now, dry_run);
  if (r.ok()) r->cpu_ms = ThreadCpuMs() - cpu;
  return r;
}

Result<CycleResult> Cycle::EvaluateOnce(TimePoint now, bool dry_run) {
  if (memory_ && !dry_run) {
    try {
      Result<CycleResult> r = EvaluateWithMemory(now);
      if (!r.ok()) memory_->Forget();
      return r;
    } catch (...) {
      memory_->Forget();  // it may hold half a cycle
      throw;
    }
  }
  auto started = std::chrono::steady_clock::now();
  Result<std::vector<Plan>> plans = store_->LoadPlans();
  if (!plans.ok()) return plans.status();
  Result<std::map<std::string, AlertRecord>> previous = state_->alerts().LoadAlerts();
  if (!previous.ok()) return previous.status();
  Result<std::vector<Silence>> silences = state_->silences().LoadSilences(now, false);
  if (!silences.ok()) return silences.status();
  Result<NotifyLog> log = state_->alerts().LoadNotifyLog();
  if (!log.ok()) return log.status();

  CycleResult result;
  result.eval = shihyo::Evaluate(rules_, std::move(*plans), now);  // no copy
  result.findings = static_cast<int>(result.eval.findings.size());
  result.plans = result.plans_evaluated = static_cast<int>(result.eval.snapshot->size());
  result.warnings = result.eval.warnings;
  result.errors = result.eval.errors;
  ResolveContext why = MakeResolveContext(rules_, result.eval.snapshot.get());
  AlertTransition t = ApplyFindings(*previous, result.eval.findings, *silences, now, &why);
  RestoreNotified(t.alerts, now, &*log);  // a silence that ended announces nothing new
  // A dry run (preview) shows a waiting group as it will go out.
  NotifyPlan plan = PlanNotifications(config_, t.alerts, *log, now, PushTtl(), dry_run);
  return Finish(std::move(result), Outcome{t, t.alerts, plan, now, started, dry_run, {}});
}

Result<CycleResult> Cycle::Finish(CycleResult result, const Outcome& o) {
  AlertTransition& t = o.transition;
  const NotifyPlan& plan = o.plan;
  TimePoint now = o.now;
  DigestContext ctx{result.eval.snapshot.get(), now, config_.external_url};
  MessageMaker maker(plan, ctx, PushTtl(), MessageIdDomain(config_));
  if (o.dry_run) {
    while (std::optional<Message> m = maker.Next()) result.messages.push_back(std::move(*m));
  } else {
    result.messages = maker.headers();  // made while they are written, below
  }
  result.next_flush = plan.next_flush;
  result.inhibited = plan.inhibited;
  for (const std::vector<std::string>* more : {&std::as_const(t.errors), &plan.errors}) {
    for (const std::string& e : *more) {
      if (std::find(result.errors.begin(), result.errors.end(), e) != result.errors.end()) continue;
      result.errors.push_back(e);
      result.warnings.push_back(e);
    }
  }
  result.fired = static_cast<int>(t.fired.size());
  result.resolved = static_cast<int>(t.resolved.size());
  if (o.firing) {
    result.firing = *o.firing;
  } else {
    for (const auto& [fp, a] : o.alerts) result.firing += a.firing() ? 1 : 0;
  }
  if (o.dry_run) return result;

  CycleWrite write;
  RecordNotifications(plan, result.messages, now, &o.alerts, &t);  // the alert history
  for (const std::string& fp : t.changed) {
    (t.seen_only.count(fp) ? write.seen : write.alerts).push_back(&o.alerts.at(fp));
  }
  write.events = std::move(t.events);
  write.log = plan.log_updates;
  write.evaluation = Record(result, now, o.started);
  // Made one at a time as they are written: a first cycle's digests are
  // large. The result keeps their headers.
  write.more_messages = [&maker] { return maker.Next(); };
  Status committed = state_->CommitCycle(write);
  result.messages = std::move(maker.headers());
  if (!committed.ok()) return committed;
  LogTransitions(t, o.alerts);
  return result;
}

// The silences changed between evaluations (service/daemon_loop.cc): the
// same as Evaluate's alert half, with the alerts as they are.
Result<CycleResult> Cycle::ApplySilences(TimePoint now) {
  Result<std::vector<Silence>> silences = state_->silences().LoadSilences(now, false);
  if (!silences.ok()) return silences.status();
  if (memory_ && memory_->alerts_valid) {
    // The alerts as the last cycle committed them: when no alert's silence
    // changes (the check after a start), nothing is loaded or copied.
    CycleResult result;
    bool changes = false;
    for (auto a = memory_->alerts.begin(); !changes && a != memory_->alerts.end(); ++a) {
      changes = a->second.firing() && MutingSilence(*silences, a->second.labels, now,
                                                    &result.errors) != a->second.silenced_by;
    }
    if (!changes) {
      result.warnings = result.errors;
      result.firing = memory_->firing;
      return result;
    }
  }
  Result<std::map<std::string, AlertRecord>> previous = state_->alerts().LoadAlerts();
  if (!previous.ok()) return previous.status();
  Result<NotifyLog> log = state_->alerts().LoadNotifyLog();
  if (!log.ok()) return log.status();
  CycleResult result;
  AlertTransition t = ReapplySilences(*previous, *silences, now);
  result.errors = t.errors;
  result.warnings = t.errors;
  for (const auto& [fp, a] : t.alerts) result.firing += a.firing() ? 1 : 0;
  if (t.changed.empty()) return result;
  result.written = static_cast<int>(t.changed.size());
  RestoreNotified(t.alerts, now, &*log);
  NotifyPlan plan = PlanNotifications(config_, t.alerts, *log, now, PushTtl());
  result.messages = BuildMessages(plan, result.eval, now);  // no snapshot: the alerts' own
  result.next_flush = plan.next_flush;
  CycleWrite write;
  RecordNotifications(plan, result.messages, now, &t.alerts, &t);
  for (const std::string& fp : t.changed) write.alerts.push_back(&t.alerts.at(fp));
  write.events = std::move(t.events);
  write.log = plan.log_updates;
  write.messages = result.messages;
  Status committed = state_->CommitCycle(write);
  if (!committed.ok()) return committed;
  spdlog::info("silences applied alerts={} messages={}", t.changed.size(), result.messages.size());
  return result;
}

}  // namespace shihyo
