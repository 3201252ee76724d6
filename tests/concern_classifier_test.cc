// Tests of concern detection (safeguarding/concern_classifier.h): the case
// table of tests/data/concern_cases.tsv (at least 150 per shipped language
// family, concerns and tricky ordinary replies, every one right), the
// category reported, the pattern syntax (gaps, alternatives, word*, #, ^, $,
// word sets), idioms and their clause limit, negation that never cancels,
// normalisation (repeated letters, apostrophes, accents, emoji), the
// language lists read, phrases added in the config and Create's checks, and
// bodies that are huge or not UTF-8. A failing case prints its text.
#include "safeguarding/concern_classifier.h"

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "concern_cases.h"
#include "test_util.h"

namespace checkin {
namespace {

const ConcernClassifier& Shipped() {
  static const ConcernClassifier* const kClassifier = [] {
    Result<ConcernClassifier> c = ConcernClassifier::Create({});
    EXPECT_OK(c);
    return c.ok() ? new ConcernClassifier(*c) : nullptr;
  }();
  return *kClassifier;
}

// "none", or "<category> (<language>: <phrase>)".
std::string Describe(const std::optional<ConcernMatch>& m) {
  if (!m) return "none";
  return std::string(ConcernCategoryName(m->category)) + " (" + m->language + ": \"" + m->phrase + "\")";
}

// A classifier from a small phrase file of one language, for syntax tests.
ConcernClassifier FromFile(const std::string& yaml, const ConcernClassifier::ExtraPhrases& extra = {}) {
  Result<ConcernClassifier> c = ConcernClassifier::CreateFromPhraseFile(yaml, "test.yaml", extra);
  EXPECT_OK(c);
  return c.ok() ? *c : *ConcernClassifier::CreateFromPhraseFile("en: {}", "empty.yaml", {});
}

TEST(ConcernClassifier, ShippedListsCompile) {
  ASSERT_OK(ConcernClassifier::Create({}));
  EXPECT_EQ(Shipped().Languages(), (std::vector<std::string>{"en", "pl", "ur"}));
}

TEST(ConcernClassifier, EveryConcernCaseIsRight) {
  std::map<std::string, std::map<bool, int>> counts;
  for (const ConcernCase& c : LoadConcernCases("tests/data/concern_cases.tsv")) {
    ++counts[c.language.substr(0, c.language.find('-'))][c.concern];
    const std::optional<ConcernMatch> got = Shipped().Check(c.text, c.language);
    EXPECT_EQ(got.has_value(), c.concern)
        << "concern_cases.tsv:" << c.line << " [" << c.language << "] \"" << c.text << "\": expected "
        << (c.concern ? "a concern" : "no concern") << ", got " << Describe(got);
  }
  for (const std::string lang : {"en", "pl", "ur"}) {
    const int concerns = counts[lang][true], ordinary = counts[lang][false];
    EXPECT_GE(concerns + ordinary, 150) << lang;
    EXPECT_GE(concerns, 60) << lang;
    EXPECT_GE(ordinary, 60) << lang;
  }
}

TEST(ConcernClassifier, ReportsTheCategory) {
  struct Case {
    const char* text;
    const char* language;
    ConcernCategory want;
  } cases[] = {
      {"i want to die", "en", ConcernCategory::kSuicide},
      {"Everyone would be better off without me", "en", ConcernCategory::kSuicide},
      {"I'm scared I might hurt him", "en", ConcernCategory::kHarmToBaby},
      {"I've started cutting again", "en", ConcernCategory::kSelfHarm},
      {"he hit me again", "en", ConcernCategory::kAbuse},
      {"I keep hearing voices", "en", ConcernCategory::kPsychosis},
      {"I can't cope anymore", "en", ConcernCategory::kDistress},
      {"chcę umrzeć", "pl", ConcernCategory::kSuicide},
      {"on mnie bije", "pl", ConcernCategory::kAbuse},
      {"nie daję rady", "pl", ConcernCategory::kDistress},
      {"woh mujhe marta hai", "ur", ConcernCategory::kAbuse},
      {"میں مرنا چاہتی ہوں", "ur", ConcernCategory::kSuicide},
      // The most urgent of several wins, wherever it is.
      {"I can't cope, he hit me and I want to die", "en", ConcernCategory::kSuicide},
  };
  for (const Case& c : cases) {
    const std::optional<ConcernMatch> got = Shipped().Check(c.text, c.language);
    ASSERT_TRUE(got) << c.text;
    EXPECT_STREQ(ConcernCategoryName(got->category), ConcernCategoryName(c.want)) << c.text << ": " << Describe(got);
    EXPECT_FALSE(got->added) << c.text;
  }
}

TEST(ConcernClassifier, NegationAndAttendanceNeverCancel) {
  for (const char* text : {"N. I don't see the point of being here", "can't come, I don't want to be here anymore",
                           "No I'm not going to kill myself, I just feel like it", "I would never hurt my baby but "
                           "I keep having thoughts of hurting the baby", "Y but honestly I can't cope",
                           "Not coming. I don't want to wake up tomorrow"}) {
    EXPECT_TRUE(Shipped().Check(text, "en")) << text;
  }
  EXPECT_TRUE(Shipped().Check("Nie przyjdę. Nie chcę już żyć", "pl"));
  EXPECT_TRUE(Shipped().Check("nahi aa sakti, jeene ka dil nahi karta", "ur"));
}

TEST(ConcernClassifier, NormalisationRepeatedLettersApostrophesAccents) {
  for (const char* text : {"I caaaan't cooope", "i cant cope", "I CAN’T COPE", "i can't cope!!!", "soooo done with life",
                           "i dont want to be here", "I DON'T WANT TO BE HERE", "im a burden", "I’m a burden"}) {
    EXPECT_TRUE(Shipped().Check(text, "en")) << text;
  }
  for (const char* text : {"nie daję rady", "nie daje rady", "NIE DAJĘ RADY", "nie chce mi sie zyc", "chce umrzec"}) {
    EXPECT_TRUE(Shipped().Check(text, "pl")) << text;
  }
  EXPECT_TRUE(Shipped().Check("jeeeene ka dil nahiii karta", "ur"));
}

TEST(ConcernClassifier, EmojiAndKissesAreNotWords) {
  EXPECT_TRUE(Shipped().Check("I can't 😭 cope", "en"));
  EXPECT_TRUE(Shipped().Check("😭😭 i want to die 😭", "en"));
  EXPECT_TRUE(Shipped().Check("i dont want to be here x", "en"));
  EXPECT_FALSE(Shipped().Check("Dying for a cuppa ☕😂 see you there xx", "en"));
  EXPECT_FALSE(Shipped().Check("😂😂😂", "en"));
  EXPECT_FALSE(Shipped().Check("👍", "en"));
}

TEST(ConcernClassifier, IdiomsHideOnlyTheWordsTheyCover) {
  EXPECT_FALSE(Shipped().Check("can't cope with the traffic, running late", "en"));
  EXPECT_TRUE(Shipped().Check("can't cope with the traffic. can't cope with anything", "en"));
  EXPECT_FALSE(Shipped().Check("I'm dying for a cuppa", "en"));
  EXPECT_FALSE(Shipped().Check("this heat is killing me", "en"));
  // An idiom stays within its clause: "dead. Tired" is no "dead tired".
  EXPECT_FALSE(Shipped().Check("dead tired of the rain", "en"));
  EXPECT_TRUE(Shipped().Check("I wish I was dead. Tired of everything", "en"));
}

const char* const kSyntaxFile = R"yaml(
en:
  stop_words: ["i", "to", "the", "a"]
  word_sets:
    dont: ["dont", "do not"]
  suicide:
    - "@dont want to ... wake up"
    - "(walk|walking) into the (sea|river)"
    - "overdos*"
    - "take # pills"
    - "^ cant stop crying"
    - "i give up $"
  self_harm:
    - "burnt myself"
    - "!burnt myself ...3 on purpose"
  distress:
    - "cant cope"
  idioms:
    - "cant cope with the (traffic|rain)"
    - "burnt myself on the (oven|iron)"
)yaml";

TEST(ConcernPattern, GapAllowsUpToItsWords) {
  const ConcernClassifier c = FromFile(kSyntaxFile);
  EXPECT_TRUE(c.Check("i dont want to wake up", "en"));
  EXPECT_TRUE(c.Check("I do not want to ever wake up", "en"));
  EXPECT_TRUE(c.Check("dont want to have to ever wake up", "en"));
  EXPECT_FALSE(c.Check("dont want to have to ever again wake up", "en")) << "4 words is past ...";
}

TEST(ConcernPattern, AlternativesPrefixNumbersAndClauseEdges) {
  const ConcernClassifier c = FromFile(kSyntaxFile);
  EXPECT_TRUE(c.Check("thought about walking into the river", "en"));
  EXPECT_FALSE(c.Check("walking into the town", "en"));
  EXPECT_TRUE(c.Check("I overdosed once", "en"));
  EXPECT_FALSE(c.Check("over the dose", "en"));
  EXPECT_TRUE(c.Check("I could take 30 pills", "en"));
  EXPECT_FALSE(c.Check("I could take some pills", "en"));
  EXPECT_TRUE(c.Check("Can't stop crying", "en"));
  EXPECT_TRUE(c.Check("Sorry. Can't stop crying", "en"));
  EXPECT_FALSE(c.Check("he can't stop crying", "en"));
  EXPECT_TRUE(c.Check("I give up.", "en"));
  EXPECT_FALSE(c.Check("I give up on the bus", "en"));
}

TEST(ConcernPattern, IdiomMasksOnlyItsWords) {
  const ConcernClassifier c = FromFile(kSyntaxFile);
  EXPECT_TRUE(c.Check("cant cope", "en"));
  EXPECT_FALSE(c.Check("cant cope with the rain", "en"));
  EXPECT_TRUE(c.Check("cant cope with the baby", "en"));
  EXPECT_TRUE(c.Check("cant cope with the rain, cant cope with anything", "en"));
  EXPECT_TRUE(c.Check("cant cope, with the rain", "en")) << "an idiom lies within one clause";
}

TEST(ConcernPattern, BangPhrasesAreNotHiddenByIdioms) {
  const ConcernClassifier c = FromFile(kSyntaxFile);
  EXPECT_FALSE(c.Check("I burnt myself on the oven, see you at 10", "en"));
  const std::optional<ConcernMatch> got = c.Check("I burnt myself on the oven on purpose", "en");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->phrase, "!burnt myself ...3 on purpose");
}

