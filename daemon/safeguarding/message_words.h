// A message as the concern patterns read it: the word keys of
// text/normalize.h (case, accents, apostrophes and repeated letters
// ignored), each tagged with the clause it is in. Clauses end at . , ! ? ;
// : ( ) … ، ۔ ؟ ؛ and line breaks, so an idiom never covers words of two
// clauses ("I want to be dead. Tired of everything" is not "dead tired").
// Emoji and the kisses "x" / "xx" are left out, so they never split a phrase
// ("I can't 😭 cope" reads "i cant cope").
//
// Thread-safety: pure function; MessageWords is a value.
#ifndef CHECKIN_DAEMON_SAFEGUARDING_MESSAGE_WORDS_H_
#define CHECKIN_DAEMON_SAFEGUARDING_MESSAGE_WORDS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace checkin::safeguarding {

struct MessageWords {
  std::vector<std::string> keys;
  std::vector<uint32_t> clause;  // clause[i]: the clause keys[i] is in

  size_t size() const { return keys.size(); }
  // Whether a clause starts at word `pos`.
  bool ClauseStartsAt(size_t pos) const { return pos == 0 || (pos < keys.size() && clause[pos] != clause[pos - 1]); }
  // Whether a clause ends just before word `pos` (or pos is the end).
  bool ClauseEndsAt(size_t pos) const { return pos >= keys.size() || (pos > 0 && clause[pos] != clause[pos - 1]); }
};

// The words of `body`, any bytes (invalid UTF-8 is read as breaks); like
// NormalizeText, only the first 16 KiB are read.
MessageWords MessageWordsOf(std::string_view body);

}  // namespace checkin::safeguarding

#endif  // CHECKIN_DAEMON_SAFEGUARDING_MESSAGE_WORDS_H_
