// The concern check measured on a corpus its rules were not written from:
// tests/data/safeguarding_heldout.tsv was written independently of
// daemon/safeguarding/concern_phrases.yaml, and is never used to tune it
// (a miss found here is added to the phrase lists only with a case of its
// own in concern_cases.tsv, written afresh). The figures are printed per
// language. The bar is recall >= 95 %, ordinary replies
// flagged <= 5 %. That bar is not met yet (measured 2026-12-02: recall
// 69.9 %, 2.8 % of ordinary replies flagged; docs/safeguarding.md): until
// it is, the test holds today's figures so that no change makes them worse,
// and prints them for the closing note of each change.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "concern_cases.h"
#include "safeguarding/concern_classifier.h"
#include "test_util.h"

namespace checkin {
namespace {

struct Tally {
  int concerns = 0, caught = 0, ordinary = 0, flagged = 0;
};

TEST(ConcernHeldOut, RecallAndFalseAlarmsHoldTheirFloor) {
  const std::vector<TableCase> cases = LoadConcernCases("tests/data/safeguarding_heldout.tsv");
  auto classifier = ConcernClassifier::Create({});
  ASSERT_OK(classifier);
  std::map<std::string, Tally> by_language;
  Tally all;
  for (const TableCase& c : cases) {
    const bool flagged = classifier->Check(c.text, c.language).has_value();
    for (Tally* t : {&by_language[c.language], &all}) {
      if (c.concern) {
        ++t->concerns;
        t->caught += flagged;
      } else {
        ++t->ordinary;
        t->flagged += flagged;
      }
    }
  }
  for (const auto& [language, t] : by_language) {
    std::printf("%s: recall %d/%d = %.1f %%, ordinary flagged %d/%d = %.1f %%\n", language.c_str(), t.caught,
                t.concerns, 100.0 * t.caught / t.concerns, t.flagged, t.ordinary, 100.0 * t.flagged / t.ordinary);
  }
  std::printf("all: recall %d/%d = %.1f %%, ordinary flagged %d/%d = %.1f %%\n", all.caught, all.concerns,
              100.0 * all.caught / all.concerns, all.flagged, all.ordinary, 100.0 * all.flagged / all.ordinary);
  ASSERT_GT(all.concerns, 400);
  constexpr double kRecallFloor = 0.69;  // raise it as recall improves; the aim is 0.95
  EXPECT_GE(all.caught, kRecallFloor * all.concerns);
  EXPECT_LE(all.flagged, 0.05 * all.ordinary);
}

}  // namespace
}  // namespace checkin
