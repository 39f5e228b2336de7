// The files of `shihyo import`, read ahead on another thread while the store
// writes the tables read before them.
#pragma once

#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "base/status.h"
#include "import/table_reader.h"

namespace shihyo {

class TableReadAhead {
 public:
  // Starts reading |files| (at most |ahead| beyond the one last asked for).
  // Without a thread to be had (a process limit), Take reads on the caller's.
  TableReadAhead(const std::vector<std::string>& files, Encoding encoding,
                 const std::vector<Layout>& layouts, const std::string& sheet, size_t ahead);
  // Stops the reader and waits for it.
  ~TableReadAhead();
  TableReadAhead(const TableReadAhead&) = delete;
  TableReadAhead& operator=(const TableReadAhead&) = delete;

  // The read of file |i|: while it is not there, reads here the next file
  // the reader has not begun (|i| itself at the latest) or waits for it. An exception of the reader
  // (out of memory) is rethrown. The result stays in place until Release(i).
  Result<std::vector<TableRead>>& Take(size_t i);
  // Frees file |i|'s tables (its error, if any, is kept).
  void Release(size_t i);
  size_t size() const { return files_.size(); }

 private:
  void Work();
  Result<std::vector<TableRead>> Read(size_t i) const;

  const std::vector<std::string>& files_;
  Encoding encoding_;
  const std::vector<Layout>& layouts_;
  const std::string& sheet_;
  size_t ahead_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::optional<Result<std::vector<TableRead>>>> slots_;
  size_t next_ = 0;   // the next file nobody has begun
  size_t limit_ = 0;  // the reader begins no file at or past this
  bool stop_ = false;
  std::exception_ptr failure_;
  std::thread reader_;
};

}  // namespace shihyo
