// TwilioClient against a real Twilio stand-in on a free loopback port; the
// stand-in dates messages by a ManualClock the tests move.
#include "twilio/twilio_client.h"

#include <gtest/gtest.h>

#include <chrono>

#include "twilio/errors.h"
#include "standin.h"
#include "test_util.h"

namespace checkin {
namespace {

using std::chrono::milliseconds;
using Kind = SendResult::Kind;

constexpr const char* kMember = "+447700900123";
constexpr const char* kSender = "+447700900000";

class TwilioClientTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_OK(standin_.Start()); }

  TwilioOptions Options() const {
    TwilioOptions o;
    o.api_base = standin_.BaseUrl();
    o.account_sid = standin_.account_sid();
    o.auth_token = standin_.auth_token();
    o.from = kSender;
    o.connect_timeout = milliseconds(1000);
    o.request_timeout = milliseconds(3000);
    return o;
  }

  std::unique_ptr<TwilioClient> Client(TwilioOptions o) {
    auto r = TwilioClient::Create(std::move(o));
    EXPECT_OK(r);
    return r.ok() ? std::move(r).value() : nullptr;
  }
  std::unique_ptr<TwilioClient> Client() { return Client(Options()); }

  static OutgoingMessage Message(std::string to, std::string body = "Hi Amy, see you tomorrow!") {
    OutgoingMessage m;
    m.to = std::move(to);
    m.body = std::move(body);
    return m;
  }

  static standin::Options StandInOptions(std::shared_ptr<const Clock> clock) {
    standin::Options o;
    o.clock = std::move(clock);
    return o;
  }

  // The stand-in's time now: an in-doubt check asks for messages since then.
  Instant Now() const { return clock_->NowSeconds(); }

  std::shared_ptr<ManualClock> clock_ =
      std::make_shared<ManualClock>(Instant(std::chrono::seconds(1796119200)));  // 2026-12-01T10:00:00Z
  standin::TwilioStandIn standin_{StandInOptions(clock_)};
};

TEST_F(TwilioClientTest, AcceptedSendRecordsSidStatusAndSegments) {
  auto client = Client();
  OutgoingMessage msg = Message(kMember, "Hi Amy, baby massage is tomorrow 10:00. Reply Y or N & say hi");
  msg.status_callback = "https://reminders.example.org/twilio/status";
  SendResult r = client->Send(msg);
  ASSERT_EQ(r.kind, Kind::kAccepted) << r.error_message;
  EXPECT_EQ(r.http_status, 201);
  EXPECT_EQ(r.sid.size(), 34u);
  EXPECT_EQ(r.sid.rfind("SM", 0), 0u);
  EXPECT_EQ(r.status, "queued");
  EXPECT_EQ(r.segments, 1);

  auto seen = standin_.Messages();
  ASSERT_EQ(seen.size(), 1u);  // basic auth matched, or there would be none
  EXPECT_EQ(seen[0].sid, r.sid);
  EXPECT_EQ(seen[0].to, kMember);
  EXPECT_EQ(seen[0].from, kSender);
  EXPECT_EQ(seen[0].body, msg.body);
  EXPECT_EQ(seen[0].status_callback, msg.status_callback);
  EXPECT_EQ(seen[0].messaging_service_sid, "");
  EXPECT_EQ(standin_.Requests().refused, 0);
}

TEST_F(TwilioClientTest, SegmentsComeFromTwilio) {
  auto client = Client();
  SendResult r = client->Send(Message(kMember, std::string(71, 'x') + "\u0142" + std::string(20, 'y')));
  ASSERT_TRUE(r.accepted()) << r.error_message;
  EXPECT_EQ(r.segments, 2);  // 92 UCS-2 units
}

TEST_F(TwilioClientTest, WhatsappPrefixesToAndFrom) {
  auto client = Client();
  OutgoingMessage msg = Message(kMember);
  msg.channel = Channel::kWhatsapp;
  ASSERT_TRUE(client->Send(msg).accepted());
  auto seen = standin_.Messages();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].to, std::string("whatsapp:") + kMember);
  EXPECT_EQ(seen[0].from, std::string("whatsapp:") + kSender);
}

TEST_F(TwilioClientTest, MessagingServiceSidReplacesFrom) {
  TwilioOptions o = Options();
  o.from.clear();
  o.messaging_service_sid = "MG0123456789abcdef0123456789abcdef";
  auto client = Client(o);
  ASSERT_TRUE(client->Send(Message(kMember)).accepted());
  auto seen = standin_.Messages();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].from, "");
  EXPECT_EQ(seen[0].messaging_service_sid, o.messaging_service_sid);
}

