// Terminal output under systemd: lines a command writes to stderr reach the
// journal at priority "info" unless they carry a "<N>" syslog prefix. These
// helpers tell whether stderr is the journal and add the prefix. Thread-safe
// but for the stream buffer, which is as thread-safe as the stream it wraps.
#pragma once

#include <ostream>
#include <streambuf>

namespace shihyo {

// True when file descriptor |fd| is the stream systemd named in
// $JOURNAL_STREAM ("DEVICE:INODE"), i.e. its lines go to the journal.
bool IsJournalStream(int fd);

// A stream buffer that writes "<|priority|>" before every line it passes on
// to |target| (sd-daemon(3)'s SD_ERR is 3). |target| must outlive it.
class SyslogPrefixBuf : public std::streambuf {
 public:
  SyslogPrefixBuf(std::streambuf* target, int priority);
  SyslogPrefixBuf(const SyslogPrefixBuf&) = delete;
  SyslogPrefixBuf& operator=(const SyslogPrefixBuf&) = delete;

 protected:
  int_type overflow(int_type ch) override;
  int sync() override;

 private:
  std::streambuf* target_;
  char prefix_[4];
  bool at_line_start_ = true;
};

}  // namespace shihyo
