// Replies end to end, in-process: a checkind Daemon with its HTTP listener
// on a free loopback port, a real redis-server, and texts signed exactly as
// Twilio signs them (twilio_signature.h) over the configured public URL.
// Every check reads Redis as another system would.
#include <algorithm>

#include "replies/reply_handler.h"
#include "webhook_fixture.h"

namespace checkin {
namespace {

class RepliesTest : public WebhookFixture {};

TEST_F(RepliesTest, SignedYesIsRecordedAndConfirmed) {
  Remind("amy", kAmy, "s1", "2026-12-01T08:00:00Z");
  auto res = Text("Yes please 😊");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/xml");
  EXPECT_NE(res->body.find("<Message>Lovely, thanks Amy! See you today at 10:00.</Message>"), std::string::npos)
      << res->body;
  EXPECT_EQ(Rsvp("s1", "amy"), "yes");
  const long ttl = std::stol(redis_->Cli({"TTL", p_ + "session:s1:rsvp"}));
  EXPECT_GT(ttl, 0) << "answers expire: session end + retention_days";
}

// Issue 13: a session's rsvp key, the inbox or a member's hash of the wrong
// type is reported once under its own key; every reply is still answered.
TEST_F(RepliesTest, WrongTypeKeysAreReportedOnceAndRepliesStillAnswered) {
  Remind("amy", kAmy, "s1", "2026-12-01T08:00:00Z");
  Remind("bea", "+447700900456", "s1", "2026-12-01T08:00:00Z");
  redis_->Cli({"SET", p_ + "session:s1:rsvp", "amy=yes"});
  redis_->Cli({"SET", p_ + "inbox", "not a stream"});
  redis_->Cli({"DEL", p_ + "member:bea"});
  redis_->Cli({"SET", p_ + "member:bea", "Bea"});
  for (int i = 0; i < 3; ++i) {
    auto yes = Text("yes", kAmy, "SM" + std::string(31, 'a') + std::to_string(i));
    ASSERT_TRUE(yes);
    EXPECT_EQ(yes->status, 200);
    EXPECT_NE(yes->body.find("Lovely, thanks Amy!"), std::string::npos) << yes->body;
    auto unclear = Text("what time is it?", kAmy, "SM" + std::string(31, 'b') + std::to_string(i));
    ASSERT_TRUE(unclear);
    EXPECT_EQ(unclear->status, 200) << "the inbox is unreadable, she is still answered";
    auto from_bea = Text("yes", "+447700900456", "SM" + std::string(31, 'c') + std::to_string(i));
    ASSERT_TRUE(from_bea);
    EXPECT_EQ(from_bea->status, 200);
  }
  const std::vector<std::string> warnings = log_.Lines(spdlog::level::warn);
  for (const std::string& key : {p_ + "session:s1:rsvp", p_ + "inbox", p_ + "member:bea"}) {
    const auto n = std::count_if(warnings.begin(), warnings.end(), [&](const std::string& line) {
      return line.find("skipping " + key + ": wrong type") != std::string::npos;
    });
    EXPECT_EQ(n, 1) << key << ":\n" << log_.Joined(spdlog::level::warn);
  }
  EXPECT_EQ(log_.Joined(spdlog::level::info).find("7700900"), std::string::npos) << log_.Joined(spdlog::level::info);
}

TEST_F(RepliesTest, LatestAnswerWins) {
  Remind("amy", kAmy, "s1", "2026-12-01T08:00:00Z");
  ASSERT_EQ(Text("yes!")->status, 200);
  ASSERT_EQ(Text("can't make it x")->status, 200);
  EXPECT_EQ(Rsvp("s1", "amy"), "no");
  ASSERT_EQ(Text("might do")->status, 200);
  EXPECT_EQ(Rsvp("s1", "amy"), "maybe");
}

TEST_F(RepliesTest, UnsignedTamperedOrForeignSignaturesAreRefusedAndChangeNothing) {
  Remind("amy", kAmy, "s1", "2026-12-01T08:00:00Z");
  const FormParams params = TextParams("yes", kAmy, "SM" + std::string(32, 'a'));
  auto unsigned_res = Post("/twilio/sms", params, "");
  ASSERT_TRUE(unsigned_res);
  EXPECT_EQ(unsigned_res->status, 403);

  const std::string good = ComputeTwilioSignature(standin_.auth_token(), std::string(kPublicUrl) + "/twilio/sms", params);
  FormParams tampered = params;
  tampered[4].second = "no";  // Body
  EXPECT_EQ(Post("/twilio/sms", tampered, good)->status, 403);
  const std::string wrong_token = ComputeTwilioSignature("not-the-token", std::string(kPublicUrl) + "/twilio/sms", params);
  EXPECT_EQ(Post("/twilio/sms", params, wrong_token)->status, 403);
  const std::string wrong_url = ComputeTwilioSignature(standin_.auth_token(), "https://evil.example/twilio/sms", params);
  EXPECT_EQ(Post("/twilio/sms", params, wrong_url)->status, 403);

  EXPECT_EQ(Rsvp("s1", "amy"), "");
  EXPECT_EQ(InboxLength(), 0);
  EXPECT_EQ(redis_->Cli({"EXISTS", p_ + "reply:SM" + std::string(32, 'a')}), "0");
  EXPECT_EQ(Post("/twilio/sms", params, good)->status, 200) << "the same request, signed, is accepted";
  EXPECT_EQ(Rsvp("s1", "amy"), "yes");
}

TEST_F(RepliesTest, MalformedAndOversizedBodiesAreRefused) {
  httplib::Headers headers = {{"X-Twilio-Signature", "x"}};
  auto bad = http_->Post("/twilio/sms", headers, "Body=%G1&From=%2B44", "application/x-www-form-urlencoded");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  auto big = http_->Post("/twilio/sms", headers, "Body=" + std::string(70 * 1024, 'a'),
                         "application/x-www-form-urlencoded");
  ASSERT_TRUE(big);
  EXPECT_EQ(big->status, 413);
  auto missing = PostSigned("/twilio/sms", {{"Body", "yes"}});
  EXPECT_EQ(missing->status, 400) << "no MessageSid or From";
  EXPECT_EQ(InboxLength(), 0);
}

TEST_F(RepliesTest, DuplicateMessageSidIsProcessedOnceAndAnsweredTheSame) {
  Remind("amy", kAmy, "s1", "2026-12-01T08:00:00Z");
  const std::string sid = "SM" + std::string(32, 'd');
  auto first = Text("yes", kAmy, sid);
  auto again = Text("no", kAmy, sid);  // a retry never changes its body; a forged one must not win either
  ASSERT_TRUE(first && again);
  EXPECT_EQ(again->status, 200);
  EXPECT_EQ(first->body, again->body);
  EXPECT_EQ(Rsvp("s1", "amy"), "yes");
  auto unclear1 = Text("what time?", kAmy, "SM" + std::string(32, 'e'));
  auto unclear2 = Text("what time?", kAmy, "SM" + std::string(32, 'e'));
  EXPECT_EQ(InboxLength(), 1) << "a retried webhook is not filed twice";
}

TEST_F(RepliesTest, UnclearGoesToTheInboxAndToTheCoordinator) {
  Remind("amy", kAmy, "s1", "2026-12-01T08:00:00Z");
  auto res = Text("yes but might be late");
  ASSERT_TRUE(res);
  EXPECT_NE(res->body.find("passed your message on"), std::string::npos) << res->body;
  EXPECT_EQ(Rsvp("s1", "amy"), "") << "a mixed answer is not guessed";
  const std::string inbox = InboxDump();
  for (const char* want : {"amy", "\ng\n", "s1", "yes but might be late", "unclear", "2026-12-01T08:00:00Z"}) {
    EXPECT_NE(inbox.find(want), std::string::npos) << want << " in " << inbox;
  }
  daemon_->scheduler().Tick();  // the forward is a job, sent like reminders
  bool forwarded = false;
  for (const auto& m : standin_.Messages()) {
    if (m.to != "+447700900999" || m.body.find("yes but might be late") == std::string::npos) continue;  // not the 07:00 digest
    forwarded = true;
    EXPECT_NE(m.body.find("Amy (+44******0123)"), std::string::npos) << m.body;
    EXPECT_NE(m.body.find("yes but might be late"), std::string::npos) << m.body;
  }
  EXPECT_TRUE(forwarded);
}

TEST_F(RepliesTest, UnknownNumberAndNoSessionGoToTheInbox) {
  auto unknown = Text("yes", "+447700900777");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->body.find("<Message>"), std::string::npos) << "strangers get no answer";
  Remind("amy", kAmy, "s1", "2026-12-01T08:00:00Z");
  clock_->Set(std::chrono::system_clock::time_point(T("2026-12-01T12:30:00Z")));  // s1 ended at 12:00
  ASSERT_TRUE(Text("yes"));
  EXPECT_EQ(Rsvp("s1", "amy"), "") << "an ended session takes no answers";
  const std::string inbox = InboxDump();
  EXPECT_NE(inbox.find("unknown_sender"), std::string::npos) << inbox;
  EXPECT_NE(inbox.find("+447700900777"), std::string::npos) << inbox;
  EXPECT_NE(inbox.find("no_session"), std::string::npos) << inbox;
}

TEST_F(RepliesTest, ReplyGoesToTheLatestRemindedSessionThatHasNotEnded) {
  AddSession("s2", "g", "2026-12-02T10:00:00+00:00");
  Remind("amy", kAmy, "s2", "2026-12-01T07:00:00Z");
  Remind("amy", kAmy, "s1", "2026-12-01T07:30:00Z");
  ASSERT_TRUE(Text("yes"));
  EXPECT_EQ(Rsvp("s1", "amy"), "yes");
  EXPECT_EQ(Rsvp("s2", "amy"), "");
  clock_->Set(std::chrono::system_clock::time_point(T("2026-12-01T12:30:00Z")));  // s1 over
  ASSERT_TRUE(Text("no sorry"));
  EXPECT_EQ(Rsvp("s2", "amy"), "no");
  EXPECT_EQ(Rsvp("s1", "amy"), "yes");
}

TEST_F(RepliesTest, StopOptsOutAndCancelsWaitingRemindersStartUndoes) {
  AddSession("s2", "g", "2026-12-03T10:00:00+00:00");
  Remind("amy", kAmy, "s1", "2026-12-01T08:00:00Z");
  daemon_->scheduler().Tick();  // plans s2's reminders (s1's are due now and sent)
  auto stop = Text("  Stop! ");
  ASSERT_TRUE(stop);
  EXPECT_EQ(stop->body.find("<Message>"), std::string::npos) << "Twilio answers STOP itself";
  EXPECT_EQ(redis_->Cli({"HGET", p_ + "member:amy", "opted_out"}), "1");
  const std::string waiting = redis_->Cli({"SMEMBERS", p_ + "{jobs}:member:amy"});
  EXPECT_EQ(waiting, "") << "every waiting job of hers is finished";
  const auto before = standin_.Messages().size();
  clock_->Set(std::chrono::system_clock::time_point(T("2026-12-03T08:00:00Z")));
  daemon_->scheduler().Tick();
  for (size_t i = before; i < standin_.Messages().size(); ++i) EXPECT_NE(standin_.Messages()[i].to, kAmy);
  ASSERT_TRUE(Text("START"));
  EXPECT_EQ(redis_->Cli({"HGET", p_ + "member:amy", "opted_out"}), "0");
}

TEST_F(RepliesTest, KeywordsOnlyWhenTheWholeMessage) {
  Remind("amy", kAmy, "s1", "2026-12-01T08:00:00Z");
  ASSERT_TRUE(Text("Stop. Thank you"));
  ASSERT_TRUE(Text("can't stop smiling"));
  EXPECT_EQ(redis_->Cli({"HGET", p_ + "member:amy", "opted_out"}), "");
  EXPECT_EQ(InboxLength(), 2);
  auto help = Text("HELP");
  ASSERT_TRUE(help);
  EXPECT_NE(help->body.find("Reply STOP to stop them"), std::string::npos) << help->body;
}

TEST_F(RepliesTest, StatusCallbacksNeverMoveAFinalStateBack) {
  Remind("amy", kAmy, "s1", "2026-12-01T08:00:00Z");
  daemon_->scheduler().Tick();  // s1's reminders go out now (overdue: one each)
  ASSERT_FALSE(standin_.Messages().empty());
  const std::string sid = standin_.Messages().front().sid;
  const std::string job = redis_->Cli({"GET", p_ + "{jobs}:sid:" + sid});
  ASSERT_FALSE(job.empty());
  auto status = [&](const std::string& s, const std::string& code = "") {
    FormParams p = {{"MessageSid", sid}, {"MessageStatus", s}, {"AccountSid", standin_.account_sid()}};
    if (!code.empty()) p.emplace_back("ErrorCode", code);
    auto res = PostSigned("/twilio/status", p);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 204);
  };
  const std::string key = p_ + "{jobs}:job:" + job;
  status("delivered");
  status("sent");
  status("queued");
  EXPECT_EQ(redis_->Cli({"HGET", key, "delivery_status"}), "delivered");
  status("undelivered", "30003");  // a final state does not replace another
  EXPECT_EQ(redis_->Cli({"HGET", key, "delivery_status"}), "delivered");
}

