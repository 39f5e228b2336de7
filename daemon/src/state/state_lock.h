// Exclusive use of a state DB by one daemon (or one `daemon --once`): two
// writers would plan and send the same notifications. Thread-compatible.
#pragma once

#include <memory>
#include <string>

#include "base/status.h"

namespace shihyo {

// An flock on "<state>.lock", released when the object is destroyed or the
// process dies.
class StateLock {
 public:
  // kUnavailable when another process holds it.
  static Result<std::unique_ptr<StateLock>> Acquire(const std::string& state_path);
  ~StateLock();
  StateLock(const StateLock&) = delete;
  StateLock& operator=(const StateLock&) = delete;

 private:
  explicit StateLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace shihyo
