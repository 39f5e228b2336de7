// The table of receiver kinds: the one place that lists them. Everything
// that depends on a receiver's kind (config loading, message building,
// delivery, preview, test and admin messages) looks the kind up here.
// Thread-safe.
#pragma once

#include <string>
#include <vector>

#include "config/config.h"
#include "notify/receiver_kind.h"

namespace shihyo {

// Every kind, in the order config errors list them.
const std::vector<const ReceiverKind*>& ReceiverKinds();

// The kind called |name|, or nullptr.
const ReceiverKind* FindReceiverKind(const std::string& name);

// How shihyo.yaml's receivers are read: one entry per kind, for LoadConfig.
const std::vector<ReceiverConfigKind>& ReceiverConfigKinds();

}  // namespace shihyo
