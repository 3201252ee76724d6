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

#include <algorithm>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <vector>

#include "config/reply_words.h"
#include "text/normalize.h"

namespace checkin {

namespace {

// Words allowed between a modifier and the yes phrase it changes.
constexpr size_t kModifierReach = 3;

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
      std::vector<std::string> keys = WordKeys(NormalizeText(text).text);
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

ReplyKeyword ClassifyKeyword(std::string_view body) {
  // Normalised text is one word exactly when the body was that word with
  // only spaces and punctuation around it.
  const std::string text = NormalizeText(body).text;
  for (const KeywordEntry& k : kKeywords) {
    if (text == k.word) return k.keyword;
  }
  return ReplyKeyword::kNone;
}

namespace {

// Rules 2-6; `table()` gives the phrases, asked only when there are words.
template <typename GetTable>
Intent Classify(std::string_view body, GetTable&& table) {
  const NormalizedText reply = NormalizeText(body);
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
