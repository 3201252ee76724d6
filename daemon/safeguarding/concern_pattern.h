// One concern phrase compiled for matching, in the pattern syntax that
// concern_phrases.yaml documents at its top: words, normalised like
// messages (text/normalize.h); `word*` (a word starting so); `#` (any
// number); `...` / `...N` (up to 3 / N words in between); `(a|b c|)`
// (alternatives, an empty one making the group optional); `@name` (a named
// word set of the language); `^` / `$` (the start / end of a clause); a
// leading `!` (idioms cannot hide it).
//
// Matching works on MessageWords (message_words.h) and never allocates; a
// word that an idiom covered (`masked`) is not read by a concern's words,
// though a gap may step over it.
//
// Thread-safety: a compiled Pattern is an immutable value; MatchAt may be
// called from many threads at once.
#ifndef CHECKIN_DAEMON_SAFEGUARDING_CONCERN_PATTERN_H_
#define CHECKIN_DAEMON_SAFEGUARDING_CONCERN_PATTERN_H_

#include <cstddef>
#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "checkin/status.h"
#include "safeguarding/message_words.h"

namespace checkin::safeguarding {

// Most words a `...N` gap may stand for, and what a bare `...` means.
constexpr int kMaxGap = 8;
constexpr int kDefaultGap = 3;

// A piece of a pattern.
struct PatternNode {
  enum class Kind { kWord, kPrefix, kNumber, kGap, kClauseStart, kClauseEnd, kChoice };
  Kind kind = Kind::kWord;
  std::string key;                                    // kWord, kPrefix: a WordKey
  int gap = 0;                                        // kGap: most words skipped
  std::vector<std::vector<PatternNode>> alternatives;  // kChoice
};
using PatternSequence = std::vector<PatternNode>;

// The word set called `name` (a kChoice node), or nullptr when there is none.
using WordSetLookup = std::function<const PatternNode*(const std::string& name)>;

class Pattern {
 public:
  // Compiles `source`; an error message says what is wrong with it
  // ("unclosed '('", "only stop words", ...), without repeating it.
  static Result<Pattern> Compile(std::string_view source, const WordSetLookup& sets,
                                 const std::set<std::string>& stop_words);

  // Whether the pattern matches `words` from word `start`, reading no word
  // at or past `limit` and no word marked in `masked` (may be null). On a
  // match, `*end` is one past the last word read.
  bool MatchAt(const MessageWords& words, size_t start, size_t limit, const std::vector<bool>* masked,
               size_t* end) const;

  // Whether idioms cannot hide this phrase (it starts with `!`).
  bool ignores_idioms() const { return ignores_idioms_; }

  // The keys a match can start with; starts_anywhere when a match can also
  // start with a `word*` or `#` (then try it at every word).
  const std::vector<std::string>& first_keys() const { return first_keys_; }
  bool starts_anywhere() const { return starts_anywhere_; }

 private:
  PatternSequence sequence_;
  std::vector<std::string> first_keys_;
  bool starts_anywhere_ = false;
  bool ignores_idioms_ = false;
};

// A word set: each entry is words, `word*` or `#` in alternatives, with no
// gap, `$` or other set. The result is one kChoice node.
Result<PatternNode> CompileWordSet(const std::vector<std::string>& entries);

// A stop word as a key: exactly one word once normalised, or an error.
Result<std::string> StopWordKey(std::string_view word);

}  // namespace checkin::safeguarding

#endif  // CHECKIN_DAEMON_SAFEGUARDING_CONCERN_PATTERN_H_
