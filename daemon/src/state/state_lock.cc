#include "state/state_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace shihyo {

Result<std::unique_ptr<StateLock>> StateLock::Acquire(const std::string& state_path) {
  std::string path = state_path + ".lock";
  int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Status::IOError(path + ": " + std::strerror(errno));
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    close(fd);
    return Status::Unavailable(state_path +
                               ": another shihyo daemon is using this state DB (is the service "
                               "running? then let it do the work, or stop it first)");
  }
  return std::unique_ptr<StateLock>(new StateLock(fd));
}

StateLock::~StateLock() { close(fd_); }

}  // namespace shihyo
