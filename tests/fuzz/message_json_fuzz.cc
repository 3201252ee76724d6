// Fuzz target: Twilio's JSON answers (twilio/message_json.h): a Message, a
// page of the Messages list, an error's code, RFC 2822 dates.
//
// Input: the JSON as Twilio's body; the same bytes are also read as a date.
// Properties: none beyond not crashing and the listing rules being total
// on whatever a page yields.
#include <cstdint>
#include <string>

#include "fuzz_input.h"
#include "twilio/message_json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace checkin;
  const std::string text(fuzz::AsText(data, size));
  (void)ParseMessage(text);
  (void)ParseErrorCode(text);
  (void)ParseRfc2822(text);
  const Result<MessagePage> page = ParseMessagePage(text);
  if (page.ok()) {
    const Instant cutoff{};  // the epoch: every dated message is after it
    for (const SentMessage& m : page->messages) {
      (void)CreatedSince(m, cutoff);
      (void)ListingPassed(m, cutoff);
    }
  }
  return 0;
}
