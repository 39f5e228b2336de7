// libFuzzer target: the YAML loaders an administrator's files go through —
// the daemon config (LoadConfig) and rule files (LoadRules) — must reject any
// bytes with error messages, never crash, hang or blow up memory. The first
// input byte picks the loader; the rest is the file. Invariant: a load that
// fails names at least one "file:line:column:" location.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "config/config.h"
#include "eval/rule_loader.h"
#include "notify/receiver_registry.h"

namespace {

// One scratch file per process, rewritten for each input.
const std::string& ScratchPath() {
  static const std::string path = [] {
    const char* dir = std::getenv("TMPDIR");
    std::string p = std::string(dir && *dir ? dir : "/tmp") + "/shihyo-fuzz-" +
                    std::to_string(getpid()) + ".yaml";
    std::atexit([] { std::remove(ScratchPath().c_str()); });
    return p;
  }();
  return path;
}

bool Write(const std::string& path, const uint8_t* data, size_t size) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return false;
  bool ok = std::fwrite(data, 1, size, f) == size;
  return std::fclose(f) == 0 && ok;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const std::string& path = ScratchPath();
  if (!Write(path, data + 1, size - 1)) return 0;
  if (data[0] & 1) {
    shihyo::RuleLoad load = shihyo::LoadRules({path});
    for (const std::string& e : load.errors) {
      if (e.rfind(path + ":", 0) != 0) __builtin_trap();  // every error is located
    }
  } else {
    shihyo::Result<shihyo::Config> config = shihyo::LoadConfig(path, shihyo::ReceiverConfigKinds());
    if (!config.ok() && config.status().message().find(path) == std::string::npos) {
      __builtin_trap();
    }
  }
  return 0;
}
