#include "service/daemon_loop.h"

#include <poll.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <climits>

#include "base/curl_handle.h"
#include "base/exit_status.h"
#include "base/log.h"
#include "base/time_zone.h"
#include "eval/rule_loader.h"
#include "http/http_server.h"
#include "http/status_board.h"
#include "notify/notifier.h"
#include "notify/receiver_registry.h"
#include "service/cycle.h"
#include "service/cycle_memory.h"
#include "service/systemd_notify.h"
#include "state/state_store.h"
#include "store/store.h"

namespace shihyo {

namespace {

constexpr auto kRuleDebounce = std::chrono::milliseconds(300);
constexpr auto kPruneAge = std::chrono::hours(24 * 90);
// Pruning scans the alert history: once an hour, not after every cycle.
constexpr auto kPruneGap = std::chrono::hours(1);

std::string Joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines) out += l + "\n";
  return out;
}

}  // namespace

DaemonLoop::DaemonLoop(std::string config_path, const Clock& clock)
    : config_path_(std::move(config_path)),
      clock_(clock),
      memory_(std::make_unique<CycleMemory>()) {}

DaemonLoop::~DaemonLoop() {
  if (signal_fd_ >= 0) close(signal_fd_);
  if (inotify_fd_ >= 0) close(inotify_fd_);
}

int DaemonLoop::Run() {
  systemd_ = std::make_unique<SystemdNotifier>();
  Status started = Start();
  if (!started.ok()) {
    const std::string& msg = started.message();
    for (size_t start = 0; start < msg.size();) {  // one line per event
      size_t end = std::min(msg.find('\n', start), msg.size());
      spdlog::error("start failed: {}", LogSafe(msg.substr(start, end - start)));
      start = end + 1;
    }
    return started.IsInvalidArgument() ? kExitFailure : kExitUsage;
  }
  InstallTransferInterrupt();
  Loop();
  SetTransferInterrupt(nullptr);
  systemd_->Stopping();
  spdlog::info("stopped");
  return kExitOk;
}

Status DaemonLoop::Start() {
  Result<Config> config = LoadConfig(config_path_, ReceiverConfigKinds());
  if (!config.ok()) return config.status();
  config_ = std::move(config).value();
  InitLogging(config_.log_level);
  SetDisplayZone(config_.zone);
  RuleLoad rules = LoadRuleDir(config_.rules);
  if (!rules.ok()) {
    for (const std::string& e : rules.errors) spdlog::error("rule error: {}", LogSafe(e));
    return Status::InvalidArgument(std::to_string(rules.errors.size()) + " error(s) in " +
                                   config_.rules);
  }
  rules_ = std::move(rules.rules);
  auto lock = StateLock::Acquire(config_.state);
  if (!lock.ok()) return lock.status();
  lock_ = std::move(lock).value();
  auto state = StateStore::Open(config_.state);
  if (!state.ok()) return state.status();
  state_ = std::move(state).value();
  notifiers_ = std::make_unique<Notifiers>(config_, clock_);

  if (Status s = OpenSignalsAndWatches(); !s.ok()) return s;
  if (Status s = SyncHttp(); !s.ok()) return s;  // after the signal mask: its threads inherit it
  spdlog::info("started config={} rules={} ({} rules) store={} state={}", LogSafe(config_path_),
               LogSafe(config_.rules), rules_.rules.size(), LogSafe(config_.store),
               LogSafe(config_.state));
  PollStore();
  if (!store_) EvaluateNow("start");  // sets the status line; nothing to read yet
  if (!ready_) {
    // No store yet (nothing imported): the service is up and waiting for data.
    systemd_->Ready();
    ready_ = true;
  }
  return Status::Ok();
}

Status DaemonLoop::OpenSignalsAndWatches() {
  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGTERM);
  sigaddset(&mask, SIGINT);
  sigaddset(&mask, SIGHUP);
  sigprocmask(SIG_BLOCK, &mask, nullptr);
  signal_fd_ = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
  inotify_fd_ = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (signal_fd_ < 0 || inotify_fd_ < 0) return Status::IOError("signalfd/inotify unavailable");
  WatchRules();
  return Status::Ok();
}

