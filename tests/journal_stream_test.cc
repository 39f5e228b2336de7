#include "base/journal_stream.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>

TEST_CASE("journal_stream: every line gets the priority prefix", "[journal_stream]") {
  std::ostringstream target;
  shihyo::SyslogPrefixBuf buf(target.rdbuf(), 3);
  std::ostream err(&buf);
  err << "rules/a.yaml:3:5: unknown key 'chek'\n"
      << "shihyo: 1 error(s)";
  err << " in rules\n";
  err.flush();
  CHECK(target.str() ==
        "<3>rules/a.yaml:3:5: unknown key 'chek'\n<3>shihyo: 1 error(s) in rules\n");
}

TEST_CASE("journal_stream: a descriptor is the journal only when $JOURNAL_STREAM names it",
          "[journal_stream]") {
  std::FILE* f = std::tmpfile();
  REQUIRE(f != nullptr);
  struct stat st {};
  REQUIRE(fstat(fileno(f), &st) == 0);
  std::string mine = std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
  std::string other = std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino + 1);
  setenv("JOURNAL_STREAM", mine.c_str(), 1);
  CHECK(shihyo::IsJournalStream(fileno(f)));
  setenv("JOURNAL_STREAM", other.c_str(), 1);
  CHECK_FALSE(shihyo::IsJournalStream(fileno(f)));
  setenv("JOURNAL_STREAM", "garbage", 1);
  CHECK_FALSE(shihyo::IsJournalStream(fileno(f)));
  unsetenv("JOURNAL_STREAM");
  CHECK_FALSE(shihyo::IsJournalStream(fileno(f)));
  std::fclose(f);
}