TEST(ConcernClassifier, ExtraPhraseFromTheConfigIsDetected) {
  const std::string text = "feeling properly wobbly today";
  EXPECT_FALSE(Shipped().Check(text, "en"));
  Result<ConcernClassifier> c = ConcernClassifier::Create({{"en", {"feeling (properly|really) wobbly"}}});
  ASSERT_OK(c);
  const std::optional<ConcernMatch> got = c->Check(text, "en");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->category, ConcernCategory::kAdded);
  EXPECT_TRUE(got->added);
  EXPECT_EQ(got->language, "en");
  EXPECT_EQ(got->phrase, "feeling (properly|really) wobbly");
  // Added phrases may use the language's word sets; shipped ones still work.
  Result<ConcernClassifier> pl = ConcernClassifier::Create({{"pl", {"@on mnie nie szanuje"}}});
  ASSERT_OK(pl);
  EXPECT_TRUE(pl->Check("mąż mnie nie szanuje", "pl"));
  EXPECT_TRUE(pl->Check("chcę umrzeć", "pl"));
  // A new language gets a list of its own, read with English.
  Result<ConcernClassifier> pt = ConcernClassifier::Create({{"pt", {"não aguento mais"}}});
  ASSERT_OK(pt);
  EXPECT_TRUE(pt->Check("Nao aguento mais", "pt-BR"));
  EXPECT_TRUE(pt->Check("I want to die", "pt-BR"));
  EXPECT_FALSE(pt->Check("Nao aguento mais", "en"));
}

