// Reply text normalisation (see normalize.h): ICU NFKD, case folding, marks
// dropped, emoji as words, then NFC.
#include "text/normalize.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>

#include "text/utf8.h"

namespace checkin {

namespace {

// Twilio allows 1600 characters; anything longer is cut before ICU sees it.
constexpr size_t kMaxBodyBytes = 16 * 1024;

bool IsApostrophe(UChar32 c) { return c == 0x27 || c == 0x2019 || c == 0x2018 || c == 0x02BC || c == 0x60; }
bool IsQuestionMark(UChar32 c) { return c == 0x3F || c == 0x61F || c == 0xBF || c == 0x2E2E; }
bool IsSkinTone(UChar32 c) { return c >= 0x1F3FB && c <= 0x1F3FF; }
bool IsEmoji(UChar32 c) {
  return u_hasBinaryProperty(c, UCHAR_EXTENDED_PICTOGRAPHIC) || u_hasBinaryProperty(c, UCHAR_REGIONAL_INDICATOR);
}

// Code points dropped without splitting a word: combining marks (accents,
// Arabic vowel marks, emoji variation selectors), format characters (zero
// width joiners, also inside emoji sequences), skin tones (👍🏽 is 👍), and
// the Arabic tatweel used to stretch words.
bool IsDropped(UChar32 c) {
  const int8_t type = u_charType(c);
  return type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK || type == U_FORMAT_CHAR || IsSkinTone(c) ||
         c == 0x0640;
}

// Letters with no Unicode decomposition, so NFKD + mark removal keeps them:
// Polish "ł" is no "l" + mark, yet phones without Polish letters type "l"
// ("bede", "moge", "ladnie"), so it is mapped by hand, with its few cousins.
// Arabic-keyboard letters are mapped to the Urdu ones people mean (ي ك ه ->
// ی ک ہ), so "نهيں" from an Arabic keyboard matches "نہیں".
UChar32 FoldUndecomposable(UChar32 c) {
  switch (c) {
    case 0x0142: return 'l';     // ł (Ł was case-folded to ł)
    case 0x00F8: return 'o';     // ø
    case 0x0111: return 'd';     // đ
    case 0x0127: return 'h';     // ħ
    case 0x0131: return 'i';     // dotless ı
    case 0x064A:                 // Arabic yeh
    case 0x0649: return 0x06CC;  // alef maksura -> Farsi/Urdu yeh
    case 0x0643: return 0x06A9;  // Arabic kaf -> keheh
    case 0x0647: return 0x06C1;  // Arabic heh -> heh goal
    default: return c;
  }
}

// NFKD (also unfolds full-width letters and Arabic presentation forms), case
// folding, then one pass that keeps letters and digits, drops marks, makes
// each emoji a word of its own and everything else a word break; NFC at the
// end recomposes what is left (Hangul, Indic vowel signs).
}  // namespace

NormalizedText NormalizeText(std::string_view body) {
  NormalizedText out;
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkd = icu::Normalizer2::getNFKDInstance(status);
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) return out;  // no ICU data: nothing is understood, every reply is unclear
  body = body.substr(0, kMaxBodyBytes);
  icu::UnicodeString text = nfkd->normalize(
      icu::UnicodeString::fromUTF8(icu::StringPiece(body.data(), static_cast<int32_t>(body.size()))), status);
  text.foldCase();

  icu::UnicodeString words;
  bool pending_space = false;
  auto append = [&](UChar32 c) {
    if (pending_space) words.append(static_cast<UChar>(' '));
    pending_space = false;
    words.append(c);
  };
  auto word_break = [&] { pending_space = !words.isEmpty(); };
  for (int32_t i = 0; i < text.length();) {
    const UChar32 c = text.char32At(i);
    i += U16_LENGTH(c);
    if (IsQuestionMark(c)) out.question = true;
    if (IsDropped(c)) continue;
    if (IsEmoji(c)) {
      word_break();
      append(c);
      word_break();
    } else if (IsApostrophe(c)) {
      // Inside a word it is dropped ("can't" -> "cant", as often typed);
      // around one ('yes') it is a break like other punctuation.
      const bool inside = !words.isEmpty() && !pending_space && i < text.length() && u_isalpha(text.char32At(i));
      if (!inside) word_break();
    } else if (u_isalnum(c) || u_charType(c) == U_COMBINING_SPACING_MARK) {
      append(FoldUndecomposable(c));
    } else {
      word_break();
    }
  }
  const icu::UnicodeString composed = nfc->normalize(words, status);
  if (U_SUCCESS(status)) composed.toUTF8String(out.text);
  return out;
}

std::string WordKey(std::string_view word) {
  std::string key;
  std::string_view previous;
  for (size_t i = 0; i < word.size();) {
    const size_t start = i;
    NextCodePoint(word, i);
    const std::string_view character = word.substr(start, i - start);
    if (character != previous) key.append(character);
    previous = character;
  }
  return key;
}

std::vector<std::string> WordKeys(const std::string& normalized) {
  std::vector<std::string> keys;
  size_t start = 0;
  while (start < normalized.size()) {
    size_t end = normalized.find(' ', start);
    if (end == std::string::npos) end = normalized.size();
    if (end > start) keys.push_back(WordKey(normalized.substr(start, end - start)));
    start = end + 1;
  }
  return keys;
}

std::string NormalizeReplyText(std::string_view body) { return NormalizeText(body).text; }

}  // namespace checkin
