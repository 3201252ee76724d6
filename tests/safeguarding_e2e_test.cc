// Safeguarding end to end, in-process: checkind daemons with their HTTP
// listeners, a real redis-server, the Twilio stand-in, and texts signed as
// Twilio signs them. The clock is a ManualClock: escalation is driven by
// moving it, never by waiting. Every check reads Redis or the stand-in.
#include <httplib.h>

#include <sstream>

#include "ctl/ctl_concerns.h"
#include "daemon_fixture.h"
#include "twilio/form_body.h"
#include "twilio/twilio_signature.h"

namespace checkin {
namespace {

constexpr const char* kPublicUrl = "https://reminders.example.org";
constexpr const char* kAmy = "+447700900123";
constexpr const char* kFirst = "+447700900555";   // the group's safeguarding_phone
constexpr const char* kSecond = "+447700900556";  // safeguarding.contacts
constexpr const char* kWorried = "I can't cope anymore, I don't want to be here";

class SafeguardingTest : public DaemonFixture {
 protected:
  void SetUp() override {
    DaemonFixture::SetUp();
    // 03:00 in the middle of quiet hours (21:00-08:00): alerts go anyway.
    clock_->Set(std::chrono::system_clock::time_point(T("2026-12-01T03:00:00Z")));
    AddGroup("g", {{"amy", kAmy}});
    Cli({"HSET", p_ + "member:amy", "name", "Amy"});
    Cli({"HSET", p_ + "group:g", "safeguarding_phone", "07700 900555", "coordinator_phone", "+447700900999"});
    AddSession("s1", "g", "2026-12-01T10:00:00+00:00");
    d1_ = Start("d1");
  }

  std::string SafeguardingYaml() const {
    return Yaml("quiet_hours: {start: \"21:00\", end: \"08:00\"}") +
           "safeguarding:\n  contacts: [\"" + std::string(kSecond) + "\"]\n  acknowledge_within_minutes: 15\n";
  }

  std::unique_ptr<Daemon> Start(const std::string& id) {
    DaemonOptions o;
    o.clock = clock_;
    o.logger = log_.logger;
    o.instance_id = id;
    o.listen = "127.0.0.1:0";
    auto d = Daemon::Create(MakeConfig(SafeguardingYaml()), o);
    EXPECT_OK(d);
    EXPECT_OK((*d)->StartListener());
    return std::move(*d);
  }

  httplib::Result Text(Daemon& d, const std::string& body, const std::string& from, std::string sid = "") {
    if (sid.empty()) {  // "SM" + 32 hex digits, as Twilio makes them
      const std::string n = std::to_string(++next_sid_);
      sid = "SM" + std::string(32 - n.size(), '0') + n;
    }
    const FormParams params = {{"MessageSid", sid},    {"AccountSid", standin_.account_sid()},
                               {"From", from},         {"To", "+447700900000"},
                               {"Body", body},         {"NumMedia", "0"}};
    httplib::Client http("127.0.0.1", d.listener_port());
    httplib::Headers headers = {
        {"X-Twilio-Signature", ComputeTwilioSignature(standin_.auth_token(), kPublicUrl + std::string("/twilio/sms"), params)}};
    return http.Post("/twilio/sms", headers, FormEncode(params), "application/x-www-form-urlencoded");
  }

  // Texts the stand-in received for `to` whose body holds `part`.
  int TextsTo(const std::string& to, const std::string& part) const {
    int n = 0;
    for (const auto& m : standin_.Messages()) n += m.to == to && m.body.find(part) != std::string::npos;
    return n;
  }
  std::string ConcernId() { return redis_->Cli({"ZRANGE", p_ + "concerns:open", "0", "0"}); }
  std::string State(const std::string& id, const std::string& field) {
    return redis_->Cli({"HGET", p_ + "concern:" + id, field});
  }