TEST_F(TwilioClientTest, MagicNumbersArePermanentWithTheirCodes) {
  const struct { const char* to; int code; } cases[] = {
      {"+15005550001", 21211}, {"+15005550002", 21612}, {"+15005550003", 21408},
      {"+15005550004", 21610}, {"+15005550009", 21614}};
  auto client = Client();
  for (const auto& c : cases) {
    SCOPED_TRACE(c.to);
    SendResult r = client->Send(Message(c.to));
    EXPECT_EQ(r.kind, Kind::kPermanent);
    EXPECT_EQ(r.http_status, 400);
    EXPECT_EQ(r.error_code, c.code);
    EXPECT_EQ(r.error_message, "HTTP 400: " + TwilioErrorMeaning(c.code));
  }
  EXPECT_TRUE(standin_.Messages().empty());
}

TEST_F(TwilioClientTest, ForcedNumberErrorAndLongBodyArePermanent) {
  standin_.ForceError(kMember, 21612);
  auto client = Client();
  EXPECT_EQ(client->Send(Message(kMember)).error_code, 21612);
  SendResult r = client->Send(Message("+447700900124", std::string(1601, 'a')));
  EXPECT_EQ(r.kind, Kind::kPermanent);
  EXPECT_EQ(r.error_code, 21617);
}

TEST_F(TwilioClientTest, ServerErrorsAreRetryable) {
  const struct { standin::FailKind kind; int http; int code; } cases[] = {
      {standin::FailKind::kHttp500, 500, 20500}, {standin::FailKind::kHttp503, 503, 20503}};
  auto client = Client();
  for (const auto& c : cases) {
    SCOPED_TRACE(c.http);
    standin_.FailNext(1, c.kind);
    SendResult r = client->Send(Message(kMember));
    EXPECT_EQ(r.kind, Kind::kRetryable);
    EXPECT_EQ(r.http_status, c.http);
    EXPECT_EQ(r.error_code, c.code);
  }
  EXPECT_TRUE(client->Send(Message(kMember)).accepted()) << "faults are used up";
}

TEST_F(TwilioClientTest, TooManyRequestsCarriesRetryAfter) {
  standin_.FailNext(1, standin::FailKind::kHttp429, std::chrono::seconds(7));
  SendResult r = Client()->Send(Message(kMember));
  EXPECT_EQ(r.kind, Kind::kRetryable);
  EXPECT_EQ(r.http_status, 429);
  EXPECT_EQ(r.error_code, 20429);
  ASSERT_TRUE(r.retry_after.has_value());
  EXPECT_EQ(*r.retry_after, std::chrono::seconds(7));
}

TEST_F(TwilioClientTest, HangIsRetryableAfterTheRequestTimeout) {
  standin_.SetHangFor(milliseconds(10000));
  standin_.FailNext(1, standin::FailKind::kHang);
  TwilioOptions o = Options();
  o.request_timeout = milliseconds(300);
  auto start = std::chrono::steady_clock::now();
  SendResult r = Client(o)->Send(Message(kMember));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_EQ(r.kind, Kind::kRetryable);
  EXPECT_EQ(r.http_status, 0);
  EXPECT_FALSE(r.never_sent) << "connected, then no answer: Twilio may have taken it";
  EXPECT_NE(r.error_message.find("no answer"), std::string::npos) << r.error_message;
}

// Nothing listens on the port: the request never left, so it is not in
// doubt (issue 13).
TEST_F(TwilioClientTest, ConnectionRefusedIsRetryableAndNeverSent) {
  TwilioOptions o = Options();
  o.api_base = "http://127.0.0.1:" + std::to_string(testing::FreeLoopbackPort());
  SendResult r = Client(o)->Send(Message(kMember));
  EXPECT_EQ(r.kind, Kind::kRetryable);
  EXPECT_EQ(r.http_status, 0);
  EXPECT_TRUE(r.never_sent);
  EXPECT_NE(r.error_message.find("not sent, Twilio not reached"), std::string::npos) << r.error_message;
}

TEST_F(TwilioClientTest, UnresolvableHostIsRetryableAndNeverSent) {
  TwilioOptions o = Options();
  o.api_base = "http://no-such-host.invalid";
  SendResult r = Client(o)->Send(Message(kMember));
  EXPECT_EQ(r.kind, Kind::kRetryable);
  EXPECT_EQ(r.http_status, 0);
  EXPECT_TRUE(r.never_sent) << r.error_message;
}

TEST_F(TwilioClientTest, WrongTokenIsAnAccountErrorNotAboutTheMessage) {
  TwilioOptions o = Options();
  o.auth_token = "not-the-token";
  SendResult r = Client(o)->Send(Message(kMember));
  EXPECT_EQ(r.kind, Kind::kAccountError);
  EXPECT_EQ(r.http_status, 401);
  EXPECT_EQ(r.error_code, 20003);
}

