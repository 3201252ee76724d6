// Concern detection: does an inbound text say that a member is not safe?
// Run first on every inbound text (members, unknown numbers, opted-out
// members), before any yes/no reading.
//
// The phrases are the shipped lists (concern_phrases.yaml, embedded at
// build time; its header documents the pattern syntax) plus those a
// coordinator adds under safeguarding.phrases.<lang>. A text is checked
// against the lists of the member's language, its base language ("pt" for
// "pt-BR") and English, always; Urdu holds Urdu script and romanised Urdu.
// A text from someone whose language is unknown ("") is checked against
// every list.
//
// A text no phrase matches is then read by the word model (word_model.h):
// weights learned from the labelled development cases catch the wordings no
// list spells out.
//
// Tuned for recall: a false alarm costs a phone call, a miss can cost a
// life. So negation and attendance words never cancel a concern ("N. I
// don't see the point of being here" is one); only the listed idioms do,
// and only for the words they cover ("dying for a cuppa", "this heat is
// killing me", "can't cope with the traffic").
//
// Privacy: a ConcernMatch names the phrase that matched, which is close to
// the member's own words: log the category only.
//
// Thread-safety: a ConcernClassifier is immutable once created; Check may be
// called from many threads at once. Copies share the compiled lists.
#ifndef CHECKIN_DAEMON_SAFEGUARDING_CONCERN_CLASSIFIER_H_
#define CHECKIN_DAEMON_SAFEGUARDING_CONCERN_CLASSIFIER_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "checkin/status.h"

namespace checkin {

// What a concern is about, most urgent first: when a text holds several,
// Check reports the first of this order.
enum class ConcernCategory {
  kSuicide,      // wanting to die, to end it, not to wake up
  kHarmToBaby,   // thoughts or fear of harming the baby (intrusive thoughts)
  kSelfHarm,     // cutting, hurting herself
  kAbuse,        // violence, threats, control or fear at home
  kPsychosis,    // signs of postnatal psychosis: voices, "the baby isn't mine"
  kDistress,     // not coping, hopelessness, "what's the point"
  kAdded,        // a phrase from safeguarding.phrases (no category given)
  kWords,        // no phrase matched, but the word model weighs it a concern
};

// "suicide", "harm_to_baby", "self_harm", "abuse", "psychosis", "distress",
// "added", "words".
const char* ConcernCategoryName(ConcernCategory category);

struct ConcernMatch {
  ConcernCategory category = ConcernCategory::kDistress;
  std::string language;  // the list the phrase is in: "en", "pl", "ur", ...; "" for kWords
  std::string phrase;    // the phrase as written in that list (not for logs); "" for kWords
  bool added = false;    // from safeguarding.phrases.<lang>, not shipped
  double score = 0;      // kWords: the word model's score (its threshold or more)
};

class ConcernClassifier {
 public:
  // safeguarding.phrases: language code -> phrases, in the shipped syntax.
  using ExtraPhrases = std::map<std::string, std::vector<std::string>>;

  // Compiles the shipped lists and `extra_phrases` once. InvalidArgument
  // names the bad phrase and why: "safeguarding.phrases.en: \"the\": only
  // stop words: ...". Empty phrases, phrases of stop words only, bad
  // pattern syntax and phrases over 24 words are refused.
  static Result<ConcernClassifier> Create(const ExtraPhrases& extra_phrases);

  // The same with `phrase_file` (YAML, as concern_phrases.yaml) in place of
  // the shipped file, and no word model; errors in it name `file_name` and
  // the line.
  static Result<ConcernClassifier> CreateFromPhraseFile(std::string_view phrase_file, const std::string& file_name,
                                                        const ExtraPhrases& extra_phrases);

  // The most urgent concern in `body`, or nullopt. `language` is the
  // member's ("en", "pl", "ur", "pt-BR", ...; "" when unknown). Any bytes
  // are accepted; only the first 16 KiB are read.
  std::optional<ConcernMatch> Check(std::string_view body, const std::string& language) const;

  // What Check reads, before the word model decides: the most urgent phrase
  // matched, and the text's features for the model (word_model.h). For
  // training the model.
  struct Reading {
    std::optional<ConcernMatch> phrase;
    std::vector<std::string> features;
  };
  Reading Read(std::string_view body, const std::string& language) const;

  // The languages with lists, sorted: the shipped ones and any added.
  std::vector<std::string> Languages() const;

 private:
  struct Tables;  // the compiled lists (concern_classifier.cc)
  enum class Features { kAlways, kWithoutPhrase, kNever };  // when Scan reads the model's features
  Reading Scan(std::string_view body, const std::string& language, Features features) const;
  static Result<ConcernClassifier> Build(std::string_view phrase_file, const std::string& file_name,
                                         const ExtraPhrases& extra_phrases, bool with_model);
  explicit ConcernClassifier(std::shared_ptr<const Tables> tables) : tables_(std::move(tables)) {}
  std::shared_ptr<const Tables> tables_;
};

}  // namespace checkin

#endif  // CHECKIN_DAEMON_SAFEGUARDING_CONCERN_CLASSIFIER_H_
