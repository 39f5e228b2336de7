// One kind of trouble that the daemon meets again at every poll (an
// unreadable indicator store, a state DB on a full disk): logged when it
// starts, then at most once per |gap| with the count of repeats left out,
// and its end logged once. Not thread-safe.
#pragma once

#include <chrono>
#include <string>

namespace shihyo {

class RepeatedWarning {
 public:
  using Mono = std::chrono::steady_clock::time_point;

  // |what| names the trouble in the log ("indicator store unreadable").
  explicit RepeatedWarning(std::string what, std::chrono::seconds gap = std::chrono::minutes(10))
      : what_(std::move(what)), gap_(gap) {}

  // Records one failure with |message| at |now| and logs it unless the same
  // message was logged less than |gap| ago. Returns true when this failure
  // starts an episode (the caller tells the admin).
  bool Fail(const std::string& message, Mono now);

  // Records a success at |now|: logs the end of an episode in progress.
  // Returns true when an episode ended.
  bool Recover(Mono now);

  bool active() const { return active_; }
  // Failures in the current (or last) episode.
  int failures() const { return failures_; }
  const std::string& first_message() const { return first_message_; }

 private:
  std::string what_;
  std::chrono::seconds gap_;
  bool active_ = false;
  int failures_ = 0;
  int suppressed_ = 0;  // since the last line logged
  std::string first_message_;
  std::string last_logged_;
  Mono started_{};
  Mono last_logged_at_{};
};

}  // namespace shihyo
