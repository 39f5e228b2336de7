#include "http/status_board.h"

namespace shihyo {

void StatusBoard::Update(const std::function<void(DaemonStatus*)>& change) {
  std::lock_guard<std::mutex> lock(mu_);
  change(&status_);
}

DaemonStatus StatusBoard::Get() const {
  std::lock_guard<std::mutex> lock(mu_);
  return status_;
}

}  // namespace shihyo