void DaemonLoop::WatchRules() {
  if (rules_watch_ >= 0) inotify_rm_watch(inotify_fd_, rules_watch_);
  rules_watch_ = inotify_add_watch(inotify_fd_, config_.rules.c_str(),
                                   IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE |
                                       IN_DELETE | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF);
  if (rules_watch_ < 0) {
    spdlog::warn("cannot watch rules={}; reload with SIGHUP", LogSafe(config_.rules));
  }
}

int DaemonLoop::NextTimeoutMs() const {
  Mono now = MonoNow();
  Mono next = SaturatingAdd(last_poll_, config_.poll_interval);
  next = std::min(next, SaturatingAdd(last_eval_, config_.evaluation_interval));
  if (next_flush_) next = std::min(next, *next_flush_);
  if (rules_dirty_since_) next = std::min(next, *rules_dirty_since_ + kRuleDebounce);
  if (systemd_->WatchdogPeriod()) {
    next = std::min(next, now + std::chrono::duration_cast<std::chrono::milliseconds>(
                                    *systemd_->WatchdogPeriod() / 2));
  }
  // Rounded up: woken a fraction of a millisecond early, the loop would
  // spin with a zero timeout until the deadline passed.
  auto ms = std::chrono::ceil<std::chrono::milliseconds>(next - now).count();
  return static_cast<int>(std::clamp<int64_t>(ms, 0, 60000));
}

void DaemonLoop::Loop() {
  while (!stopping_) {
    pollfd fds[2] = {{signal_fd_, POLLIN, 0}, {inotify_fd_, POLLIN, 0}};
    int n = poll(fds, 2, NextTimeoutMs());
    systemd_->Watchdog();
    if (n > 0 && (fds[0].revents & POLLIN)) HandleSignals(false);
    if (stopping_) break;
    state_->BeginPoll();
    if (n > 0 && (fds[1].revents & POLLIN)) HandleRuleEvents();
    if (rules_dirty_since_ && MonoNow() - *rules_dirty_since_ >= kRuleDebounce) {
      rules_dirty_since_.reset();
      if (ReloadRules("rule files changed")) EvaluateNow("rules reloaded");
    }
    if (MonoNow() - last_poll_ >= config_.poll_interval) {
      if (state_trouble_.active()) CheckStateWritable();
      PollStore();
      ApplySilenceChanges();
    }
    if (MonoNow() - last_eval_ >= config_.evaluation_interval) EvaluateNow("schedule");
    if (next_flush_ && MonoNow() >= *next_flush_) EvaluateNow("group_wait elapsed");
    if (!state_trouble_.active()) Deliver();
    if (reload_pending_ && !stopping_) {
      reload_pending_ = false;
      ReloadConfig();
    }
    UpdateStatus();
  }
}

void DaemonLoop::HandleSignals(bool in_delivery) {
  signalfd_siginfo info;
  while (read(signal_fd_, &info, sizeof info) == sizeof info) {
    if (info.ssi_signo == SIGHUP) {
      // The reload's outcome is the one line logged for it; a reload put
      // off until the delivery in progress ends is an event of its own.
      if (in_delivery) {
        spdlog::info("SIGHUP: reloading config and rules after this delivery");
        reload_pending_ = true;
      } else {
        ReloadConfig();
      }
    } else {
      spdlog::info("signal {}: stopping", info.ssi_signo == SIGTERM ? "SIGTERM" : "SIGINT");
      stopping_ = true;
    }
  }
}

