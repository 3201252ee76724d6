// Tests of reply classification: carrier keywords, yes / no / maybe in
// English, Polish and Urdu (script and romanised), negation and hedges,
// emoji, word boundaries, normalisation, words added in the config, and the
// shipped templates asking for letters that are understood. Every table
// prints the phrase that failed.
#include <string>
#include <vector>

#include "checkin/config.h"
#include "replies/intent.h"
#include "config/reply_words.h"
#include "test_util.h"

namespace checkin {
namespace {

const std::string kTwilio =
    "twilio:\n"
    "  account_sid: \"AC0123456789abcdef0123456789abcdef\"\n"
    "  from: \"+447700900000\"\n";

// A config loaded from `yaml` (plus the Twilio keys), secrets not needed.
Config Load(const std::string& yaml) {
  auto c = Config::Parse(yaml + kTwilio, "test.yaml", Config::SecretSource{}, /*resolve_secrets=*/false);
  EXPECT_OK(c);
  return c.ok() ? *c : Config{};
}

const Config& Shipped() {
  static const Config kConfig = Load("");
  return kConfig;
}

struct Case {
  const char* phrase;
  Intent want;
};

void ExpectIntents(const std::string& language, const std::vector<Case>& cases, const Config& config = Shipped()) {
  for (const Case& c : cases) {
    EXPECT_STREQ(IntentName(ClassifyIntent(c.phrase, config, language)), IntentName(c.want))
        << "phrase \"" << c.phrase << "\", language " << language;
  }
}

constexpr Intent kYes = Intent::kYes, kNo = Intent::kNo, kMaybe = Intent::kMaybe, kUnclear = Intent::kUnclear;

TEST(ClassifyKeyword, OnlyTheBareKeywordCounts) {
  struct KeywordCase {
    const char* body;
    ReplyKeyword want;
  } cases[] = {
      {"STOP", ReplyKeyword::kOptOut},        {"stop", ReplyKeyword::kOptOut},
      {" Stop! ", ReplyKeyword::kOptOut},     {"Stop.", ReplyKeyword::kOptOut},
      {"STOPALL", ReplyKeyword::kOptOut},     {"UNSUBSCRIBE", ReplyKeyword::kOptOut},
      {"Cancel", ReplyKeyword::kOptOut},      {"END", ReplyKeyword::kOptOut},
      {"quit", ReplyKeyword::kOptOut},        {"REVOKE", ReplyKeyword::kOptOut},
      {"OPTOUT", ReplyKeyword::kOptOut},      {"START", ReplyKeyword::kOptIn},
      {"unstop", ReplyKeyword::kOptIn},       {"HELP", ReplyKeyword::kHelp},
      {"Help!", ReplyKeyword::kHelp},         {"info?", ReplyKeyword::kHelp},
      {"Stop. Thank you", ReplyKeyword::kNone},       {"can't stop smiling", ReplyKeyword::kNone},
      {"stop please", ReplyKeyword::kNone},           {"end of the week?", ReplyKeyword::kNone},
      {"help me", ReplyKeyword::kNone},               {"cancel? no I'm coming", ReplyKeyword::kNone},
      {"YES", ReplyKeyword::kNone},                   {"", ReplyKeyword::kNone},
      {"stopped", ReplyKeyword::kNone},
  };
  for (const KeywordCase& c : cases) {
    EXPECT_STREQ(ReplyKeywordName(ClassifyKeyword(c.body)), ReplyKeywordName(c.want)) << "body \"" << c.body << "\"";
  }
}

TEST(ClassifyIntent, EnglishYes) {
  ExpectIntents("en", {{"Y", kYes}, {"y", kYes}, {"yes!", kYes}, {"YES", kYes}, {"Yes please 😊", kYes},
                       {"yeah see you there", kYes}, {"yep", kYes}, {"yup", kYes}, {"sure", kYes}, {"ok", kYes},
                       {"okay", kYes}, {"see you there", kYes}, {"will be there", kYes}, {"I'll be there", kYes},
                       {"coming", kYes}, {"count me in", kYes}, {"definitely", kYes}, {"I can come x", kYes},
                       {"yay", kYes}, {"Yesss", kYes}, {"Looking forward to it", kYes}, {"We're coming!", kYes}});
}

TEST(ClassifyIntent, EnglishNo) {
  ExpectIntents("en", {{"no", kNo}, {"N", kNo}, {"n", kNo}, {"nope", kNo}, {"nah", kNo}, {"Noooo", kNo},
                       {"can't make it", kNo}, {"can't make it x", kNo}, {"not this week sorry", kNo},
                       {"no sorry", kNo}, {"not coming", kNo}, {"unable to", kNo}, {"sadly not", kNo},
                       {"probably not", kNo}, {"definitely not", kNo}, {"maybe next time", kNo},
                       {"See you next week", kNo}});
}

TEST(ClassifyIntent, NegationWinsOverTheWordItNegates) {
  ExpectIntents("en", {{"cannot come", kNo}, {"won't be there", kNo}, {"cant make it sorry", kNo},
                       {"Sorry, won't be able to make it", kNo}, {"I don't think I can make it", kNo},
                       {"Not coming today xx", kNo}, {"Couldn't make it this time", kNo}, {"unable to come", kNo},
                       {"not yes", kNo}, {"I will not be there", kNo}});
}

TEST(ClassifyIntent, NotANegationWhenThePhraseMeansSomethingElse) {
  ExpectIntents("en", {{"I can't wait", kYes}, {"Can’t wait!", kYes}, {"no problem, see you there", kYes},
                       {"No worries, we'll be there", kYes}, {"not sure", kMaybe}, {"Not sure yet", kMaybe},
                       {"can't stop smiling", kUnclear}, {"Stop. Thank you", kUnclear}});
}

TEST(ClassifyIntent, EnglishMaybe) {
  ExpectIntents("en", {{"maybe", kMaybe}, {"Maybe!", kMaybe}, {"might do", kMaybe}, {"depends on nap", kMaybe},
                       {"possibly", kMaybe}, {"hopefully", kMaybe}, {"will try", kMaybe}, {"I'll try", kMaybe},
                       {"fingers crossed", kMaybe}, {"if she naps", kMaybe}, {"probably", kMaybe},
                       {"I don't know", kMaybe}, {"Dunno yet", kMaybe}, {"will see how it goes", kMaybe}});
}

TEST(ClassifyIntent, HedgeMakesTheYesAfterItAMaybe) {
  ExpectIntents("en", {{"Hopefully see you there", kMaybe}, {"not sure if I can come", kMaybe},
                       {"might not make it", kMaybe}, {"I will try to come", kMaybe},
                       {"see you there hopefully", kUnclear}});  // hedges only look forward
}

TEST(ClassifyIntent, MixedOrNoAnswerIsUnclear) {
  ExpectIntents("en", {{"yes but might be late", kUnclear}, {"yes no", kUnclear}, {"yes but not sure", kUnclear},
                       {"can't make it this week but next week yes", kUnclear}, {"what time is it?", kUnclear},
                       {"who is this", kUnclear}, {"thanks", kUnclear}, {"", kUnclear}, {"   ", kUnclear},
                       {"sorry", kUnclear}, {"Yes! Can I bring my sister?", kUnclear},
                       {"cancel? no I'm coming", kUnclear}});
}

TEST(ClassifyIntent, WordBoundariesAreRespected) {
  ExpectIntents("en", {{"book", kUnclear}, {"I know", kUnclear}, {"token", kUnclear}, {"Nottingham", kUnclear},
                       {"anyway", kUnclear}, {"Okayyy", kYes}, {"nope", kNo}, {"yay", kYes}});
}

TEST(ClassifyIntent, EmojiAreWords) {
  ExpectIntents("en", {{"👍", kYes}, {"👍🏻", kYes}, {"👍🏽", kYes}, {"👍🏿", kYes}, {"👍👍", kYes}, {"Yes 👍", kYes},
                       {"✅", kYes}, {"👎", kNo}, {"👎🏼", kNo}, {"🤞", kMaybe}, {"🤔", kMaybe}, {"🤷‍♀️", kMaybe},
                       {"😊", kUnclear}, {"❤️", kUnclear}, {"x", kUnclear}, {"xx", kUnclear}, {"😊😊", kUnclear},
                       {"👍 🤔", kUnclear}});
}

TEST(ClassifyIntent, CaseAccentsAndPunctuationDoNotMatter) {
  ExpectIntents("en", {{"YES!!!", kYes}, {"yes.", kYes}, {"...yes...", kYes}, {"'yes'", kYes},
                       {"Yes, please!", kYes}, {"ｙｅｓ", kYes}, {"yès", kYes}, {"NOT COMING", kNo}});
}

TEST(ClassifyIntent, Polish) {
  ExpectIntents("pl", {{"tak", kYes}, {"Tak!", kYes}, {"TAK", kYes}, {"t", kYes}, {"T", kYes}, {"nie", kNo},
                       {"NIE", kNo}, {"n", kNo}, {"nie dam rady", kNo}, {"Nie dam rady", kNo}, {"może", kMaybe},
                       {"moze", kMaybe}, {"MOŻE", kMaybe}, {"nie wiem", kMaybe}, {"Nie wiem jeszcze", kMaybe},
                       {"Tak, będę", kYes}, {"bede", kYes}, {"Będę na czas", kYes}, {"Nie będę", kNo},
                       {"nie przyjdę", kNo}, {"Niestety nie", kNo}, {"chyba nie", kNo}, {"na pewno nie", kNo},
                       {"może przyjdę", kMaybe}, {"nie wiem czy dam radę", kMaybe}, {"spróbuję", kMaybe},
                       {"No jasne!", kYes}, {"Nie mogę się doczekać", kYes}, {"Do zobaczenia!", kYes},
                       {"Tak, ale nie wiem", kUnclear}, {"Dzięki", kUnclear}, {"no", kUnclear},
                       {"Y", kYes}, {"ok", kYes}, {"👍", kYes}});
}

TEST(ClassifyIntent, UrduRomanised) {
  ExpectIntents("ur", {{"haan", kYes}, {"Haan ji", kYes}, {"ji haan", kYes}, {"Jee", kYes}, {"haaan", kYes},
                       {"han", kYes}, {"aa jaungi", kYes}, {"Zaroor aaungi", kYes}, {"theek hai", kYes},
                       {"nahi", kNo}, {"Nahin", kNo}, {"ji nahi", kNo}, {"nahi aa sakti", kNo},
                       {"main nahi aa sakti sorry", kNo}, {"shayad", kMaybe}, {"Shayad aa jaun", kMaybe},
                       {"pata nahi", kMaybe}, {"haan inshallah", kYes}, {"inshallah", kUnclear},
                       {"haan, shayad der ho jaye", kUnclear}, {"Y", kYes}, {"N", kNo}});
}

TEST(ClassifyIntent, UrduScript) {
  ExpectIntents("ur", {{"ہاں", kYes}, {"ہاں۔", kYes}, {"جی ہاں", kYes}, {"ضرور آؤں گی", kYes}, {"نہیں", kNo},
                       {"جی نہیں", kNo}, {"نہیں آ سکتی", kNo}, {"نهيں", kNo}, {"شاید", kMaybe},
                       {"پتہ نہیں", kMaybe}, {"ہاں ان شاء اللہ", kYes}, {"کیا وقت ہے؟", kUnclear}});
}

TEST(ClassifyIntent, LanguageFallsBackToBaseAndEnglish) {
  EXPECT_EQ(ClassifyIntent("tak", Shipped(), "pl-PL"), kYes);
  EXPECT_EQ(ClassifyIntent("tak", Shipped(), "en"), kUnclear);
  EXPECT_EQ(ClassifyIntent("yes", Shipped(), "fr"), kYes);
  EXPECT_EQ(ClassifyIntent("tak", Load("default_language: pl\n"), ""), kYes);  // no language: the default
  EXPECT_EQ(ClassifyIntent("nahi", Config{}, "ur"), kNo);  // default-constructed: shipped words
}

TEST(ClassifyIntent, ConfigAddsWordsToTheShippedOnes) {
  const Config config = Load("replies:\n  en:\n    yes: [deffo, \"on my way\"]\n    maybe: [\"tbh not sure\"]\n");
  ExpectIntents("en", {{"deffo", kYes}, {"Deffo!", kYes}, {"deffo x", kYes}, {"On my way", kYes}, {"yes", kYes},
                       {"no", kNo}, {"tbh not sure", kMaybe}},
                config);
  ExpectIntents("en", {{"deffo", kUnclear}});
}

TEST(ClassifyIntent, ConfigWordsAreAccentInsensitive) {
  const Config config = Load("replies:\n  es:\n    yes: [sí, \"allí estaré\"]\n    maybe: [quizás]\n");
  ExpectIntents("es", {{"Sí", kYes}, {"si", kYes}, {"SI!", kYes}, {"alli estare", kYes}, {"quizas", kMaybe}}, config);
  ExpectIntents("en", {{"si", kUnclear}}, config);
}

TEST(ClassifyIntent, ConfigReplaceDropsTheShippedWords) {
  const Config config = Load("replies:\n  en:\n    replace: true\n    yes: [\"aye aye\"]\n    no: [nay]\n");
  ExpectIntents("en", {{"aye aye", kYes}, {"nay", kNo}, {"yes", kUnclear}, {"maybe", kUnclear},
                       {"not aye aye", kNo}},  // negations are built in
                config);
}

TEST(NormalizeReplyText, LowerCaseNoAccentsNoPunctuationEmojiAsWords) {
  struct NormCase {
    const char* in;
    const char* want;
  } cases[] = {
      {"  Hello,   World!  ", "hello world"}, {"Może", "moze"},     {"ŁÓDŹ", "lodz"},
      {"Can’t make it", "cant make it"},     {"'yes'", "yes"},      {"yes👍🏽!", "yes 👍"},
      {"❤️", "❤"},                           {"🤷‍♀️", "🤷 ♀"},       {"ｙｅｓ", "yes"},
      {"Straße", "strasse"},                 {"ہاں۔", "ہاں"},      {"نهيں", "نہیں"},
      {"", ""},                              {"x", "x"},            {"50/50", "50 50"},
  };
  for (const NormCase& c : cases) EXPECT_EQ(NormalizeReplyText(c.in), c.want) << "input \"" << c.in << "\"";
}

// A phrase in two roles of one language could only ever mean one of them.
TEST(IntentWords, ShippedListsAreConsistent) {
  for (const auto& [lang, words] : DefaultReplyWords()) {
    const ReplyGrammar& grammar = BuiltInReplyGrammar(lang);
    std::map<std::string, std::string> role_of;
    const std::pair<const char*, const std::vector<std::string>*> lists[] = {
        {"yes", &words.yes}, {"no", &words.no}, {"maybe", &words.maybe},
        {"negation", &grammar.negations}, {"neutral", &grammar.neutral}};
    for (const auto& [role, list] : lists) {
      for (const std::string& phrase : *list) {
        const std::string key = NormalizeReplyText(phrase);
        EXPECT_FALSE(key.empty()) << lang << " " << role << " \"" << phrase << "\" has no words";
        auto [it, fresh] = role_of.emplace(key, role);
        EXPECT_TRUE(fresh) << lang << ": \"" << phrase << "\" is " << role << " and " << it->second;
      }
    }
  }
}

// Reminders ask for letters the classifier understands, the same ones in
// every text of a language: Y/N in en and ur, T/N (tak/nie) in pl.
TEST(IntentWords, ShippedTemplatesAskForUnderstoodLetters) {
  auto config = Config::Load(std::string(CHECKIN_SOURCE_DIR) + "/config/checkin.yaml", Config::SecretSource{}, false);
  ASSERT_OK(config);
  struct Letters {
    const char* lang;
    const char* yes;
    const char* no;
  } cases[] = {{"en", "Y", "N"}, {"pl", "T", "N"}, {"ur", "Y", "N"}};
  for (const Letters& c : cases) {
    EXPECT_EQ(ClassifyIntent(c.yes, *config, c.lang), kYes) << c.lang << " " << c.yes;
    EXPECT_EQ(ClassifyIntent(c.no, *config, c.lang), kNo) << c.lang << " " << c.no;
    for (TemplateKind kind : {TemplateKind::kReminder, TemplateKind::kReplyUnclear, TemplateKind::kFollowUp}) {
      const std::string words = " " + NormalizeReplyText(config->Template(c.lang, kind)) + " ";
      const std::string yes = std::string(" ") + static_cast<char>(std::tolower(c.yes[0])) + " ";
      EXPECT_NE(words.find(yes), std::string::npos) << c.lang << " " << TemplateKindName(kind) << ": " << words;
      EXPECT_NE(words.find(" n "), std::string::npos) << c.lang << " " << TemplateKindName(kind) << ": " << words;
    }
  }
}

}  // namespace
}  // namespace checkin