TEST_F(TwilioClientTest, ListSentToFindsMessagesForThatNumberOnly) {
  auto client = Client();
  const Instant since = Now();
  SendResult mine = client->Send(Message(kMember));
  ASSERT_TRUE(mine.accepted());
  ASSERT_TRUE(client->Send(Message("+447700900999")).accepted());
  auto list = client->ListSentTo(kMember, Channel::kSms, since);
  ASSERT_OK(list);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].sid, mine.sid);
  EXPECT_EQ((*list)[0].to, kMember);
  EXPECT_EQ((*list)[0].body, "Hi Amy, see you tomorrow!");
  EXPECT_EQ((*list)[0].segments, 1);
  EXPECT_FALSE((*list)[0].date_created.empty());
  EXPECT_EQ((*list)[0].status, "sent");
  EXPECT_FALSE((*list)[0].date_sent.empty());
  auto later = client->ListSentTo(kMember, Channel::kSms, since + std::chrono::hours(1));
  ASSERT_OK(later);
  EXPECT_TRUE(later->empty()) << "created before `since` (and the clock-skew allowance)";
}

TEST_F(TwilioClientTest, ListSentToFindsAWhatsappMessageByItsWhatsappAddress) {
  auto client = Client();
  const Instant since = Now();
  OutgoingMessage msg = Message(kMember);
  msg.channel = Channel::kWhatsapp;
  SendResult r = client->Send(msg);
  ASSERT_TRUE(r.accepted());
  auto list = client->ListSentTo(kMember, Channel::kWhatsapp, since);
  ASSERT_OK(list);
  ASSERT_EQ(list->size(), 1u) << "Twilio lists it To whatsapp:" << kMember << ", not the bare number";
  EXPECT_EQ((*list)[0].sid, r.sid);
  auto sms = client->ListSentTo(kMember, Channel::kSms, since);
  ASSERT_OK(sms);
  EXPECT_TRUE(sms->empty()) << "no text went to her by SMS";
}

TEST_F(TwilioClientTest, ListSentToFindsAMessageTwilioStillHoldsQueued) {
  auto client = Client();
  const Instant since = Now();
  standin_.HoldQueued(1, std::chrono::hours(1));
  SendResult r = client->Send(Message(kMember));
  ASSERT_TRUE(r.accepted());
  clock_->Advance(std::chrono::seconds(30));
  auto list = client->ListSentTo(kMember, Channel::kSms, since);
  ASSERT_OK(list);
  ASSERT_EQ(list->size(), 1u) << "a DateSent>= list would leave it out (no date_sent yet)";
  EXPECT_EQ((*list)[0].sid, r.sid);
  EXPECT_EQ((*list)[0].status, "queued");
  EXPECT_EQ((*list)[0].date_sent, "");
  clock_->Advance(std::chrono::hours(1));
  list = client->ListSentTo(kMember, Channel::kSms, since);
  ASSERT_OK(list);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].status, "sent");
}

TEST_F(TwilioClientTest, ListSentToFollowsNextPageUri) {
  auto client = Client();
  const Instant since = Now();
  for (int i = 0; i < 130; ++i) ASSERT_TRUE(client->Send(Message(kMember, "n" + std::to_string(i))).accepted());
  auto list = client->ListSentTo(kMember, Channel::kSms, since);
  ASSERT_OK(list);
  EXPECT_EQ(list->size(), 130u);
  EXPECT_EQ(standin_.Requests().lists, 2);
}

// Her older messages are not read page after page: the listing stops at the
// first page that ends before `since`.
TEST_F(TwilioClientTest, ListSentToStopsPagingOnceMessagesPredateSince) {
  auto client = Client();
  for (int i = 0; i < 250; ++i) ASSERT_TRUE(client->Send(Message(kMember, "old" + std::to_string(i))).accepted());
  clock_->Advance(std::chrono::hours(24 * 7));
  const Instant since = Now();
  SendResult mine = client->Send(Message(kMember));
  ASSERT_TRUE(mine.accepted());
  auto list = client->ListSentTo(kMember, Channel::kSms, since);
  ASSERT_OK(list);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].sid, mine.sid);
  EXPECT_EQ(standin_.Requests().lists, 1) << "page 1 already ends a week before `since`";
}

// A queued message whose date_created is old never ends the listing: it
// could sit before newer ones if Twilio lists unsent messages first.
TEST_F(TwilioClientTest, ListSentToReadsOnPastAnOldMessageStillQueued) {
  auto client = Client();
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(client->Send(Message(kMember, "older" + std::to_string(i))).accepted());
  standin_.HoldQueued(1, std::chrono::hours(24 * 30));
  ASSERT_TRUE(client->Send(Message(kMember, "old and still queued")).accepted());
  for (int i = 0; i < 99; ++i) ASSERT_TRUE(client->Send(Message(kMember, "old" + std::to_string(i))).accepted());
  clock_->Advance(std::chrono::hours(24 * 7));
  const Instant since = Now();
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(client->Send(Message(kMember, "new" + std::to_string(i))).accepted());
  auto list = client->ListSentTo(kMember, Channel::kSms, since);
  ASSERT_OK(list);
  EXPECT_EQ(list->size(), 100u);
  EXPECT_EQ(standin_.Requests().lists, 3) << "page 2 ends with the queued one, page 3 with a sent old one";
}

