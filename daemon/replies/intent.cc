// Attendance intent from a member's reply (see intent.h).
//
// Rule precedence; the first rule that decides wins:
//  1. Keyword. The whole message, normalised, is one carrier keyword: STOP,
//     STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, REVOKE, OPTOUT; START, UNSTOP;
//     HELP, INFO (ClassifyKeyword; the caller asks it first). "Stop!" is a
//     keyword, "Stop. Thank you" and "can't stop smiling" are not.
//  2. Question. A "?" (or "؟", "¿") anywhere makes the reply kUnclear: a
//     question needs a person, and a recorded yes would hide it from the
//     coordinator ("Yes! Can I bring my sister?").
//  3. Phrases. The message and every phrase are normalised alike
//     (NormalizeReplyText: case and accents dropped, "ł" is "l", an
//     apostrophe inside a word dropped so "can't" is "cant", other
//     punctuation a word break, each emoji a word) and split into words; a
//     character repeated for emphasis counts once ("yesss", "noooo",
//     "haaan"). The phrases are, in
//     this order: the member's language (config.reply_words: the shipped
//     lists plus the file's replies.<lang>; then its built-in negations and
//     neutral phrases, reply_words.h), its base language (pt for pt-BR),
//     then English. A phrase already seen keeps its first role, so the
//     coordinator's lists win over built-ins and Polish "no" (neutral,
//     "well/yeah") over English "no".
//  4. Longest match first. Phrases match whole words only, longest first,
//     and each word belongs to one match: "not sure" is maybe (not "not" +
//     "sure"), "can't wait" yes, "no problem" neutral; "ok" is not found in
//     "book", nor "no" in "know" or "nope" (which is a no word of its own).
//  5. Modifiers. A yes phrase starting at most 3 words after a negation
//     becomes no ("can't make it", "won't be able to make it", "nie będę",
//     "nahi aa sakti"); after a maybe phrase it becomes maybe ("hopefully see
//     you there", "not sure if I can come"). The nearest modifier before the
//     yes phrase decides. Modifiers only look forward: "see you there
//     hopefully" holds a yes and a maybe, so rule 6 makes it unclear.
//  6. Verdict. Ignoring neutral matches, exactly one kind (yes, no, maybe) is
//     the answer. None ("thanks", "who is this", "") or more than one ("yes
//     but might be late", "yes no") is kUnclear: asking again is better than
//     a wrong "no".
#include "replies/intent.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <vector>

#include "config/reply_words.h"

namespace checkin {

namespace {

// Twilio allows 1600 characters; anything longer is cut before ICU sees it.
constexpr size_t kMaxBodyBytes = 16 * 1024;
// Words allowed between a modifier and the yes phrase it changes.
constexpr size_t kModifierReach = 3;

struct NormalizedReply {
  std::string text;       // words separated by one space
  bool question = false;  // the body held a question mark
};

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
NormalizedReply Normalize(std::string_view body) {
  NormalizedReply out;
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

size_t Utf8Length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead & 0xE0) == 0xC0) return 2;
  if ((lead & 0xF0) == 0xE0) return 3;
  if ((lead & 0xF8) == 0xF0) return 4;
  return 1;
}

// A word with each run of one repeated character cut to one: "yesss" and
// "yes" both give "yes", "seeee" and "see" both "se". Matching compares keys.
std::string WordKey(const std::string& word) {
  std::string key;
  size_t previous = 0, previous_length = 0;
  for (size_t i = 0; i < word.size();) {
    const size_t length = std::min(Utf8Length(static_cast<unsigned char>(word[i])), word.size() - i);
    const bool repeat = previous_length == length && word.compare(previous, length, word, i, length) == 0;
    if (!repeat) key.append(word, i, length);
    previous = i;
    previous_length = length;
    i += length;
  }
  return key;
}

// The keys of the words of normalised text.
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

enum class Role { kYes, kNo, kMaybe, kNeutral };

struct Phrase {
  std::vector<std::string> keys;
  Role role;
  bool negates;
};

// Phrases for a reply, first role wins (rule 3 at the top).
class PhraseTable {
 public:
  void Add(const std::vector<std::string>& texts, Role role, bool negates = false) {
    for (const std::string& text : texts) {
      std::vector<std::string> keys = WordKeys(Normalize(text).text);
      std::string joined;
      for (const std::string& k : keys) joined += k + ' ';
      if (keys.empty() || !seen_.insert(joined).second) continue;
      phrases_.push_back(Phrase{std::move(keys), role, negates});
    }
  }
  const std::vector<Phrase>& phrases() const { return phrases_; }

 private:
  std::set<std::string> seen_;
  std::vector<Phrase> phrases_;
};

PhraseTable PhrasesFor(const Config& config, const std::string& language) {
  const std::string lang = language.empty() ? config.default_language : language;
  std::vector<std::string> langs;
  for (const std::string& l : {lang, lang.substr(0, lang.find('-')), std::string("en")}) {
    if (!l.empty() && std::find(langs.begin(), langs.end(), l) == langs.end()) langs.push_back(l);
  }
  PhraseTable table;
  for (const std::string& l : langs) {
    const ReplyWords& words = config.ReplyWordsFor(l);
    table.Add(words.yes, Role::kYes);
    table.Add(words.no, Role::kNo);
    table.Add(words.maybe, Role::kMaybe);
    const ReplyGrammar& grammar = BuiltInReplyGrammar(l);
    table.Add(grammar.negations, Role::kNo, /*negates=*/true);
    table.Add(grammar.neutral, Role::kNeutral);
  }
  return table;
}

struct Match {
  size_t start, length;
  Role role;
  bool negates;
  size_t end() const { return start + length; }
};

