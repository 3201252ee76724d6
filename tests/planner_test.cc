// Planner, part 1: when one session's texts are planned. Local-to-instant
// conversion (DST gap and repeat), send rules across DST changes in several
// zones, quiet hours, collapsing and dropping. Part 2 (Plan, the overdue rule,
// job ids) is in planner_plan_test.cc. Tables print the failing case.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "plan_test_util.h"
#include "plan/planner.h"
#include "time/zone.h"

namespace checkin {
namespace {

using std::chrono::minutes;
using testing::Show;
using testing::T;
using testing::Zone;

SendRule DayBeforeAt(int hour, int minute) {
  SendRule r;
  r.kind = SendRule::Kind::kDayBeforeAt;
  r.minute_of_day = hour * 60 + minute;
  return r;
}

SendRule HoursBefore(minutes before) {
  SendRule r;
  r.kind = SendRule::Kind::kHoursBefore;
  r.before = before;
  return r;
}

QuietHours Quiet(int start_hour, int start_minute, int end_hour, int end_minute) {
  return QuietHours{start_hour * 60 + start_minute, end_hour * 60 + end_minute};
}

TEST(Planner, LocalToInstantHandlesGapAndRepeat) {
  struct Case {
    const char* name;
    const char* zone;
    int y;
    unsigned m, d;
    int minute_of_day;
    const char* want;
  };
  const Case cases[] = {
      {"london winter", "Europe/London", 2026, 1, 15, 18 * 60, "2026-01-15T18:00:00Z"},
      {"london summer", "Europe/London", 2026, 7, 15, 18 * 60, "2026-07-15T17:00:00Z"},
      {"london gap 01:30 moves forward to 02:30 BST", "Europe/London", 2026, 3, 29, 90, "2026-03-29T01:30:00Z"},
      {"london just after gap 02:00 BST", "Europe/London", 2026, 3, 29, 120, "2026-03-29T01:00:00Z"},
      {"london repeat 01:30 takes first (BST)", "Europe/London", 2026, 10, 25, 90, "2026-10-25T00:30:00Z"},
      {"london after repeat 02:00 GMT", "Europe/London", 2026, 10, 25, 120, "2026-10-25T02:00:00Z"},
      {"new york gap 02:30 -> 03:30 EDT", "America/New_York", 2026, 3, 8, 150, "2026-03-08T07:30:00Z"},
      {"new york repeat 01:30 takes EDT", "America/New_York", 2026, 11, 1, 90, "2026-11-01T05:30:00Z"},
      {"karachi no dst", "Asia/Karachi", 2026, 3, 29, 90, "2026-03-28T20:30:00Z"},
      {"karachi summer", "Asia/Karachi", 2026, 7, 1, 18 * 60, "2026-07-01T13:00:00Z"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Show(LocalToInstant(Zone(c.zone), c.y, c.m, c.d, c.minute_of_day)), c.want) << c.name;
  }
}

// Send times of one session, no quiet hours: day_before_at is local wall time
// on the previous local day, hours_before is exact elapsed time.
TEST(Planner, SendTimesFollowLocalCalendarAcrossDst) {
  struct Case {
    const char* name;
    const char* zone;
    const char* starts_at;
    SendRule rule;
    const char* want;  // "" when nothing is planned
  };
  const Case cases[] = {
      // Europe/London: 2026-03-29 01:00Z clocks go 01:00 GMT -> 02:00 BST (23 h day);
      // 2026-10-25 01:00Z clocks go 02:00 BST -> 01:00 GMT (25 h day).
      {"london monday after spring change", "Europe/London", "2026-03-30T09:00:00Z", DayBeforeAt(18, 0),
       "2026-03-29T17:00:00Z"},
      {"london session on spring change day", "Europe/London", "2026-03-29T09:00:00Z", DayBeforeAt(18, 0),
       "2026-03-28T18:00:00Z"},
      {"london monday after autumn change", "Europe/London", "2026-10-26T10:00:00Z", DayBeforeAt(18, 0),
       "2026-10-25T18:00:00Z"},
      {"london session on autumn change day", "Europe/London", "2026-10-25T10:00:00Z", DayBeforeAt(18, 0),
       "2026-10-24T17:00:00Z"},
      {"london hours_before 12 across spring change is 12 elapsed hours", "Europe/London",
       "2026-03-29T09:00:00Z", HoursBefore(minutes(12 * 60)), "2026-03-28T21:00:00Z"},
      {"london hours_before 12 across autumn change is 12 elapsed hours", "Europe/London",
       "2026-10-25T10:00:00Z", HoursBefore(minutes(12 * 60)), "2026-10-24T22:00:00Z"},
      {"london hours_before 1.5", "Europe/London", "2026-06-02T09:00:00Z", HoursBefore(minutes(90)),
       "2026-06-02T07:30:00Z"},
      {"london day_before_at 01:30 in the gap moves to 02:30 BST", "Europe/London", "2026-03-30T09:00:00Z",
       DayBeforeAt(1, 30), "2026-03-29T01:30:00Z"},
      {"london day_before_at 01:30 in the repeated hour takes BST", "Europe/London", "2026-10-26T10:00:00Z",
       DayBeforeAt(1, 30), "2026-10-25T00:30:00Z"},
      {"london session 00:30 BST: previous local day, not UTC day", "Europe/London", "2026-06-01T23:30:00Z",
       DayBeforeAt(18, 0), "2026-06-01T17:00:00Z"},
      // America/New_York: 2026-03-08 02:00 EST -> 03:00 EDT; 2026-11-01 02:00 EDT -> 01:00 EST.
      {"new york monday after spring change", "America/New_York", "2026-03-09T14:00:00Z", DayBeforeAt(18, 0),
       "2026-03-08T22:00:00Z"},
      {"new york session on spring change day", "America/New_York", "2026-03-08T14:00:00Z", DayBeforeAt(18, 0),
       "2026-03-07T23:00:00Z"},
      {"new york monday after autumn change", "America/New_York", "2026-11-02T15:00:00Z", DayBeforeAt(18, 0),
       "2026-11-01T23:00:00Z"},
      {"new york session on autumn change day", "America/New_York", "2026-11-01T15:00:00Z", DayBeforeAt(18, 0),
       "2026-10-31T22:00:00Z"},
      {"new york hours_before 12 across spring change", "America/New_York", "2026-03-08T14:00:00Z",
       HoursBefore(minutes(12 * 60)), "2026-03-08T02:00:00Z"},
      // Asia/Karachi: UTC+5 all year.
      {"karachi day before", "Asia/Karachi", "2026-03-30T05:00:00Z", DayBeforeAt(18, 0), "2026-03-29T13:00:00Z"},
      {"karachi session 02:00 local is previous UTC day", "Asia/Karachi", "2026-03-29T21:00:00Z",
       DayBeforeAt(18, 0), "2026-03-29T13:00:00Z"},
      // Dropped: at or after the start.
      {"hours_before 0 is at the start: dropped", "Europe/London", "2026-06-02T09:00:00Z",
       HoursBefore(minutes(0)), ""},
  };
  for (const Case& c : cases) {
    PlanRules rules;
    rules.send = {c.rule};
    const std::vector<Instant> got = PlannedSendTimes(T(c.starts_at), Zone(c.zone), rules);
    const std::vector<Instant> want = *c.want ? std::vector<Instant>{T(c.want)} : std::vector<Instant>{};
    EXPECT_EQ(Show(got), Show(want)) << c.name;
  }
}

TEST(Planner, QuietHoursMoveToEndElseStart) {
  struct Case {
    const char* name;
    QuietHours quiet;
    const char* t;
    const char* session;
    bool inside;
    const char* want;
  };
  const QuietHours night = Quiet(21, 0, 8, 0);
  const QuietHours lunch = Quiet(13, 0, 14, 0);
  const Case cases[] = {
      {"22:00 BST moves to 08:00 BST next day", night, "2026-06-01T21:00:00Z", "2026-06-02T09:00:00Z", true,
       "2026-06-02T07:00:00Z"},
      {"05:30 BST, session 07:30: to 21:00 BST the evening before", night, "2026-06-02T04:30:00Z",
       "2026-06-02T06:30:00Z", true, "2026-06-01T20:00:00Z"},
      {"21:00 exactly is quiet", night, "2026-06-01T20:00:00Z", "2026-06-02T09:00:00Z", true,
       "2026-06-02T07:00:00Z"},
      {"08:00 exactly is not quiet", night, "2026-06-02T07:00:00Z", "2026-06-02T09:00:00Z", false,
       "2026-06-02T07:00:00Z"},
      {"20:59 is not quiet", night, "2026-06-01T19:59:00Z", "2026-06-02T09:00:00Z", false, "2026-06-01T19:59:00Z"},
      {"end exactly at session start: start instead", night, "2026-06-02T04:30:00Z", "2026-06-02T07:00:00Z", true,
       "2026-06-01T20:00:00Z"},
      {"night spanning spring change: end 08:00 BST", night, "2026-03-29T02:00:00Z", "2026-03-29T09:00:00Z", true,
       "2026-03-29T07:00:00Z"},
      {"night spanning spring change: start 21:00 GMT", night, "2026-03-29T02:00:00Z", "2026-03-29T06:00:00Z", true,
       "2026-03-28T21:00:00Z"},
      {"night spanning autumn change: end 08:00 GMT", night, "2026-10-25T03:00:00Z", "2026-10-25T10:00:00Z", true,
       "2026-10-25T08:00:00Z"},
      {"night spanning autumn change: start 21:00 BST", night, "2026-10-25T03:00:00Z", "2026-10-25T07:30:00Z", true,
       "2026-10-24T20:00:00Z"},
      {"lunch 13:30 BST moves to 14:00 BST", lunch, "2026-06-02T12:30:00Z", "2026-06-02T14:00:00Z", true,
       "2026-06-02T13:00:00Z"},
      {"lunch 13:15 BST, session 13:45: to 13:00 BST", lunch, "2026-06-02T12:15:00Z", "2026-06-02T12:45:00Z", true,
       "2026-06-02T12:00:00Z"},
      {"lunch 12:59 BST is not quiet", lunch, "2026-06-02T11:59:00Z", "2026-06-02T14:00:00Z", false,
       "2026-06-02T11:59:00Z"},
      {"lunch 22:00 BST is not quiet", lunch, "2026-06-02T21:00:00Z", "2026-06-03T14:00:00Z", false,
       "2026-06-02T21:00:00Z"},
      {"start == end: no quiet hours", Quiet(8, 0, 8, 0), "2026-06-02T02:00:00Z", "2026-06-02T09:00:00Z", false,
       "2026-06-02T02:00:00Z"},
      {"end 01:30 in the spring gap resolves after t", Quiet(21, 0, 1, 30), "2026-03-29T00:45:00Z",
       "2026-03-29T09:00:00Z", true, "2026-03-29T01:30:00Z"},
      {"end 01:30 repeated, t in second pass: the later 01:30", Quiet(21, 0, 1, 30), "2026-10-25T01:10:00Z",
       "2026-10-25T10:00:00Z", true, "2026-10-25T01:30:00Z"},
  };
  const date::time_zone* london = Zone("Europe/London");
  for (const Case& c : cases) {
    EXPECT_EQ(InQuietHours(T(c.t), london, c.quiet), c.inside) << c.name;
    EXPECT_EQ(Show(ApplyQuietHours(T(c.t), T(c.session), london, c.quiet)), c.want) << c.name;
  }
}

// Whole rule sets: quiet hours applied, equal instants merged, sorted.
TEST(Planner, SendTimesAfterQuietHoursAreSortedAndUnique) {
  struct Case {
    const char* name;
    std::vector<SendRule> send;
    std::optional<QuietHours> quiet;
    const char* starts_at;
    std::vector<const char*> want;
  };
  const Case cases[] = {
      {"default rules, session 10:00 BST", {DayBeforeAt(18, 0), HoursBefore(minutes(120))}, Quiet(21, 0, 8, 0),
       "2026-06-02T09:00:00Z", {"2026-06-01T17:00:00Z", "2026-06-02T07:00:00Z"}},
      {"two rules inside quiet hours collapse to 08:00",
       {HoursBefore(minutes(180)), HoursBefore(minutes(240))}, Quiet(21, 0, 8, 0), "2026-06-02T09:00:00Z",
       {"2026-06-02T07:00:00Z"}},
      {"two rules on the same instant collapse", {DayBeforeAt(18, 0), HoursBefore(minutes(16 * 60))},
       std::nullopt, "2026-06-02T09:00:00Z", {"2026-06-01T17:00:00Z"}},
      {"session 07:30: 2 h before goes to 21:00 the evening before",
       {DayBeforeAt(18, 0), HoursBefore(minutes(120))}, Quiet(21, 0, 8, 0), "2026-06-02T06:30:00Z",
       {"2026-06-01T17:00:00Z", "2026-06-01T20:00:00Z"}},
      {"order of rules does not matter", {HoursBefore(minutes(120)), DayBeforeAt(18, 0)}, Quiet(21, 0, 8, 0),
       "2026-06-02T09:00:00Z", {"2026-06-01T17:00:00Z", "2026-06-02T07:00:00Z"}},
      {"at-start rule dropped, others kept", {HoursBefore(minutes(0)), DayBeforeAt(18, 0)}, Quiet(21, 0, 8, 0),
       "2026-06-02T09:00:00Z", {"2026-06-01T17:00:00Z"}},
      {"no rules, nothing planned", {}, Quiet(21, 0, 8, 0), "2026-06-02T09:00:00Z", {}},
  };
  const date::time_zone* london = Zone("Europe/London");
  for (const Case& c : cases) {
    PlanRules rules{c.send, c.quiet};
    std::vector<Instant> want;
    for (const char* w : c.want) want.push_back(T(w));
    EXPECT_EQ(Show(PlannedSendTimes(T(c.starts_at), london, rules)), Show(want)) << c.name;
  }
}

}  // namespace
}  // namespace checkin