TEST(ConcernClassifier, BadExtraPhrasesAreRefusedNamingThem) {
  struct Case {
    std::string phrase, reason;
  } cases[] = {
      {"", "empty"},
      {"!!!", "empty"},
      {"the", "only stop words"},
      {"i am (not|)", "only stop words"},
      {"(cant cope", "unclosed '('"},
      {"cant cope)", "outside brackets"},
      {"cant | cope", "outside brackets"},
      {"... wake up", "start with a gap"},
      {"wake up ...", "end with a gap"},
      {"wake ...9 up", "a gap is of 1 to 8 words"},
      {"wake ... ... up", "two gaps"},
      {"ab* up", "too short"},
      {"sui*cide", "'*' must end a word"},
      {"@nosuchset cope", "unknown word set @nosuchset"},
      {"cope#", "'#' must stand alone"},
      {"((((cope))))", "nested too deep"},
      {std::string(1025, 'a'), "too long: 1025 bytes"},
      {"one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
       "seventeen eighteen nineteen twenty twentyone twentytwo twentythree twentyfour twentyfive",
       "too long: a match of 25 words"},
  };
  for (const Case& c : cases) {
    Result<ConcernClassifier> got = ConcernClassifier::Create({{"en", {"fine phrase", c.phrase}}});
    ASSERT_FALSE(got.ok()) << c.phrase;
    EXPECT_TRUE(got.status().IsInvalidArgument()) << got.status().ToString();
    const std::string message = got.status().message();
    EXPECT_NE(message.find("safeguarding.phrases.en: \"" + c.phrase.substr(0, 20)), std::string::npos) << message;
    EXPECT_NE(message.find(c.reason), std::string::npos) << c.phrase << " -> " << message;
  }
  Result<ConcernClassifier> bad_code = ConcernClassifier::Create({{"e n", {"feeling wobbly"}}});
  ASSERT_FALSE(bad_code.ok());
  EXPECT_NE(bad_code.status().message().find("\"e n\" is no language code"), std::string::npos);
}

