// Test helpers: a settable clock, temporary directories, and the bundled data.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "base/clock.h"
#include "cli/cli.h"
#include "notify/message.h"
#include "notify/notifier.h"

namespace shihyo::testing {

class FakeClock : public Clock {
 public:
  explicit FakeClock(TimePoint now) : now_(now) {}
  TimePoint Now() const override { return now_; }
  void Set(TimePoint now) { now_ = now; }
  void Advance(std::chrono::seconds d) { now_ += d; }

 private:
  TimePoint now_;
};

// A fresh directory under $TMPDIR, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "shihyo-test-XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string path() const { return path_.string(); }
  std::string File(const std::string& name) const { return (path_ / name).string(); }
  // Writes |content| (bytes) to |name| and returns its path.
  std::string Write(const std::string& name, const std::string& content) const {
    std::ofstream(File(name), std::ios::binary) << content;
    return File(name);
  }

 private:
  std::filesystem::path path_;
};

// Records what it is asked to send and answers with queued statuses (then ok).
class FakeNotifier : public Notifier {
 public:
  Status Send(const Message& message) override {
    sent.push_back(message);
    if (answers.empty()) return Status::Ok();
    Status s = answers.front();
    answers.erase(answers.begin());
    return s;
  }
  std::vector<Message> sent;
  std::vector<Status> answers;
};

// What one `shihyo` command line did.
struct CliRun {
  int code;
  std::string out;
  std::string err;
};

// Runs the CLI in-process with |args| (without the program name).
CliRun RunShihyo(const std::vector<std::string>& args);

inline std::string SourcePath(const std::string& relative) {
  return std::string(SHIHYO_SOURCE_DIR) + "/" + relative;
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The bundled Kamaishi progress table (FY2020–FY2024).
inline std::string KamaishiPath() { return SourcePath("data/kamaishi_kosodate_r2-r6.txt"); }

inline CliRun RunShihyo(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  int code = RunCli(args, out, err);
  return CliRun{code, out.str(), err.str()};
}

}  // namespace shihyo::testing
