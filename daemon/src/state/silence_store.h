// The silences in the state DB: added and expired from the command line,
// read by every cycle. One instance per thread; borrows StateStore's
// connection.
#pragma once

#include <string>
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

 private:
  StateConnection* c_;
};

}  // namespace shihyo