TEST(ConcernClassifier, PhraseFileErrorsNameTheLine) {
  struct Case {
    std::string yaml, want;
  } cases[] = {
      {"en:\n  suicide:\n    - \"want to die\"\n    - \"(cant\"\n", "test.yaml:4: en.suicide: \"(cant\": unclosed '('"},
      {"en:\n  sucide:\n    - \"want to die\"\n", "test.yaml:2: en.sucide: a group is named for its category"},
      {"en:\n  suicide: \"want to die\"\n", "test.yaml:2: en.suicide: expected a list"},
      {"en:\n  suicide:\n    - [a, b]\n", "test.yaml:3: en.suicide: expected a phrase"},
      {"en:\n  stop_words: [\"two words\"]\n", "test.yaml:2: en.stop_words: \"two words\": a stop word is one word"},
      {"en:\n  word_sets:\n    x: [\"a ... b\"]\n", "test.yaml:3: en.word_sets.x: \"a ... b\": a word set may not"},
      {"en:\n  suicide: [\"a\"]\n  suicide: [\"b\"]\n", "test.yaml:3: en.suicide: given twice"},
      {"en:\n  suicide: [\"unclosed\n", "test.yaml:"},
      {"- just a list\n", "test.yaml:1: expected a map of languages"},
  };
  for (const Case& c : cases) {
    Result<ConcernClassifier> got = ConcernClassifier::CreateFromPhraseFile(c.yaml, "test.yaml", {});
    ASSERT_FALSE(got.ok()) << c.yaml;
    EXPECT_NE(got.status().message().find(c.want), std::string::npos) << got.status().message();
  }
}

TEST(ConcernClassifier, ListsReadForALanguage) {
  // Always English; the member's language and its base; all for unknown.
  EXPECT_TRUE(Shipped().Check("I want to die", "pl"));
  EXPECT_TRUE(Shipped().Check("I want to die", "ur"));
  EXPECT_TRUE(Shipped().Check("chcę umrzeć", "pl-PL"));
  EXPECT_TRUE(Shipped().Check("chcę umrzeć", "PL"));
  EXPECT_TRUE(Shipped().Check("chcę umrzeć", ""));
  EXPECT_TRUE(Shipped().Check("jeene ka dil nahi karta", ""));
  EXPECT_FALSE(Shipped().Read("chcę umrzeć", "en").phrase);
  EXPECT_FALSE(Shipped().Read("chcę umrzeć", "fr").phrase);
  EXPECT_TRUE(Shipped().Check("I want to die", "fr"));
}

TEST(ConcernClassifier, HugeBodiesAndInvalidUtf8AreSafe) {
  std::string huge = "I can't cope anymore. ";
  while (huge.size() < 64 * 1024) huge += "lorem ipsum dolor sit amet, ";
  EXPECT_TRUE(Shipped().Check(huge, "en"));
  const std::string filler(64 * 1024, 'a');
  EXPECT_FALSE(Shipped().Check(filler + " i want to die", "en")) << "only the first 16 KiB are read";
  std::string commas;
  while (commas.size() < 64 * 1024) commas += "x,";
  EXPECT_FALSE(Shipped().Check(commas, ""));
  EXPECT_TRUE(Shipped().Check("\xff\xfe i want to die \xc3", "en"));
  EXPECT_TRUE(Shipped().Check("i want\xed\xa0\x80 to die", "en"));
  std::string bytes;
  for (int i = 0; i < 4096; ++i) bytes += static_cast<char>((i * 37 + 11) % 256);
  (void)Shipped().Check(bytes, "");
  EXPECT_FALSE(Shipped().Check("", "en"));
  EXPECT_FALSE(Shipped().Check(std::string("\0\0\0", 3), "en"));
}

TEST(ConcernClassifier, CheckIsSafeFromManyThreads) {
  const std::vector<ConcernCase> cases = LoadConcernCases("tests/data/concern_cases.tsv");
  std::vector<bool> want;
  for (const ConcernCase& c : cases) want.push_back(Shipped().Check(c.text, c.language).has_value());
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  const ConcernClassifier copy = Shipped();
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (size_t i = 0; i < cases.size(); ++i) {
        if (copy.Check(cases[i].text, cases[i].language).has_value() != want[i]) ++mismatches[t];
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(mismatches, std::vector<int>(4, 0));
}

}  // namespace
}  // namespace checkin
