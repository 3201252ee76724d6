// Segment counting: a table of bodies whose failure names the case.
#include "segments.h"

#include <gtest/gtest.h>

#include <string>

namespace checkin {
namespace {

std::string Repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

struct SegmentCase {
  const char* name;
  std::string body;
  SegmentInfo::Encoding encoding;
  int segments;
  int characters;
  int units;
};

TEST(Segments, TableOfBodies) {
  using E = SegmentInfo;
  const SegmentCase cases[] = {
      {"empty", "", E::kGsm7, 0, 0, 0},
      {"short ascii", "Hi Amy, see you tomorrow!", E::kGsm7, 1, 25, 25},
      {"ascii 160 fits one", Repeat("a", 160), E::kGsm7, 1, 160, 160},
      {"ascii 161 needs two", Repeat("a", 161), E::kGsm7, 2, 161, 161},
      {"ascii 306 is two parts of 153", Repeat("a", 306), E::kGsm7, 2, 306, 306},
      {"ascii 307 is three", Repeat("a", 307), E::kGsm7, 3, 307, 307},
      {"gsm basic accents", "Café à Paris, £5 ¿ñ?", E::kGsm7, 1, 20, 20},
      {"euro is two septets", "Price: €5", E::kGsm7, 1, 9, 10},
      {"159 a + euro = 161 septets", Repeat("a", 159) + "€", E::kGsm7, 2, 160, 161},
      {"158 a + euro = 160 septets", Repeat("a", 158) + "€", E::kGsm7, 1, 159, 160},
      {"brackets are extension", "[x]{y}~|\\^", E::kGsm7, 1, 10, 18},
      {"form feed is extension", "a\fb", E::kGsm7, 1, 3, 4},
      {"backtick is not gsm", "`", E::kUcs2, 1, 1, 1},
      {"curly quotes force ucs2", "It\u2019s \u201cfun\u201d", E::kUcs2, 1, 10, 10},
      {"emoji is two units", "See you \U0001F44D", E::kUcs2, 1, 9, 10},
      {"polish letters force ucs2", "Cześć Ąnia, będzie miło, łąka", E::kUcs2, 1, 29, 29},
      {"urdu", "السلام علیکم، کل ملاقات ہوگی", E::kUcs2, 1, 28, 28},
      {"ucs2 70 fits one", Repeat("ł", 70), E::kUcs2, 1, 70, 70},
      {"ucs2 71 needs two", Repeat("ł", 71), E::kUcs2, 2, 71, 71},
      {"ucs2 134 is two parts of 67", Repeat("ł", 134), E::kUcs2, 2, 134, 134},
      {"ucs2 135 is three", Repeat("ł", 135), E::kUcs2, 3, 135, 135},
      {"emoji pair not split at 67", Repeat("ł", 66) + "\U0001F600" + Repeat("ł", 66), E::kUcs2, 3, 133, 134},
      // 152 septets, then an escape pair that would straddle 153: it moves
      // to part two, so part two holds 2 + 153 = too many -> three parts.
      {"extension at the 153 boundary", Repeat("a", 152) + "€" + Repeat("a", 152), E::kGsm7, 3, 305, 306},
      {"extension fits before 153", Repeat("a", 151) + "€" + Repeat("a", 153), E::kGsm7, 2, 305, 306},
      {"invalid byte becomes ucs2", std::string("ok\xff"), E::kUcs2, 1, 3, 3},
      {"truncated sequence", std::string("ab\xe2\x82"), E::kUcs2, 1, 4, 4},
      {"overlong slash", std::string("\xc0\xaf"), E::kUcs2, 1, 2, 2},
      {"encoded surrogate is invalid", std::string("\xed\xa0\x80"), E::kUcs2, 1, 3, 3},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    SegmentInfo got = CountSegments(c.body);
    EXPECT_EQ(EncodingName(got.encoding), std::string(EncodingName(c.encoding)));
    EXPECT_EQ(got.segments, c.segments);
    EXPECT_EQ(got.characters, c.characters);
    EXPECT_EQ(got.units, c.units);
  }
}

}  // namespace
}  // namespace checkin
