// Recurring schedules: libical expansion in the schedule's zone, exdates,
// UNTIL/COUNT, window bounds, stable ids, refusal of bad fields, and the
// bounds that keep a runaway rule cheap.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "plan_test_util.h"
#include "schema/recurrence.h"
#include "test_util.h"

namespace checkin {
namespace {

using std::chrono::hours;
using testing::Show;
using testing::T;

Schedule Weekly(const std::string& rrule = "FREQ=WEEKLY;BYDAY=TU", const std::string& dtstart = "2026-09-01T10:00") {
  Schedule s;
  s.id = "tuesday-massage";
  s.group_id = "walkerburn";
  s.rrule = rrule;
  s.dtstart_local = dtstart;
  s.timezone = "Europe/London";
  return s;
}

Group Walkerburn() {
  Group g;
  g.id = "walkerburn";
  g.name = "Baby massage";
  g.venue = "Walkerburn hall";
  g.timezone = "Europe/London";
  return g;
}

// "id start" per occurrence, one per line.
std::string Describe(const std::vector<Session>& sessions) {
  std::string out;
  for (const Session& s : sessions) out += s.id + " " + Show(s.starts_at) + "\n";
  return out;
}

std::string Expand(const Schedule& s, const char* from, const char* to, size_t max = 1000) {
  Result<std::vector<Session>> r = ExpandSchedule(s, Walkerburn(), T(from), T(to), max);
  if (!r.ok()) return r.status().ToString();
  return Describe(*r);
}

TEST(Recurrence, ExpandsInLocalWallTime) {
  struct Case {
    const char* name;
    Schedule schedule;
    const char* from;
    const char* to;
    std::string want;
  };
  Schedule with_exdate = Weekly();
  with_exdate.exdates = {"2026-10-20"};
  Schedule new_york = Weekly("FREQ=WEEKLY;BYDAY=SA", "2026-10-31T10:00");
  new_york.timezone = "America/New_York";
  const Case cases[] = {
      {"weekly tuesday 10:00 stays 10:00 local across 2026-10-25", Weekly(), "2026-10-13T00:00:00Z",
       "2026-11-04T00:00:00Z",
       "tuesday-massage@20261013T1000 2026-10-13T09:00:00Z\n"
       "tuesday-massage@20261020T1000 2026-10-20T09:00:00Z\n"
       "tuesday-massage@20261027T1000 2026-10-27T10:00:00Z\n"
       "tuesday-massage@20261103T1000 2026-11-03T10:00:00Z\n"},
      {"exdate skipped", with_exdate, "2026-10-13T00:00:00Z", "2026-10-28T00:00:00Z",
       "tuesday-massage@20261013T1000 2026-10-13T09:00:00Z\n"
       "tuesday-massage@20261027T1000 2026-10-27T10:00:00Z\n"},
      {"from is inclusive, to is exclusive", Weekly(), "2026-10-13T09:00:00Z", "2026-10-27T10:00:00Z",
       "tuesday-massage@20261013T1000 2026-10-13T09:00:00Z\n"
       "tuesday-massage@20261020T1000 2026-10-20T09:00:00Z\n"},
      {"window before dtstart: nothing", Weekly(), "2026-08-01T00:00:00Z", "2026-09-01T09:00:00Z", ""},
      {"empty window: nothing", Weekly(), "2026-10-13T00:00:00Z", "2026-10-13T00:00:00Z", ""},
      {"COUNT=3", Weekly("FREQ=WEEKLY;BYDAY=TU;COUNT=3"), "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z",
       "tuesday-massage@20260901T1000 2026-09-01T09:00:00Z\n"
       "tuesday-massage@20260908T1000 2026-09-08T09:00:00Z\n"
       "tuesday-massage@20260915T1000 2026-09-15T09:00:00Z\n"},
      {"COUNT counts from dtstart, not from the window", Weekly("FREQ=WEEKLY;BYDAY=TU;COUNT=3"),
       "2026-09-10T00:00:00Z", "2027-01-01T00:00:00Z", "tuesday-massage@20260915T1000 2026-09-15T09:00:00Z\n"},
      {"UNTIL floating local time is inclusive", Weekly("FREQ=WEEKLY;BYDAY=TU;UNTIL=20260915T100000"),
       "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z",
       "tuesday-massage@20260901T1000 2026-09-01T09:00:00Z\n"
       "tuesday-massage@20260908T1000 2026-09-08T09:00:00Z\n"
       "tuesday-massage@20260915T1000 2026-09-15T09:00:00Z\n"},
      {"UNTIL in UTC compared as an instant (10:00 BST == 09:00Z)",
       Weekly("FREQ=WEEKLY;BYDAY=TU;UNTIL=20260915T090000Z"), "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z",
       "tuesday-massage@20260901T1000 2026-09-01T09:00:00Z\n"
       "tuesday-massage@20260908T1000 2026-09-08T09:00:00Z\n"
       "tuesday-massage@20260915T1000 2026-09-15T09:00:00Z\n"},
      {"UNTIL in UTC one second earlier", Weekly("FREQ=WEEKLY;BYDAY=TU;UNTIL=20260915T085959Z"),
       "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z",
       "tuesday-massage@20260901T1000 2026-09-01T09:00:00Z\n"
       "tuesday-massage@20260908T1000 2026-09-08T09:00:00Z\n"},
      {"daily 01:30 through the spring gap", Weekly("FREQ=DAILY", "2026-03-28T01:30"), "2026-03-27T00:00:00Z",
       "2026-03-31T00:00:00Z",
       "tuesday-massage@20260328T0130 2026-03-28T01:30:00Z\n"
       "tuesday-massage@20260329T0130 2026-03-29T01:30:00Z\n"
       "tuesday-massage@20260330T0130 2026-03-30T00:30:00Z\n"},
      {"dtstart with seconds accepted", Weekly("FREQ=WEEKLY;BYDAY=TU;COUNT=1", "2026-09-01T10:00:00"),
       "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z", "tuesday-massage@20260901T1000 2026-09-01T09:00:00Z\n"},
      {"monthly first tuesday", Weekly("FREQ=MONTHLY;BYDAY=1TU", "2026-09-01T10:00"), "2026-09-02T00:00:00Z",
       "2026-12-02T00:00:00Z",
       "tuesday-massage@20261006T1000 2026-10-06T09:00:00Z\n"
       "tuesday-massage@20261103T1000 2026-11-03T10:00:00Z\n"
       "tuesday-massage@20261201T1000 2026-12-01T10:00:00Z\n"},
      {"new york saturday across 2026-11-01", new_york, "2026-10-30T00:00:00Z", "2026-11-08T00:00:00Z",
       "tuesday-massage@20261031T1000 2026-10-31T14:00:00Z\n"
       "tuesday-massage@20261107T1000 2026-11-07T15:00:00Z\n"},
  };
  for (const Case& c : cases) EXPECT_EQ(Expand(c.schedule, c.from, c.to), c.want) << c.name;
}

TEST(Recurrence, OccurrencesCarryGroupFields) {
  Result<std::vector<Session>> r =
      ExpandSchedule(Weekly(), Walkerburn(), T("2026-09-01T00:00:00Z"), T("2026-09-02T00:00:00Z"));
  ASSERT_OK(r);
  ASSERT_EQ(r->size(), 1u);
  const Session& s = r->front();
  EXPECT_EQ(s.id, "tuesday-massage@20260901T1000");
  EXPECT_EQ(s.group_id, "walkerburn");
  EXPECT_EQ(s.title, "Baby massage");
  EXPECT_EQ(s.venue, "Walkerburn hall");
  EXPECT_EQ(Show(s.starts_at), "2026-09-01T09:00:00Z");
  EXPECT_EQ(Show(s.ends_at), "2026-09-01T11:00:00Z");
  EXPECT_EQ(s.schedule_id, "tuesday-massage");
  EXPECT_FALSE(s.cancelled);
}

TEST(Recurrence, RepeatedExpansionGivesSameIds) {
  const std::string first = Expand(Weekly(), "2026-09-01T00:00:00Z", "2026-12-31T00:00:00Z");
  const std::string again = Expand(Weekly(), "2026-09-01T00:00:00Z", "2026-12-31T00:00:00Z");
  EXPECT_EQ(first, again);
  // A later window that overlaps names the shared occurrences the same way.
  const std::string later = Expand(Weekly(), "2026-12-01T00:00:00Z", "2027-01-01T00:00:00Z");
  EXPECT_NE(first.find("tuesday-massage@20261201T1000 2026-12-01T10:00:00Z"), std::string::npos);
  EXPECT_EQ(later.rfind("tuesday-massage@20261201T1000 2026-12-01T10:00:00Z", 0), 0u) << later;
  EXPECT_EQ(OccurrenceId("tuesday-massage", 2026, 12, 1, 10 * 60), "tuesday-massage@20261201T1000");
  EXPECT_EQ(OccurrenceId("x", 2026, 3, 9, 7 * 60 + 5), "x@20260309T0705");
}

TEST(Recurrence, OccurrenceIdsCarryTheirLocalStartReadAsUtc) {
  struct Case {
    const char* id;
    const char* want;  // "" for none
  };
  const Case cases[] = {
      {"tuesday-massage@20261201T1000", "2026-12-01T10:00:00Z"},
      {"x@20260309T0705", "2026-03-09T07:05:00Z"},
      {"a@b@20260309T0705", "2026-03-09T07:05:00Z"},  // the last '@' counts
      {"one-off-session", ""},
      {"x@2026120T1000", ""},
      {"x@20261201 1000", ""},
      {"x@20261301T1000", ""},      // no month 13
      {"x@20260230T1000", ""},      // no 30 February
      {"x@20261201T1000-b", ""},    // not what OccurrenceId writes
      {"x@", ""},
  };
  for (const Case& c : cases) {
    const std::optional<Instant> got = ApproximateOccurrenceStart(c.id);
    if (*c.want == '\0') {
      EXPECT_FALSE(got.has_value()) << c.id << ": " << Show(*got);
    } else {
      ASSERT_TRUE(got.has_value()) << c.id;
      EXPECT_EQ(*got, T(c.want)) << c.id;
    }
  }
  // Made by OccurrenceId, read back.
  EXPECT_EQ(ApproximateOccurrenceStart(OccurrenceId("s", 2026, 12, 1, 23 * 60 + 59)), T("2026-12-01T23:59:00Z"));
}

TEST(Recurrence, BadFieldsAreRefusedByName) {
  struct Case {
    const char* name;
    Schedule schedule;
    const char* field;
  };
  Schedule bad_zone = Weekly();
  bad_zone.timezone = "Europe/Walkerburn";
  Schedule no_zone = Weekly();
  no_zone.timezone = "";
  Schedule bad_exdate = Weekly();
  bad_exdate.exdates = {"2026-13-01"};
  const Case cases[] = {
      {"rrule garbage", Weekly("garbage"), "'rrule'"},
      {"rrule empty", Weekly(""), "'rrule'"},
      {"rrule bad weekday", Weekly("FREQ=WEEKLY;BYDAY=XX"), "'rrule'"},
      {"rrule with RRULE: prefix", Weekly("RRULE:FREQ=WEEKLY"), "'rrule'"},
      {"rrule COUNT and UNTIL together", Weekly("FREQ=DAILY;COUNT=3;UNTIL=20261201"), "'rrule'"},
      {"rrule secondly", Weekly("FREQ=SECONDLY"), "'rrule'"},
      {"rrule that never occurs", Weekly("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"), "'rrule'"},
      {"dtstart date only", Weekly("FREQ=WEEKLY", "2026-09-01"), "'dtstart'"},
      {"dtstart with space", Weekly("FREQ=WEEKLY", "2026-09-01 10:00"), "'dtstart'"},
      {"dtstart 30 February", Weekly("FREQ=WEEKLY", "2026-02-30T10:00"), "'dtstart'"},
      {"dtstart hour 25", Weekly("FREQ=WEEKLY", "2026-09-01T25:00"), "'dtstart'"},
      {"dtstart with offset", Weekly("FREQ=WEEKLY", "2026-09-01T10:00+01:00"), "'dtstart'"},
      {"dtstart empty", Weekly("FREQ=WEEKLY", ""), "'dtstart'"},
      {"unknown zone", bad_zone, "'timezone'"},
      {"unresolved zone", no_zone, "'timezone'"},
      {"bad exdate", bad_exdate, "'exdates'"},
  };
  for (const Case& c : cases) {
    Result<std::vector<Session>> r =
        ExpandSchedule(c.schedule, Walkerburn(), T("2026-09-01T00:00:00Z"), T("2026-12-01T00:00:00Z"));
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_TRUE(r.status().IsInvalidArgument()) << c.name << ": " << r.status().ToString();
    EXPECT_NE(r.status().message().find(c.field), std::string::npos) << c.name << ": " << r.status().ToString();
  }
}

TEST(Recurrence, ExpansionIsBounded) {
  // A minutely rule inside the window: max_occurrences caps the result.
  Result<std::vector<Session>> capped = ExpandSchedule(Weekly("FREQ=MINUTELY", "2026-09-01T10:00"), Walkerburn(),
                                                       T("2026-09-01T00:00:00Z"), T("2026-09-08T00:00:00Z"), 50);
  ASSERT_OK(capped);
  ASSERT_EQ(capped->size(), 50u);
  EXPECT_EQ(capped->front().id, "tuesday-massage@20260901T1000");
  EXPECT_EQ(capped->back().id, "tuesday-massage@20260901T1049");

  Result<std::vector<Session>> none = ExpandSchedule(Weekly(), Walkerburn(), T("2026-09-01T00:00:00Z"),
                                                     T("2026-12-01T00:00:00Z"), 0);
  ASSERT_OK(none);
  EXPECT_TRUE(none->empty());

  // Minutely since 2020: far too many candidates before the window. Refused
  // (naming the rrule) after a bounded walk instead of spinning.
  Result<std::vector<Session>> runaway = ExpandSchedule(Weekly("FREQ=MINUTELY", "2020-01-01T00:00"), Walkerburn(),
                                                        T("2026-09-01T00:00:00Z"), T("2026-09-02T00:00:00Z"));
  ASSERT_FALSE(runaway.ok());
  EXPECT_NE(runaway.status().message().find("'rrule'"), std::string::npos) << runaway.status().ToString();

  // Hourly with a window a day long stops at the window's end.
  Result<std::vector<Session>> hourly = ExpandSchedule(Weekly("FREQ=HOURLY", "2026-09-01T00:00"), Walkerburn(),
                                                       T("2026-09-01T00:00:00Z"), T("2026-09-02T00:00:00Z"));
  ASSERT_OK(hourly);
  EXPECT_EQ(hourly->size(), 24u);
}

// Found by the fuzzer: a rule whose filters never pass used to walk inside
// libical to the year 2582 in one call (minutes when FREQ is MINUTELY). The
// walk now ends with the window: no sessions, no error.
TEST(Recurrence, ARuleThatNeverMatchesEndsWithTheWindow) {
  for (const char* rrule : {"FREQ=MINUTELY;BYMONTH=2;BYMONTHDAY=30", "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
                            "FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30;COUNT=3"}) {
    Result<std::vector<Session>> none = ExpandSchedule(Weekly(rrule, "2026-09-01T10:00"), Walkerburn(),
                                                       T("2026-09-01T00:00:00Z"), T("2026-09-08T00:00:00Z"));
    ASSERT_OK(none) << rrule;
    EXPECT_TRUE(none->empty()) << rrule;
  }
  // UNTIL and COUNT still end a rule inside the window.
  Result<std::vector<Session>> counted = ExpandSchedule(Weekly("FREQ=WEEKLY;BYDAY=TU;COUNT=3", "2026-09-01T10:00"),
                                                        Walkerburn(), T("2026-09-01T00:00:00Z"),
                                                        T("2026-12-01T00:00:00Z"));
  ASSERT_OK(counted);
  EXPECT_EQ(counted->size(), 3u);
  Result<std::vector<Session>> until = ExpandSchedule(
      Weekly("FREQ=WEEKLY;BYDAY=TU;UNTIL=20260915T100000", "2026-09-01T10:00"), Walkerburn(),
      T("2026-09-01T00:00:00Z"), T("2026-12-01T00:00:00Z"));
  ASSERT_OK(until);
  EXPECT_EQ(until->size(), 3u);
}

// Found by the fuzzer: libical walks BYHOUR, BYMINUTE and BYSECOND in the
// order written and repeats a value written twice (a trailing comma reads as
// a 0), and repeats a BYDAY written twice. Occurrences come in order, once.
TEST(Recurrence, ListsInAnyOrderOrWithRepeatsGiveEachOccurrenceOnceInOrder) {
  const auto starts = [](const std::string& rrule) {
    Result<std::vector<Session>> r = ExpandSchedule(Weekly(rrule, "2026-09-01T10:00"), Walkerburn(),
                                                    T("2026-09-02T00:00:00Z"), T("2026-09-03T00:00:00Z"));
    std::vector<std::string> out;
    if (!r.ok()) return std::vector<std::string>{r.status().ToString()};
    for (const Session& s : *r) out.push_back(s.id.substr(s.id.find('@') + 1));
    return out;
  };
  // 2 September 2026, BST: the window is 01:00 on the 2nd to 01:00 on the 3rd, local.
  const std::vector<std::string> two_and_four = {"20260902T0200", "20260902T0400", "20260903T0000"};
  EXPECT_EQ(starts("FREQ=DAILY;BYHOUR=4,2,0"), two_and_four);
  EXPECT_EQ(starts("FREQ=DAILY;BYHOUR=0,2,4,0,2"), two_and_four);
  EXPECT_EQ(starts("FREQ=DAILY;BYHOUR=0,2,4,"), two_and_four);
  EXPECT_EQ(starts("FREQ=DAILY;BYHOUR=9;BYMINUTE=30,0,30"),
            (std::vector<std::string>{"20260902T0900", "20260902T0930"}));
  EXPECT_EQ(starts("FREQ=WEEKLY;BYDAY=WE,TU,WE"), (std::vector<std::string>{"20260902T1000"}));

  Result<std::vector<Session>> nul = ExpandSchedule(Weekly(std::string("FREQ=DAILY\0;BYHOUR=9", 20)), Walkerburn(),
                                                    T("2026-09-02T00:00:00Z"), T("2026-09-03T00:00:00Z"));
  ASSERT_FALSE(nul.ok());
  EXPECT_NE(nul.status().message().find("field 'rrule' holds a NUL byte"), std::string::npos)
      << nul.status().ToString();
}

// Times of day multiply: every minute of every day since 2020 is millions
// of candidates before the window even starts. Refused, naming the rrule.
TEST(Recurrence, TooManyCandidateTimesAreRefused) {
  std::string minutes = "FREQ=DAILY;BYHOUR=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23;BYMINUTE=0";
  for (int m = 1; m < 60; ++m) minutes += "," + std::to_string(m);
  Result<std::vector<Session>> refused = ExpandSchedule(Weekly(minutes, "2020-01-01T00:00"), Walkerburn(),
                                                        T("2026-09-01T00:00:00Z"), T("2026-09-02T00:00:00Z"));
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("field 'rrule'"), std::string::npos) << refused.status().ToString();
  EXPECT_NE(refused.status().message().find("BYMINUTE"), std::string::npos) << refused.status().ToString();

  // The same rule starting the day before the window is fine (the first 60
  // minutes of it, max_occurrences).
  Result<std::vector<Session>> recent = ExpandSchedule(Weekly(minutes, "2026-08-31T00:00"), Walkerburn(),
                                                       T("2026-09-01T00:00:00Z"), T("2026-09-02T00:00:00Z"), 60);
  ASSERT_OK(recent);
  EXPECT_EQ(recent->size(), 60u);
}

}  // namespace
}  // namespace checkin
