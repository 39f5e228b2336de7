#include "base/i18n.h"

#include <libintl.h>

#include <clocale>
#include <cstdlib>
#include <filesystem>

namespace shihyo {

namespace {
constexpr char kDomain[] = "shihyo";

// Where the catalogs are: $SHIHYO_LOCALEDIR, else locale/ next to the
// binary (a build tree: build/shihyo and build/locale), else the system's.
std::string LocaleDir() {
  const char* env = std::getenv("SHIHYO_LOCALEDIR");
  if (env && *env) return env;
  std::error_code ec;
  std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    std::filesystem::path beside = exe.parent_path() / "locale";
    if (std::filesystem::is_directory(beside, ec)) return beside.string();
  }
  return SHIHYO_LOCALEDIR;
}

}  // namespace

void InitTranslation() {
  std::setlocale(LC_MESSAGES, "");
  // The catalogs hold UTF-8 and the terminal output is UTF-8 whatever
  // LC_CTYPE says (it stays "C").
  bindtextdomain(kDomain, LocaleDir().c_str());
  bind_textdomain_codeset(kDomain, "UTF-8");
}

const char* Tr(const char* msgid) { return dgettext(kDomain, msgid); }

std::string TrF(const char* msgid, std::initializer_list<std::string_view> args) {
  std::string_view text = Tr(msgid);
  std::string out;
  auto next = args.begin();
  size_t at = 0;
  while (at < text.size()) {
    size_t hole = text.find("{}", at);
    if (hole == std::string_view::npos || next == args.end()) break;
    out.append(text.substr(at, hole - at));
    out.append(*next++);
    at = hole + 2;
  }
  out.append(text.substr(at));
  return out;
}

}  // namespace shihyo
