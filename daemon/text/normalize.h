// Reply text as the classifiers read it: lower case, accents removed (ICU),
// punctuation a word break, emoji kept as words of their own, so that
// "Can’t", "cant" and "CAN'T!!" read alike. Shared by the intent classifier
// (replies/) and the concern check (safeguarding/).
//
// Thread-safety: pure functions.
#ifndef CHECKIN_DAEMON_TEXT_NORMALIZE_H_
#define CHECKIN_DAEMON_TEXT_NORMALIZE_H_

#include <string>
#include <string_view>
#include <vector>

namespace checkin {

struct NormalizedText {
  std::string text;       // words separated by one space
  bool question = false;  // the body held a question mark (? ؟ ¿ ⸮)
};

// NFKD, case folding, marks dropped (accents, Arabic vowel marks, emoji
// variation selectors, skin tones), "ł" as "l" and Arabic-keyboard letters
// as the Urdu ones meant, an apostrophe inside a word dropped ("can't" ->
// "cant"), other punctuation a word break, each emoji a word; NFC at the
// end. Bodies are cut at 16 KiB first.
NormalizedText NormalizeText(std::string_view body);

// NormalizeText(body).text. Exposed for tests and lint.
std::string NormalizeReplyText(std::string_view body);

// A word with each run of one repeated character cut to one: "yesss" and
// "yes" both give "yes". Phrases and messages are compared by keys.
std::string WordKey(std::string_view word);

// The keys of the words of normalised text.
std::vector<std::string> WordKeys(const std::string& normalized);

}  // namespace checkin

#endif  // CHECKIN_DAEMON_TEXT_NORMALIZE_H_
