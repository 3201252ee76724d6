// UTF-8, walked in one place: ICU's U8_NEXT (unicode/utf8.h), which is
// strict (overlong forms, surrogates, code points past U+10FFFF and
// truncated sequences are invalid) and never reads past the end.
//
// Thread-safety: pure functions.
#ifndef CHECKIN_DAEMON_TEXT_UTF8_H_
#define CHECKIN_DAEMON_TEXT_UTF8_H_

#include <cstddef>
#include <string_view>

namespace checkin {

constexpr char32_t kReplacementCharacter = 0xFFFD;

// Whether all of `s` is well-formed UTF-8.
bool ValidUtf8(std::string_view s);

// The byte offset of the first sequence in `s` that is not well-formed
// UTF-8, or npos when all of it is. Linear in the length of `s`.
size_t FirstInvalidUtf8(std::string_view s);

// The code point at s[i], advancing i past it. An invalid byte yields
// U+FFFD and advances i by one, so each bad byte counts as one character.
// Requires i < s.size().
char32_t NextCodePoint(std::string_view s, size_t& i);

// How many code points start before byte `end` (all of `s` by default):
// the character position of a byte offset.
size_t CodePointCount(std::string_view s, size_t end = std::string_view::npos);

// The length of the longest prefix of `s` of at most `max_bytes` that does
// not end inside a character.
size_t Utf8PrefixLength(std::string_view s, size_t max_bytes);

}  // namespace checkin

#endif  // CHECKIN_DAEMON_TEXT_UTF8_H_