TEST_F(RepliesTest, EarlyCallbackAndDeliveryErrorsAreRecorded) {
  // A callback for a sid the daemon has not recorded yet is kept, then
  // applied when the send's answer is recorded.
  auto& handler = daemon_->replies();
  auto early = handler.HandleStatus("SMearly", "undelivered", 30005);
  ASSERT_OK(early);
  EXPECT_EQ(*early, 2);
  ASSERT_OK(daemon_->store().CreateJobs({JobSpec{"j1", JobKind::kReminder, "s1", "amy", T("2026-12-01T10:00:00Z"),
                                                 T("2026-12-01T08:00:00Z"), T("2026-12-01T08:00:00Z"), {}, "", ""}},
                                        0));
  auto claimed = daemon_->store().ClaimDueJobs(T("2026-12-01T08:00:00Z").time_since_epoch().count() * 1000, 60000,
                                               "me", 10);
  ASSERT_OK(claimed);
  JobOutcome sent;
  sent.kind = JobOutcome::Kind::kSent;
  sent.sid = "SMearly";
  ASSERT_TRUE(*daemon_->store().FinishJob("j1", "me", sent, 1));
  auto job = daemon_->store().JobFields("j1");
  ASSERT_OK(job);
  EXPECT_EQ(job->at("delivery_status"), "undelivered");
  EXPECT_EQ(job->at("delivery_error_code"), "30005");
  EXPECT_NE(job->at("delivery_error").find("unknown or inactive"), std::string::npos);
}

