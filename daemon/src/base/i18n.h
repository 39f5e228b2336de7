// Messages people read at the terminal, in their language: GNU gettext
// catalogs (po/*.po, installed as /usr/share/locale/LANG/LC_MESSAGES/shihyo.mo),
// Japanese under a Japanese locale, English (the msgids) otherwise. Logs,
// JSON and machine-read output are never translated.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

namespace shihyo {

// Reads LC_MESSAGES (LC_ALL, LANG, LANGUAGE) from the environment, leaving
// every other category at "C" so that number parsing never follows the
// locale. Catalogs come from $SHIHYO_LOCALEDIR when set (tests, a build
// tree), else from the install prefix's locale directory.
void InitTranslation();

// The translation of |msgid|, or |msgid| itself.
const char* Tr(const char* msgid);

// Tr(|msgid|) with each "{}" replaced by the next of |args| in order (a
// translation may not reorder them; Japanese rarely needs to here).
std::string TrF(const char* msgid, std::initializer_list<std::string_view> args);

}  // namespace shihyo
