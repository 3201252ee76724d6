// Contract test: TwilioClient's requests against Prism serving Twilio's own
// OpenAPI description (shared/contracts/twilio_api_v2010.json).
//
// Prism validates every request against the description and answers 422
// (or 401 for missing basic auth) when one does not conform, so a client
// that drifts from Twilio's API fails here. Run by run_contract_test.sh,
// which starts Prism and sets PRISM_URL; without PRISM_URL every test fails.
#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>

#include <cstdlib>

#include "test_util.h"
#include "twilio/twilio_client.h"

namespace checkin {
namespace {

constexpr const char* kSid = "AC0123456789abcdef0123456789abcdef";
constexpr const char* kMessagesPath = "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json";

std::string PrismUrl() {
  const char* url = std::getenv("PRISM_URL");
  return url != nullptr ? url : "";
}

class ContractTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(PrismUrl().empty()) << "PRISM_URL is not set: run tests/contract/run_contract_test.sh";
  }

  static TwilioOptions Options() {
    TwilioOptions o;
    o.api_base = PrismUrl();
    o.account_sid = kSid;
    o.auth_token = "contract-test-token";
    o.from = "+447700900000";
    return o;
  }

  static std::unique_ptr<TwilioClient> Client(TwilioOptions o = Options()) {
    auto r = TwilioClient::Create(std::move(o));
    EXPECT_OK(r);
    return r.ok() ? std::move(r).value() : nullptr;
  }

  static OutgoingMessage Reminder() {
    OutgoingMessage m;
    m.to = "+447700900123";
    m.body = "Hi Amy, baby massage is tomorrow 10:00 at Walkerburn hall. Reply Y or N";
    m.status_callback = "https://reminders.example.org/twilio/status";
    return m;
  }

  // A raw form POST, bypassing TwilioClient, for the negative checks.
  static httplib::Result RawPost(const httplib::Params& form, bool with_auth) {
    httplib::Client http(PrismUrl());
    if (with_auth) http.set_basic_auth(kSid, "contract-test-token");
    return http.Post(kMessagesPath, form);
  }
};

TEST_F(ContractTest, SendConformsWithFromAndStatusCallback) {
  SendResult r = Client()->Send(Reminder());
  ASSERT_EQ(r.kind, SendResult::Kind::kAccepted)
      << "HTTP " << r.http_status << ": " << r.error_message << " (422 = request violates the spec)";
  EXPECT_EQ(r.sid.rfind("SM", 0), 0u);
  EXPECT_FALSE(r.status.empty());
  EXPECT_GE(r.segments, 1);
}

TEST_F(ContractTest, SendConformsWithMessagingServiceAndWhatsapp) {
  TwilioOptions o = Options();
  o.from.clear();
  o.messaging_service_sid = "MG0123456789abcdef0123456789abcdef";
  OutgoingMessage m = Reminder();
  m.channel = Channel::kWhatsapp;
  m.body = "Cześć Ania \U0001F44B";
  m.status_callback.clear();
  SendResult r = Client(o)->Send(m);
  EXPECT_EQ(r.kind, SendResult::Kind::kAccepted) << "HTTP " << r.http_status << ": " << r.error_message;
}

// The list is asked for without DateSent (To and PageSize only). `since` is
// when the spec's example page's messages were created, so they are kept.
TEST_F(ContractTest, ListSentToConforms) {
  const Instant since(std::chrono::seconds(1558719886));  // Fri, 24 May 2019 17:44:46 +0000
  auto list = Client()->ListSentTo("+447700900123", Channel::kSms, since);
  ASSERT_OK(list);
  EXPECT_FALSE(list->empty()) << "Prism answers the spec's example page";
}

// The negative checks prove Prism really validates: were it lenient, the
// positive tests above would prove nothing.
TEST_F(ContractTest, PrismRefusesARequestWithoutTo) {
  auto r = RawPost({{"From", "+447700900000"}, {"Body", "no recipient"}}, true);
  ASSERT_TRUE(r) << "Prism did not answer";
  EXPECT_EQ(r->status, 422) << r->body;
  EXPECT_NE(r->body.find("To"), std::string::npos) << r->body;
}

TEST_F(ContractTest, PrismRefusesAStatusCallbackThatIsNotAUri) {
  auto r = RawPost({{"To", "+447700900123"}, {"Body", "x"}, {"StatusCallback", "/twilio/status"}}, true);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 422) << r->body;
}

TEST_F(ContractTest, PrismRefusesARequestWithoutBasicAuth) {
  auto r = RawPost({{"To", "+447700900123"}, {"Body", "x"}}, false);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401) << r->body;
}

TEST_F(ContractTest, PrismRefusesAMalformedAccountSid) {
  httplib::Client http(PrismUrl());
  http.set_basic_auth(kSid, "t");
  auto r = http.Post("/2010-04-01/Accounts/AC123/Messages.json",
                     httplib::Params{{"To", "+447700900123"}, {"Body", "x"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 422) << r->body;
}

}  // namespace
}  // namespace checkin