void DaemonLoop::HandleRuleEvents() {
  alignas(inotify_event) char buf[4096];
  bool relevant = false;
  bool rewatch = false;
  ssize_t len;
  while ((len = read(inotify_fd_, buf, sizeof buf)) > 0) {
    for (char* p = buf; p < buf + len;) {
      auto* ev = reinterpret_cast<inotify_event*>(p);
      std::string name = ev->len ? ev->name : "";
      // Editors write temporary files (.swp, ~); only rule files matter.
      if (name.ends_with(".yaml") || name.ends_with(".yml")) relevant = true;
      // Events were lost, or the directory itself went away or was replaced
      // (IN_IGNORED of a watch removed on purpose is neither).
      bool stale = (ev->mask & IN_IGNORED) && ev->wd != rules_watch_;
      if (!stale && (ev->mask & (IN_Q_OVERFLOW | IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF))) {
        relevant = true;
        rewatch = rewatch || !(ev->mask & IN_Q_OVERFLOW);
      }
      p += sizeof(inotify_event) + ev->len;
    }
  }
  if (rewatch) {
    rules_watch_ = -1;  // the kernel dropped it
    WatchRules();
  }
  if (relevant && !rules_dirty_since_) rules_dirty_since_ = MonoNow();
}

bool DaemonLoop::ReloadRules(const char* why) {
  systemd_->Reloading();
  RuleLoad load = LoadRuleDir(config_.rules);
  bool ok = load.ok();
  if (ok) {
    rules_ = std::move(load.rules);
    memory_->Forget();  // findings of other rules
    last_reload_errors_.clear();
    spdlog::info("rules reloaded reason=\"{}\" rules={}", why, rules_.rules.size());
  } else {
    for (const std::string& e : load.errors) spdlog::error("rule error: {}", LogSafe(e));
    spdlog::error("rule reload failed reason=\"{}\" errors={}; keeping the {} rules in force", why,
                  load.errors.size(), rules_.rules.size());
    std::string joined = Joined(load.errors);
    if (joined != last_reload_errors_) {  // one notification per distinct breakage
      last_reload_errors_ = joined;
      NotifyAdmin(
          "[shihyo] ルールファイルの読み込みに失敗しました（前のルールで動作を続けています）",
          load.errors);
    }
  }
  Publish([&](DaemonStatus* s) {
    ++s->rule_reloads, s->rule_reload_failures += ok ? 0 : 1;
    s->rule_errors = ok ? std::vector<std::string>{} : load.errors;
    s->rules = static_cast<int>(rules_.rules.size());
  });
  systemd_->Ready();
  return ok;
}

void DaemonLoop::ReloadConfig() {
  // Rule edits queued before the signal are read by this reload, not by a
  // second one after the debounce.
  HandleRuleEvents();
  Result<Config> config = LoadConfig(config_path_, ReceiverConfigKinds());
  if (!config.ok()) {
    systemd_->Reloading();
    std::vector<std::string> lines;
    std::string msg = config.status().message();
    for (size_t start = 0; start < msg.size();) {
      size_t end = msg.find('\n', start);
      lines.push_back(msg.substr(start, end - start));
      start = end == std::string::npos ? msg.size() : end + 1;
      spdlog::error("config error: {}", LogSafe(lines.back()));  // one line per event
    }
    spdlog::error("config reload failed reason=\"SIGHUP\" errors={}; keeping the running config",
                  lines.size());
    NotifyAdmin("[shihyo] 設定ファイルの読み込みに失敗しました（前の設定で動作を続けています）",
                lines);
    systemd_->Ready();
    return;
  }
  bool state_moved = config->state != config_.state;
  bool store_moved = config->store != config_.store;
  if (state_moved) {
    auto state = StateStore::Open(config->state);
    if (!state.ok()) {
      spdlog::error("config reload: {}; keeping the running config",
                    LogSafe(state.status().message()));
      return;
    }
    state_ = std::move(state).value();
  }
  bool rules_moved = config->rules != config_.rules;
  config_ = std::move(config).value();
  memory_->Forget();  // perhaps another state DB
  InitLogging(config_.log_level);
  SetDisplayZone(config_.zone);
  notifiers_ = std::make_unique<Notifiers>(config_, clock_);
  if (store_moved) store_.reset();
  if (rules_moved) WatchRules();
  if (Status s = SyncHttp(); !s.ok()) spdlog::error("{}", LogSafe(s.message()));
  rules_dirty_since_.reset();
  if (ReloadRules("SIGHUP")) EvaluateNow("config reloaded");
}

