// checkind end to end, in-process: real redis-server, the Twilio stand-in,
// real TwilioClient, a ManualClock. Groups, members and sessions are written
// with plain Redis commands exactly as SPEC's schema v1 says.
#include "daemon_fixture.h"

namespace checkin {
namespace {

using DaemonTest = DaemonFixture;

TEST_F(DaemonTest, TextsEachMemberOnceAtEachSendTimeAndNothingTwiceAfterRestart) {
  AddGroup("g", {{"amy", "07700 900001"}, {"bea", "+447700900002"}, {"cat", "07700900003"}});
  AddSession("s1", "g", "2026-12-01T10:00:00+00:00");
  clock_->Set(std::chrono::system_clock::time_point(T("2026-11-30T17:59:00Z")));
  auto d = StartDaemon("d1");
  d->scheduler().Tick();
  EXPECT_EQ(standin_.Messages().size(), 0u) << "nothing is due before 18:00";
  clock_->Advance(std::chrono::minutes(1));
  d->scheduler().Tick();
  EXPECT_EQ(standin_.Messages().size(), 3u);
  d.reset();  // restart
  auto again = StartDaemon("d2");
  again->scheduler().Tick();
  EXPECT_EQ(standin_.Messages().size(), 3u) << "a restart sends nothing twice";
  clock_->Set(std::chrono::system_clock::time_point(T("2026-12-01T08:00:00Z")));
  again->scheduler().Tick();
  again->scheduler().Tick();
  auto texts = TextsByNumber();
  EXPECT_EQ(texts.size(), 3u);
  for (const auto& [to, n] : texts) EXPECT_EQ(n, 2) << to << ": day-before and two-hours-before";
  const auto first = standin_.Messages().front();
  EXPECT_EQ(first.status_callback, "https://reminders.example.org/twilio/status");
  EXPECT_NE(first.body.find("Baby massage"), std::string::npos) << first.body;
  EXPECT_NE(first.body.find("Walkerburn hall"), std::string::npos) << first.body;
}

TEST_F(DaemonTest, OverdueRemindersCollapseToOne) {
  AddGroup("g", {{"amy", "07700 900001"}});
  AddSession("s1", "g", "2026-12-01T10:00:00+00:00");
  clock_->Set(std::chrono::system_clock::time_point(T("2026-12-01T09:00:00Z")));  // both send times passed
  auto d = StartDaemon("d1");
  d->scheduler().Tick();
  clock_->Advance(std::chrono::minutes(5));
  d->scheduler().Tick();
  EXPECT_EQ(standin_.Messages().size(), 1u);
}

TEST_F(DaemonTest, OptedOutCancelledAndStartedSessionsGetNothing) {
  AddGroup("g", {{"amy", "07700 900001"}, {"out", "07700 900002"}});
  Cli({"HSET", p_ + "member:out", "opted_out", "1"});
  AddSession("ok", "g", "2026-12-01T10:00:00+00:00");
  AddSession("off", "g", "2026-12-01T10:30:00+00:00");
  Cli({"HSET", p_ + "session:off", "status", "cancelled"});
  AddSession("past", "g", "2026-12-01T07:00:00+00:00");
  clock_->Set(std::chrono::system_clock::time_point(T("2026-12-01T08:00:00Z")));
  auto d = StartDaemon("d1");
  d->scheduler().Tick();
  ASSERT_EQ(standin_.Messages().size(), 1u);
  EXPECT_EQ(standin_.Messages()[0].to, "+447700900001");
}

TEST_F(DaemonTest, ChecksAgainAtSendTime) {
  AddGroup("g", {{"amy", "07700 900001"}, {"bea", "07700 900002"}, {"cat", "07700 900003"}});
  AddSession("s1", "g", "2026-12-01T10:00:00+00:00");
  clock_->Set(std::chrono::system_clock::time_point(T("2026-11-30T12:00:00Z")));
  auto d = StartDaemon("d1");
  d->scheduler().Tick();  // plans the 18:00 and 08:00 reminders
  EXPECT_EQ(standin_.Messages().size(), 0u);
  Cli({"HSET", p_ + "member:amy", "opted_out", "1"});
  Cli({"HSET", p_ + "session:s1:rsvp", "bea", "no"});
  clock_->Set(std::chrono::system_clock::time_point(T("2026-11-30T18:00:00Z")));
  d->scheduler().Tick();
  ASSERT_EQ(standin_.Messages().size(), 1u);
  EXPECT_EQ(standin_.Messages()[0].to, "+447700900003");
  EXPECT_EQ(JobState(*d, "s1", "amy", "2026-12-01T10:00:00Z", "2026-11-30T18:00:00Z"), "skipped");
  EXPECT_EQ(JobState(*d, "s1", "bea", "2026-12-01T10:00:00Z", "2026-11-30T18:00:00Z"), "skipped");
  Cli({"HSET", p_ + "session:s1", "status", "cancelled"});
  clock_->Set(std::chrono::system_clock::time_point(T("2026-12-01T08:00:00Z")));
  d->scheduler().Tick();
  ASSERT_EQ(standin_.Messages().size(), 2u) << "cancelled after planning: no reminder, only the cancellation";
  EXPECT_EQ(standin_.Messages()[1].to, "+447700900003") << "cat, reminded at 18:00, is told it is off";
  EXPECT_NE(standin_.Messages()[1].body.find("cancelled"), std::string::npos) << standin_.Messages()[1].body;
  EXPECT_EQ(JobState(*d, "s1", "cat", "2026-12-01T10:00:00Z", "2026-12-01T08:00:00Z"), "skipped");
}

TEST_F(DaemonTest, MovedSessionIsPlannedAnew) {
  AddGroup("g", {{"amy", "07700 900001"}});
  AddSession("s1", "g", "2026-12-01T10:00:00+00:00");
  clock_->Set(std::chrono::system_clock::time_point(T("2026-11-30T12:00:00Z")));
  auto d = StartDaemon("d1");
  d->scheduler().Tick();
  AddSession("s1", "g", "2026-12-01T11:00:00+00:00");  // moved an hour later
  clock_->Set(std::chrono::system_clock::time_point(T("2026-11-30T18:00:00Z")));
  d->scheduler().Tick();
  EXPECT_EQ(JobState(*d, "s1", "amy", "2026-12-01T10:00:00Z", "2026-11-30T18:00:00Z"), "skipped");
  EXPECT_EQ(JobState(*d, "s1", "amy", "2026-12-01T11:00:00Z", "2026-11-30T18:00:00Z"), "sent");
  ASSERT_EQ(standin_.Messages().size(), 1u);
  EXPECT_NE(standin_.Messages()[0].body.find("11:00"), std::string::npos) << standin_.Messages()[0].body;
}

TEST_F(DaemonTest, MalformedRecordsAreReportedOnceAndSkipped) {
  AddGroup("g", {{"amy", "07700 900001"}, {"badphone", "12345"}});
  Cli({"SADD", p_ + "group:g:members", "ghost"});
  AddSession("good", "g", "2026-12-01T10:00:00+00:00");
  AddSession("nogroup", "missing", "2026-12-01T10:00:00+00:00");
  Cli({"HSET", p_ + "session:badtime", "group", "g", "starts_at", "tomorrow at ten"});
  Cli({"ZADD", p_ + "sessions", std::to_string(T("2026-12-01T10:00:00Z").time_since_epoch().count()), "badtime"});
  clock_->Set(std::chrono::system_clock::time_point(T("2026-12-01T08:00:00Z")));
  auto d = StartDaemon("d1");
  d->scheduler().Tick();
  d->scheduler().Tick();
  ASSERT_EQ(standin_.Messages().size(), 1u);
  EXPECT_EQ(standin_.Messages()[0].to, "+447700900001");
  const auto warnings = log_.Lines(spdlog::level::warn);
  auto count = [&](const std::string& needle) {
    int n = 0;
    for (const auto& l : warnings) n += l.find(needle) != std::string::npos;
    return n;
  };
  EXPECT_EQ(count("member:badphone"), 1) << log_.Joined();
  EXPECT_EQ(count("member:ghost"), 1) << log_.Joined();
  EXPECT_EQ(count("session:nogroup"), 1) << log_.Joined();
  EXPECT_EQ(count("session:badtime"), 1) << log_.Joined();
}

TEST_F(DaemonTest, PermanentErrorsAreRecordedAndStopOptsOut) {
  AddGroup("g", {{"stop", "+15005550004"}, {"invalid", "+15005550001"}});
  AddSession("s1", "g", "2026-12-01T10:00:00+00:00");
  clock_->Set(std::chrono::system_clock::time_point(T("2026-12-01T08:00:00Z")));
  auto d = StartDaemon("d1");
  d->scheduler().Tick();
  auto stop = d->store().JobFields(JobId("s1", "stop", T("2026-12-01T10:00:00Z"), T("2026-12-01T08:00:00Z")));
  ASSERT_OK(stop);
  EXPECT_EQ(stop->at("state"), "failed");
  EXPECT_EQ(stop->at("error_code"), "21610");
  EXPECT_EQ(redis_->Cli({"HGET", p_ + "member:stop", "opted_out"}), "1");
  auto invalid = d->store().JobFields(JobId("s1", "invalid", T("2026-12-01T10:00:00Z"), T("2026-12-01T08:00:00Z")));
  EXPECT_EQ(invalid->at("error_code"), "21211");
  EXPECT_EQ(standin_.Requests().sends, 2) << "permanent errors are not retried";
  d->scheduler().Tick();
  EXPECT_EQ(standin_.Requests().sends, 2);
}

TEST_F(DaemonTest, RetryableErrorsBackOffThenSendOnce) {
  AddGroup("g", {{"amy", "07700 900001"}});
  AddSession("s1", "g", "2026-12-01T10:00:00+00:00");
  clock_->Set(std::chrono::system_clock::time_point(T("2026-12-01T08:00:00Z")));
  standin_.FailNext(1, standin::FailKind::kHttp429, std::chrono::seconds(20));
  auto d = StartDaemon("d1");
  d->scheduler().Tick();
  EXPECT_EQ(standin_.Messages().size(), 0u);
  clock_->Advance(std::chrono::seconds(19));
  d->scheduler().Tick();
  EXPECT_EQ(standin_.Requests().sends, 1) << "Retry-After: 20 is honoured";
  clock_->Advance(std::chrono::minutes(15));
  d->scheduler().Tick();
  EXPECT_EQ(standin_.Messages().size(), 1u);
}

TEST_F(DaemonTest, TwoDaemonsOnOneRedisSendOnceAndShareTheSendRate) {
  std::vector<std::pair<std::string, std::string>> members;
  for (int i = 10; i < 40; ++i) members.push_back({"m" + std::to_string(i), "07700 9000" + std::to_string(i)});
  AddGroup("g", members);
  AddSession("s1", "g", "2026-12-01T10:00:00+00:00");
  clock_->Set(std::chrono::system_clock::time_point(T("2026-12-01T08:00:00Z")));
  auto a = StartDaemon("a");
  auto b = StartDaemon("b");
  auto tick_both = [&] {
    std::thread ta([&] { a->scheduler().Tick(); });
    std::thread tb([&] { b->scheduler().Tick(); });
    ta.join();
    tb.join();
  };
  tick_both();
  EXPECT_EQ(standin_.Messages().size(), 10u) << "twilio.max_per_second 10 holds for both daemons together";
  for (int second = 1; second <= 3; ++second) {
    clock_->Advance(std::chrono::seconds(1));
    tick_both();
    EXPECT_LE(standin_.Messages().size(), 10u * (second + 1)) << second;
  }
  auto texts = TextsByNumber();
  EXPECT_EQ(texts.size(), 30u);
  for (const auto& [to, n] : texts) EXPECT_EQ(n, 1) << to;
}

TEST_F(DaemonTest, Twilio429PausesEveryDaemon) {
  AddGroup("g", {{"amy", "07700 900001"}, {"bea", "07700 900002"}, {"cat", "07700 900003"}});
  AddSession("s1", "g", "2026-12-01T10:00:00+00:00");
  clock_->Set(std::chrono::system_clock::time_point(T("2026-12-01T08:00:00Z")));
  standin_.FailNext(1, standin::FailKind::kHttp429, std::chrono::seconds(3));
  auto config = MakeConfig(Yaml());
  auto d = StartDaemon("d", config);
  d->scheduler().Tick();
  EXPECT_LT(standin_.Messages().size(), 3u) << "after the 429 the rest wait";
  const auto after_429 = standin_.Messages().size();
  clock_->Advance(std::chrono::seconds(2));
  d->scheduler().Tick();
  EXPECT_EQ(standin_.Messages().size(), after_429) << "still inside Retry-After";
  clock_->Advance(std::chrono::seconds(60));  // past the pause and the 429's own backoff
  d->scheduler().Tick();
  EXPECT_EQ(TextsByNumber().size(), 3u);
}

TEST_F(DaemonTest, RecurringScheduleIsTextedInItsLocalTime) {
  AddGroup("g", {{"amy", "07700 900001"}});
  Cli({"HSET", p_ + "schedule:tue", "group", "g", "rrule", "FREQ=WEEKLY;BYDAY=TU", "dtstart", "2026-09-01T10:00",
       "timezone", "Europe/London", "exdates", "2026-12-08"});
  Cli({"SADD", p_ + "schedules", "tue"});
  clock_->Set(std::chrono::system_clock::time_point(T("2026-12-01T08:00:00Z")));  // Tue 1 Dec, 10:00 GMT session
  auto d = StartDaemon("d1");
  d->scheduler().Tick();
  ASSERT_EQ(standin_.Messages().size(), 1u);
  clock_->Set(std::chrono::system_clock::time_point(T("2026-12-08T08:00:00Z")));  // 8 Dec is an exdate
  d->scheduler().Tick();
  EXPECT_EQ(standin_.Messages().size(), 1u);
}

TEST_F(DaemonTest, InfoLogsNeverShowFullNumbersOrBodies) {
  AddGroup("g", {{"amy", "07700 900001"}});
  AddSession("s1", "g", "2026-12-01T10:00:00+00:00");
  clock_->Set(std::chrono::system_clock::time_point(T("2026-12-01T08:00:00Z")));
  auto d = StartDaemon("d1");
  d->scheduler().Tick();
  ASSERT_EQ(standin_.Messages().size(), 1u);
  const std::string info = log_.Joined(spdlog::level::info);
  EXPECT_NE(info.find("+44******0001"), std::string::npos) << info;
  EXPECT_EQ(info.find("+447700900001"), std::string::npos) << info;
  EXPECT_EQ(info.find(standin_.Messages()[0].body), std::string::npos) << info;
}

// The in-doubt tests: the stand-in takes the message but the answer is lost
// (a 500); checkind looks in Twilio's list reconcile_after_seconds (30 s)
// later. The stand-in dates messages by the fixture's clock.
TEST_F(DaemonTest, InDoubtSendIsFoundAtTwilioAndNotSentAgain) {
  AddGroup("g", {{"amy", "07700 900001"}});
  AddSession("s1", "g", "2026-12-01T10:00:00+00:00");
  clock_->Set(std::chrono::system_clock::time_point(T("2026-11-30T18:00:00Z")));
  standin_.AcceptThenFail(1, standin::FailKind::kHttp500);
  auto d = StartDaemon("d1");
  d->scheduler().Tick();
  EXPECT_EQ(standin_.Messages().size(), 1u) << "Twilio took it, but the answer was lost";
  clock_->Advance(std::chrono::seconds(40));
  d->scheduler().Tick();
  d->scheduler().Tick();
  EXPECT_EQ(standin_.Messages().size(), 1u) << "reconciled from the Messages list, not resent";
  EXPECT_GE(standin_.Requests().lists, 1);
}

// Twilio's DateSent filter leaves out a message it has not sent yet
// (date_sent null): checkind must find it all the same.
TEST_F(DaemonTest, InDoubtSendStillQueuedAtTwilioIsNotSentAgain) {
  AddGroup("g", {{"amy", "07700 900001"}});
  AddSession("s1", "g", "2026-12-01T10:00:00+00:00");
  clock_->Set(std::chrono::system_clock::time_point(T("2026-11-30T18:00:00Z")));
  standin_.HoldQueued(1, std::chrono::hours(1));
  standin_.AcceptThenFail(1, standin::FailKind::kHttp500);
  auto d = StartDaemon("d1");
  d->scheduler().Tick();
  ASSERT_EQ(standin_.Messages().size(), 1u) << "Twilio took it, but the answer was lost";
  clock_->Advance(std::chrono::seconds(40));
  d->scheduler().Tick();
  d->scheduler().Tick();
  ASSERT_EQ(standin_.Messages().size(), 1u) << "still queued at Twilio, yet found: not texted twice";
  EXPECT_EQ(standin_.Messages()[0].status, "queued");
  auto job = d->store().JobFields(JobId("s1", "amy", T("2026-12-01T10:00:00Z"), T("2026-11-30T18:00:00Z")));
  ASSERT_OK(job);
  EXPECT_EQ(job->at("state"), "sent");
  EXPECT_EQ(job->at("reconciled"), "1");
  EXPECT_EQ(job->at("sid"), standin_.Messages()[0].sid);
  EXPECT_EQ(job->at("twilio_status"), "queued");
}

// A refused connection never reached Twilio (issue 13): the job is retried
// with the normal backoff (at most 2 s before a first retry), not held for
// the in-doubt check (reconcile_after_seconds, 30 s), and Twilio's list is
// never read for it.
TEST_F(DaemonTest, RefusedConnectionIsRetriedWithoutTheInDoubtCheck) {
  AddGroup("g", {{"amy", "07700 900001"}});
  AddSession("s1", "g", "2026-12-01T10:00:00+00:00");
  clock_->Set(std::chrono::system_clock::time_point(T("2026-11-30T18:00:00Z")));
  std::string down = Yaml();
  const std::string api = standin_.BaseUrl();
  down.replace(down.find(api), api.size(), "http://127.0.0.1:" + std::to_string(testing::FreeLoopbackPort()));
  auto d = StartDaemon("d1", MakeConfig(down));
  d->scheduler().Tick();
  const std::string id = JobId("s1", "amy", T("2026-12-01T10:00:00Z"), T("2026-11-30T18:00:00Z"));
  auto job = d->store().JobFields(id);
  ASSERT_OK(job);
  EXPECT_EQ(job->at("attempts"), "1");
  EXPECT_EQ(job->count("in_doubt") ? job->at("in_doubt") : "0", "0") << "nothing can have reached Twilio";
  EXPECT_NE(job->at("reason").find("not sent, Twilio not reached"), std::string::npos) << job->at("reason");

  d->SetConfig(MakeConfig(Yaml()));  // Twilio is back
  clock_->Advance(std::chrono::seconds(3));
  d->scheduler().Tick();
  EXPECT_EQ(standin_.Messages().size(), 1u) << "retried after the backoff, not after the in-doubt wait";
  EXPECT_EQ(standin_.Requests().lists, 0) << "no in-doubt check for a request that never left";
}

TEST_F(DaemonTest, InboxEntriesOlderThanRetentionAreDeletedByTheLoop) {
  const std::string inbox = p_ + "inbox";
  Cli({"XADD", inbox, "1000-0", "member", "old", "body", "from 1970"});
  Cli({"XADD", inbox, "*", "member", "new", "body", "from today"});
  auto d = StartDaemon("d");
  d->scheduler().Tick();  // retention_days 90 before 2026-12-01: the 1970 entry goes
  EXPECT_EQ(redis_->Cli({"XLEN", inbox}), "1");
  EXPECT_NE(redis_->Cli({"XRANGE", inbox, "-", "+"}).find("from today"), std::string::npos);
}

}  // namespace
}  // namespace checkin
