// Issue 13, keys of the wrong type: checkind end to end (real redis-server,
// the Twilio stand-in, a ManualClock) with a schema v1 key of each kind
// written as another type by another tool. Each is reported once, under its
// own name, however many planning passes and sends meet it; everybody else
// is still reminded.
#include <algorithm>

#include "daemon_fixture.h"

namespace checkin {
namespace {

class WrongTypeTest : public DaemonFixture {
 protected:
  // Warning lines that report `key` as skipped.
  long Reports(const std::string& key) const {
    const std::vector<std::string> lines = log_.Lines(spdlog::level::warn);
    return std::count_if(lines.begin(), lines.end(), [&](const std::string& line) {
      return line.find("skipping " + key + ": wrong type") != std::string::npos;
    });
  }
  // Lines at warning or above that name `key` at all.
  long Mentions(const std::string& key) const {
    const std::vector<std::string> lines = log_.Lines(spdlog::level::warn);
    return std::count_if(lines.begin(), lines.end(),
                         [&](const std::string& line) { return line.find(key + ":") != std::string::npos; });
  }
  void Passes(Daemon& d, int n) {
    for (int i = 0; i < n; ++i) {
      d.scheduler().Tick();
      clock_->Advance(std::chrono::seconds(15));
    }
  }
  void ExpectNoPhoneNumbersLogged() const {
    EXPECT_EQ(log_.Joined(spdlog::level::info).find("7700900"), std::string::npos)
        << "no full phone number at info or above:\n" << log_.Joined(spdlog::level::info);
  }
};

constexpr int kPasses = 15;

TEST_F(WrongTypeTest, EachBadKeyIsReportedOnceAndTheOthersAreReminded) {
  AddGroup("g", {{"amy", "07700 900001"}, {"bea", "07700 900002"}, {"cat", "07700 900003"}});
  Cli({"DEL", p_ + "member:bea"});
  Cli({"SET", p_ + "member:bea", "Bea, 07700 900002"});                // a member: string, not a hash
  AddSession("s1", "g", "2026-12-01T10:00:00+00:00");
  Cli({"SET", p_ + "session:s1:rsvp", "amy=yes"});                       // the answers: string, not a hash
  AddGroup("h", {{"dee", "07700 900004"}});
  Cli({"DEL", p_ + "group:h:members"});
  Cli({"SET", p_ + "group:h:members", "dee"});                           // a group's members: string, not a set
  AddSession("s2", "h", "2026-12-01T10:30:00+00:00");
  AddSession("s2b", "h", "2026-12-01T11:30:00+00:00");
  AddGroup("k", {{"eve", "07700 900005"}});
  Cli({"DEL", p_ + "group:k"});
  Cli({"RPUSH", p_ + "group:k", "Knitting"});                            // a group: list, not a hash
  AddSession("s3", "k", "2026-12-01T10:00:00+00:00");
  AddSession("s3b", "k", "2026-12-01T11:00:00+00:00");
  Cli({"SET", p_ + "session:s4", "2026-12-01T10:00"});                   // a session: string, not a hash
  Cli({"ZADD", p_ + "sessions", std::to_string(T("2026-12-01T10:00:00Z").time_since_epoch().count()), "s4"});
  Cli({"SET", p_ + "schedules", "w1"});                                  // the schedules: string, not a set

  clock_->Set(std::chrono::system_clock::time_point(T("2026-12-01T08:00:00Z")));
  auto d = StartDaemon("d1");
  Passes(*d, kPasses);

  const auto texts = TextsByNumber();
  EXPECT_EQ(texts.size(), 2u) << "amy and cat";
  EXPECT_EQ(texts.count("+447700900001"), 1u) << "amy is reminded";
  EXPECT_EQ(texts.count("+447700900003"), 1u) << "cat is reminded, the answers being unreadable";
  for (const auto& [to, n] : texts) EXPECT_EQ(n, 1) << to;

  for (const char* key : {"member:bea", "session:s1:rsvp", "group:h:members", "group:k", "session:s4", "schedules"}) {
    EXPECT_EQ(Reports(p_ + key), 1) << key << " reported once over " << kPasses << " passes:\n"
                                    << log_.Joined(spdlog::level::warn);
    EXPECT_EQ(Mentions(p_ + key), 1) << key << " named in no other warning";
  }
  EXPECT_EQ(log_.Joined(spdlog::level::warn).find("retrying"), std::string::npos) << log_.Joined(spdlog::level::warn);
  EXPECT_EQ(log_.Joined(spdlog::level::err).find("tick failed"), std::string::npos) << log_.Joined(spdlog::level::err);
  ExpectNoPhoneNumbersLogged();
}

TEST_F(WrongTypeTest, SchedulesStillPlannedWhenSessionsOrOneScheduleIsOfTheWrongType) {
  AddGroup("g", {{"amy", "07700 900001"}, {"bea", "07700 900002"}});
  Cli({"SET", p_ + "sessions", "s1"});                                   // the sessions: string, not a sorted set
  Cli({"SADD", p_ + "schedules", "bad", "weekly"});
  Cli({"SET", p_ + "schedule:bad", "FREQ=DAILY"});                       // a schedule: string, not a hash
  Cli({"HSET", p_ + "schedule:weekly", "group", "g", "rrule", "FREQ=WEEKLY;BYDAY=TU", "dtstart", "2026-11-03T10:00",
       "timezone", "Europe/London"});
  clock_->Set(std::chrono::system_clock::time_point(T("2026-12-01T08:00:00Z")));  // Tue 1 Dec, 10:00 session
  auto d = StartDaemon("d1");
  Passes(*d, kPasses);
  const auto texts = TextsByNumber();
  EXPECT_EQ(texts.size(), 2u) << log_.Joined(spdlog::level::info);
  for (const auto& [to, n] : texts) EXPECT_EQ(n, 1) << to;
  EXPECT_EQ(Reports(p_ + "sessions"), 1) << log_.Joined(spdlog::level::warn);
  EXPECT_EQ(Reports(p_ + "schedule:bad"), 1) << log_.Joined(spdlog::level::warn);
  ExpectNoPhoneNumbersLogged();
}

// A key that turns into the wrong type between planning and sending: the
// send-time check skips that job (or, for the answers, sends as unanswered)
// instead of retrying it every pass.
TEST_F(WrongTypeTest, KeysTurnedBadAfterPlanningAreReportedOnceAtSendTime) {
  AddGroup("g", {{"amy", "07700 900001"}, {"bea", "07700 900002"}, {"cat", "07700 900003"}});
  AddSession("s1", "g", "2026-12-01T10:00:00+00:00");
  clock_->Set(std::chrono::system_clock::time_point(T("2026-11-30T12:00:00Z")));
  auto d = StartDaemon("d1");
  d->scheduler().Tick();  // plans the 18:00 and 08:00 reminders
  ASSERT_EQ(standin_.Messages().size(), 0u);
  Cli({"DEL", p_ + "member:bea"});
  Cli({"SADD", p_ + "member:bea", "Bea"});
  Cli({"SET", p_ + "session:s1:rsvp", "cat=no"});
  clock_->Set(std::chrono::system_clock::time_point(T("2026-11-30T18:00:00Z")));
  Passes(*d, kPasses);
  const auto texts = TextsByNumber();
  EXPECT_EQ(texts.size(), 2u) << log_.Joined(spdlog::level::info);
  EXPECT_EQ(texts.count("+447700900001"), 1u);
  EXPECT_EQ(texts.count("+447700900003"), 1u);
  EXPECT_EQ(JobState(*d, "s1", "bea", "2026-12-01T10:00:00Z", "2026-11-30T18:00:00Z"), "skipped");
  EXPECT_EQ(Reports(p_ + "member:bea"), 1) << log_.Joined(spdlog::level::warn);
  EXPECT_EQ(Reports(p_ + "session:s1:rsvp"), 1) << log_.Joined(spdlog::level::warn);
  EXPECT_EQ(log_.Joined(spdlog::level::warn).find("retrying"), std::string::npos) << log_.Joined(spdlog::level::warn);
  ExpectNoPhoneNumbersLogged();
}

// `schedules` turned into a string after planning: nobody's schedule is
// known to be removed, so the texts already planned still go out, and the
// key is reported once.
TEST_F(WrongTypeTest, SchedulesTurnedBadAfterPlanningDropNothing) {
  AddGroup("g", {{"amy", "07700 900001"}});
  Cli({"SADD", p_ + "schedules", "weekly"});
  Cli({"HSET", p_ + "schedule:weekly", "group", "g", "rrule", "FREQ=WEEKLY;BYDAY=TU", "dtstart", "2026-11-03T10:00",
       "timezone", "Europe/London"});
  clock_->Set(std::chrono::system_clock::time_point(T("2026-11-30T12:00:00Z")));
  auto d = StartDaemon("d1");
  d->scheduler().Tick();  // plans the 18:00 and 08:00 reminders
  Cli({"DEL", p_ + "schedules"});
  Cli({"SET", p_ + "schedules", "weekly"});
  clock_->Set(std::chrono::system_clock::time_point(T("2026-11-30T18:00:00Z")));
  Passes(*d, kPasses);
  EXPECT_EQ(TextsByNumber().count("+447700900001"), 1u) << log_.Joined(spdlog::level::info);
  EXPECT_EQ(Reports(p_ + "schedules"), 1) << log_.Joined(spdlog::level::warn);
  ExpectNoPhoneNumbersLogged();
}

}  // namespace
}  // namespace checkin
