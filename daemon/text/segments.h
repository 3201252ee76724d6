// SMS segment counting: how many parts a message body costs on the wire.
//
// A body that fits the GSM 03.38 7-bit alphabet (basic set plus the
// extension table, whose characters ^{}\[~]|€ and form feed take two
// septets) travels as GSM-7: 160 septets in one part, 153 per part when it
// is split. Anything else travels as UCS-2: 70 UTF-16 units in one part, 67
// per part; a character outside the Basic Multilingual Plane (most emoji)
// takes two units. Neither an escape pair nor a surrogate pair is split
// across parts, as handsets and Twilio do.
//
// Thread-safety: pure functions.
#ifndef CHECKIN_DAEMON_SEGMENTS_H_
#define CHECKIN_DAEMON_SEGMENTS_H_

#include <string>

namespace checkin {

struct SegmentInfo {
  enum Encoding { kGsm7, kUcs2 };
  Encoding encoding = kGsm7;
  int segments = 0;    // 0 for an empty body
  int characters = 0;  // Unicode code points (an invalid byte counts as one)
  int units = 0;       // septets (GSM-7) or UTF-16 code units (UCS-2)
};

// Segments for a UTF-8 body. Invalid UTF-8 bytes count as U+FFFD, which
// forces UCS-2.
SegmentInfo CountSegments(const std::string& utf8);

// "GSM-7" or "UCS-2".
const char* EncodingName(SegmentInfo::Encoding encoding);

// Whether `c` is in the GSM 03.38 alphabet (basic set or extension table);
// one character that is not makes the whole body UCS-2.
bool IsGsm7Character(char32_t c);
// Whether `c` is in the extension table (two septets: ESC + character).
bool IsGsm7Extension(char32_t c);

}  // namespace checkin

#endif  // CHECKIN_DAEMON_SEGMENTS_H_
