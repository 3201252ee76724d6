// Fuzz target: SMS segment counting (text/segments.h) and the UTF-8 walker
// under it (text/utf8.h).
//
// Input: a message body, any bytes.
// Properties: an empty body is 0 segments; a body fits one part exactly
// when its units do (160 septets, 70 UTF-16 units); split bodies need at
// least units / per-part parts and never fewer than when packed tight;
// characters match the walker's count; a prefix cut never splits a
// character.
#include <cstdint>
#include <string>

#include "fuzz_input.h"
#include "text/segments.h"
#include "text/utf8.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace checkin;
  const std::string body(fuzz::AsText(data, size));
  const SegmentInfo info = CountSegments(body);
  if (body.empty()) {
    FUZZ_CHECK(info.segments == 0 && info.units == 0 && info.characters == 0);
    return 0;
  }
  const bool gsm = info.encoding == SegmentInfo::kGsm7;
  const int single = gsm ? 160 : 70, per_part = gsm ? 153 : 67;
  FUZZ_CHECK(info.segments >= 1);
  FUZZ_CHECK((info.units <= single) == (info.segments == 1), std::to_string(info.units) + " units in " +
                                                                  std::to_string(info.segments) + " segments");
  if (info.segments > 1) {
    FUZZ_CHECK(info.segments >= (info.units + per_part - 1) / per_part, "fewer parts than the units need");
    // An escape or surrogate pair moved whole leaves at most one unit of a part unused.
    FUZZ_CHECK(info.segments <= (info.units - 1) / (per_part - 1) + 1, "too many parts");
  }
  FUZZ_CHECK(info.units >= info.characters, "fewer units than characters");
  FUZZ_CHECK(static_cast<size_t>(info.characters) == CodePointCount(body), "characters differ from the walker");
  if (!ValidUtf8(body)) FUZZ_CHECK(!gsm, "invalid UTF-8 sent as GSM-7");

  const size_t cut = Utf8PrefixLength(body, size / 2);
  FUZZ_CHECK(cut <= size / 2);
  if (ValidUtf8(body)) FUZZ_CHECK(ValidUtf8(body.substr(0, cut)), "prefix cut inside a character");
  (void)EncodingName(info.encoding);
  return 0;
}
