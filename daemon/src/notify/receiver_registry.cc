#include "notify/receiver_registry.h"

#include "notify/alertmanager/alertmanager_kind.h"
#include "notify/email/email_kind.h"
#include "notify/webhook/webhook_kind.h"

namespace shihyo {

const std::vector<const ReceiverKind*>& ReceiverKinds() {
  static const std::vector<const ReceiverKind*> kKinds = {
      &EmailKind(),
      &WebhookKind(),
      &AlertmanagerKind(),
  };
  return kKinds;
}

const ReceiverKind* FindReceiverKind(const std::string& name) {
  for (const ReceiverKind* k : ReceiverKinds()) {
    if (name == k->name()) return k;
  }
  return nullptr;
}

const std::vector<ReceiverConfigKind>& ReceiverConfigKinds() {
  static const std::vector<ReceiverConfigKind> kReaders = [] {
    std::vector<ReceiverConfigKind> readers;
    for (const ReceiverKind* k : ReceiverKinds()) {
      readers.push_back(
          {k->name(), [k](const YamlField& field, const std::string& context,
                          ConfigReader* reader) { return k->ReadConfig(field, context, reader); }});
    }
    return readers;
  }();
  return kReaders;
}

}  // namespace shihyo
