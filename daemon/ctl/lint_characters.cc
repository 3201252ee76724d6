// Template lint, the character check (see CheckCharacters in
// template_lint.h): the characters of a text that make it UCS-2 (70
// characters per segment instead of 160), each named, with its GSM-7
// replacement (gsm_replacements.cc) when there is one.
//
// ICU does the Unicode work: grapheme clusters (an emoji sequence or a
// letter with its marks is one finding), character names, categories,
// scripts and emoji properties.
#include <unicode/brkiter.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "config/config_table.h"
#include "ctl/gsm_replacements.h"
#include "ctl/lint_findings.h"
#include "ctl/template_lint.h"
#include "text/segments.h"

namespace checkin {

namespace {

using Severity = LintFinding::Severity;

bool IsEmojiPart(UChar32 c) {
  return u_hasBinaryProperty(c, UCHAR_EXTENDED_PICTOGRAPHIC) || u_hasBinaryProperty(c, UCHAR_EMOJI_PRESENTATION) ||
         u_hasBinaryProperty(c, UCHAR_REGIONAL_INDICATOR) || u_hasBinaryProperty(c, UCHAR_EMOJI_MODIFIER) ||
         c == 0x20E3 || c == 0xFE0F;
}

// A letter, mark or digit, or anything written in one script (Urdu's full
// stop): part of the language, not a typo.
bool IsLetterOfAScript(UChar32 c) {
  if (U_GET_GC_MASK(c) & (U_GC_L_MASK | U_GC_M_MASK | U_GC_N_MASK)) return true;
  UErrorCode e = U_ZERO_ERROR;
  const UScriptCode script = uscript_getScript(c, &e);
  return U_SUCCESS(e) && script != USCRIPT_COMMON && script != USCRIPT_INHERITED && script != USCRIPT_UNKNOWN;
}

std::string Utf8(const icu::UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  return out;
}

std::string CodePoints(const icu::UnicodeString& s) {
  std::string out;
  char buf[16];
  for (int32_t i = 0; i < s.length(); i = s.moveIndex32(i, 1)) {
    std::snprintf(buf, sizeof buf, "%sU+%04X", out.empty() ? "" : " ", static_cast<unsigned>(s.char32At(i)));
    out += buf;
  }
  return out;
}

std::string CharName(UChar32 c) {
  char buf[128];
  UErrorCode e = U_ZERO_ERROR;
  u_charName(c, U_EXTENDED_CHAR_NAME, buf, sizeof buf, &e);
  std::string name = U_SUCCESS(e) ? buf : "";
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char ch) { return std::tolower(ch); });
  return name;
}

std::string ScriptName(UChar32 c) {
  UErrorCode e = U_ZERO_ERROR;
  const UScriptCode script = uscript_getScript(c, &e);
  const char* name = U_SUCCESS(e) ? uscript_getName(script) : nullptr;
  return name ? name : "";
}

// One grapheme cluster that is not all GSM-7.
struct Cluster {
  enum Class { kReplaceable, kEmoji, kLetter, kOther };
  Class cls = kOther;
  icu::UnicodeString text;
  int position = 0;  // 1-based code point
  std::optional<std::string> replacement;
};

Cluster::Class Classify(const icu::UnicodeString& g, std::optional<std::string>* replacement) {
  if (g.countChar32() == 1) {
    *replacement = GsmReplacement(static_cast<char32_t>(g.char32At(0)));
    if (*replacement) return Cluster::kReplaceable;
  }
  bool letter = false;
  for (int32_t i = 0; i < g.length(); i = g.moveIndex32(i, 1)) {
    if (IsEmojiPart(g.char32At(i))) return Cluster::kEmoji;
    letter = letter || (!IsGsm7Character(static_cast<char32_t>(g.char32At(i))) && IsLetterOfAScript(g.char32At(i)));
  }
  return letter ? Cluster::kLetter : Cluster::kOther;
}

