#include "notify/notifier.h"

#include "notify/receiver_registry.h"

namespace shihyo {

Notifiers::Notifiers(const Config& config, const Clock& clock) {
  for (const Receiver& r : config.receivers) {
    const ReceiverKind* kind = FindReceiverKind(r.kind);
    std::unique_ptr<Notifier> n = kind ? kind->MakeNotifier(r, config, clock) : nullptr;
    if (n) by_name_[r.name] = std::move(n);
  }
}

Notifier* Notifiers::For(const std::string& receiver) {
  auto it = by_name_.find(receiver);
  return it == by_name_.end() ? nullptr : it->second.get();
}

void Notifiers::Set(const std::string& receiver, std::unique_ptr<Notifier> notifier) {
  by_name_[receiver] = std::move(notifier);
}

}  // namespace shihyo