void DaemonLoop::PollStore() {
  last_poll_ = MonoNow();
  struct stat st {};
  if (stat(config_.store.c_str(), &st) != 0) {
    if (store_) spdlog::warn("indicator store {} is gone; waiting for it", LogSafe(config_.store));
    store_.reset();
    data_version_.reset();
    return;
  }
  if (store_ && static_cast<uint64_t>(st.st_ino) != store_inode_) {
    spdlog::info("indicator store {} was replaced; reopening", LogSafe(config_.store));
    store_.reset();
  }
  if (!store_) {
    auto store = IndicatorStore::Open(config_.store, IndicatorStore::Mode::kReadOnly, 1000);
    if (!store.ok()) {
      // Locked (an import in progress) is not worth a mail; unreadable is.
      bool started = store_trouble_.Fail(store.status().message(), MonoNow());
      if (started && !store.status().IsUnavailable()) {
        NotifyAdmin("[shihyo] 指標ストアを読めません（読めるようになるまで前の状態で待ちます）",
                    {store.status().message()});
      }
      return;
    }
    store_ = std::move(store).value();
    store_inode_ = static_cast<uint64_t>(st.st_ino);
    data_version_.reset();
  }
  Result<int64_t> version = store_->DataVersion();
  if (!version.ok()) {
    store_trouble_.Fail(version.status().message(), MonoNow());
    return;
  }
  store_trouble_.Recover(MonoNow());
  if (!data_version_ || *version != *data_version_) {
    bool first = !data_version_;
    data_version_ = *version;
    Publish(
        [&](DaemonStatus* s) { s->data_version = *version, s->store_changed_at = clock_.Now(); });
    EvaluateNow(first ? "store opened" : "store changed");
  }
}

void DaemonLoop::EvaluateNow(const char* why) {
  TimePoint now = clock_.Now();
  last_eval_ = MonoNow();
  // Until an evaluation succeeds, a due group_wait flush waits for the next
  // poll instead of being retried in a tight loop.
  auto defer_flush = [this]() {
    if (next_flush_ && *next_flush_ <= MonoNow()) {
      next_flush_ = SaturatingAdd(MonoNow(), config_.poll_interval);
    }
  };
  if (!store_) {
    last_status_ = "waiting for the indicator store " + config_.store;
    defer_flush();
    return;
  }
  if (state_trouble_.active()) {  // evaluated again once writes commit
    data_version_.reset();
    defer_flush();
    return;
  }
  Cycle cycle(config_, rules_, store_.get(), state_.get(), memory_.get());
  Result<CycleResult> r = Status::Ok();
  try {
    r = cycle.Evaluate(now, false);
  } catch (const std::exception& e) {
    r = Status::IOError(std::string("unexpected error: ") + e.what());
  }
  if (!r.ok()) {
    // Busy or briefly unreadable: nothing is resolved, the next poll retries.
    data_version_.reset();
    defer_flush();
    Publish([](DaemonStatus* s) { ++s->evaluation_failures; });
    // A write the state DB refuses (a full disk) is told apart by trying one.
    if (Status w = state_->CheckWritable(); !w.ok()) {
      StateFailed(w.message());
    } else {
      eval_trouble_.Fail(r.status().message(), MonoNow());
    }
    return;
  }
  eval_trouble_.Recover(MonoNow());
  Evaluated(*r, now, why);
}

