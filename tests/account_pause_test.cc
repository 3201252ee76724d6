// Twilio refuses the account, not the member (issue 12): a wrong or rotated
// auth token, a From that cannot send. End to end with a real redis-server,
// the Twilio stand-in and a ManualClock: nothing is lost, nothing fails,
// every daemon pauses, one probe at a time, doubling to the cap, lifted by
// a probe that is sent or by a reload (which also brings the right token);
// member-level refusals still fail only their own job.
#include <httplib.h>

#include <algorithm>

#include "daemon_fixture.h"

namespace checkin {
namespace {

constexpr char kSender[] = "+447700900000";  // DaemonFixture::Yaml's twilio.from
constexpr char kStarts[] = "2026-12-01T10:00:00+00:00";
constexpr char kDue[] = "2026-12-01T08:00:00Z";  // hours_before: 2

class AccountPauseTest : public DaemonFixture {
 protected:
  void SetUp() override {
    DaemonFixture::SetUp();
    AddGroup("g", {{"amy", "+447700900001"}, {"bea", "+447700900002"}, {"cat", "+447700900003"}});
    AddSession("s1", "g", kStarts);
    clock_->Set(std::chrono::system_clock::time_point(T(kDue)));
  }

  std::unique_ptr<Daemon> Start(const std::string& id, const std::optional<std::string>& token = std::nullopt,
                                bool listen = false) {
    DaemonOptions o;
    o.clock = clock_;
    o.logger = log_.logger;
    o.instance_id = id;
    o.listen = "127.0.0.1:0";
    auto d = Daemon::Create(MakeConfig(Yaml(), token), o);
    EXPECT_OK(d);
    if (d.ok() && listen) {
      EXPECT_OK((*d)->StartListener());
    }
    return d.ok() ? std::move(*d) : nullptr;
  }

  std::optional<AccountPause> Pause(Daemon& d) {
    auto p = d.store().CurrentAccountPause();
    EXPECT_OK(p);
    return p.ok() ? *p : std::nullopt;
  }

  FieldMap Job(Daemon& d, const std::string& member) {
    auto f = d.store().JobFields(JobId("s1", member, T(kStarts), T(kDue)));
    EXPECT_OK(f);
    return f.ok() ? *f : FieldMap{};
  }

  // Every member's job: still waiting, no attempt counted, nothing in doubt.
  void ExpectAllWaitingUnattempted(Daemon& d) {
    for (const char* m : {"amy", "bea", "cat"}) {
      SCOPED_TRACE(m);
      FieldMap f = Job(d, m);
      EXPECT_EQ(f["state"], "pending");
      EXPECT_TRUE(f["attempts"].empty() || f["attempts"] == "0") << f["attempts"];
      EXPECT_NE(f["in_doubt"], "1");
    }
  }

  // Every member texted exactly once, every job sent after one attempt.
  void ExpectEachMemberTextedOnce(Daemon& d) {
    auto texts = TextsByNumber();
    for (const char* to : {"+447700900001", "+447700900002", "+447700900003"}) EXPECT_EQ(texts[to], 1) << to;
    for (const char* m : {"amy", "bea", "cat"}) {
      SCOPED_TRACE(m);
      FieldMap f = Job(d, m);
      EXPECT_EQ(f["state"], "sent");
      EXPECT_EQ(f["attempts"], "1");
    }
  }

  int WarnLinesMentioning(const std::string& what) const {
    const auto lines = log_.Lines(spdlog::level::warn);
    return static_cast<int>(std::count_if(lines.begin(), lines.end(), [&](const std::string& l) {
      return l.find("sending paused") != std::string::npos && l.find(what) != std::string::npos;
    }));
  }

