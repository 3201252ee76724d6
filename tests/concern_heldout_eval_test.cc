// The concern check measured on a corpus its rules were not written from:
// tests/data/safeguarding_heldout.tsv was written independently of
// daemon/safeguarding/concern_phrases.yaml, and is never used to tune it
// (a miss found here is added to the phrase lists only with a case of its
// own in concern_cases.tsv, written afresh). The figures are printed per
// language. The bar is recall >= 95 %, ordinary replies
// flagged <= 5 %. That bar is not met yet (measured 2026-12-02 with the
// word model: recall 93.2 % (en 95.1, pl 92.3, ur 90.2), 2.8 % of ordinary
// replies flagged; phrases alone had 69.9 %; docs/safeguarding.md): until
// it is, the test holds today's figures so that no change makes them worse,
// and prints them for the closing note of each change.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "concern_cases.h"
#include "safeguarding/concern_classifier.h"
#include "test_util.h"

namespace checkin {
namespace {

// The shipped classifier over `files`: per language and in all, printed.
ConcernTally Measure(const std::vector<std::string>& files) {
  auto classifier = ConcernClassifier::Create({});
  EXPECT_OK(classifier);
  std::map<std::string, ConcernTally> by_language;
  ConcernTally all;
  if (!classifier.ok()) return all;
  for (const std::string& file : files) {
    for (const ConcernCase& c : LoadConcernCases(file)) {
      const bool flagged = classifier->Check(c.text, c.language).has_value();
      by_language[c.language].Add(c.concern, flagged);
      all.Add(c.concern, flagged);
    }
  }
  for (const auto& [language, tally] : by_language) std::printf("%s: %s\n", language.c_str(), tally.Summary().c_str());
  std::printf("all: %s\n", all.Summary().c_str());
  return all;
}

TEST(ConcernHeldOut, RecallAndFalseAlarmsHoldTheirFloor) {
  const ConcernTally all = Measure({"tests/data/safeguarding_heldout.tsv"});
  ASSERT_GT(all.concerns, 400);
  constexpr double kRecallFloor = 0.93;  // raise it as recall improves; the aim is 0.95
  EXPECT_GE(all.caught, kRecallFloor * all.concerns);
  EXPECT_LE(all.flagged, 0.05 * all.ordinary);
}

// The second held-out set (once tests/data/safeguarding_fresh_*.tsv): another
// author, asked for worry written indirectly. Measured once, untuned, on
// 2026-12-02: recall 737/1013 = 72.8 % (en 68.8, pl 72.9, ur 77.7), 46/748
// = 6.1 % of ordinary replies flagged. Since then it is development data
// (tests/data/safeguarding_dev2_*.tsv): phrases were written from its misses
// and the word model is trained on it, so it measures nothing any more.

// The third held-out set (tests/data/safeguarding_third_*.tsv): a fresh
// author again, indirect wording and cultural specifics asked for. Measured
// once, untuned, on 2026-12-02 after the second set became development data:
// recall 632/806 = 78.4 % (en 86.7, pl 78.7, ur 67.5), 39/651 = 6.0 % of
// ordinary replies flagged; the detector of the morning, before that, scored
// 76.3 % and 8.4 % on it. Held like the first set: no change may make it
// worse; raise the floors as it improves.
TEST(ConcernHeldOut, TheThirdHeldOutSetHoldsItsFloor) {
  const ConcernTally all = Measure({"tests/data/safeguarding_third_en.tsv", "tests/data/safeguarding_third_pl.tsv",
                                    "tests/data/safeguarding_third_ur.tsv"});
  ASSERT_GT(all.concerns, 800);
  EXPECT_GE(all.caught, 0.78 * all.concerns);
  EXPECT_LE(all.flagged, 0.061 * all.ordinary);
}

}  // namespace
}  // namespace checkin
