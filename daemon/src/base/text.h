// UTF-8 helpers for Japanese text: decoding, validation, full-width folding,
// terminal display width. Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace shihyo {

// Decodes one code point at |*pos| and advances |*pos|. Returns false (and
// advances by one byte) on an invalid, overlong or surrogate sequence.
bool DecodeUtf8(std::string_view s, size_t* pos, char32_t* cp);

// Appends the UTF-8 encoding of |cp| to |out|.
void AppendUtf8(char32_t cp, std::string* out);

// Returns the byte offset of the first invalid UTF-8 sequence, or npos.
size_t FindInvalidUtf8(std::string_view s);

// Counts valid multi-byte sequences and invalid bytes; used to tell UTF-8
// with a few broken bytes from another encoding.
struct Utf8Census {
  size_t multibyte = 0;
  size_t invalid = 0;
};
Utf8Census CountUtf8(std::string_view s);

// Full-width ASCII variants (U+FF01..U+FF5E) become ASCII, U+3000 becomes a
// space. Everything else is copied. |s| must be valid UTF-8.
std::string FoldWidth(std::string_view s);

// The number of characters (code points) in the first |bytes| bytes of |s|:
// where a byte offset from a library points to, in the terms a person counts.
size_t CharOffset(std::string_view s, size_t bytes);

// Strips ASCII whitespace, U+3000 and U+00A0 from both ends.
std::string_view TrimSpace(std::string_view s);

// Columns a terminal uses for |s|: 2 for East Asian wide and full-width
// characters, 0 for combining marks and controls, 1 otherwise.
int DisplayWidth(std::string_view s);

// |s| with control characters (C0, DEL, C1, U+2028/2029) shown as \xNN or
// \u{NNNN}, and invalid bytes as \xNN: safe to put in one log or error line.
std::string EscapeControls(std::string_view s);

// True when |s| contains a control character of any kind (including CR/LF)
// or a byte that is not valid UTF-8.
bool HasControls(std::string_view s);

}  // namespace shihyo
