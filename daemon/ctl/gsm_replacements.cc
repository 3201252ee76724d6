// The GSM-7 replacements (see gsm_replacements.h): characters that word
// processors and phones put into texts and that switch a text to UCS-2,
// each with what to write instead. One row per character, named as ICU
// names it (what `checkinctl lint` prints); a group's comment says what it
// is for. Beyond the rows, any other space (Unicode category Zs) becomes a
// space and any other dash (Pd) a hyphen.
//
// Our own table: ICU's Latin-ASCII transliterator was the candidate, but it
// turns Polish „ into ",," and leaves ` ´ and zero-width spaces as they are.
#include "ctl/gsm_replacements.h"

#include <unicode/uchar.h>

namespace checkin {

namespace {

struct GsmReplacementRow {
  char32_t character;
  const char* replacement;  // GSM-7; "" deletes the character
};

constexpr GsmReplacementRow kGsmReplacements[] = {
    // Curly and angle single quotes, primes, and the accents typed as
    // apostrophes: an apostrophe.
    {0x2018, "'"},  // left single quotation mark
    {0x2019, "'"},  // right single quotation mark (the apostrophe of word processors)
    {0x201A, "'"},  // single low-9 quotation mark
    {0x201B, "'"},  // single high-reversed-9 quotation mark
    {0x2032, "'"},  // prime
    {0x2035, "'"},  // reversed prime
    {0x2039, "'"},  // single left-pointing angle quotation mark
    {0x203A, "'"},  // single right-pointing angle quotation mark
    {0x0060, "'"},  // grave accent
    {0x00B4, "'"},  // acute accent
    {0x02BC, "'"},  // modifier letter apostrophe
    // Curly, low (Polish „) and angle double quotes, double primes: a
    // straight double quote.
    {0x201C, "\""},  // left double quotation mark
    {0x201D, "\""},  // right double quotation mark
    {0x201E, "\""},  // double low-9 quotation mark
    {0x201F, "\""},  // double high-reversed-9 quotation mark
    {0x2033, "\""},  // double prime
    {0x2036, "\""},  // reversed double prime
    {0x00AB, "\""},  // left-pointing double angle quotation mark
    {0x00BB, "\""},  // right-pointing double angle quotation mark
    // The ellipsis character: three full stops.
    {0x2026, "..."},  // horizontal ellipsis
    // Bullets and the minus sign: a hyphen (other dashes: see below).
    {0x2022, "-"},  // bullet
    {0x2043, "-"},  // hyphen bullet
    {0x2212, "-"},  // minus sign
    // Invisible characters pasted along with text: delete them.
    {0x200B, ""},  // zero width space
    {0x00AD, ""},  // soft hyphen
    {0xFEFF, ""},  // zero width no-break space (byte order mark)
    {0x2060, ""},  // word joiner
};

}  // namespace

std::optional<std::string> GsmReplacement(char32_t c) {
  for (const GsmReplacementRow& row : kGsmReplacements) {
    if (row.character == c) return std::string(row.replacement);
  }
  switch (u_charType(static_cast<UChar32>(c))) {
    case U_SPACE_SEPARATOR: return " ";   // no-break, thin, en, em ... spaces
    case U_DASH_PUNCTUATION: return "-";  // hyphen, en dash, em dash, ...
    default: return std::nullopt;
  }
}

}  // namespace checkin