std::vector<Cluster> NonGsmClusters(const std::string& utf8) {
  std::vector<Cluster> out;
  const icu::UnicodeString text = icu::UnicodeString::fromUTF8(utf8);
  UErrorCode e = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> it(icu::BreakIterator::createCharacterInstance(icu::Locale::getRoot(), e));
  if (U_FAILURE(e)) return out;
  it->setText(text);
  int position = 1;
  for (int32_t start = it->first(), end = it->next(); end != icu::BreakIterator::DONE; start = end, end = it->next()) {
    const icu::UnicodeString g = text.tempSubStringBetween(start, end);
    bool gsm = true;
    for (int32_t i = 0; i < g.length(); i = g.moveIndex32(i, 1)) gsm = gsm && IsGsm7Character(g.char32At(i));
    if (!gsm) {
      Cluster c;
      c.text = g;
      c.position = position;
      c.cls = Classify(g, &c.replacement);
      out.push_back(c);
    }
    position += g.countChar32();
  }
  return out;
}

LintFinding CharacterFinding(const TemplateSource& t, const Cluster& c, bool ucs2_anyway) {
  static const std::string kUcs2 = "UCS-2 (70 characters per segment)";
  const bool emoji = c.cls == Cluster::kEmoji;
  // In a text whose letters need UCS-2 anyway (Polish, Urdu) a curly quote or
  // an emoji costs nothing extra: worth knowing, nothing to fix.
  const Severity severity = ucs2_anyway ? Severity::kInfo : Severity::kWarning;
  LintFinding f = TemplateFinding(t, severity, emoji ? "emoji" : c.replacement ? "ucs2_character" : "no_gsm_replacement");
  f.position = c.position;
  f.character = Utf8(c.text);
  f.codepoints = CodePoints(c.text);
  f.name = CharName(c.text.char32At(0));
  f.replacement = c.replacement;
  std::string what = Quoted(f.character) + " " + (emoji ? "emoji " : "") + f.name + " (" + f.codepoints +
                     ") at character " + std::to_string(c.position);
  if (emoji) {
    what += ucs2_anyway ? ": costs 2 characters of 70" : " switches the text to UCS-2: remove, or accept " + kUcs2;
  } else if (c.replacement) {
    const std::string use = c.replacement->empty() ? "delete it (it is invisible)" : "use " + Quoted(*c.replacement);
    what += ucs2_anyway ? ": " + use + " (costs nothing here: the letters need UCS-2 anyway)"
                        : " switches the text to " + kUcs2 + ": " + use;
  } else {
    what += " switches the text to " + kUcs2 + " and has no GSM-7 equivalent: remove it, or accept UCS-2";
  }
  f.message = what;
  return f;
}

// The one info finding for the letters of `clusters` that need UCS-2 (the
// first 8 shown, with their scripts); nullopt when there are none.
std::optional<LintFinding> LettersFinding(const TemplateSource& t, const std::vector<Cluster>& clusters) {
  std::vector<std::string> letters;
  std::set<std::string> scripts;
  int first_letter = 0;
  for (const Cluster& c : clusters) {
    if (c.cls != Cluster::kLetter) continue;
    const std::string letter = Utf8(c.text);
    if (std::find(letters.begin(), letters.end(), letter) == letters.end()) letters.push_back(letter);
    const std::string script = ScriptName(c.text.char32At(0));
    if (!script.empty() && script != "Common" && script != "Inherited") scripts.insert(script);
    if (first_letter == 0) first_letter = c.position;
  }
  if (letters.empty()) return std::nullopt;
  LintFinding f = TemplateFinding(t, Severity::kInfo, "needs_ucs2_letters");
  f.position = first_letter;
  std::string shown;
  for (size_t i = 0; i < letters.size() && i < 8; ++i) shown += (i ? " " : "") + letters[i];
  if (letters.size() > 8) shown += " ...";
  std::string script_list;
  for (const std::string& s : scripts) script_list += (script_list.empty() ? "" : ", ") + s;
  f.character = shown;
  f.message = "needs UCS-2 for its letters (" + shown + (script_list.empty() ? "" : "; " + script_list + " script") +
              "): 70 characters per segment";
  return f;
}

}  // namespace

std::vector<LintFinding> CheckCharacters(const TemplateSource& t) {
  const std::vector<Cluster> clusters = NonGsmClusters(t.text);
  std::vector<LintFinding> out;
  const std::optional<LintFinding> letters = LettersFinding(t, clusters);
  const bool ucs2_anyway = letters.has_value();
  if (letters) out.push_back(*letters);
  for (const Cluster& c : clusters) {
    if (c.cls == Cluster::kLetter || (c.cls == Cluster::kOther && ucs2_anyway)) continue;
    out.push_back(CharacterFinding(t, c, ucs2_anyway));
  }
  return out;
}

}  // namespace checkin
