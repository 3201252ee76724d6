// The safeguarding escalation ladder (safeguarding/escalation.h): who is
// alerted, in which order, and when, with literal instants.
#include "safeguarding/escalation.h"

#include <gtest/gtest.h>

#include "plan_test_util.h"

namespace checkin {
namespace {

using std::chrono::minutes;
using testing::T;

std::vector<std::string> Contacts(const std::vector<AlertStep>& steps) {
  std::vector<std::string> out;
  for (const AlertStep& s : steps) out.push_back(s.contact);
  return out;
}

TEST(Escalation, ContactsAreGroupFirstThenConfigElseCoordinator) {
  EXPECT_EQ(SafeguardingContacts("+441", {"+442", "+441", "+443"}, "+449"),
            (std::vector<std::string>{"+441", "+442", "+443"}));
  EXPECT_EQ(SafeguardingContacts("", {"+442"}, "+449"), (std::vector<std::string>{"+442"}));
  EXPECT_EQ(SafeguardingContacts("", {}, "+449"), (std::vector<std::string>{"+449"}));
  EXPECT_TRUE(SafeguardingContacts("", {}, "").empty());
}

TEST(Escalation, FirstContactAtOnceThenOnePerInterval) {
  const Instant raised = T("2026-12-02T03:10:00Z");  // the middle of the night: no quiet hours here
  const std::vector<std::string> c = {"+441", "+442", "+443"};
  EXPECT_EQ(Contacts(DueAlertSteps(raised, c, minutes(15), raised)), (std::vector<std::string>{"+441"}));
  EXPECT_EQ(Contacts(DueAlertSteps(raised, c, minutes(15), raised + minutes(14))), (std::vector<std::string>{"+441"}));
  EXPECT_EQ(Contacts(DueAlertSteps(raised, c, minutes(15), raised + minutes(15))),
            (std::vector<std::string>{"+441", "+442"}));
  const auto steps = DueAlertSteps(raised, c, minutes(15), raised + minutes(31));
  ASSERT_EQ(steps.size(), 3u);
  EXPECT_EQ(steps[2].step, 2);
  EXPECT_EQ(steps[2].due, raised + minutes(30));
  EXPECT_EQ(NextAlertAt(raised, c.size(), minutes(15), raised + minutes(31)), raised + minutes(45));
}

TEST(Escalation, LastStepRepeatsAtMostSixTimes) {
  const Instant raised = T("2026-12-02T10:00:00Z");
  const std::vector<std::string> c = {"+441", "+442"};
  const auto all = DueAlertSteps(raised, c, minutes(15), raised + std::chrono::hours(24));
  EXPECT_EQ(Contacts(all), (std::vector<std::string>{"+441", "+442", "+442", "+442", "+442", "+442", "+442",
                                                      "+442"}));
  EXPECT_EQ(all.back().step, 7);
  EXPECT_EQ(NextAlertAt(raised, c.size(), minutes(15), raised + std::chrono::hours(24)), std::nullopt);
  EXPECT_EQ(NextAlertAt(raised, c.size(), minutes(15), raised + minutes(100)), raised + minutes(105));
}

TEST(Escalation, NobodyToAlert) {
  const Instant raised = T("2026-12-02T10:00:00Z");
  EXPECT_TRUE(DueAlertSteps(raised, {}, minutes(15), raised + minutes(60)).empty());
  EXPECT_EQ(NextAlertAt(raised, 0, minutes(15), raised), std::nullopt);
}

}  // namespace
}  // namespace checkin
