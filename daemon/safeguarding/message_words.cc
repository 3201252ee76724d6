// A message as the concern patterns read it (see message_words.h).
#include "safeguarding/message_words.h"

#include <unicode/uchar.h>

#include "text/normalize.h"
#include "text/utf8.h"

namespace checkin::safeguarding {

namespace {

// As NormalizeText: Twilio allows 1600 characters, anything past 16 KiB is
// not read.
constexpr size_t kMaxBodyBytes = 16 * 1024;

// Clause breaks other than ASCII punctuation: ellipsis, Arabic-script comma,
// full stop, question mark and semicolon.
constexpr std::string_view kWideBreaks[] = {"\u2026", "\u060C", "\u06D4", "\u061F", "\u061B"};

bool IsAsciiBreak(char c) {
  switch (c) {
    case '.': case ',': case '!': case '?': case ';': case ':': case '(': case ')': case '\n': case '\r':
      return true;
    default:
      return false;
  }
}

// The byte length of the clause break at body[i], or 0.
size_t BreakLength(std::string_view body, size_t i) {
  if (IsAsciiBreak(body[i])) return 1;
  for (std::string_view b : kWideBreaks) {
    if (body.substr(i, b.size()) == b) return b.size();
  }
  return 0;
}

// Emoji are words of their own after NormalizeText; a word whose first code
// point is no letter or digit is one. "x" is the kiss that ends a text.
bool IsLeftOut(const std::string& key) {
  if (key == "x") return true;
  size_t i = 0;
  return !u_isalnum(static_cast<UChar32>(NextCodePoint(key, i)));
}

void AppendClause(std::string_view clause, uint32_t index, MessageWords& out) {
  if (clause.empty()) return;
  for (std::string& key : WordKeys(NormalizeText(clause).text)) {
    if (IsLeftOut(key)) continue;
    out.keys.push_back(std::move(key));
    out.clause.push_back(index);
  }
}

}  // namespace

MessageWords MessageWordsOf(std::string_view body) {
  body = body.substr(0, Utf8PrefixLength(body, kMaxBodyBytes));
  MessageWords out;
  uint32_t index = 0;
  size_t start = 0;
  for (size_t i = 0; i < body.size();) {
    const size_t length = BreakLength(body, i);
    if (length == 0) {
      ++i;
      continue;
    }
    AppendClause(body.substr(start, i - start), index++, out);
    i += length;
    start = i;
  }
  AppendClause(body.substr(start), index, out);
  return out;
}

}  // namespace checkin::safeguarding
