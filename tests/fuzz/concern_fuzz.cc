// Fuzz target: the safeguarding concern check run first on every inbound
// text (safeguarding/concern_classifier.h), on the shipped lists and the
// word model.
//
// Input: the text's body, any bytes. It is checked against one member
// language chosen by the input's length, and against every list (a sender
// of unknown language).
// Properties: Check reports what Read found when a phrase matched; a
// match carries its language and phrase (kWords: neither).
#include <cstdint>
#include <string>

#include "fuzz_input.h"
#include "safeguarding/concern_classifier.h"

namespace checkin {
namespace {

const ConcernClassifier& Shipped() {
  static const ConcernClassifier classifier = [] {
    Result<ConcernClassifier> c = ConcernClassifier::Create({});
    if (!c.ok()) fuzz::Broken("the shipped lists compile", c.status().ToString());
    return std::move(*c);
  }();
  return classifier;
}

void CheckOne(std::string_view body, const std::string& language) {
  const std::optional<ConcernMatch> match = Shipped().Check(body, language);
  const ConcernClassifier::Reading reading = Shipped().Read(body, language);
  if (reading.phrase) {
    FUZZ_CHECK(match.has_value(), "Read found a phrase, Check reported nothing");
    FUZZ_CHECK(match->category == reading.phrase->category, "Check and Read differ on the category");
  } else if (match) {
    FUZZ_CHECK(match->category == ConcernCategory::kWords, "Check found a phrase Read did not");
  }
  if (!match) return;
  (void)ConcernCategoryName(match->category);
  if (match->category == ConcernCategory::kWords) {
    FUZZ_CHECK(match->phrase.empty() && match->language.empty(), "a word-model match names a phrase");
  } else {
    FUZZ_CHECK(!match->phrase.empty() && !match->language.empty(), "a phrase match without its phrase");
  }
}

}  // namespace
}  // namespace checkin

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace checkin;
  static const char* const kLanguages[] = {"en", "pl", "ur", "pt-BR", "xx"};
  const std::string_view body = fuzz::AsText(data, size);
  CheckOne(body, kLanguages[size % 5]);
  (void)Shipped().Check(body, "");  // every list
  return 0;
}
