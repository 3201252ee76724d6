// Privacy: `checkinctl forget PHONE` removes one member's data and nobody
// else's; the inbox is trimmed by age. Real redis-server, data made by a
// real checkind Daemon (reminders sent, replies handled).
#include "store/privacy.h"

#include "daemon_fixture.h"

namespace checkin {
namespace {

class PrivacyTest : public DaemonFixture {
 protected:
  void SetUp() override {
    DaemonFixture::SetUp();
    AddGroup("g", {{"amy", "07700 900123"}, {"bea", "+447700900456"}});
    Cli({"SADD", p_ + "group:h:members", "amy"});  // Amy is in a second group too
    AddSession("s1", "g", "2026-12-01T10:00:00+00:00");
    clock_->Set(std::chrono::system_clock::time_point(T("2026-12-01T08:00:00Z")));
    daemon_ = StartDaemon("d");
    daemon_->scheduler().Tick();  // both reminded now
    AddSession("s2", "g", "2026-12-05T10:00:00+00:00");
    ASSERT_OK(daemon_->scheduler().PlanOnce(T("2026-12-01T08:00:00Z")));  // s2's jobs wait
    Reply("SMa1", "+447700900123", "yes");
    Reply("SMa2", "+447700900123", "is there parking?");
    Reply("SMb1", "+447700900456", "not sure, depends on nap?");
    Reply("SMb2", "+447700900456", "might do");
    // privacy.h works on the Redis store itself, opened as checkinctl does.
    store_ = OpenStore();
    ASSERT_TRUE(store_);
  }
  void Reply(const std::string& sid, const std::string& from, const std::string& body) {
    ASSERT_OK(daemon_->replies().HandleSms(daemon_->config(), InboundSms{sid, from, "+447700900000", body}));
  }
  std::string Count(const std::vector<std::string>& args) { return redis_->Cli(args); }
  std::string JobsOf(const std::string& member) {
    std::string out;
    const std::string keys = redis_->Cli({"KEYS", p_ + "{jobs}:job:*"});  // test only
    size_t start = 0;
    while (start < keys.size()) {
      size_t end = keys.find('\n', start);
      if (end == std::string::npos) end = keys.size();
      const std::string key = keys.substr(start, end - start);
      if (!key.empty() && redis_->Cli({"HGET", key, "member"}) == member) out += key + " ";
      start = end + 1;
    }
    return out;
  }
  std::unique_ptr<Daemon> daemon_;
  std::unique_ptr<RedisStore> store_;
};

TEST_F(PrivacyTest, ForgetRemovesHerDataAndNobodyElses) {
  ASSERT_NE(JobsOf("amy"), "");
  redis_->Cli({"SADD", p_ + "session:s1:attended", "amy", "bea"});
  auto report = ForgetPhone(*store_, "+447700900123", "GB");
  ASSERT_OK(report);
  EXPECT_EQ(report->members, std::vector<std::string>{"amy"});
  EXPECT_EQ(report->group_memberships, 2);
  EXPECT_EQ(report->answers, 1);
  EXPECT_EQ(report->attended, 1);
  EXPECT_EQ(report->inbox_entries, 1);
  EXPECT_GE(report->jobs, 3) << "the sent reminder, s2's waiting ones, the forward";

  EXPECT_EQ(Count({"EXISTS", p_ + "member:amy"}), "0");
  EXPECT_EQ(Count({"SISMEMBER", p_ + "group:g:members", "amy"}), "0");
  EXPECT_EQ(Count({"SISMEMBER", p_ + "group:h:members", "amy"}), "0");
  EXPECT_EQ(Count({"HEXISTS", p_ + "session:s1:rsvp", "amy"}), "0");
  EXPECT_EQ(Count({"EXISTS", p_ + "reminded:amy"}), "0");
  EXPECT_EQ(Count({"EXISTS", p_ + "phone:+447700900123"}), "0");
  EXPECT_EQ(JobsOf("amy"), "");
  EXPECT_EQ(redis_->Cli({"XRANGE", p_ + "inbox", "-", "+"}).find("+447700900123"), std::string::npos);

  // Bea is untouched.
  EXPECT_EQ(Count({"HGET", p_ + "member:bea", "name"}), "Mum bea");
  EXPECT_EQ(Count({"HGET", p_ + "session:s1:rsvp", "bea"}), "maybe");
  EXPECT_EQ(Count({"SMEMBERS", p_ + "session:s1:attended"}), "bea");
  EXPECT_NE(JobsOf("bea"), "");
  EXPECT_EQ(Count({"XLEN", p_ + "inbox"}), "1") << "her unclear reply stays";
  EXPECT_EQ(Count({"SISMEMBER", p_ + "group:g:members", "bea"}), "1");
}

TEST_F(PrivacyTest, ForgettingAnUnknownNumberChangesNothing) {
  auto report = ForgetPhone(*store_, "+447700900777", "GB");
  ASSERT_OK(report);
  EXPECT_TRUE(report->members.empty());
  EXPECT_EQ(report->answers + report->jobs + report->inbox_entries + report->group_memberships, 0);
  EXPECT_EQ(Count({"XLEN", p_ + "inbox"}), "2");
}

TEST_F(PrivacyTest, InboxIsTrimmedByAge) {
  // Stream ids are arrival times (the real clock: XADD "*").
  const std::string inbox = p_ + "inbox";
  const std::string first = redis_->Cli({"XRANGE", inbox, "-", "+", "COUNT", "1"});
  const Millis first_ms = std::stoll(first.substr(0, first.find('-')));
  auto none = TrimInbox(*store_, first_ms);
  ASSERT_OK(none);
  EXPECT_EQ(*none, 0) << "nothing arrived before the first entry";
  auto all = TrimInbox(*store_, first_ms + 24LL * 3600 * 1000);
  ASSERT_OK(all);
  EXPECT_EQ(*all, 2);
  EXPECT_EQ(Count({"XLEN", inbox}), "0");
}

}  // namespace
}  // namespace checkin