TEST_F(RepliesTest, HealthReadinessAndMetrics) {
  EXPECT_EQ(http_->Get("/healthz")->status, 200);
  EXPECT_EQ(http_->Get("/readyz")->status, 200);
  Remind("amy", kAmy, "s1", "2026-12-01T08:00:00Z");
  ASSERT_TRUE(Text("yes"));
  auto metrics = http_->Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_EQ(metrics->status, 200);
  EXPECT_NE(metrics->body.find("checkin_replies_total{intent=\"yes\"} 1"), std::string::npos) << metrics->body;
  EXPECT_NE(metrics->body.find("checkin_webhook_duration_seconds_count{route=\"/twilio/sms\"} 1"),
            std::string::npos);
  EXPECT_NE(metrics->body.find("checkin_queue_jobs{state=\"due\"}"), std::string::npos);
}

TEST_F(RepliesTest, InfoLogsNeverShowNumbersOrBodies) {
  Remind("amy", kAmy, "s1", "2026-12-01T08:00:00Z");
  ASSERT_TRUE(Text("yes but might be late"));
  ASSERT_TRUE(Text("STOP"));
  ASSERT_TRUE(Text("hello", "+447700900777"));
  const std::string info = log_.Joined(spdlog::level::info);
  EXPECT_EQ(info.find("447700900123"), std::string::npos) << info;
  EXPECT_EQ(info.find("447700900777"), std::string::npos) << info;
  EXPECT_EQ(info.find("might be late"), std::string::npos) << info;
  EXPECT_NE(info.find("+44******0123"), std::string::npos) << info;
}

