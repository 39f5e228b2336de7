#include "base/journal_stream.h"

#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>

namespace shihyo {

bool IsJournalStream(int fd) {
  const char* env = std::getenv("JOURNAL_STREAM");
  if (env == nullptr) return false;
  unsigned long long dev = 0, ino = 0;
  if (std::sscanf(env, "%llu:%llu", &dev, &ino) != 2) return false;
  struct stat st {};
  if (fstat(fd, &st) != 0) return false;
  return static_cast<unsigned long long>(st.st_dev) == dev &&
         static_cast<unsigned long long>(st.st_ino) == ino;
}

SyslogPrefixBuf::SyslogPrefixBuf(std::streambuf* target, int priority) : target_(target) {
  prefix_[0] = '<';
  prefix_[1] = static_cast<char>('0' + (priority & 7));
  prefix_[2] = '>';
  prefix_[3] = '\0';
}

SyslogPrefixBuf::int_type SyslogPrefixBuf::overflow(int_type ch) {
  if (traits_type::eq_int_type(ch, traits_type::eof())) return traits_type::not_eof(ch);
  if (at_line_start_ && target_->sputn(prefix_, 3) != 3) return traits_type::eof();
  at_line_start_ = traits_type::to_char_type(ch) == '\n';
  return target_->sputc(traits_type::to_char_type(ch));
}

int SyslogPrefixBuf::sync() { return target_->pubsync(); }

}  // namespace shihyo
