#include "service/outbox.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "base/log.h"

namespace shihyo {

Seconds Backoff(const OutboxConfig& config, int attempts, double jitter) {
  double base = static_cast<double>(config.initial_backoff.count()) *
                std::pow(2.0, std::max(0, attempts - 1));
  base = std::min(base, static_cast<double>(config.max_backoff.count()));
  return Seconds(std::max<int64_t>(1, static_cast<int64_t>(base * jitter)));
}

namespace {

// What |notifier| says of its last send (a shortened message) and the
// recipients it refused, logged, the refused added to |report|; the note for
// the outbox row ("" when none).
std::string NoteRefused(Notifier* notifier, const Message& m, DeliveryReport* report) {
  std::string notes;
  for (const std::string& n : notifier->TakeNotes()) {
    spdlog::warn("message {} id={} receiver={}", LogSafe(n), LogSafe(m.id), LogSafe(m.receiver));
    notes += (notes.empty() ? "" : "; ") + n;
  }
  std::string refused;
  for (const std::string& r : notifier->TakeRefused()) refused += (refused.empty() ? "" : ", ") + r;
  if (refused.empty()) return notes;
  spdlog::warn("message partially refused id={} receiver={} refused=\"{}\"", LogSafe(m.id),
               LogSafe(m.receiver), LogSafe(refused));
  report->partially_refused.push_back(m.id + " (" + m.receiver + "): " + refused);
  return (notes.empty() ? "" : notes + "; ") + "refused: " + refused;
}

}  // namespace

Outbox::Outbox(OutboxStore* store, Notifiers* notifiers, const OutboxConfig& config,
               const Clock& clock)
    : store_(store), notifiers_(notifiers), config_(config), clock_(clock) {}

Result<DeliveryReport> Outbox::DeliverDue(int limit, const std::function<bool()>& keep_going,
                                          std::chrono::seconds budget) {
  auto started = std::chrono::steady_clock::now();
  // The messages due at the start, read a few at a time (each holds a whole
  // digest): a sent, retried or dead one is no longer due then.
  constexpr int kBatch = 16;
  TimePoint due_at = clock_.Now();
  DeliveryReport report;
  Deferred deferred;
  for (int taken = 0; taken < limit;) {
    Result<std::vector<OutboxEntry>> due =
        store_->DueMessages(due_at, std::min(kBatch, limit - taken));
    if (!due.ok()) return due.status();
    if (due->empty()) break;
    taken += static_cast<int>(due->size());
    for (const OutboxEntry& e : *due) {
      if (keep_going && !keep_going()) return report;
      if (std::chrono::steady_clock::now() - started > budget) return report;
      if (Status s = DeliverOne(e, &deferred, &report); !s.ok()) return s;
    }
  }
  return report;
}

Status Outbox::DeliverOne(const OutboxEntry& e, Deferred* deferred_by, DeliveryReport* out) {
  Deferred& deferred = *deferred_by;
  DeliveryReport& report = *out;
  const Message& m = e.message;
  TimePoint now = clock_.Now();
  if (auto d = deferred.find(m.receiver); d != deferred.end()) {
    // The receiver just failed: this one waits as long, without an attempt.
    Status marked = store_->MarkRetry(m.id, e.attempts, d->second.first, d->second.second);
    if (marked.ok()) ++report.retrying;
    return marked;
  }
  int attempts = e.attempts + 1;
  Notifier* notifier = notifiers_->For(m.receiver);
  Status s =
      notifier
          ? notifier->Send(m)
          : Status::InvalidArgument("receiver '" + m.receiver + "' is no longer in the config");
  now = clock_.Now();
  Status marked;
  if (s.ok()) {
    marked = store_->MarkSent(m.id, now, attempts, NoteRefused(notifier, m, &report));
    ++report.sent, ++report.sent_by[m.receiver];
    spdlog::info("message sent id={} receiver={} attempts={} summary=\"{}\"", LogSafe(m.id),
                 LogSafe(m.receiver), attempts, LogSafe(m.summary));
  } else {
    ++report.failed_by[m.receiver], report.errors.push_back(m.receiver + ": " + s.message());
    bool too_old = now >= SaturatingAdd(m.created_at, config_.max_age);
    if (!s.IsUnavailable() || too_old) {
      std::string why = s.IsUnavailable() ? "gave up after " + std::to_string(attempts) +
                                                " attempts: " + s.message()
                                          : s.message();
      marked = store_->MarkDead(m.id, attempts, why);
      ++report.dead;
      report.dead_ids.push_back(m.id);
      spdlog::error("message dead id={} receiver={} attempts={} error=\"{}\"", LogSafe(m.id),
                    LogSafe(m.receiver), attempts, LogSafe(why));
    } else {
      double jitter = fixed_jitter_ >= 0 ? fixed_jitter_
                                         : std::uniform_real_distribution<double>(0.5, 1.0)(rng_);
      TimePoint next = SaturatingAdd(now, Backoff(config_, attempts, jitter));
      marked = store_->MarkRetry(m.id, attempts, next, s.message());
      deferred[m.receiver] = {next, s.message()};
      ++report.retrying;
      spdlog::warn("message retry id={} receiver={} attempts={} next={} error=\"{}\"",
                   LogSafe(m.id), LogSafe(m.receiver), attempts, FormatIso8601(next),
                   LogSafe(s.message()));
    }
  }
  return marked;
}

}  // namespace shihyo
