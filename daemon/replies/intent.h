// Attendance intent from a member's free-text reply.
//
// Two separate questions, asked in this order:
//  1. Is the whole message a carrier keyword? STOP, STOPALL, UNSUBSCRIBE,
//     CANCEL, END, QUIT, REVOKE, OPTOUT -> opt out; START, UNSTOP -> opt back
//     in; HELP, INFO -> help. Only when the message is the keyword alone
//     (case and surrounding punctuation/whitespace ignored): "Stop. Thank
//     you" and "can't stop smiling" are not keywords.
//  2. Otherwise, yes / no / maybe from keyword lists per language (the
//     member's, then English), matched on normalised text: lower case,
//     accents removed (ICU), punctuation dropped, emoji kept as words.
//     Phrases match on word boundaries. When the message holds more than one
//     kind ("yes but might be late") or none, the answer is kUnclear: asking
//     again is better than a wrong "no" (a mum not expected).
//
// Thread-safety: pure functions; ReplyWords is an immutable value.
#ifndef CHECKIN_DAEMON_INTENT_H_
#define CHECKIN_DAEMON_INTENT_H_

#include <memory>
#include <string>
#include <string_view>

#include "checkin/config.h"
#include "text/normalize.h"  // NormalizeReplyText, for tests and lint

namespace checkin {

enum class Intent { kYes, kNo, kMaybe, kUnclear };
const char* IntentName(Intent intent);  // "yes", "no", "maybe", "unclear"

enum class ReplyKeyword { kNone, kOptOut, kOptIn, kHelp };
const char* ReplyKeywordName(ReplyKeyword keyword);  // "none", "opt_out", "opt_in", "help"

ReplyKeyword ClassifyKeyword(std::string_view body);

// `language` selects config.reply_words[language] (plus "en", always).
// Prepares the phrase lists on every call (about a millisecond): fine for
// tests and lint; the webhook uses an IntentClassifier.
Intent ClassifyIntent(std::string_view body, const Config& config, const std::string& language);

// The same, with each language's phrase lists normalised once per config.
// Thread-safety: Classify may be called from many threads at once.
class IntentClassifier {
 public:
  explicit IntentClassifier(std::shared_ptr<const Config> config);
  ~IntentClassifier();
  Intent Classify(std::string_view body, const std::string& language) const;
  const std::shared_ptr<const Config>& config() const { return config_; }

 private:
  struct Tables;
  std::shared_ptr<const Config> config_;
  std::unique_ptr<Tables> tables_;
};

}  // namespace checkin

#endif  // CHECKIN_DAEMON_INTENT_H_