// Rule 4: every occurrence, then longest first, each word used once; the
// result is in message order.
std::vector<Match> LongestMatches(const std::vector<std::string>& words, const std::vector<Phrase>& phrases) {
  std::vector<Match> found;
  for (const Phrase& p : phrases) {
    for (size_t s = 0; s + p.keys.size() <= words.size(); ++s) {
      if (std::equal(p.keys.begin(), p.keys.end(), words.begin() + s)) {
        found.push_back(Match{s, p.keys.size(), p.role, p.negates});
      }
    }
  }
  std::sort(found.begin(), found.end(), [](const Match& a, const Match& b) {
    return a.length != b.length ? a.length > b.length : a.start < b.start;
  });
  std::vector<bool> taken(words.size(), false);
  std::vector<Match> chosen;
  for (const Match& m : found) {
    if (std::any_of(taken.begin() + m.start, taken.begin() + m.end(), [](bool t) { return t; })) continue;
    std::fill(taken.begin() + m.start, taken.begin() + m.end(), true);
    chosen.push_back(m);
  }
  std::sort(chosen.begin(), chosen.end(), [](const Match& a, const Match& b) { return a.start < b.start; });
  return chosen;
}

bool IsModifier(const Match& m) { return m.negates || m.role == Role::kMaybe; }

// Rule 5; modifiers are read from the matches as found, so a yes that
// became a no does not negate the next one.
std::vector<Role> ApplyModifiers(const std::vector<Match>& matches) {
  std::vector<Role> roles;
  for (const Match& m : matches) roles.push_back(m.role);
  for (size_t i = 0; i < matches.size(); ++i) {
    if (matches[i].role != Role::kYes) continue;
    for (size_t j = i; j-- > 0;) {
      if (matches[i].start - matches[j].end() > kModifierReach) break;
      if (IsModifier(matches[j])) {
        roles[i] = matches[j].negates ? Role::kNo : Role::kMaybe;
        break;
      }
    }
  }
  return roles;
}

// Rule 6.
Intent Verdict(const std::vector<Role>& roles) {
  std::optional<Role> kind;
  for (Role r : roles) {
    if (r == Role::kNeutral) continue;
    if (kind && *kind != r) return Intent::kUnclear;
    kind = r;
  }
  if (!kind) return Intent::kUnclear;
  return *kind == Role::kYes ? Intent::kYes : *kind == Role::kNo ? Intent::kNo : Intent::kMaybe;
}

struct KeywordEntry {
  const char* word;
  ReplyKeyword keyword;
};

constexpr KeywordEntry kKeywords[] = {
    {"stop", ReplyKeyword::kOptOut},   {"stopall", ReplyKeyword::kOptOut}, {"unsubscribe", ReplyKeyword::kOptOut},
    {"cancel", ReplyKeyword::kOptOut}, {"end", ReplyKeyword::kOptOut},     {"quit", ReplyKeyword::kOptOut},
    {"revoke", ReplyKeyword::kOptOut}, {"optout", ReplyKeyword::kOptOut},  {"start", ReplyKeyword::kOptIn},
    {"unstop", ReplyKeyword::kOptIn},  {"help", ReplyKeyword::kHelp},      {"info", ReplyKeyword::kHelp},
};

}  // namespace

const char* IntentName(Intent intent) {
  switch (intent) {
    case Intent::kYes: return "yes";
    case Intent::kNo: return "no";
    case Intent::kMaybe: return "maybe";
    case Intent::kUnclear: return "unclear";
  }
  return "unclear";
}

const char* ReplyKeywordName(ReplyKeyword keyword) {
  switch (keyword) {
    case ReplyKeyword::kNone: return "none";
    case ReplyKeyword::kOptOut: return "opt_out";
    case ReplyKeyword::kOptIn: return "opt_in";
    case ReplyKeyword::kHelp: return "help";
  }
  return "none";
}

std::string NormalizeReplyText(std::string_view body) { return Normalize(body).text; }

ReplyKeyword ClassifyKeyword(std::string_view body) {
  // Normalised text is one word exactly when the body was that word with
  // only spaces and punctuation around it.
  const std::string text = Normalize(body).text;
  for (const KeywordEntry& k : kKeywords) {
    if (text == k.word) return k.keyword;
  }
  return ReplyKeyword::kNone;
}

namespace {

// Rules 2-6; `table()` gives the phrases, asked only when there are words.
template <typename GetTable>
Intent Classify(std::string_view body, GetTable&& table) {
  const NormalizedReply reply = Normalize(body);
  if (reply.question) return Intent::kUnclear;
  const std::vector<std::string> words = WordKeys(reply.text);
  if (words.empty()) return Intent::kUnclear;
  const std::shared_ptr<const PhraseTable> phrases = table();
  return Verdict(ApplyModifiers(LongestMatches(words, phrases->phrases())));
}

}  // namespace

Intent ClassifyIntent(std::string_view body, const Config& config, const std::string& language) {
  return Classify(body, [&] { return std::make_shared<const PhraseTable>(PhrasesFor(config, language)); });
}

struct IntentClassifier::Tables {
  std::mutex mu;
  std::map<std::string, std::shared_ptr<const PhraseTable>> by_language;
};

IntentClassifier::IntentClassifier(std::shared_ptr<const Config> config)
    : config_(std::move(config)), tables_(std::make_unique<Tables>()) {}
IntentClassifier::~IntentClassifier() = default;

Intent IntentClassifier::Classify(std::string_view body, const std::string& language) const {
  return checkin::Classify(body, [&] {
    std::lock_guard<std::mutex> lock(tables_->mu);
    auto& slot = tables_->by_language[language];
    if (!slot) slot = std::make_shared<const PhraseTable>(PhrasesFor(*config_, language));
    return slot;
  });
}

}  // namespace checkin
