// The shipped reply words: what members text to say yes, no or maybe, per
// language (en, pl, ur; Urdu both in Urdu script and romanised, as people
// text it), and the word roles the classifier needs that are built in rather
// than configured:
//  - negations ("not", "can't", "nie", "nahi"): a no on their own, and they
//    turn a yes phrase just after them into a no ("can't make it");
//  - neutral phrases ("no problem", "can't stop", "inshallah"): they hold a
//    yes/no word but answer nothing, so they hide it ("no problem, see you
//    there" is a yes). A language's neutral phrases also hide English words
//    that mean something else in it: Polish "no" is "well/yeah", "na" is "on".
//
// Config loading starts replies.<lang> from DefaultReplyWords();
// daemon/replies/intent.cc adds the grammar. Entries are written as people type them;
// the classifier normalises entries and messages alike (case, accents,
// apostrophes), so "can't" covers "cant" and "Can’t", "może" covers "moze".
//
// Thread-safety: immutable static data.
#ifndef CHECKIN_DAEMON_REPLY_WORDS_H_
#define CHECKIN_DAEMON_REPLY_WORDS_H_

#include <map>
#include <string>
#include <vector>

#include "checkin/config.h"

namespace checkin {

// The shipped yes / no / maybe lists, by language code.
const std::map<std::string, ReplyWords>& DefaultReplyWords();

// Built-in word roles of one language (see above); not configurable.
struct ReplyGrammar {
  std::vector<std::string> negations;
  std::vector<std::string> neutral;
};

// The grammar of `language`: empty for a language checkin ships no words for.
const ReplyGrammar& BuiltInReplyGrammar(const std::string& language);

}  // namespace checkin

#endif  // CHECKIN_DAEMON_REPLY_WORDS_H_
