#include "cli/cli_import_reader.h"

#include <algorithm>
#include <system_error>

namespace shihyo {

TableReadAhead::TableReadAhead(const std::vector<std::string>& files, Encoding encoding,
                               const std::vector<Layout>& layouts, const std::string& sheet,
                               size_t ahead)
    : files_(files),
      encoding_(encoding),
      layouts_(layouts),
      sheet_(sheet),
      ahead_(ahead),
      slots_(files.size()),
      limit_(std::min(ahead, files.size())) {
  if (files.size() < 2) return;
  try {
    reader_ = std::thread([this]() { Work(); });
  } catch (const std::system_error&) {
    // No second thread to be had (a process limit): Take reads every file.
  }
}

TableReadAhead::~TableReadAhead() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (reader_.joinable()) reader_.join();
}

Result<std::vector<TableRead>> TableReadAhead::Read(size_t i) const {
  return ReadTables(files_[i], encoding_, layouts_, sheet_);
}

void TableReadAhead::Work() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    cv_.wait(lock, [&]() { return stop_ || (next_ < slots_.size() && next_ < limit_); });
    if (stop_) return;
    size_t i = next_++;
    lock.unlock();
    try {
      Result<std::vector<TableRead>> read = Read(i);
      lock.lock();
      slots_[i].emplace(std::move(read));
    } catch (...) {
      if (!lock.owns_lock()) lock.lock();
      failure_ = std::current_exception();
      stop_ = true;
    }
    cv_.notify_all();
  }
}

Result<std::vector<TableRead>>& TableReadAhead::Take(size_t i) {
  std::unique_lock<std::mutex> lock(mu_);
  limit_ = std::max(limit_, std::min(i + 1 + ahead_, slots_.size()));
  cv_.notify_all();
  // Rather than wait for the reader, read the next file nobody has begun
  // (file |i| itself when the reader has not begun it, or there is none).
  while (!slots_[i] && !failure_ && next_ < slots_.size() && (next_ <= i || next_ < limit_)) {
    size_t j = next_++;
    lock.unlock();
    Result<std::vector<TableRead>> read = Read(j);
    lock.lock();
    slots_[j].emplace(std::move(read));
    cv_.notify_all();
  }
  cv_.wait(lock, [&]() { return slots_[i].has_value() || failure_; });
  if (failure_) std::rethrow_exception(failure_);
  return *slots_[i];
}

void TableReadAhead::Release(size_t i) {
  std::lock_guard<std::mutex> lock(mu_);
  if (slots_[i] && slots_[i]->ok()) slots_[i].emplace(std::vector<TableRead>{});
}

}  // namespace shihyo
