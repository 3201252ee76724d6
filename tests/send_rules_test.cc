// The send-time rules (plan/send_rules.h) as a table: each kind, each
// reason, and the order in which they are reported.
#include "plan/send_rules.h"

#include <gtest/gtest.h>

#include "plan_test_util.h"

namespace checkin {
namespace {

using B = SendBlock;
using testing::T;

struct Case {
  const char* name;
  JobKind kind;
  bool opted_out;
  bool cancelled;
  int moved_minutes;  // the session now starts this much later than planned
  int now_minutes;    // now, relative to the planned start (negative: before)
  std::optional<std::string> rsvp;
  bool with_member;
  std::vector<SendBlock> want;
};

TEST(SendRules, EachKindBlockedForItsReasons) {
  const Case cases[] = {
      {"reminder wanted", JobKind::kReminder, false, false, 0, -60, std::nullopt, true, {}},
      {"reminder after yes still goes", JobKind::kReminder, false, false, 0, -60, "yes", true, {}},
      {"reminder after no", JobKind::kReminder, false, false, 0, -60, "no", true, {B::kAnsweredNo}},
      {"reminder opted out", JobKind::kReminder, true, false, 0, -60, std::nullopt, true, {B::kOptedOut}},
      {"reminder cancelled", JobKind::kReminder, false, true, 0, -60, std::nullopt, true, {B::kSessionCancelled}},
      {"reminder moved", JobKind::kReminder, false, false, 30, -60, std::nullopt, true, {B::kSessionMoved}},
      {"reminder started", JobKind::kReminder, false, false, 0, 0, std::nullopt, true, {B::kSessionStarted}},
      {"reminder, every reason in order", JobKind::kReminder, true, true, 0, 5, "no", true,
       {B::kOptedOut, B::kSessionCancelled, B::kSessionStarted, B::kAnsweredNo}},
      {"follow-up wanted", JobKind::kFollowUp, false, false, 0, -60, std::nullopt, true, {}},
      {"follow-up after maybe", JobKind::kFollowUp, false, false, 0, -60, "maybe", true, {B::kAnswered}},
      {"follow-up after no", JobKind::kFollowUp, false, false, 0, -60, "no", true, {B::kAnswered}},
      {"cancellation wanted", JobKind::kCancelled, false, true, 0, -60, "yes", true, {}},
      {"cancellation, on again", JobKind::kCancelled, false, false, 0, -60, std::nullopt, true,
       {B::kSessionNotCancelled}},
      {"cancellation of a moved session still goes", JobKind::kCancelled, false, true, 30, -60, std::nullopt, true, {}},
      {"cancellation opted out", JobKind::kCancelled, true, true, 0, -60, std::nullopt, true, {B::kOptedOut}},
      {"digest wanted", JobKind::kDigest, false, false, 0, -60, std::nullopt, false, {}},
      {"digest cancelled", JobKind::kDigest, false, true, 0, -60, std::nullopt, false, {B::kSessionCancelled}},
      {"digest started", JobKind::kDigest, false, false, 0, 1, std::nullopt, false, {B::kSessionStarted}},
  };
  const Instant planned = T("2026-12-01T10:00:00Z");
  for (const Case& c : cases) {
    Member m;
    m.name = "Amy";
    m.opted_out = c.opted_out;
    Session s;
    s.starts_at = planned + std::chrono::minutes(c.moved_minutes);
    s.cancelled = c.cancelled;
    const SendCheck check{c.kind, &s, planned, c.with_member ? &m : nullptr, c.rsvp,
                          planned + std::chrono::minutes(c.now_minutes)};
    EXPECT_EQ(SendBlocks(check), c.want) << c.name;
  }
}

TEST(SendRules, ReasonsAreTheJobRecordsWords) {
  EXPECT_STREQ(SendBlockReason(B::kOptedOut), "member opted out");
  EXPECT_STREQ(SendBlockReason(B::kSessionMoved), "session moved; planned anew");
  EXPECT_STREQ(SendBlockReason(B::kAnswered), "member has answered");
}

}  // namespace
}  // namespace checkin
