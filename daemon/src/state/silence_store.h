// The silences in the state DB: added and expired from the command line,
// read by every cycle. One instance per thread; borrows StateStore's
// connection.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "alert/alert_state.h"
#include "base/status.h"

namespace shihyo {

struct StateConnection;

class SilenceStore {
 public:
  // |connection| must outlive the store.
  explicit SilenceStore(StateConnection* connection) : c_(connection) {}
  SilenceStore(const SilenceStore&) = delete;
  SilenceStore& operator=(const SilenceStore&) = delete;

  Status AddSilence(const Silence& silence);
  // Silences that have not ended before |now| (all of them with
  // |include_expired|), compiled; a stored regex that does not compile never
  // matches.
  Result<std::vector<Silence>> LoadSilences(TimePoint now, bool include_expired);
  // Ends silence |id| at |now|; kNotFound when there is none.
  Status ExpireSilence(const std::string& id, TimePoint now);
  // Whether the silences active at |now| differ from those the previous
  // call saw: one was added, expired, or started or ended by its times,
  // here or by another process. The first call says true. While the state
  // DB has not changed and no silence starts or ends, answers from memory.
  Result<bool> ActiveChanged(TimePoint now);

 private:
  StateConnection* c_;
  std::optional<std::string> active_seen_;  // ids and end times, as last seen
  // When active_seen_ was read: the state DB's change key, the second it
  // was read at, and the next second a silence starts or ends (none: never).
  std::pair<int64_t, int64_t> seen_key_{};
  int64_t seen_at_ = 0;
  std::optional<int64_t> next_boundary_;
};

}  // namespace shihyo
