// The headcount digest, the follow-up and cancellation texts, end to end:
// a real redis-server, the Twilio stand-in, a ManualClock, one or two
// checkind Daemons; plus the pure planning of follow-ups and digests.
#include <thread>

#include <date/tz.h>

#include "daemon_fixture.h"
#include "plan/job_ids.h"
#include "plan/planner.h"

namespace checkin {
namespace {

constexpr const char* kCoordinator = "+447700900999";
constexpr const char* kStart = "2026-12-01T10:00:00Z";
const date::time_zone* London() { return date::locate_zone("Europe/London"); }
std::chrono::system_clock::time_point At(const char* rfc3339) { return std::chrono::system_clock::time_point(T(rfc3339)); }

// --- planning (pure) ---

TEST(CoordinatorPlan, ReminderIdsAreUnchangedAndKindsNeverShareAnId) {
  const Instant start = T(kStart);
  const Instant at = T("2026-12-01T08:00:00Z");
  EXPECT_EQ(JobIdFor(JobKind::kReminder, "s1", "amy", start, at), JobId("s1", "amy", start, at));
  EXPECT_NE(JobIdFor(JobKind::kFollowUp, "s1", "amy", start, at), JobId("s1", "amy", start, at));
  EXPECT_NE(JobIdFor(JobKind::kFollowUp, "s1", "amy", start, at), JobIdFor(JobKind::kCancelled, "s1", "amy", start, at));
  EXPECT_EQ(CancellationJobId("s1", "amy", start), CancellationJobId("s1", "amy", start));
  EXPECT_NE(CancellationJobId("s1", "amy", start), CancellationJobId("s1", "amy", start + std::chrono::hours(1)));
}

TEST(CoordinatorPlan, FollowUpJoinsTheMembersSendTimesAndTheOverdueRule) {
  const SessionToPlan s{"s1", T(kStart), London(), {"amy"}};
  PlanRules rules{{SendRule{SendRule::Kind::kHoursBefore, 0, std::chrono::minutes(120)}}, std::nullopt,
                  std::chrono::minutes(60)};
  auto planned = Plan(T("2026-12-01T07:00:00Z"), {s}, rules);
  ASSERT_EQ(planned.size(), 2u);
  EXPECT_EQ(planned[0].kind, JobKind::kReminder);
  EXPECT_EQ(planned[0].superseded_at, T("2026-12-01T09:00:00Z")) << "after an outage only the follow-up goes";
  EXPECT_EQ(planned[1].kind, JobKind::kFollowUp);
  EXPECT_EQ(planned[1].planned_at, T("2026-12-01T09:00:00Z"));
  EXPECT_EQ(planned[1].job_id, JobIdFor(JobKind::kFollowUp, "s1", "amy", T(kStart), T("2026-12-01T09:00:00Z")));

  // Both passed: one text, the latest (the follow-up), due now.
  planned = Plan(T("2026-12-01T09:30:00Z"), {s}, rules);
  ASSERT_EQ(planned.size(), 1u);
  EXPECT_EQ(planned[0].kind, JobKind::kFollowUp);
  EXPECT_EQ(planned[0].due_at, T("2026-12-01T09:30:00Z"));

  // A follow-up on a reminder's minute is that reminder.
  rules.follow_up_before = std::chrono::minutes(120);
  planned = Plan(T("2026-12-01T07:00:00Z"), {s}, rules);
  ASSERT_EQ(planned.size(), 1u);
  EXPECT_EQ(planned[0].kind, JobKind::kReminder);

  rules.follow_up_before = std::chrono::minutes(0);
  EXPECT_EQ(Plan(T("2026-12-01T07:00:00Z"), {s}, rules).size(), 1u) << "0: no follow-up";
}

TEST(CoordinatorPlan, DigestFollowsQuietHoursAndTheOverdueRule) {
  const std::vector<SessionToPlan> sessions = {{"s1", T(kStart), London(), {}}};
  const QuietHours quiet;  // 21:00-08:00
  struct Case {
    const char* name;
    const char* now;
    int before_minutes;
    const char* due;  // "" for none
  } cases[] = {
      {"3 h before, at 07:00 in quiet hours: at 08:00", "2026-11-30T12:00:00Z", 180, "2026-12-01T08:00:00Z"},
      {"1 h before: on time", "2026-11-30T12:00:00Z", 60, "2026-12-01T09:00:00Z"},
      {"passed, session not started: now", "2026-12-01T09:30:00Z", 60, "2026-12-01T09:30:00Z"},
      {"session started: none", "2026-12-01T10:00:00Z", 60, ""},
      {"0: off", "2026-11-30T12:00:00Z", 0, ""},
  };
  for (const Case& c : cases) {
    auto digests = PlanDigests(T(c.now), sessions, std::chrono::minutes(c.before_minutes), quiet);
    if (std::string(c.due).empty()) {
      EXPECT_TRUE(digests.empty()) << c.name;
      continue;
    }
    ASSERT_EQ(digests.size(), 1u) << c.name;
    EXPECT_EQ(digests[0].kind, JobKind::kDigest) << c.name;
    EXPECT_EQ(digests[0].member_id, "") << c.name;
    EXPECT_EQ(digests[0].due_at, T(c.due)) << c.name;
  }
}

// --- end to end ---

class CoordinatorJobsTest : public DaemonFixture {
 protected:
  void AddCoordinatedGroup(const std::vector<std::pair<std::string, std::string>>& members) {
    AddGroup("g", members);
    Cli({"HSET", p_ + "group:g", "coordinator_phone", "07700 900999"});
  }
  int TextsTo(const std::string& e164) const {
    auto texts = TextsByNumber();
    return texts.count(e164) ? texts.at(e164) : 0;
  }
  std::vector<std::string> BodiesTo(const std::string& e164) const {
    std::vector<std::string> out;
    for (const auto& m : standin_.Messages()) {
      if (m.to == e164) out.push_back(m.body);
    }
    return out;
  }
  FieldMap Job(Daemon& d, const std::string& id) {
    auto f = d.store().JobFields(id);
    EXPECT_OK(f);
    return f.ok() ? *f : FieldMap();
  }
  std::string Field(Daemon& d, const std::string& id, const std::string& field) {
    FieldMap f = Job(d, id);
    return f.count(field) ? f.at(field) : "(none)";
  }
  // Ticks both daemons at once, as two processes would.
  static void TickBoth(Daemon& a, Daemon& b) {
    std::thread ta([&] { a.scheduler().Tick(); });
    std::thread tb([&] { b.scheduler().Tick(); });
    ta.join();
    tb.join();
  }
};

TEST_F(CoordinatorJobsTest, DigestGoesOnceThreeHoursBeforeWithTheCountsAtThatTime) {
  AddCoordinatedGroup({{"amy", "07700 900001"}, {"bea", "07700 900002"}, {"cat", "07700 900003"},
                       {"dan", "07700 900004"}, {"eve", "07700 900005"}});
  Cli({"HSET", p_ + "member:eve", "opted_out", "1"});  // listed, not counted
  AddSession("s1", "g", "2026-12-01T10:00:00+00:00");
  clock_->Set(At("2026-12-01T06:59:00Z"));
  auto a = StartDaemon("a");
  auto b = StartDaemon("b");
  TickBoth(*a, *b);
  EXPECT_EQ(TextsTo(kCoordinator), 0) << "not before 07:00";
  // Answers after planning, before sending: the digest counts them.
  Cli({"HSET", p_ + "session:s1:rsvp", "amy", "yes", "bea", "yes", "cat", "maybe", "dan", "no"});
  clock_->Set(At("2026-12-01T07:00:00Z"));
  TickBoth(*a, *b);
  ASSERT_EQ(BodiesTo(kCoordinator), std::vector<std::string>{
                                        "Baby massage 10:00: 2 coming, 1 maybe, 1 not coming, 0 no answer"});
  for (int i = 0; i < 4; ++i) {
    clock_->Advance(std::chrono::seconds(31));  // past reminders.plan_interval: every tick plans again
    TickBoth(*a, *b);
  }
  auto again = StartDaemon("c");  // a restart plans again
  again->scheduler().Tick();
  EXPECT_EQ(TextsTo(kCoordinator), 1) << "one digest, however many daemons and passes";
  const std::string id = JobIdFor(JobKind::kDigest, "s1", "", T(kStart), T("2026-12-01T07:00:00Z"));
  EXPECT_EQ(Field(*a, id, "kind"), "digest");
  EXPECT_EQ(Field(*a, id, "state"), "sent");
}

TEST_F(CoordinatorJobsTest, DigestOnlyForGroupsWithACoordinatorPhoneAndWhenConfigured) {
  AddGroup("g", {{"amy", "07700 900001"}});
  AddSession("s1", "g", "2026-12-01T10:00:00+00:00");
  AddGroup("h", {{"bea", "07700 900002"}});
  Cli({"HSET", p_ + "group:h", "coordinator_phone", "+447700900998"});
  AddSession("s2", "h", "2026-12-01T11:00:00+00:00");
  clock_->Set(At("2026-12-01T05:00:00Z"));
  auto d = StartDaemon("d1");
  d->scheduler().Tick();
  const std::string without = JobIdFor(JobKind::kDigest, "s1", "", T(kStart), T("2026-12-01T07:00:00Z"));
  EXPECT_EQ(Field(*d, without, "state"), "(none)") << "no coordinator phone: not planned";
  const std::string with = JobIdFor(JobKind::kDigest, "s2", "", T("2026-12-01T11:00:00Z"), T("2026-12-01T08:00:00Z"));
  EXPECT_EQ(Field(*d, with, "state"), "pending");
  // The phone removed after planning: skipped at send time, with the reason.
  Cli({"HDEL", p_ + "group:h", "coordinator_phone"});
  clock_->Set(At("2026-12-01T08:00:00Z"));
  d->scheduler().Tick();
  EXPECT_EQ(Field(*d, with, "state"), "skipped");
  EXPECT_EQ(Field(*d, with, "reason"), "group has no coordinator phone");
  EXPECT_EQ(TextsTo("+447700900998"), 0);

  // digest_hours_before: 0 turns it off.
  auto off = StartDaemon("d2", MakeConfig(Yaml("quiet_hours: null\n  digest_hours_before: 0")));
  Cli({"HSET", p_ + "group:g", "coordinator_phone", "+447700900997"});
  off->scheduler().Tick();
  clock_->Set(At("2026-12-01T09:59:00Z"));
  off->scheduler().Tick();
  EXPECT_EQ(TextsTo("+447700900997"), 0);
}

TEST_F(CoordinatorJobsTest, FollowUpOnlyToMembersWhoHaveNotAnsweredAndOnlyWhenConfigured) {
  AddGroup("g", {{"amy", "07700 900001"}, {"bea", "07700 900002"}, {"cat", "07700 900003"}});
  AddSession("s1", "g", "2026-12-01T10:00:00+00:00");
  clock_->Set(At("2026-11-30T12:00:00Z"));
  auto d = StartDaemon("d1", MakeConfig(Yaml("quiet_hours: null\n  follow_up_hours_before: 1")));
  d->scheduler().Tick();
  clock_->Set(At("2026-11-30T18:00:00Z"));
  d->scheduler().Tick();
  EXPECT_EQ(standin_.Messages().size(), 3u) << "the day-before reminders";
  Cli({"HSET", p_ + "session:s1:rsvp", "amy", "yes", "bea", "maybe"});
  clock_->Set(At("2026-12-01T08:00:00Z"));
  d->scheduler().Tick();
  EXPECT_EQ(standin_.Messages().size(), 6u) << "the 2-hours-before reminders: a yes or maybe still gets one";
  clock_->Set(At("2026-12-01T09:00:00Z"));
  d->scheduler().Tick();
  d->scheduler().Tick();
  ASSERT_EQ(standin_.Messages().size(), 7u);
  EXPECT_EQ(standin_.Messages().back().to, "+447700900003");
  EXPECT_NE(standin_.Messages().back().body.find("just checking"), std::string::npos)
      << standin_.Messages().back().body;
  const Instant at = T("2026-12-01T09:00:00Z");
  EXPECT_EQ(Field(*d, JobIdFor(JobKind::kFollowUp, "s1", "amy", T(kStart), at), "reason"), "member has answered");
  EXPECT_EQ(Field(*d, JobIdFor(JobKind::kFollowUp, "s1", "bea", T(kStart), at), "reason"), "member has answered");
  EXPECT_EQ(Field(*d, JobIdFor(JobKind::kFollowUp, "s1", "cat", T(kStart), at), "kind"), "follow_up");

  // Without follow_up_hours_before (default 0) there is no follow-up.
  AddSession("s2", "g", "2026-12-02T10:00:00+00:00");
  auto plain = StartDaemon("d2");
  clock_->Set(At("2026-12-02T08:00:00Z"));
  plain->scheduler().Tick();
  const size_t after_reminders = standin_.Messages().size();
  clock_->Set(At("2026-12-02T09:00:00Z"));
  plain->scheduler().Tick();
  EXPECT_EQ(standin_.Messages().size(), after_reminders);
  EXPECT_EQ(Field(*plain, JobIdFor(JobKind::kFollowUp, "s2", "cat", T("2026-12-02T10:00:00Z"),
                                   T("2026-12-02T09:00:00Z")), "state"),
            "(none)");
}

TEST_F(CoordinatorJobsTest, NoStopsTheLaterReminderAndTheFollowUp) {
  AddGroup("g", {{"amy", "07700 900001"}});
  AddSession("s1", "g", "2026-12-01T10:00:00+00:00");
  clock_->Set(At("2026-11-30T18:00:00Z"));
  auto d = StartDaemon("d1", MakeConfig(Yaml("quiet_hours: null\n  follow_up_hours_before: 1")));
  d->scheduler().Tick();
  ASSERT_EQ(standin_.Messages().size(), 1u) << "the day-before reminder";
  Cli({"HSET", p_ + "session:s1:rsvp", "amy", "no"});
  clock_->Set(At("2026-12-01T08:00:00Z"));
  d->scheduler().Tick();
  clock_->Set(At("2026-12-01T09:00:00Z"));
  d->scheduler().Tick();
  EXPECT_EQ(standin_.Messages().size(), 1u) << "nothing after her no";
  EXPECT_EQ(Field(*d, JobId("s1", "amy", T(kStart), T("2026-12-01T08:00:00Z")), "reason"), "member answered no");
  EXPECT_EQ(Field(*d, JobIdFor(JobKind::kFollowUp, "s1", "amy", T(kStart), T("2026-12-01T09:00:00Z")), "reason"),
            "member has answered");
}

TEST_F(CoordinatorJobsTest, CancellationTextGoesOnceToMembersAlreadyRemindedOnly) {
  AddGroup("g", {{"amy", "07700 900001"}, {"bea", "07700 900002"}, {"cat", "07700 900003"}});
  Cli({"HSET", p_ + "session:s1:rsvp", "cat", "no"});  // at 18:00: not reminded
  AddSession("s1", "g", "2026-12-01T10:00:00+00:00");
  clock_->Set(At("2026-11-30T18:00:00Z"));
  auto a = StartDaemon("a");
  auto b = StartDaemon("b");
  TickBoth(*a, *b);
  ASSERT_EQ(standin_.Messages().size(), 2u) << "amy and bea reminded";
  Cli({"HSET", p_ + "session:s1:rsvp", "cat", "maybe"});  // her 08:00 reminder is still waiting
  Cli({"HSET", p_ + "session:s1", "status", "cancelled"});
  clock_->Set(At("2026-11-30T20:00:00Z"));
  TickBoth(*a, *b);
  for (int i = 0; i < 4; ++i) {
    clock_->Advance(std::chrono::seconds(31));
    TickBoth(*a, *b);
  }
  auto restarted = StartDaemon("c");
  restarted->scheduler().Tick();
  EXPECT_EQ(TextsTo("+447700900001"), 2) << "reminder, then one cancellation";
  EXPECT_EQ(TextsTo("+447700900002"), 2) << "reminder, then one cancellation";
  EXPECT_EQ(TextsTo("+447700900003"), 0) << "never reminded: no cancellation text";
  EXPECT_EQ(BodiesTo("+447700900001").back(),
            "Hi Mum amy, sorry, Baby massage tomorrow at 10:00 is cancelled. We hope to see you next time.");
  EXPECT_EQ(Field(*a, CancellationJobId("s1", "amy", T(kStart)), "kind"), "cancelled");
  // The pending 08:00 reminders were dropped at once, not left to send time.
  for (const char* m : {"amy", "bea", "cat"}) {
    const std::string id = JobId("s1", m, T(kStart), T("2026-12-01T08:00:00Z"));
    EXPECT_EQ(Field(*a, id, "state"), "skipped") << m;
    EXPECT_EQ(Field(*a, id, "reason"), "session cancelled") << m;
    EXPECT_EQ(redis_->Cli({"ZSCORE", p_ + "{jobs}:due", id}), "") << m << ": not in the queue";
  }
  clock_->Set(At("2026-12-01T08:00:00Z"));
  TickBoth(*a, *b);
  EXPECT_EQ(standin_.Messages().size(), 4u);
}

TEST_F(CoordinatorJobsTest, CancellationTextWaitsForTheEndOfQuietHours) {
  AddGroup("g", {{"amy", "07700 900001"}});
  AddSession("s1", "g", "2026-12-01T10:00:00+00:00");
  clock_->Set(At("2026-11-30T18:00:00Z"));
  auto d = StartDaemon("d1", MakeConfig(Yaml("quiet_hours: { start: \"21:00\", end: \"08:00\" }")));
  d->scheduler().Tick();
  ASSERT_EQ(standin_.Messages().size(), 1u);
  Cli({"HSET", p_ + "session:s1", "status", "cancelled"});
  clock_->Set(At("2026-11-30T22:00:00Z"));
  d->scheduler().Tick();
  EXPECT_EQ(standin_.Messages().size(), 1u) << "not at 22:00";
  EXPECT_EQ(Field(*d, CancellationJobId("s1", "amy", T(kStart)), "due_at"),
            std::to_string(T("2026-12-01T08:00:00Z").time_since_epoch().count()));
  clock_->Set(At("2026-12-01T08:00:00Z"));
  d->scheduler().Tick();
  EXPECT_EQ(standin_.Messages().size(), 2u);
}

TEST_F(CoordinatorJobsTest, UncancelledSessionIsRemindedAsPlanned) {
  AddGroup("g", {{"amy", "07700 900001"}, {"bea", "07700 900002"}});
  AddSession("s1", "g", "2026-12-01T10:00:00+00:00");
  clock_->Set(At("2026-11-30T12:00:00Z"));
  auto d = StartDaemon("d1");
  d->scheduler().Tick();
  const std::string evening = JobId("s1", "amy", T(kStart), T("2026-11-30T18:00:00Z"));
  EXPECT_EQ(Field(*d, evening, "state"), "pending");
  Cli({"HSET", p_ + "session:s1", "status", "cancelled"});
  clock_->Set(At("2026-11-30T13:00:00Z"));
  d->scheduler().Tick();
  EXPECT_EQ(Field(*d, evening, "state"), "skipped") << "dropped while cancelled";
  EXPECT_EQ(Field(*d, CancellationJobId("s1", "amy", T(kStart)), "state"), "(none)") << "nobody reminded yet";
  Cli({"HSET", p_ + "session:s1", "status", "scheduled"});
  clock_->Set(At("2026-11-30T14:00:00Z"));
  d->scheduler().Tick();
  EXPECT_EQ(Field(*d, evening, "state"), "pending") << "planned again";
  clock_->Set(At("2026-11-30T18:00:00Z"));
  d->scheduler().Tick();
  clock_->Set(At("2026-12-01T08:00:00Z"));
  d->scheduler().Tick();
  EXPECT_EQ(TextsTo("+447700900001"), 2);
  EXPECT_EQ(TextsTo("+447700900002"), 2);
  for (const auto& m : standin_.Messages()) EXPECT_EQ(m.body.find("cancelled"), std::string::npos) << m.body;
}

// Issue 13: a schedule id removed from `schedules` drops the texts still
// waiting for its occurrences, as a cancellation does, but sends no
// cancellation text (it may have been replaced by another schedule); added
// back, they are planned again; other sessions keep theirs.
TEST_F(CoordinatorJobsTest, RemovedScheduleDropsItsWaitingTexts) {
  AddGroup("g", {{"amy", "07700 900001"}});
  Cli({"HSET", p_ + "schedule:tue", "group", "g", "rrule", "FREQ=WEEKLY;BYDAY=TU", "dtstart", "2026-12-01T10:00",
       "timezone", "Europe/London"});
  Cli({"SADD", p_ + "schedules", "tue"});
  AddSession("s1", "g", kStart);  // a one-off session beside it
  clock_->Set(At("2026-11-30T12:00:00Z"));
  auto d = StartDaemon("d1");
  d->scheduler().Tick();
  const std::string occurrence = JobId("tue@20261201T1000", "amy", T(kStart), T("2026-11-30T18:00:00Z"));
  const std::string one_off = JobId("s1", "amy", T(kStart), T("2026-11-30T18:00:00Z"));
  ASSERT_EQ(Field(*d, occurrence, "state"), "pending");
  ASSERT_EQ(Field(*d, one_off, "state"), "pending");

  Cli({"SREM", p_ + "schedules", "tue"});
  clock_->Set(At("2026-11-30T13:00:00Z"));
  d->scheduler().Tick();
  EXPECT_EQ(Field(*d, occurrence, "state"), "skipped") << "dropped once its schedule is gone";
  EXPECT_EQ(Field(*d, occurrence, "reason"), "schedule removed from schedules");
  EXPECT_EQ(Field(*d, one_off, "state"), "pending");
  // Both send times of the 1 and the 8 December occurrences (the look-ahead).
  EXPECT_NE(log_.Joined(spdlog::level::info).find("schedule tue is no longer in schedules: 4 waiting text(s) dropped"),
            std::string::npos)
      << log_.Joined(spdlog::level::info);

  Cli({"SADD", p_ + "schedules", "tue"});
  clock_->Set(At("2026-11-30T14:00:00Z"));
  d->scheduler().Tick();
  EXPECT_EQ(Field(*d, occurrence, "state"), "pending") << "planned again once added back";

  Cli({"SREM", p_ + "schedules", "tue"});
  clock_->Set(At("2026-11-30T15:00:00Z"));
  d->scheduler().Tick();
  EXPECT_EQ(Field(*d, occurrence, "state"), "skipped") << "and dropped again";
  clock_->Set(At("2026-11-30T18:00:00Z"));
  d->scheduler().Tick();
  EXPECT_EQ(TextsTo("+447700900001"), 1) << "the one-off session's reminder only";
  for (const auto& m : standin_.Messages()) EXPECT_EQ(m.body.find("cancelled"), std::string::npos) << m.body;
}

// A text that falls due before the next planning pass has seen the schedule
// go is checked at send time: an occurrence whose schedule is no longer in
// `schedules` is not texted, even though its hash is still there.
TEST_F(CoordinatorJobsTest, RemovedScheduleIsCheckedAtSendTime) {
  AddGroup("g", {{"amy", "07700 900001"}});
  Cli({"HSET", p_ + "schedule:tue", "group", "g", "rrule", "FREQ=WEEKLY;BYDAY=TU", "dtstart", "2026-12-01T10:00",
       "timezone", "Europe/London"});
  Cli({"SADD", p_ + "schedules", "tue"});
  clock_->Set(At("2026-11-30T12:00:00Z"));
  auto d = StartDaemon("d1");
  d->scheduler().Tick();
  const std::string occurrence = JobId("tue@20261201T1000", "amy", T(kStart), T("2026-11-30T18:00:00Z"));
  ASSERT_EQ(Field(*d, occurrence, "state"), "pending");

  Cli({"SREM", p_ + "schedules", "tue"});
  clock_->Set(At("2026-11-30T18:00:00Z"));
  ASSERT_OK(d->dispatcher().RunOnce());  // no planning pass in between
  EXPECT_EQ(Field(*d, occurrence, "state"), "skipped");
  EXPECT_NE(Field(*d, occurrence, "reason").find("schedule 'tue' is no longer in " + p_ + "schedules"),
            std::string::npos)
      << Field(*d, occurrence, "reason");
  EXPECT_EQ(TextsTo("+447700900001"), 0);
}

TEST_F(CoordinatorJobsTest, MembersMaybeRemindedCountAsReminded) {
  // Straight on the store: sent, sending (in flight) and in-doubt jobs mean
  // she may have the reminder; a waiting or failed one does not.
  auto d = StartDaemon("d1");
  Store& store = d->store();
  const Instant start = T(kStart);
  auto spec = [&](const std::string& member) {
    JobSpec j;
    j.id = JobId("s1", member, start, T("2026-12-01T08:00:00Z"));
    j.kind = JobKind::kReminder;
    j.session_id = "s1";
    j.member_id = member;
    j.session_starts_at = start;
    j.planned_at = j.due_at = T("2026-12-01T08:00:00Z");
    return j;
  };
  const Millis now = UnixMillis(T("2026-12-01T08:00:00Z"));
  ASSERT_OK(store.CreateJobs({spec("sent"), spec("sending"), spec("doubt"), spec("failed")}, now));
  ASSERT_OK(store.ClaimDueJobs(now, 60000, "me", 10));
  JobOutcome sent;
  sent.kind = JobOutcome::Kind::kSent;
  sent.sid = "SM1";
  ASSERT_TRUE(*store.FinishJob(spec("sent").id, "me", sent, now));
  ASSERT_EQ(*store.MarkSending(spec("sending").id, "me", now, 0, "hash"), MarkSendingResult::kMarked);
  JobOutcome retry;
  retry.kind = JobOutcome::Kind::kRetry;
  retry.in_doubt = true;
  retry.next_due = now + 1000;
  ASSERT_TRUE(*store.FinishJob(spec("doubt").id, "me", retry, now));
  JobOutcome failed;
  failed.kind = JobOutcome::Kind::kFailed;
  failed.error_code = 21211;
  ASSERT_TRUE(*store.FinishJob(spec("failed").id, "me", failed, now));
  ASSERT_OK(store.CreateJobs({spec("waiting")}, now));

  auto cancelled = store.CancelSessionJobs("s1", "session cancelled", now);
  ASSERT_OK(cancelled);
  EXPECT_EQ(cancelled->reminded, (std::vector<std::string>{"doubt", "sending", "sent"}));
  EXPECT_EQ(cancelled->dropped, 2) << "the in-doubt one and the waiting one";
  EXPECT_EQ(Field(*d, spec("waiting").id, "revivable"), "1");
  EXPECT_EQ(Field(*d, spec("doubt").id, "revivable"), "(none)") << "may have been sent: never created afresh";
  EXPECT_EQ(Field(*d, spec("sending").id, "state"), "sending") << "left to its holder";
  ASSERT_OK(store.CreateJobs({spec("waiting"), spec("doubt")}, now));
  EXPECT_EQ(Field(*d, spec("waiting").id, "state"), "pending") << "revived when planned again";
  EXPECT_EQ(Field(*d, spec("doubt").id, "state"), "skipped");
}

}  // namespace
}  // namespace checkin