  void Advance(std::chrono::milliseconds d) { clock_->Advance(d); }
};

std::optional<double> MetricSample(httplib::Client& http, const std::string& series) {
  auto r = http.Get("/metrics");
  if (!r || r->status != 200) return std::nullopt;
  const std::string prefix = series + " ";
  for (size_t at = 0; (at = r->body.find(prefix, at)) != std::string::npos; at += prefix.size()) {
    if (at == 0 || r->body[at - 1] == '\n') return std::stod(r->body.substr(at + prefix.size()));
  }
  return std::nullopt;
}

TEST_F(AccountPauseTest, WrongTokenThenRightTokenAfterARestartTextsEveryMemberOnceAndFailsNone) {
  auto d1 = Start("d1", "rotated-away-token", /*listen=*/true);
  d1->scheduler().Tick();
  EXPECT_TRUE(standin_.Messages().empty());
  EXPECT_GE(standin_.Requests().refused, 1);
  EXPECT_LE(standin_.Requests().sends, 2) << "only the requests already in flight (twilio.concurrency 2)";
  ExpectAllWaitingUnattempted(*d1);
  auto pause = Pause(*d1);
  ASSERT_TRUE(pause.has_value());
  EXPECT_EQ(pause->error_code, 20003);
  EXPECT_EQ(pause->until, UnixMillis(T(kDue)) + 60000) << "twilio.account_pause_seconds: 60";
  EXPECT_EQ(pause->errors, 1) << "refusals of requests in flight count once";

  const int sends = standin_.Requests().sends;
  d1->scheduler().Tick();
  EXPECT_EQ(standin_.Requests().sends, sends) << "paused: nothing is claimed";
  EXPECT_EQ(WarnLinesMentioning("20003 authentication failed"), 1) << log_.Joined();
  EXPECT_EQ(WarnLinesMentioning("next probe at 2026-12-01T08:01:00Z (in 60 s)"), 1) << log_.Joined();
  httplib::Client http("127.0.0.1", d1->listener_port());
  EXPECT_EQ(http.Get("/readyz")->status, 200) << "paused is not unready";
  EXPECT_EQ(MetricSample(http, "checkin_twilio_paused"), 1.0);
  EXPECT_GE(MetricSample(http, "checkin_twilio_errors_total{kind=\"account\"}").value_or(0), 1.0);
  EXPECT_EQ(MetricSample(http, "checkin_sends_total{outcome=\"failed\"}"), 0.0);
  Advance(std::chrono::seconds(30));
  d1->scheduler().Tick();
  EXPECT_EQ(WarnLinesMentioning("20003"), 1) << "at most one warn line a minute";

  d1.reset();  // the operator fixes the token and restarts
  auto d2 = Start("d2");
  d2->scheduler().Tick();
  EXPECT_EQ(standin_.Requests().sends, sends) << "the pause outlives the restart until its probe";
  Advance(std::chrono::seconds(30));  // 08:01:00: the probe
  d2->scheduler().Tick();
  ExpectEachMemberTextedOnce(*d2);
  EXPECT_FALSE(Pause(*d2).has_value()) << "the probe was sent: the pause is lifted";
  d2->scheduler().Tick();
  EXPECT_NE(log_.Joined(spdlog::level::info).find("Twilio account pause lifted"), std::string::npos);
  EXPECT_NE(d2->metrics().Render().find("\ncheckin_twilio_paused 0\n"), std::string::npos);
}

// The same rotation fixed by `systemctl reload checkind` instead of a
// restart: the workers' senders are made again from the reloaded token, so
// nothing waits for the pause's probe.
TEST_F(AccountPauseTest, WrongTokenThenRightTokenOnReloadTextsEveryMemberOnceAndFailsNone) {
  auto d = Start("d", "rotated-away-token");
  d->scheduler().Tick();
  EXPECT_TRUE(standin_.Messages().empty());
  EXPECT_GE(standin_.Requests().refused, 1);
  ExpectAllWaitingUnattempted(*d);
  ASSERT_TRUE(Pause(*d).has_value());
  EXPECT_EQ(Pause(*d)->error_code, 20003);

  d->SetConfig(MakeConfig(Yaml()));  // the right token; what SIGHUP does (main.cc Reload)
  EXPECT_FALSE(Pause(*d).has_value()) << "the reload lifts the pause";
  const int refused = standin_.Requests().refused;
  TickStats t = d->scheduler().Tick();  // the same second: no wait for a probe
  EXPECT_EQ(t.dispatch.sent, 3);
  EXPECT_EQ(t.dispatch.failed, 0);
  EXPECT_EQ(standin_.Requests().refused, refused) << "no request went out with the old token";
  ExpectEachMemberTextedOnce(*d);
  for (int i = 0; i < 3; ++i) {
    Advance(std::chrono::minutes(20));
    d->scheduler().Tick();
  }
  EXPECT_EQ(standin_.Messages().size(), 3u) << "nobody texted twice";
  EXPECT_FALSE(Pause(*d).has_value());
  EXPECT_NE(d->metrics().Render().find("checkin_sends_total{outcome=\"failed\"} 0\n"), std::string::npos)
      << d->metrics().Render();
}

TEST_F(AccountPauseTest, APauseSetByOneDaemonStopsTheOthersClaiming) {
  auto wrong = Start("wrong", "rotated-away-token");
  auto right = Start("right");
  wrong->scheduler().Tick();
  ASSERT_TRUE(Pause(*right).has_value());
  const int sends = standin_.Requests().sends;
  auto claimed = right->store().ClaimDueJobs(UnixMillis(clock_->Now()), 120000, "someone", 10);
  ASSERT_OK(claimed);
  EXPECT_TRUE(claimed->empty()) << "every due job waits";
  right->scheduler().Tick();
  EXPECT_EQ(standin_.Requests().sends, sends);
  Advance(std::chrono::seconds(59));
  right->scheduler().Tick();
  EXPECT_EQ(standin_.Requests().sends, sends);
  Advance(std::chrono::seconds(1));
  right->scheduler().Tick();  // the right daemon's probe goes, and lifts it for both
  ExpectEachMemberTextedOnce(*right);
}

TEST_F(AccountPauseTest, EachFailedProbeDoublesThePauseUpToTheCap) {
  auto d = Start("d", "rotated-away-token");
  d->scheduler().Tick();
  const Millis lengths[] = {60000, 120000, 240000, 480000, 900000, 900000};  // 15 min cap
  for (size_t i = 0; i < std::size(lengths); ++i) {
    SCOPED_TRACE(i);
    auto pause = Pause(*d);
    ASSERT_TRUE(pause.has_value());
    EXPECT_EQ(pause->length, lengths[i]);
    EXPECT_EQ(pause->errors, static_cast<int>(i) + 1);
    EXPECT_EQ(pause->until, UnixMillis(clock_->Now()) + lengths[i]);
    const int sends = standin_.Requests().sends;
    Advance(std::chrono::milliseconds(lengths[i] - 1000));
    d->scheduler().Tick();
    EXPECT_EQ(standin_.Requests().sends, sends) << "nothing before the pause ends";
    Advance(std::chrono::seconds(1));
    d->scheduler().Tick();
    EXPECT_EQ(standin_.Requests().sends, sends + 1) << "one probe, refused again";
  }
  ExpectAllWaitingUnattempted(*d);
  EXPECT_TRUE(standin_.Messages().empty());
}

TEST_F(AccountPauseTest, AMemberLevelRefusalStillFailsOnlyThatJob) {
  Cli({"HSET", p_ + "member:amy", "phone", "+15005550001"});  // 21211 invalid 'To'
  Cli({"HSET", p_ + "member:cat", "phone", "+15005550004"});  // 21610 STOP
  auto d = Start("d");
  d->scheduler().Tick();
  EXPECT_EQ(Job(*d, "amy")["state"], "failed");
  EXPECT_EQ(Job(*d, "amy")["error_code"], "21211");
  EXPECT_EQ(Job(*d, "cat")["state"], "failed");
  EXPECT_EQ(Job(*d, "cat")["error_code"], "21610");
  EXPECT_EQ(Job(*d, "bea")["state"], "sent");
  EXPECT_FALSE(Pause(*d).has_value());
  EXPECT_EQ(WarnLinesMentioning(""), 0);
}

TEST_F(AccountPauseTest, AReloadLiftsThePauseAtOnce) {
  standin_.ForceSenderError(kSender, 21606);  // the number cannot send SMS
  auto d = Start("d");
  d->scheduler().Tick();
  auto pause = Pause(*d);
  ASSERT_TRUE(pause.has_value());
  EXPECT_EQ(pause->error_code, 21606);
  ExpectAllWaitingUnattempted(*d);
  d->scheduler().Tick();
  EXPECT_EQ(WarnLinesMentioning("21606 'From' number cannot send SMS"), 1) << log_.Joined();
  standin_.ForceSenderError(kSender, 0);  // fixed at Twilio; then `systemctl reload checkind`
  d->SetConfig(MakeConfig(Yaml()));       // what SIGHUP does (main.cc Reload)
  EXPECT_FALSE(Pause(*d).has_value());
  d->scheduler().Tick();  // the same second: no wait for the probe
  ExpectEachMemberTextedOnce(*d);
}

TEST_F(AccountPauseTest, ASafeguardingAlertGoesFirstWhenThePauseLifts) {
  JobSpec alert;
  alert.id = "alert-1";
  alert.kind = JobKind::kAlert;
  alert.to = "+447700900777";
  alert.body = "Safeguarding: a member may not be safe";
  alert.session_starts_at = T(kDue) + std::chrono::hours(24);  // worth sending until then
  alert.due_at = Instant();                                     // the epoch: claimed first
  standin_.ForceSenderError(kSender, 21606);
  auto d = Start("d");
  ASSERT_OK(d->store().CreateJobs({alert}, UnixMillis(clock_->Now())));
  d->scheduler().Tick();
  ASSERT_TRUE(Pause(*d).has_value());
  ASSERT_TRUE(standin_.Messages().empty());
  standin_.ForceSenderError(kSender, 0);  // fixed at Twilio, nobody reloads: the probe finds out
  Advance(std::chrono::seconds(60));
  d->scheduler().Tick();
  auto sent = standin_.Messages();
  ASSERT_EQ(sent.size(), 4u);
  EXPECT_EQ(sent[0].to, alert.to) << "the alert is the probe, ahead of the reminders";
  ExpectEachMemberTextedOnce(*d);
  EXPECT_EQ(d->store().JobFields("alert-1")->at("state"), "sent");
}

}  // namespace
}  // namespace checkin
