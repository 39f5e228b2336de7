// The long-running service: evaluates when the indicator store changes
// (PRAGMA data_version, polled on a connection it keeps), on a schedule and
// after a rule reload; delivers the outbox continuously; reloads rules when
// their files change (inotify) and config and rules on SIGHUP, keeping the
// last good set when a reload fails; stops cleanly on SIGTERM/SIGINT.
// Single-threaded; signals are read through a signalfd.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "alert/inhibit.h"
#include "base/clock.h"
#include "base/status.h"
#include "config/config.h"
#include "model/rule.h"
#include "service/repeated_warning.h"

namespace shihyo {

class IndicatorStore;
class StateStore;
class Notifiers;
class SystemdNotifier;
class StateLock;
struct CycleResult;
struct CycleMemory;
struct DaemonStatus;
class StatusBoard;
class HttpServer;

class DaemonLoop {
 public:
  // |clock| must outlive the loop.
  DaemonLoop(std::string config_path, const Clock& clock);
  ~DaemonLoop();
  DaemonLoop(const DaemonLoop&) = delete;
  DaemonLoop& operator=(const DaemonLoop&) = delete;

  // Loads everything and runs until SIGTERM or SIGINT. Returns the exit code:
  // 0 after a clean stop, 1 when the config or rules are invalid at start,
  // 2 when a file cannot be opened.
  int Run();

 private:
  Status Start();
  // The signalfd (SIGTERM, SIGINT, SIGHUP) and the inotify watch of the rules.
  Status OpenSignalsAndWatches();
  void Loop();
  // SIGTERM/SIGINT stop; SIGHUP reloads now, or after the delivery in
  // progress when |in_delivery| (the outbox holds the notifiers).
  void HandleSignals(bool in_delivery);
  void HandleRuleEvents();
  bool ReloadRules(const char* why);
  void ReloadConfig();
  void PollStore();
  // A silence added, expired, started or ended since the last poll is
  // applied to the alerts at once, without an evaluation (issue 11).
  void ApplySilenceChanges();
  void EvaluateNow(const char* why);
  // After a successful evaluation: group_wait timer, warnings, status, pruning.
  void Evaluated(const CycleResult& result, TimePoint now, const char* why);
  // Delivery (daemon_delivery.cc): due messages, dead ones reported.
  void Deliver();
  // Lets a transfer in flight ping the watchdog and end on SIGTERM.
  void InstallTransferInterrupt();
  // Tells the admin receiver which recipients refused the alert messages
  // just sent (the rest of each message was delivered).
  void ReportPartiallyRefused(const std::vector<std::string>& lines);
  // Queues a message to the admin receiver; false when it could not be
  // queued (the state DB refused the write).
  bool NotifyAdmin(const std::string& subject, const std::vector<std::string>& lines);
  // The state DB refused a write (a full disk, an I/O error): delivery and
  // evaluation pause, and each poll checks whether writes commit again.
  void StateFailed(const std::string& message);
  void CheckStateWritable();
  void StateRecovered();
  void WatchRules();
  void UpdateStatus();
  // One line when an alert becomes inhibited, one when it no longer is.
  void LogInhibitions(const std::map<std::string, Inhibition>& now_inhibited);
  // The HTTP server (daemon_http.cc): started, restarted on a new 'http'
  // section, stopped without one; |Publish| changes what it reports.
  Status SyncHttp();
  void Publish(const std::function<void(DaemonStatus*)>& change);
  int NextTimeoutMs() const;

  std::string config_path_;
  const Clock& clock_;
  Config config_;
  RuleSet rules_;
  std::unique_ptr<IndicatorStore> store_;
  std::unique_ptr<StateStore> state_;
  std::unique_ptr<CycleMemory> memory_;  // what the last cycle left for the next
  std::unique_ptr<Notifiers> notifiers_;
  std::unique_ptr<SystemdNotifier> systemd_;
  int signal_fd_ = -1;
  int inotify_fd_ = -1;
  int rules_watch_ = -1;
  using Mono = std::chrono::steady_clock::time_point;  // intervals survive clock steps
  static Mono MonoNow() { return std::chrono::steady_clock::now(); }

  bool stopping_ = false;
  bool reload_pending_ = false;
  bool ready_ = false;
  std::optional<int64_t> data_version_;
  uint64_t store_inode_ = 0;
  Mono last_eval_{};
  Mono last_poll_{};
  std::optional<Mono> next_flush_;
  std::optional<Mono> rules_dirty_since_;
  std::optional<Mono> last_dead_notice_;
  std::optional<Mono> last_prune_;  // old rows go at most once an hour
  std::unique_ptr<StateLock> lock_;
  std::string last_reload_errors_;
  std::vector<std::string> last_warnings_;
  std::vector<std::string> last_errors_;
  std::map<std::string, Inhibition> inhibited_;  // as the last evaluation found them
  std::string last_status_;
  std::string last_sent_status_;
  std::unique_ptr<StatusBoard> board_;
  std::unique_ptr<HttpServer> http_;  // after |board_|: stopped before it goes
  std::optional<HttpConfig> http_config_;
  // Troubles met at every poll, logged when they start and end.
  RepeatedWarning store_trouble_{"indicator store not readable"};
  RepeatedWarning eval_trouble_{"evaluation skipped"};
  RepeatedWarning state_trouble_{"state DB not writable"};
  RepeatedWarning deliver_trouble_{"outbox delivery failed"};
  bool state_notice_owed_ = false;  // the admin was not told of this episode yet
};

}  // namespace shihyo
