// The second reading of a text, after the phrases: a word model. Its
// features are the concepts the text holds (concern_concepts.yaml: "die",
// "means", "partner", "control", "trivial", ... each a list of patterns in
// the phrase syntax, per language) and each pair of them, then each word of
// the text (as the phrases read it, without the words idioms cover), the
// first letters of longer words (so "pocięłam", "pocięłaś" and "pociąć"
// share "poci"), and each pair of neighbouring words in a clause. The model
// holds a weight per feature, learned from the labelled development cases
// in tests/data (scripts/train-concern-model.sh). A text
// whose weights add up past the model's threshold is a concern even when no
// phrase matched: it catches the many ways of saying "I'm not safe" that no
// list spells out, at the price of an occasional false alarm.
//
// The shipped model is daemon/safeguarding/concern_model.tsv, embedded at
// build time: one feature<TAB>weight per line after a header of `#`
// comments and the `bias`, `threshold` and `trained_on` lines. Features are
// "c:die", "c:die+means" (concepts, pairs in name order), "w:word",
// "s:stem", "b:two words".
//
// Thread-safety: a WordModel is immutable once parsed; Score may be called
// from many threads.
#ifndef CHECKIN_DAEMON_SAFEGUARDING_WORD_MODEL_H_
#define CHECKIN_DAEMON_SAFEGUARDING_WORD_MODEL_H_

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "checkin/status.h"
#include "safeguarding/message_words.h"

namespace checkin::safeguarding {

// The features of `words`, leaving out the `masked` ones (covered by an
// idiom; empty: none), with the `concepts` found in them, each once, sorted.
std::vector<std::string> WordModelFeatures(const MessageWords& words, const std::vector<bool>& masked,
                                           const std::vector<std::string>& concepts);

class WordModel {
 public:
  // InvalidArgument names `file_name`, the line and what is wrong.
  static Result<WordModel> Parse(std::string_view text, const std::string& file_name);

  // The bias plus the weights of the features the model knows.
  double Score(const std::vector<std::string>& features) const;
  bool IsConcern(const std::vector<std::string>& features) const { return Score(features) >= threshold_; }

  double bias() const { return bias_; }
  double threshold() const { return threshold_; }
  // What the model was trained on: "<sha256> <case files>", the SHA-256 of
  // the phrase file, the concepts file and the case files, in that order.
  const std::string& trained_on() const { return trained_on_; }
  size_t size() const { return weights_.size(); }

 private:
  double bias_ = 0, threshold_ = 0;
  std::string trained_on_;
  std::unordered_map<std::string, double> weights_;
};

// The model embedded from concern_model.tsv and the concepts from
// concern_concepts.yaml (generated at build time).
std::string_view ShippedConcernModel();
constexpr const char* kShippedConcernModelName = "concern_model.tsv";
std::string_view ShippedConcernConcepts();
constexpr const char* kShippedConcernConceptsName = "concern_concepts.yaml";

}  // namespace checkin::safeguarding

#endif  // CHECKIN_DAEMON_SAFEGUARDING_WORD_MODEL_H_