void DaemonLoop::Evaluated(const CycleResult& result, TimePoint now, const char* why) {
  next_flush_.reset();
  if (result.next_flush) {
    next_flush_ = SaturatingAdd(MonoNow(), *result.next_flush - now);
  }
  if (result.warnings != last_warnings_) {  // once, not every poll
    for (const std::string& w : result.warnings) spdlog::warn("{}", LogSafe(w));
    last_warnings_ = result.warnings;
  }
  if (result.errors != last_errors_) {  // the admin hears of each new set once
    last_errors_ = result.errors;
    if (!result.errors.empty()) {
      NotifyAdmin("[shihyo] ルール・振り分け・ミュートの判定ができなかったものがあります（" +
                      std::to_string(result.errors.size()) + "件）",
                  result.errors);
    }
  }
  LogInhibitions(result.inhibited);
  spdlog::info(
      "evaluated reason=\"{}\" findings={} firing={} new={} resolved={} messages={} plans={}/{} "
      "duration_ms={} cpu_ms={:.0f}",
      why, result.findings, result.firing, result.fired, result.resolved, result.messages.size(),
      result.plans_evaluated, result.plans,
      std::chrono::duration_cast<std::chrono::milliseconds>(MonoNow() - last_eval_).count(),
      result.cpu_ms);
  last_status_ = "last evaluation " + FormatIso8601(now) + ": " + std::to_string(result.firing) +
                 " alerts firing";
  if (!ready_) {
    systemd_->Ready();
    ready_ = true;
  }
  double took = std::chrono::duration<double>(MonoNow() - last_eval_).count();  // set at the start
  Publish([&](DaemonStatus* s) {
    s->ready = true, s->last_evaluation = now, s->last_evaluation_reason = why;
    s->firing = result.firing, ++s->evaluations, s->evaluation_seconds += took;
    s->inhibited.clear();
    for (const auto& [fp, by] : result.inhibited) s->inhibited.insert(fp);
  });
  if (last_prune_ && MonoNow() - *last_prune_ < kPruneGap) return;
  Result<int> pruned = state_->Prune(SaturatingSub(now, kPruneAge));
  if (pruned.ok()) last_prune_ = MonoNow(), memory_->Prune(SaturatingSub(now, kPruneAge));
  if (pruned.ok() && *pruned > 0) spdlog::debug("pruned rows={}", *pruned);
}

void DaemonLoop::LogInhibitions(const std::map<std::string, Inhibition>& now_inhibited) {
  for (const auto& [fp, why] : now_inhibited) {
    if (inhibited_.count(fp)) continue;
    spdlog::info("alert inhibited rule={} fingerprint={} by_rule={} by={} inhibit_rule={}",
                 LogSafe(why.rule), fp, LogSafe(why.source_rule), why.source_fingerprint,
                 LogSafe(why.where));
  }
  for (const auto& [fp, why] : inhibited_) {
    if (!now_inhibited.count(fp)) {
      spdlog::info("alert no longer inhibited rule={} fingerprint={}", LogSafe(why.rule), fp);
    }
  }
  inhibited_ = now_inhibited;
}

void DaemonLoop::UpdateStatus() {
  Result<int> pending = state_->outbox().PendingCount();
  std::string status = last_status_ + (pending.ok() ? "; outbox pending " + std::to_string(*pending)
                                                    : std::string());
  if (status == last_sent_status_) return;  // systemd hears of changes only
  last_sent_status_ = status;
  systemd_->Status(status);
}

void DaemonLoop::ApplySilenceChanges() {
  if (!state_ || state_trouble_.active() || !ready_) return;
  TimePoint now = clock_.Now();
  Result<bool> changed = state_->silences().ActiveChanged(now);
  if (!changed.ok() || !*changed) return;  // unreadable now: the next poll asks again
  Cycle cycle(config_, rules_, store_.get(), state_.get(), memory_.get());
  Result<CycleResult> r = cycle.ApplySilences(now);
  // Alerts changed in the state DB: the next cycle reloads them. (A check
  // that changed nothing, e.g. the first after a start, keeps the memory.)
  if (!r.ok() || r->written > 0) memory_->ForgetAlerts();
  if (!r.ok()) {
    spdlog::warn("silences changed but could not be applied: {}", LogSafe(r.status().message()));
    return;
  }
  if (r->next_flush) {
    Mono due = SaturatingAdd(MonoNow(), *r->next_flush - now);
    if (!next_flush_ || due < *next_flush_) next_flush_ = due;
  }
}

}  // namespace shihyo
