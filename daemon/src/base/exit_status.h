// The process exit codes every command and the daemon share (DESIGN.md):
// scripts rely on them. Plain constants; thread-safe.
#pragma once

namespace shihyo {

enum ExitStatus {
  kExitOk = 0,
  kExitFailure = 1,  // findings or validation failed, where the command says so
  kExitUsage = 2,    // usage or I/O error
};

}  // namespace shihyo