// Found by tests/fuzz/templates_fuzz.cc: a template or a name from Redis
// with bytes that are not UTF-8, or characters XML 1.0 forbids, made TwiML
// Twilio cannot parse (error 12100: the member got no answer at all).
std::string Repeated(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

TEST(TwimlMessage, IsAlwaysWellFormedXml) {
  const std::string head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
  const struct {
    const char* name;
    std::string message;
    std::string want;  // between <Message> and </Message>
  } cases[] = {
      {"markup escaped, quotes kept", "Tom & Jerry <b>\"hi\"</b>", "Tom &amp; Jerry &lt;b&gt;\"hi\"&lt;/b&gt;"},
      {"UTF-8 kept", "Cze\xC5\x9B\xC4\x87 \xF0\x9F\x91\x8D", "Cze\xC5\x9B\xC4\x87 \xF0\x9F\x91\x8D"},
      {"tab and line breaks kept", "a\tb\r\nc", "a\tb\r\nc"},
      {"the fuzzer's input: a run of stray bytes", "Hi {unkn" + std::string(36, '\x80') + "ttp.r",
       "Hi {unkn" + Repeated("\xEF\xBF\xBD", 36) + "ttp.r"},
      {"control characters dropped", "Am\x01y\x0B\x1B\x7F!", "Amy\x7F!"},
      {"U+FFFE dropped", "a\xEF\xBF\xBE" "b", "ab"},
      {"invalid bytes become U+FFFD", "a\xC3(\xFF", "a\xEF\xBF\xBD(\xEF\xBF\xBD"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(TwimlMessage(c.message), head + "<Response><Message>" + c.want + "</Message></Response>") << c.name;
  }
  EXPECT_EQ(TwimlMessage(""), head + "<Response/>");
}

}  // namespace
}  // namespace checkin
