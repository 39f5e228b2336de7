#include "service/once.h"

#include <memory>

#include "eval/rule_loader.h"
#include "notify/notifier.h"
#include "store/store.h"

namespace shihyo {

namespace {

// Delivers what is due after a committed cycle.
Status Deliver(const Config& config, StateStore* state, const OnceOptions& o, OnceReport* report) {
  Notifiers notifiers(config, *o.send_clock);
  Outbox outbox(&state->outbox(), &notifiers, config.outbox, *o.outbox_clock);
  Result<DeliveryReport> delivered = outbox.DeliverDue();
  if (!delivered.ok()) return delivered.status();
  Result<int> pending = state->outbox().PendingCount();
  if (!pending.ok()) return pending.status();
  report->delivery = std::move(delivered).value();
  report->pending = *pending;
  return Status::Ok();
}

}  // namespace

Result<OnceReport> RunOnce(const Config& config, StateStore* state, const OnceOptions& o) {
  std::unique_ptr<StateLock> lock;
  if (!o.dry_run) {
    auto acquired = StateLock::Acquire(config.state);
    if (!acquired.ok()) return acquired.status();
    lock = std::move(acquired).value();
  }
  OnceReport report;
  RuleLoad rules = LoadRuleDir(config.rules);
  report.rule_errors = rules.errors;
  if (!rules.ok()) return report;
  auto store = IndicatorStore::Open(config.store, IndicatorStore::Mode::kReadOnly);
  if (!store.ok()) return store.status();
  Cycle cycle(config, rules.rules, store->get(), state);
  Result<CycleResult> result = cycle.Evaluate(o.now, o.dry_run);
  if (!result.ok()) return result.status();
  report.cycle = std::move(result).value();
  if (o.evaluated) o.evaluated(report.cycle);
  if (o.dry_run) return report;
  if (Status s = Deliver(config, state, o, &report); !s.ok()) return s;
  return report;
}

}  // namespace shihyo
