// DaemonLoop's delivery: the outbox between evaluations, SIGTERM and the
// watchdog answered also while a transfer waits, dead messages reported to
// the admin receiver.
#include <poll.h>
#include <signal.h>
#include <spdlog/spdlog.h>

#include "base/curl_handle.h"
#include "base/log.h"
#include "http/status_board.h"
#include "service/admin_notice.h"
#include "service/daemon_loop.h"
#include "service/outbox.h"
#include "service/systemd_notify.h"
#include "state/state_store.h"

namespace shihyo {

namespace {

constexpr auto kDeadNoticeGap = std::chrono::hours(1);
constexpr const char* kStateSubject =
    "[shihyo] 状態DBに書き込めません（ディスクの空きを確認してください。評価と送信を止めています）";

volatile sig_atomic_t g_stop_signal = 0;

void OnStopSignal(int signo) {
  g_stop_signal = signo;
  InterruptTransfer();  // a wait inside libcurl ends now
}

// While delivering, SIGTERM and SIGINT are not left to the signalfd: a
// handler ends the transfer in flight (libcurl does not ask the progress
// callback while it waits for an SMTP reply).
class StopSignalHandler {
 public:
  StopSignalHandler() {
    g_stop_signal = 0;
    struct sigaction sa = {};
    sa.sa_handler = OnStopSignal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, &old_term_);
    sigaction(SIGINT, &sa, &old_int_);
    sigemptyset(&mask_);
    sigaddset(&mask_, SIGTERM);
    sigaddset(&mask_, SIGINT);
    sigprocmask(SIG_UNBLOCK, &mask_, nullptr);  // a pending one is handled now
  }
  ~StopSignalHandler() {
    sigprocmask(SIG_BLOCK, &mask_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
    sigaction(SIGINT, &old_int_, nullptr);
  }
  StopSignalHandler(const StopSignalHandler&) = delete;
  StopSignalHandler& operator=(const StopSignalHandler&) = delete;

 private:
  sigset_t mask_;
  struct sigaction old_term_ = {};
  struct sigaction old_int_ = {};
};

// A SIGTERM or SIGINT waiting on the signalfd (they are blocked, so they
// stay pending until the loop reads them).
bool StopPending() {
  sigset_t pending;
  if (sigpending(&pending) != 0) return false;
  return sigismember(&pending, SIGTERM) == 1 || sigismember(&pending, SIGINT) == 1;
}

}  // namespace

void DaemonLoop::InstallTransferInterrupt() {
  // Asked by libcurl at least once a second while a transfer waits: the
  // watchdog is answered and a SIGTERM ends the transfer (the message is
  // retried at the next start).
  SetTransferInterrupt([this]() {
    systemd_->Watchdog();
    return g_stop_signal != 0 || StopPending();
  });
}

void DaemonLoop::Deliver() {
  // An idle poll: nothing changed and nothing fell due (a failure to tell
  // is left to the delivery below).
  if (Result<bool> maybe = state_->outbox().MaybeDue(clock_.Now()); maybe.ok() && !*maybe) return;
  Outbox outbox(&state_->outbox(), notifiers_.get(), config_.outbox, clock_);
  // Between messages: answer the watchdog and notice SIGTERM (a transfer in
  // flight is ended by the transfer interrupt; the rest waits for the next
  // start). A SIGHUP waits
  // for the batch: the outbox is using the notifiers a reload replaces.
  auto stop_signalled = [this]() {
    if (g_stop_signal == 0 || stopping_) return;
    spdlog::info("signal {}: stopping", g_stop_signal == SIGTERM ? "SIGTERM" : "SIGINT");
    stopping_ = true;
  };
  auto keep_going = [this, &stop_signalled]() {
    systemd_->Watchdog();
    stop_signalled();
    pollfd fd = {signal_fd_, POLLIN, 0};
    if (poll(&fd, 1, 0) > 0) HandleSignals(true);
    return !stopping_;
  };
  Result<DeliveryReport> report = [&]() {
    StopSignalHandler handler;
    return outbox.DeliverDue(1000, keep_going);
  }();
  stop_signalled();
  if (!report.ok()) {
    // A message sent but not marked (a full disk) is sent again, once, when
    // writes commit again; until then nothing is delivered.
    if (Status w = state_->CheckWritable(); !w.ok()) {
      StateFailed(w.message());
    } else {
      deliver_trouble_.Fail(report.status().message(), MonoNow());
    }
    return;
  }
  Publish([&](DaemonStatus* s) {
    for (const auto& [receiver, n] : report->sent_by) s->sent[receiver] += n;
    for (const auto& [receiver, n] : report->failed_by) s->failed[receiver] += n;
  });
  deliver_trouble_.Recover(MonoNow());
  ReportPartiallyRefused(report->partially_refused);
  // Dead alert messages are reported to the admin, at most once an hour; a
  // dead admin message is only logged (it cannot report itself).
  int dead_alerts = 0;
  for (const std::string& id : report->dead_ids) dead_alerts += id.rfind("admin-", 0) == 0 ? 0 : 1;
  if (dead_alerts > 0 && (!last_dead_notice_ || MonoNow() - *last_dead_notice_ > kDeadNoticeGap)) {
    last_dead_notice_ = MonoNow();
    NotifyAdmin("[shihyo] 送信できなかった通知があります（" + std::to_string(dead_alerts) +
                    "件、shihyo outbox list --status dead で確認できます）",
                report->errors);
  }
}

void DaemonLoop::ReportPartiallyRefused(const std::vector<std::string>& lines) {
  // Alert messages only (an admin message cannot report itself), each once:
  // a message is sent only once.
  std::vector<std::string> alerts;
  for (const std::string& l : lines) {
    if (l.rfind("admin-", 0) != 0) alerts.push_back(l);
  }
  if (alerts.empty()) return;
  NotifyAdmin("[shihyo] 一部の宛先に届かなかった通知があります（" + std::to_string(alerts.size()) +
                  "件、shihyo outbox list --status sent で確認できます）",
              alerts);
}

bool DaemonLoop::NotifyAdmin(const std::string& subject, const std::vector<std::string>& lines) {
  const Receiver* admin = config_.FindReceiver(config_.admin_receiver);
  if (!admin) return true;
  std::optional<Message> m = BuildAdminMessage(config_, *admin, subject, lines, clock_.Now());
  if (!m) {
    spdlog::warn("admin_receiver {} takes Alertmanager alerts only; not told: {}",
                 LogSafe(admin->name), LogSafe(subject));
    return true;
  }
  CycleWrite write;
  write.messages.push_back(std::move(*m));
  Status s = state_->CommitCycle(write);
  if (!s.ok()) spdlog::error("admin notification not queued: {}", LogSafe(s.message()));
  return s.ok();
}

void DaemonLoop::StateFailed(const std::string& message) {
  if (state_trouble_.Fail(message, MonoNow())) {
    last_status_ = "state DB " + config_.state + " not writable; delivery paused";
    // Likely refused too (the same file): then told once writes commit.
    state_notice_owed_ = !NotifyAdmin(kStateSubject, {message});
  }
}

void DaemonLoop::CheckStateWritable() {
  Status s = state_->CheckWritable();
  if (!s.ok()) {
    StateFailed(s.message());
    return;
  }
  StateRecovered();
}

void DaemonLoop::StateRecovered() {
  if (!state_trouble_.Recover(MonoNow())) return;
  data_version_.reset();  // the next poll evaluates what was skipped
  if (state_notice_owed_) {
    state_notice_owed_ =
        !NotifyAdmin("[shihyo] 状態DBに書き込めない状態から回復しました",
                     {state_trouble_.first_message(),
                      "回復しました（書き込みの失敗 " + std::to_string(state_trouble_.failures()) +
                          " 回）。止まっていた評価と送信を再開します。"});
  }
}

}  // namespace shihyo
