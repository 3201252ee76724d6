// Fuzz target: reading a member's reply (replies/intent.h): carrier
// keywords and yes / no / maybe in each shipped language.
//
// Input: the reply's body, any bytes.
// Properties: the prepared classifier answers as the one-off
// ClassifyIntent does.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "fuzz_config.h"
#include "replies/intent.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace checkin;
  static const std::shared_ptr<const Config> config = fuzz::ShippedConfig();
  static const IntentClassifier classifier(config);
  const std::string_view body = fuzz::AsText(data, size);
  (void)ReplyKeywordName(ClassifyKeyword(body));
  for (const char* language : {"en", "pl", "ur", "pt-BR", ""}) {
    const Intent intent = classifier.Classify(body, language);
    (void)IntentName(intent);
    // The one-off path prepares the lists on each call (a millisecond, ten under ASan): compare on
    // one language and a quarter of the short bodies, or it would be most of the run.
    if (size < 64 && size % 4 == 0 && language == std::string_view("pl")) {
      FUZZ_CHECK(ClassifyIntent(body, *config, language) == intent, "IntentClassifier and ClassifyIntent differ");
    }
  }
  return 0;
}