  std::unique_ptr<Daemon> d1_;
  int next_sid_ = 0;
};

TEST_F(SafeguardingTest, ConcernIsAnsweredWithHelplinesAndAlertedAtOnceInsideQuietHours) {
  ASSERT_OK(d1_->store().NoteReminded("amy", kAmy, "s1", T("2026-12-01T02:00:00Z")));
  auto res = Text(*d1_, kWorried, kAmy);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  for (const char* helpline : {"Samaritans 116 123", "SHOUT to 85258", "NHS 111", "999"}) {
    EXPECT_NE(res->body.find(helpline), std::string::npos) << res->body;
  }
  EXPECT_EQ(res->body.find("Reply Y"), std::string::npos) << "nothing asks her to reply Y/N";
  EXPECT_EQ(redis_->Cli({"HGET", p_ + "session:s1:rsvp", "amy"}), "") << "a concern never changes an RSVP";
  EXPECT_EQ(redis_->Cli({"XLEN", p_ + "concerns"}), "1");
  const std::string id = ConcernId();
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(State(id, "state"), "raised");

  d1_->scheduler().Tick();  // 03:00, inside quiet hours
  ASSERT_EQ(TextsTo(kFirst, "CONCERN"), 1) << "the first contact, at once, whatever the hour";
  for (const auto& m : standin_.Messages()) {
    if (m.to != kFirst) continue;
    EXPECT_NE(m.body.find(kAmy), std::string::npos) << "her full number, to call her back: " << m.body;
    EXPECT_NE(m.body.find("Amy"), std::string::npos) << m.body;
    EXPECT_NE(m.body.find(kWorried), std::string::npos) << "her words: " << m.body;
  }
  EXPECT_EQ(TextsTo(kSecond, "CONCERN"), 0) << "the second contact waits for the interval";
  EXPECT_EQ(standin_.Messages().size(), 1u) << "no reminder goes inside quiet hours";
}

TEST_F(SafeguardingTest, TheAlertDoesNotWaitForTheSendRate) {
  // Every daemon's shared bucket is empty (a burst of reminders just went):
  // a reminder would wait; the alert borrows and goes in the same tick.
  const Millis now = UnixMillis(clock_->Now());
  const double rate = d1_->config()->twilio.max_per_second;
  while (*d1_->store().TakeSendTokens(1, rate, now) == 0) {
  }
  ASSERT_OK(d1_->store().NoteReminded("amy", kAmy, "s1", T("2026-12-01T02:00:00Z")));
  ASSERT_TRUE(Text(*d1_, kWorried, kAmy));
  d1_->scheduler().Tick();
  EXPECT_EQ(TextsTo(kFirst, "CONCERN"), 1) << "at once, ahead of the rate";
  EXPECT_GT(*d1_->store().TakeSendTokens(1, rate, now), 0) << "the texts after it wait instead";
}

TEST_F(SafeguardingTest, UnacknowledgedConcernEscalatesOncePerStepThenOkStopsIt) {
  ASSERT_OK(d1_->store().NoteReminded("amy", kAmy, "s1", T("2026-12-01T02:00:00Z")));
  ASSERT_TRUE(Text(*d1_, kWorried, kAmy));
  d1_->scheduler().Tick();
  clock_->Advance(std::chrono::minutes(14));
  d1_->scheduler().Tick();
  EXPECT_EQ(TextsTo(kSecond, "CONCERN"), 0) << "14 minutes: not yet";
  clock_->Advance(std::chrono::minutes(1));
  d1_->scheduler().Tick();
  d1_->scheduler().Tick();
  EXPECT_EQ(TextsTo(kSecond, "CONCERN"), 1) << "15 minutes: the next contact, once";
  EXPECT_EQ(TextsTo(kFirst, "CONCERN"), 1);

  const std::string id = ConcernId();
  auto ack = Text(*d1_, "OK calling her now", kSecond);
  ASSERT_TRUE(ack);
  EXPECT_NE(ack->body.find("Thank you for taking this on"), std::string::npos) << ack->body;
  EXPECT_EQ(State(id, "state"), "acknowledged");
  EXPECT_EQ(State(id, "acknowledged_by"), kSecond);
  d1_->scheduler().Tick();
  EXPECT_EQ(TextsTo(kFirst, "has taken on the concern about Amy"), 1) << "the other contact is told who took it";
  EXPECT_EQ(TextsTo(kSecond, "has taken on"), 0);

  clock_->Advance(std::chrono::hours(2));  // past every further step
  d1_->scheduler().Tick();
  EXPECT_EQ(TextsTo(kFirst, "CONCERN") + TextsTo(kSecond, "CONCERN"), 2) << "no alert after the OK";
}

TEST_F(SafeguardingTest, EachStepIsSentOnceWithTwoDaemons) {
  auto d2 = Start("d2");
  ASSERT_OK(d1_->store().NoteReminded("amy", kAmy, "s1", T("2026-12-01T02:00:00Z")));
  const std::string sid = "SM" + std::string(32, '7');
  ASSERT_TRUE(Text(*d1_, kWorried, kAmy, sid));
  ASSERT_TRUE(Text(*d2, kWorried, kAmy, sid)) << "Twilio retrying the same webhook on the other daemon";
  for (int minute = 0; minute <= 40; ++minute) {
    d1_->scheduler().Tick();
    d2->scheduler().Tick();
    clock_->Advance(std::chrono::minutes(1));
  }
  EXPECT_EQ(redis_->Cli({"XLEN", p_ + "concerns"}), "1") << "one concern for one message";
  // Steps at 0 (first), 15 (second), 30 (second again, the list is used up).
  EXPECT_EQ(TextsTo(kFirst, "CONCERN"), 1);
  EXPECT_EQ(TextsTo(kSecond, "CONCERN"), 2);
}

TEST_F(SafeguardingTest, UnknownNumbersAndOptedOutMembersRaiseConcernsToo) {
  auto unknown = Text(*d1_, "he hit me again and I'm scared to go home", "+447700900777");
  ASSERT_TRUE(unknown);
  EXPECT_NE(unknown->body.find("116 123"), std::string::npos) << unknown->body;
  Cli({"HSET", p_ + "member:amy", "opted_out", "1"});
  ASSERT_OK(d1_->store().NoteReminded("amy", kAmy, "s1", T("2026-12-01T02:00:00Z")));
  auto opted_out = Text(*d1_, kWorried, kAmy);
  ASSERT_TRUE(opted_out);
  EXPECT_NE(opted_out->body.find("116 123"), std::string::npos) << opted_out->body;
  EXPECT_EQ(redis_->Cli({"XLEN", p_ + "concerns"}), "2");
  d1_->scheduler().Tick();
  // The unknown number has no group: safeguarding.contacts only.
  EXPECT_EQ(TextsTo(kSecond, "+447700900777"), 1);
  EXPECT_EQ(TextsTo(kFirst, kAmy), 1);
  EXPECT_EQ(redis_->Cli({"HGET", p_ + "member:amy", "opted_out"}), "1") << "a concern changes nothing else";
}

TEST_F(SafeguardingTest, OrdinaryRepliesAndIdiomsRaiseNothing) {
  ASSERT_OK(d1_->store().NoteReminded("amy", kAmy, "s1", T("2026-12-01T02:00:00Z")));
  for (const char* body : {"can't make it x", "I'm dying for a cuppa, see you there",
                           "can't cope with the traffic, running late", "yes!"}) {
    ASSERT_TRUE(Text(*d1_, body, kAmy)) << body;
  }
  EXPECT_EQ(redis_->Cli({"XLEN", p_ + "concerns"}), "0");
  EXPECT_EQ(redis_->Cli({"HGET", p_ + "session:s1:rsvp", "amy"}), "yes") << "read as answers, the last one wins";
}

TEST_F(SafeguardingTest, InfoLogsSayConcernWithoutNumbersOrWords) {
  ASSERT_OK(d1_->store().NoteReminded("amy", kAmy, "s1", T("2026-12-01T02:00:00Z")));
  ASSERT_TRUE(Text(*d1_, kWorried, kAmy));
  d1_->scheduler().Tick();
  ASSERT_TRUE(Text(*d1_, "OK", kFirst));
  const std::string logs = log_.Joined(spdlog::level::info);
  for (const char* said : {"concern raised", "concern alerted", "concern acknowledged"}) {
    EXPECT_NE(logs.find(said), std::string::npos) << said << " in\n" << logs;
  }
  for (const char* secret : {kAmy, kFirst, "cope", "want to be here"}) {
    EXPECT_EQ(logs.find(secret), std::string::npos) << secret << " in\n" << logs;
  }
}

TEST_F(SafeguardingTest, CheckinctlListsOpenConcernsFirstAndTakesOneOn) {
  ASSERT_OK(d1_->store().NoteReminded("amy", kAmy, "s1", T("2026-12-01T02:00:00Z")));
  ASSERT_TRUE(Text(*d1_, kWorried, kAmy));
  d1_->scheduler().Tick();
  auto store = OpenStore();
  ASSERT_TRUE(store);
  ConcernStore concern_store(*store);
  std::ostringstream table;
  ASSERT_OK(ReportConcerns(concern_store, *d1_->config(), 10, false, table));
  EXPECT_EQ(table.str().rfind("OPEN  ", 0), 0u) << table.str();
  EXPECT_NE(table.str().find("+44******0123"), std::string::npos) << "numbers masked: " << table.str();
  EXPECT_EQ(table.str().find(kAmy), std::string::npos) << table.str();
  EXPECT_NE(table.str().find("want to be here"), std::string::npos) << "her words, for the coordinator";

  Concerns concerns(*store, concern_store, {});
  std::ostringstream said;
  ASSERT_OK(AcknowledgeConcern(concerns, *d1_->config(), ConcernId(), "Jo", T("2026-12-01T03:05:00Z"), said));
  EXPECT_NE(said.str().find("is yours"), std::string::npos) << said.str();
  std::ostringstream again;
  ASSERT_OK(ReportConcerns(concern_store, *d1_->config(), 10, true, again));
  EXPECT_NE(again.str().find("\"acknowledged_by\": \"Jo\""), std::string::npos) << again.str();
  EXPECT_EQ(redis_->Cli({"ZCARD", p_ + "concerns:open"}), "0");
  EXPECT_FALSE(AcknowledgeConcern(concerns, *d1_->config(), "0000000000000000", "Jo", T("2026-12-01T03:05:00Z"), said)
                   .ok())
      << "an unknown id is refused";
}

}  // namespace
}  // namespace checkin
