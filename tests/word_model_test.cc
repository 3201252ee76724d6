// Tests of the concern word model (safeguarding/word_model.h): its features
// (concepts and their pairs, words, stems, neighbours within a clause, the
// words idioms cover left out), the model file's checks, that the shipped
// model was trained on the phrases, concepts and cases in this tree, and
// what it adds to the phrases.
#include "safeguarding/word_model.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "base/sha256.h"
#include "concern_cases.h"
#include "safeguarding/concern_classifier.h"
#include "safeguarding/phrase_file.h"
#include "test_util.h"

namespace checkin::safeguarding {
namespace {

bool Has(const std::vector<std::string>& v, const std::string& x) { return std::find(v.begin(), v.end(), x) != v.end(); }

TEST(WordModel, FeaturesAreConceptsWordsStemsAndNeighboursInAClause) {
  const MessageWords words = MessageWordsOf("Pocięłam ręce. Boję się");
  const std::vector<std::string> f = WordModelFeatures(words, {}, {"harm", "fear"});
  EXPECT_TRUE(Has(f, "c:harm"));
  EXPECT_TRUE(Has(f, "c:fear"));
  EXPECT_TRUE(Has(f, "c:fear+harm"));  // pairs in name order
  EXPECT_TRUE(Has(f, "w:pocielam"));
  EXPECT_TRUE(Has(f, "s:poci"));
  EXPECT_TRUE(Has(f, "s:pociel"));
  EXPECT_TRUE(Has(f, "b:pocielam rece"));
  EXPECT_TRUE(Has(f, "b:boje sie"));
  EXPECT_FALSE(Has(f, "b:rece boje"));  // across the full stop
  EXPECT_FALSE(Has(f, "s:rece"));       // no longer than the stem
  EXPECT_TRUE(std::is_sorted(f.begin(), f.end()));

  const std::vector<std::string> masked = WordModelFeatures(words, {true, true, false, false}, {});
  EXPECT_FALSE(Has(masked, "w:pocielam"));
  EXPECT_FALSE(Has(masked, "b:pocielam rece"));
  EXPECT_TRUE(Has(masked, "w:boje"));
}

TEST(WordModel, ScoresTheBiasAndTheWeightsItKnows) {
  auto m = WordModel::Parse("# a model\ntrained_on\tabc x.tsv\nbias\t-1.5\nthreshold\t0.5\nw:pills\t1.25\nc:die\t1\n",
                            "m.tsv");
  ASSERT_OK(m);
  EXPECT_DOUBLE_EQ(m->Score({"w:pills", "w:unknown"}), -0.25);
  EXPECT_FALSE(m->IsConcern({"w:pills"}));
  EXPECT_TRUE(m->IsConcern({"w:pills", "c:die"}));
  EXPECT_EQ(m->trained_on(), "abc x.tsv");
  EXPECT_EQ(m->size(), 2u);
}

TEST(WordModel, ABrokenModelFileNamesItsLine) {
  const std::pair<const char*, const char*> cases[] = {
      {"bias\t0\nthreshold\t0\nw:a\tlots\n", "m.tsv:3: \"lots\" is not a number"},
      {"bias\t0\nthreshold\t0\nw:a\t1\nw:a\t2\n", "m.tsv:4: feature \"w:a\" given twice"},
      {"bias\t0\nthreshold\t0\nx:a\t1\n", "m.tsv:3: \"x:a\" is neither bias"},
      {"bias 0\n", "m.tsv:1: expected name<TAB>value"},
      {"bias\t0\n", "m.tsv: needs a bias and a threshold line"},
      {"bias\tnan\nthreshold\t0\n", "m.tsv:1: \"nan\" is not a number"},
  };
  for (const auto& [text, error] : cases) {
    auto m = WordModel::Parse(text, "m.tsv");
    ASSERT_FALSE(m.ok()) << text;
    EXPECT_NE(m.status().message().find(error), std::string::npos) << m.status().message();
  }
}

// scripts/train-concern-model.sh writes what the model depends on; a change
// to the phrases, the concepts or the cases without training again fails
// here.
TEST(WordModel, ShippedModelWasTrainedOnThePhrasesConceptsAndCasesInTheTree) {
  auto model = WordModel::Parse(ShippedConcernModel(), kShippedConcernModelName);
  ASSERT_OK(model);
  std::istringstream trained_on(model->trained_on());
  std::string digest, file;
  trained_on >> digest;
  std::string data = std::string(ShippedConcernPhrases()) + std::string(ShippedConcernConcepts());
  int files = 0;
  while (trained_on >> file) {
    std::ifstream in(std::string(CHECKIN_SOURCE_DIR) + "/tests/data/" + file, std::ios::binary);
    ASSERT_TRUE(in.good()) << file;
    std::stringstream text;
    text << in.rdbuf();
    data += text.str();
    ++files;
  }
  EXPECT_GE(files, 4);
  EXPECT_EQ(digest, Sha256Hex(data)) << "the phrases, concepts or cases changed since the model was trained: run "
                                        "scripts/train-concern-model.sh and commit daemon/safeguarding/concern_model.tsv";
  EXPECT_GT(model->size(), 1000u);
}

// On the development sets, what the model adds: concerns no phrase matched,
// caught as kWords, and what it costs in false alarms.
TEST(WordModel, CatchesConcernsNoPhraseMatchesAtFewFalseAlarms) {
  auto classifier = ConcernClassifier::Create({});
  ASSERT_OK(classifier);
  int by_words = 0, ordinary = 0, flagged = 0;
  for (const char* file : {"safeguarding_dev_en.tsv", "safeguarding_dev_pl.tsv", "safeguarding_dev_ur.tsv"}) {
    for (const ConcernCase& c : LoadConcernCases(std::string("tests/data/") + file)) {
      const auto match = classifier->Check(c.text, c.language);
      if (c.concern) {
        if (match && match->category == ConcernCategory::kWords) {
          ++by_words;
          EXPECT_FALSE(classifier->Read(c.text, c.language).phrase) << c.text;
          EXPECT_EQ(match->phrase, "");
        }
      } else {
        ++ordinary;
        flagged += match.has_value();
      }
    }
  }
  EXPECT_GT(by_words, 700) << "of 1,563 concerns, 827 match no phrase";
  EXPECT_LE(flagged, 0.05 * ordinary);
}

}  // namespace
}  // namespace checkin::safeguarding
