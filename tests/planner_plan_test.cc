// Planner, part 2: Plan(now, sessions, rules). The overdue rule (missed send
// times collapse to one, due now or at the end of quiet hours), started
// sessions, superseded_at links, ordering and deterministic job ids.
//
// The common session: Tuesday 2026-06-02 10:00 BST (09:00Z) in
// Europe/London, rules day_before_at 18:00 + hours_before 2, quiet hours
// 21:00-08:00. Planned send times: Mon 18:00 BST (17:00Z) and Tue 08:00 BST
// (07:00Z; 08:00 is the end of quiet hours, so not inside them).
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "plan_test_util.h"
#include "plan/job_ids.h"
#include "plan/planner.h"

namespace checkin {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using testing::Show;
using testing::T;
using testing::Zone;

PlanRules DefaultRules() {
  PlanRules rules;
  SendRule day_before;
  day_before.kind = SendRule::Kind::kDayBeforeAt;
  day_before.minute_of_day = 18 * 60;
  SendRule two_hours;
  two_hours.kind = SendRule::Kind::kHoursBefore;
  two_hours.before = minutes(120);
  rules.send = {day_before, two_hours};
  rules.quiet_hours = QuietHours{21 * 60, 8 * 60};
  return rules;
}

SessionToPlan MakeSession(const std::string& id, const char* starts_at, std::vector<std::string> members = {"amy"}) {
  return SessionToPlan{id, T(starts_at), Zone("Europe/London"), std::move(members)};
}

// One line per reminder: "member planned_at due_at superseded_at".
std::string Describe(const std::vector<DueReminder>& plan) {
  std::string out;
  for (const DueReminder& r : plan) {
    out += r.session_id + " " + r.member_id + " planned=" + Show(r.planned_at) + " due=" + Show(r.due_at) +
           " next=" + Show(r.superseded_at) + "\n";
  }
  return out;
}

TEST(Planner, OverdueRemindersCollapseToOne) {
  struct Case {
    const char* name;
    const char* now;
    const char* session;
    std::string want;
  };
  const Case cases[] = {
      {"both in the future: two, linked", "2026-05-31T12:00:00Z", "2026-06-02T09:00:00Z",
       "s amy planned=2026-06-01T17:00:00Z due=2026-06-01T17:00:00Z next=2026-06-02T07:00:00Z\n"
       "s amy planned=2026-06-02T07:00:00Z due=2026-06-02T07:00:00Z next=none\n"},
      {"exactly at the first send time: it is due now", "2026-06-01T17:00:00Z", "2026-06-02T09:00:00Z",
       "s amy planned=2026-06-01T17:00:00Z due=2026-06-01T17:00:00Z next=2026-06-02T07:00:00Z\n"
       "s amy planned=2026-06-02T07:00:00Z due=2026-06-02T07:00:00Z next=none\n"},
      {"one passed, one future: due now + future", "2026-06-01T18:00:00Z", "2026-06-02T09:00:00Z",
       "s amy planned=2026-06-01T17:00:00Z due=2026-06-01T18:00:00Z next=2026-06-02T07:00:00Z\n"
       "s amy planned=2026-06-02T07:00:00Z due=2026-06-02T07:00:00Z next=none\n"},
      {"both passed: exactly one, the latest, due now", "2026-06-02T07:30:00Z", "2026-06-02T09:00:00Z",
       "s amy planned=2026-06-02T07:00:00Z due=2026-06-02T07:30:00Z next=none\n"},
      {"overdue during quiet hours: due at their end", "2026-06-01T22:00:00Z", "2026-06-02T09:00:00Z",
       "s amy planned=2026-06-01T17:00:00Z due=2026-06-02T07:00:00Z next=2026-06-02T07:00:00Z\n"
       "s amy planned=2026-06-02T07:00:00Z due=2026-06-02T07:00:00Z next=none\n"},
      // Session 07:30 BST: planned Mon 18:00 BST and (05:30 is quiet, 08:00 is
      // too late) Mon 21:00 BST. At 00:00 BST both passed; quiet ends after
      // the session, so the one reminder is due now.
      {"overdue in quiet hours ending after the session: due now", "2026-06-01T23:00:00Z", "2026-06-02T06:30:00Z",
       "s amy planned=2026-06-01T20:00:00Z due=2026-06-01T23:00:00Z next=none\n"},
      {"one second before the start: still one, due now", "2026-06-02T08:59:59Z", "2026-06-02T09:00:00Z",
       "s amy planned=2026-06-02T07:00:00Z due=2026-06-02T08:59:59Z next=none\n"},
      {"session started: nothing", "2026-06-02T09:00:00Z", "2026-06-02T09:00:00Z", ""},
      {"session long over: nothing", "2026-06-03T09:00:00Z", "2026-06-02T09:00:00Z", ""},
  };
  for (const Case& c : cases) {
    const std::vector<DueReminder> plan = Plan(T(c.now), {MakeSession("s", c.session)}, DefaultRules());
    EXPECT_EQ(Describe(plan), c.want) << c.name;
  }
}

TEST(Planner, OrderIsSessionThenMemberThenPlannedAt) {
  const std::vector<SessionToPlan> sessions = {
      MakeSession("b-session", "2026-06-02T09:00:00Z", {"zoe", "amy"}),
      MakeSession("a-session", "2026-06-03T09:00:00Z", {"kim"}),
  };
  const std::string want =
      "a-session kim planned=2026-06-02T17:00:00Z due=2026-06-02T17:00:00Z next=2026-06-03T07:00:00Z\n"
      "a-session kim planned=2026-06-03T07:00:00Z due=2026-06-03T07:00:00Z next=none\n"
      "b-session amy planned=2026-06-01T17:00:00Z due=2026-06-01T17:00:00Z next=2026-06-02T07:00:00Z\n"
      "b-session amy planned=2026-06-02T07:00:00Z due=2026-06-02T07:00:00Z next=none\n"
      "b-session zoe planned=2026-06-01T17:00:00Z due=2026-06-01T17:00:00Z next=2026-06-02T07:00:00Z\n"
      "b-session zoe planned=2026-06-02T07:00:00Z due=2026-06-02T07:00:00Z next=none\n";
  EXPECT_EQ(Describe(Plan(T("2026-05-31T12:00:00Z"), sessions, DefaultRules())), want);
}

TEST(Planner, PlanningIsIdempotent) {
  const std::vector<SessionToPlan> sessions = {MakeSession("s", "2026-06-02T09:00:00Z", {"amy", "beth"})};
  const std::vector<DueReminder> first = Plan(T("2026-05-31T12:00:00Z"), sessions, DefaultRules());
  const std::vector<DueReminder> again = Plan(T("2026-05-31T12:00:00Z"), sessions, DefaultRules());
  ASSERT_EQ(first.size(), 4u);
  ASSERT_EQ(again.size(), first.size());
  for (size_t i = 0; i < first.size(); ++i) {
    EXPECT_EQ(again[i].job_id, first[i].job_id) << "reminder " << i;
    EXPECT_EQ(first[i].job_id, JobId("s", first[i].member_id, T("2026-06-02T09:00:00Z"), first[i].planned_at))
        << "reminder " << i;
  }
  // A later tick (after the first send time) plans the same job for the
  // same planned time: the store sees a duplicate, not a new text.
  const std::vector<DueReminder> later = Plan(T("2026-06-01T19:00:00Z"), sessions, DefaultRules());
  ASSERT_EQ(later.size(), 4u);
  EXPECT_EQ(later[0].job_id, first[0].job_id);
  EXPECT_EQ(later[1].job_id, first[1].job_id);
}

TEST(Planner, JobIdsChangeWhenAnyFieldChanges) {
  const Instant start = T("2026-06-02T09:00:00Z");
  const Instant planned = T("2026-06-01T17:00:00Z");
  struct Case {
    const char* name;
    std::string id;
  };
  const Case cases[] = {
      {"base", JobId("s", "amy", start, planned)},
      {"session moved by an hour", JobId("s", "amy", start + hours(1), planned)},
      {"other planned time", JobId("s", "amy", start, planned + hours(1))},
      {"other member", JobId("s", "beth", start, planned)},
      {"other session", JobId("t", "amy", start, planned)},
      {"field boundary moved (ab|c)", JobId("sa", "my", start, planned)},
      {"field boundary moved (a|bc)", JobId("", "samy", start, planned)},
  };
  std::set<std::string> seen;
  for (const Case& c : cases) {
    EXPECT_EQ(c.id.size(), 32u) << c.name;
    EXPECT_EQ(c.id.find_first_not_of("0123456789abcdef"), std::string::npos) << c.name << ": " << c.id;
    EXPECT_TRUE(seen.insert(c.id).second) << c.name << " collides: " << c.id;
  }
}

// Ids already in a queue must keep matching what is planned again: these
// values were computed before job_ids.cc existed and must never change.
TEST(JobIds, ValuesNeverChange) {
  const Instant start = T("2026-06-02T09:00:00Z");
  const Instant planned = T("2026-06-01T17:00:00Z");
  struct Case {
    const char* name;
    std::string id;
    const char* want;
  };
  const Case cases[] = {
      {"reminder", JobId("s", "amy", start, planned), "67c56c475c07b714e49d62e682825505"},
      {"reminder by kind", JobIdFor(JobKind::kReminder, "s", "amy", start, planned),
       "67c56c475c07b714e49d62e682825505"},
      {"follow-up", JobIdFor(JobKind::kFollowUp, "s", "amy", start, planned), "9c8612c7f931e9646a9ffb0995306717"},
      {"digest", JobIdFor(JobKind::kDigest, "s", "", start, planned), "971f5900d034aa65b54cbd57c19310c3"},
      {"cancellation", CancellationJobId("s", "amy", start), "083e12f68d58aa25616fbe62058d6dcd"},
      {"forward", ForwardJobId("SM0123456789abcdef"), "0d0ad40cea9775130e802fc329558a10"},
  };
  for (const Case& c : cases) EXPECT_EQ(c.id, c.want) << c.name;
}

TEST(Planner, MovedSessionGetsNewJobIds) {
  const PlanRules rules = DefaultRules();
  const Instant now = T("2026-05-31T12:00:00Z");
  const std::vector<DueReminder> before = Plan(now, {MakeSession("s", "2026-06-02T09:00:00Z")}, rules);
  const std::vector<DueReminder> moved = Plan(now, {MakeSession("s", "2026-06-02T10:00:00Z")}, rules);
  ASSERT_EQ(before.size(), 2u);
  ASSERT_EQ(moved.size(), 2u);
  // The day-before time is the same instant, yet the job differs.
  EXPECT_EQ(before[0].planned_at, moved[0].planned_at);
  for (const DueReminder& a : before) {
    for (const DueReminder& b : moved) EXPECT_NE(a.job_id, b.job_id) << Show(a.planned_at);
  }
}

TEST(Planner, SessionsInOtherZones) {
  struct Case {
    const char* name;
    const char* zone;
    const char* starts_at;
    const char* now;
    std::vector<const char*> due;
  };
  // No quiet hours here: only the zone arithmetic is under test.
  const Case cases[] = {
      {"new york, day after spring change", "America/New_York", "2026-03-09T14:00:00Z", "2026-03-01T00:00:00Z",
       {"2026-03-08T22:00:00Z", "2026-03-09T12:00:00Z"}},
      {"new york, autumn change day", "America/New_York", "2026-11-01T15:00:00Z", "2026-10-20T00:00:00Z",
       {"2026-10-31T22:00:00Z", "2026-11-01T13:00:00Z"}},
      {"karachi", "Asia/Karachi", "2026-03-30T05:00:00Z", "2026-03-01T00:00:00Z",
       {"2026-03-29T13:00:00Z", "2026-03-30T03:00:00Z"}},
      {"karachi, both missed: one due now", "Asia/Karachi", "2026-03-30T05:00:00Z", "2026-03-30T04:00:00Z",
       {"2026-03-30T04:00:00Z"}},
  };
  PlanRules rules = DefaultRules();
  rules.quiet_hours.reset();
  for (const Case& c : cases) {
    const std::vector<DueReminder> plan = Plan(T(c.now), {{"s", T(c.starts_at), Zone(c.zone), {"amy"}}}, rules);
    std::vector<Instant> due;
    for (const DueReminder& r : plan) due.push_back(r.due_at);
    std::vector<Instant> want;
    for (const char* w : c.due) want.push_back(T(w));
    EXPECT_EQ(Show(due), Show(want)) << c.name;
  }
}

}  // namespace
}  // namespace checkin