TEST_F(TwilioClientTest, AcceptThenFailLeavesAMessageThatListSentToFinds) {
  const struct { standin::FailKind kind; int http; } cases[] = {
      {standin::FailKind::kHttp500, 500}, {standin::FailKind::kDrop, 0}};
  auto client = Client();
  for (const auto& c : cases) {
    SCOPED_TRACE(standin::FailKindName(c.kind));
    standin_.ClearMessages();
    standin_.AcceptThenFail(1, c.kind);
    SendResult r = client->Send(Message(kMember));
    EXPECT_EQ(r.kind, Kind::kRetryable);
    EXPECT_EQ(r.http_status, c.http);
    EXPECT_FALSE(r.never_sent) << "a reset after sending is in doubt";
    ASSERT_EQ(standin_.Messages().size(), 1u);
    auto list = client->ListSentTo(kMember, Channel::kSms, Now());
    ASSERT_OK(list);
    ASSERT_EQ(list->size(), 1u);
    EXPECT_EQ((*list)[0].sid, standin_.Messages()[0].sid);
  }
}

TEST_F(TwilioClientTest, ListSentToIsUnavailableWhenTwilioIsDown) {
  TwilioOptions o = Options();
  o.api_base = "http://127.0.0.1:" + std::to_string(testing::FreeLoopbackPort());
  auto list = Client(o)->ListSentTo(kMember, Channel::kSms, Now());
  EXPECT_TRUE(list.status().IsUnavailable()) << list.status().ToString();
  standin_.FailNext(1, standin::FailKind::kHttp503);
  list = Client()->ListSentTo(kMember, Channel::kSms, Now());
  EXPECT_TRUE(list.status().IsUnavailable()) << list.status().ToString();
}

TEST_F(TwilioClientTest, InfoLogsNeverHoldTheNumberOrTheBody) {
  auto log = testing::CaptureLog();
  TwilioOptions o = Options();
  o.logger = log.logger;
  auto client = Client(o);
  const std::string body = "Hi Amy, secret body text";
  ASSERT_TRUE(client->Send(Message(kMember, body)).accepted());
  EXPECT_FALSE(client->Send(Message("+15005550001", body)).accepted());
  standin_.FailNext(1);
  EXPECT_FALSE(client->Send(Message(kMember, body)).accepted());
  ASSERT_OK(client->ListSentTo(kMember, Channel::kSms, Now()));
  const std::string info = log.Joined(spdlog::level::info);
  EXPECT_NE(info.find("+44******0123"), std::string::npos) << info;
  for (const std::string& secret : {std::string(kMember), std::string("+15005550001"), body}) {
    EXPECT_EQ(info.find(secret), std::string::npos) << secret << " in:\n" << info;
  }
  EXPECT_EQ(log.Joined().find(body), std::string::npos) << "not even at debug";
}

TEST(TwilioClientCreate, RejectsBadOptions) {
  auto good = [] {
    TwilioOptions o;
    o.account_sid = "AC0123456789abcdef0123456789abcdef";
    o.auth_token = "token";
    o.from = kSender;
    return o;
  };
  ASSERT_OK(TwilioClient::Create(good()));
  const struct { const char* name; void (*spoil)(TwilioOptions&); } cases[] = {
      {"short sid", [](TwilioOptions& o) { o.account_sid = "AC123"; }},
      {"non-hex sid", [](TwilioOptions& o) { o.account_sid = "ACzz23456789abcdef0123456789abcdef"; }},
      {"wrong sid prefix", [](TwilioOptions& o) { o.account_sid = "MG0123456789abcdef0123456789abcdef"; }},
      {"empty token", [](TwilioOptions& o) { o.auth_token.clear(); }},
      {"no sender", [](TwilioOptions& o) { o.from.clear(); }},
      {"bad service sid", [](TwilioOptions& o) { o.messaging_service_sid = "MGxyz"; }},
      {"ftp api_base", [](TwilioOptions& o) { o.api_base = "ftp://api.twilio.com"; }},
      {"zero timeout", [](TwilioOptions& o) { o.request_timeout = milliseconds(0); }},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    TwilioOptions o = good();
    c.spoil(o);
    auto r = TwilioClient::Create(o);
    EXPECT_TRUE(r.status().IsInvalidArgument()) << r.status().ToString();
  }
}

}  // namespace
}  // namespace checkin
