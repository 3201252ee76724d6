// Segment counting: a table of bodies whose failure names the case.
#include "text/segments.h"

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

// Texts coordinators actually write, and the boundaries where a part ends.
// Expected values worked out by hand in each comment: characters are code
// points; units are septets (an extension character is two) or UTF-16 units
// (an emoji outside the BMP is two).
TEST(Segments, TrickyTexts) {
  using E = SegmentInfo;
  const std::string thumbs = "\U0001F44D";  // U+1F44D, two UTF-16 units
  const SegmentCase cases[] = {
      // 8 + 1 + 16 = 25 characters; the euro is ESC + e: 26 septets.
      {"euro in a sentence", "Tickets \u20ac3, under-5s free", E::kGsm7, 1, 25, 26},
      // 80 euros = 160 septets: one part. 81 = 162 septets: parts of 153
      // hold 76 euros (152, the next pair would make 154), then 5: two parts.
      {"80 euros fill one part", Repeat("\u20ac", 80), E::kGsm7, 1, 80, 160},
      {"81 euros need two", Repeat("\u20ac", 81), E::kGsm7, 2, 81, 162},
      // 159 + 2 = 161 septets: 153 a, then 6 a + ^ (8): two parts.
      {"caret makes 161", Repeat("a", 159) + "^", E::kGsm7, 2, 160, 161},
      // 153 | 152 (the euro would straddle 306) | 2 + 151 = 153 | 1: four
      // parts, although 459 septets would fit three parts of 153.
      {"escape pair at the second boundary", Repeat("a", 305) + "\u20ac" + Repeat("a", 152), E::kGsm7, 4, 458, 459},
      // One right single quotation mark: 20 characters, UCS-2, one part.
      {"curly apostrophe", "We\u2019d love to see you", E::kUcs2, 1, 20, 20},
      {"curly double quotes", "\u201cBaby massage\u201d", E::kUcs2, 1, 14, 14},
      // 99 a + one curly apostrophe = 100 UCS-2 units: 67 + 33, two parts
      // (the same text with ' is one GSM-7 part).
      {"one curly quote doubles the cost", Repeat("a", 99) + "\u2019", E::kUcs2, 2, 100, 100},
      {"straight quote stays gsm", Repeat("a", 99) + "'", E::kGsm7, 1, 100, 100},
      {"en dash", "10:00 \u2013 12:00", E::kUcs2, 1, 13, 13},
      {"em dash", "Bring a towel\u2014and a snack", E::kUcs2, 1, 25, 25},
      {"ellipsis", "See you\u2026", E::kUcs2, 1, 8, 8},
      {"no-break space", "10:00\u00a0am", E::kUcs2, 1, 8, 8},
      // 69 a + en dash = 70 units: one part; 70 a + en dash = 71: two.
      {"en dash at 70", Repeat("a", 69) + "\u2013", E::kUcs2, 1, 70, 70},
      {"en dash at 71", Repeat("a", 70) + "\u2013", E::kUcs2, 2, 71, 71},
      {"polish pangram", "Za\u017c\u00f3\u0142\u0107 g\u0119\u015bl\u0105 ja\u017a\u0144", E::kUcs2, 1, 17, 17},
      // A GSM-7 sentence with one Polish letter is UCS-2 as a whole.
      {"one polish letter", "Hi Ola, see you at the ma\u0142y hall", E::kUcs2, 1, 32, 32},
      // "Urdu: see you tomorrow" 70 letters: one part; 71: two.
      {"urdu 70", Repeat("\u06a9", 70), E::kUcs2, 1, 70, 70},
      {"urdu 71", Repeat("\u06a9", 71), E::kUcs2, 2, 71, 71},
      {"urdu with arabic full stop", "\u0634\u06a9\u0631\u06cc\u06c1\u06d4", E::kUcs2, 1, 6, 6},
      {"emoji alone", thumbs, E::kUcs2, 1, 1, 2},
      // 68 a + emoji = 70 units: one part. 69 a + emoji = 71 units: 67 a,
      // then 2 a + emoji: two parts.
      {"emoji ending at 70", Repeat("a", 68) + thumbs, E::kUcs2, 1, 69, 70},
      {"emoji ending at 71", Repeat("a", 69) + thumbs, E::kUcs2, 2, 70, 71},
      // 65 a + emoji = exactly 67 units, then 67 a: two full parts.
      {"emoji filling part one exactly", Repeat("a", 65) + thumbs + Repeat("a", 67), E::kUcs2, 2, 133, 134},
      // 66 a + emoji would be 68: the pair moves to part two (2 + 65 = 67),
      // the last a makes part three, although 134 units fit two parts.
      {"surrogate pair not split at 67", Repeat("a", 66) + thumbs + Repeat("a", 66), E::kUcs2, 3, 133, 134},
      // Woman, ZWJ, woman, ZWJ, girl: 5 code points, 2 + 1 + 2 + 1 + 2 = 8 units.
      {"zwj family", "\U0001F469\u200d\U0001F469\u200d\U0001F467", E::kUcs2, 1, 5, 8},
      // Two regional indicators (PL flag): 4 units.
      {"flag", "\U0001F1F5\U0001F1F1", E::kUcs2, 1, 2, 4},
      // Heart with variation selector 16: both in the BMP.
      {"heart with vs16", "\u2764\ufe0f", E::kUcs2, 1, 2, 2},
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

TEST(Segments, AlphabetQueriesAgreeWithCounting) {
  EXPECT_TRUE(IsGsm7Character(U'a'));
  EXPECT_TRUE(IsGsm7Character(U'\u00e9'));   // e acute: basic set
  EXPECT_TRUE(IsGsm7Character(U'\u20ac'));   // euro: extension
  EXPECT_TRUE(IsGsm7Extension(U'\u20ac'));
  EXPECT_FALSE(IsGsm7Extension(U'a'));
  EXPECT_FALSE(IsGsm7Character(U'\u2019'));  // right single quotation mark
  EXPECT_FALSE(IsGsm7Character(U'\u0105'));  // a ogonek
  EXPECT_FALSE(IsGsm7Character(U'`'));
  EXPECT_FALSE(IsGsm7Character(U'\t'));
}

}  // namespace
}  // namespace checkin
