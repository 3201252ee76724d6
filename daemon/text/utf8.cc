// UTF-8 helpers (see utf8.h) over ICU's U8_NEXT.
#include "text/utf8.h"

#include <unicode/utf8.h>

#include <algorithm>
#include <cstdint>
#include <limits>

namespace checkin {

namespace {

// U8_NEXT indexes with int32_t; bodies here are far below 2 GiB.
int32_t Length(std::string_view s) {
  return static_cast<int32_t>(std::min<size_t>(s.size(), std::numeric_limits<int32_t>::max()));
}

}  // namespace

char32_t NextCodePoint(std::string_view s, size_t& i) {
  int32_t next = static_cast<int32_t>(i);
  UChar32 c = 0;
  U8_NEXT(s.data(), next, Length(s), c);
  if (c < 0) {
    ++i;
    return kReplacementCharacter;
  }
  i = static_cast<size_t>(next);
  return static_cast<char32_t>(c);
}

bool ValidUtf8(std::string_view s) { return FirstInvalidUtf8(s) == std::string_view::npos; }

size_t FirstInvalidUtf8(std::string_view s) {
  const int32_t length = Length(s);
  for (int32_t i = 0; i < length;) {
    const int32_t start = i;
    UChar32 c = 0;
    U8_NEXT(s.data(), i, length, c);
    if (c < 0) return static_cast<size_t>(start);
  }
  return static_cast<size_t>(length) == s.size() ? std::string_view::npos : static_cast<size_t>(length);
}

size_t CodePointCount(std::string_view s, size_t end) {
  end = std::min(end, s.size());
  size_t count = 0;
  for (size_t i = 0; i < end; ++count) NextCodePoint(s, i);
  return count;
}

size_t Utf8PrefixLength(std::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return s.size();
  size_t cut = max_bytes;
  while (cut > 0 && U8_IS_TRAIL(static_cast<uint8_t>(s[cut]))) --cut;
  return cut;
}

}  // namespace checkin
