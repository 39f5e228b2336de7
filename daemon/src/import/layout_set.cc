// LoadLayouts: the layouts a command knows, from --layouts DIR, the system
// directory and the copies built into the binary.
#include <algorithm>
#include <filesystem>
#include <set>

#include "import/layout.h"

namespace shihyo {

namespace {

constexpr size_t kMaxLayoutFiles = 200;

// The *.yaml files of |dir|, sorted; an absent |dir| is an error only when |required|.
Result<std::vector<std::string>> YamlFiles(const std::string& dir, bool required) {
  std::error_code ec;
  std::vector<std::string> files;
  if (!std::filesystem::is_directory(dir, ec)) {
    if (!required) return files;
    return Status::IOError(dir + ": not a directory of layout files");
  }
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    std::string ext = entry.path().extension().string();
    if (ext == ".yaml" || ext == ".yml") files.push_back(entry.path().string());
    if (files.size() > kMaxLayoutFiles) {
      return Status::InvalidArgument(dir + ": more than " + std::to_string(kMaxLayoutFiles) +
                                     " layout files");
    }
  }
  if (ec) return Status::IOError(dir + ": cannot list: " + ec.message());
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

Result<std::vector<Layout>> LoadLayouts(const LayoutSearch& search) {
  std::vector<Layout> out;
  std::set<std::string> names;
  std::string errors;
  auto add = [&](Result<Layout> layout) {
    if (!layout.ok()) {
      errors += (errors.empty() ? "" : "\n") + layout.status().message();
      return;
    }
    if (names.insert(layout->name).second) out.push_back(std::move(layout).value());
  };
  for (const auto& [dir, required] :
       {std::pair<std::string, bool>{search.dir, true}, {search.system_dir, false}}) {
    if (dir.empty()) continue;
    Result<std::vector<std::string>> files = YamlFiles(dir, required);
    if (!files.ok()) return files.status();
    for (const std::string& f : *files) add(LoadLayoutFile(f));
  }
  if (search.builtin) {
    for (const auto& [file, text] : BuiltinLayoutFiles()) add(ParseLayout(text, "builtin:" + file));
  }
  if (!errors.empty()) return Status::InvalidArgument(errors);
  return out;
}

}  // namespace shihyo
