// The Twilio stand-in calling the application, as Twilio does: inbound SMS
// (PostInbound, POST /_standin/inbound) and status callbacks, received by a
// real server on a free loopback port and checked with the daemon's own
// signature validation. Waits are bounded condition-variable waits.
#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "twilio/form_body.h"
#include "standin.h"
#include "test_util.h"
#include "twilio/twilio_signature.h"

namespace checkin::standin {
namespace {

using nlohmann::json;

// What the application side received: one request to a webhook route.
struct Received {
  std::string path;
  std::string signature;
  std::string user_agent;
  FormParams params;
};

// The application's side: a real server on a free loopback port that
// records what Twilio (the stand-in) posts, answers TwiML on /twilio/sms and
// 204 elsewhere, and lets a test wait (bounded) for the Nth request.
class WebhookSink {
 public:
  WebhookSink() {
    auto record = [this](const httplib::Request& req, httplib::Response& res) {
      Result<FormParams> params = ParseFormBody(req.body);
      {
        std::lock_guard<std::mutex> lock(mu_);
        received_.push_back({req.path, req.get_header_value("X-Twilio-Signature"),
                             req.get_header_value("User-Agent"), params.ok() ? *params : FormParams{}});
      }
      arrived_.notify_all();
      if (req.path == "/twilio/sms") {
        res.set_content("<Response><Message>Thanks!</Message></Response>", "text/xml");
      } else {
        res.status = 204;
      }
    };
    http_.Post(R"(/twilio/.*)", record);
    http_.Get("/ready", [](const httplib::Request&, httplib::Response& res) { res.set_content("ok", "text/plain"); });
    port_ = http_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { http_.listen_after_bind(); });
    // Once /ready answers, the accept loop runs and stop() will work.
    httplib::Client probe("127.0.0.1", port_);
    probe.set_connection_timeout(5, 0);
    auto r = probe.Get("/ready");
    ready_ = r && r->status == 200;
  }
  ~WebhookSink() {
    http_.stop();
    thread_.join();
  }

  bool ready() const { return ready_ && port_ > 0; }
  std::string Base() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // The first `n` requests, once they arrived; fewer after `timeout`.
  std::vector<Received> WaitFor(size_t n, std::chrono::seconds timeout = std::chrono::seconds(10)) {
    std::unique_lock<std::mutex> lock(mu_);
    arrived_.wait_for(lock, timeout, [&] { return received_.size() >= n; });
    return received_;
  }

 private:
  httplib::Server http_;
  std::thread thread_;
  int port_ = -1;
  bool ready_ = false;
  std::mutex mu_;
  std::condition_variable arrived_;
  std::vector<Received> received_;
};

std::string Param(const FormParams& params, const char* name) {
  return FormValue(params, name).value_or("<missing>");
}

TEST(StandInWebhooks, PostInboundSendsTwiliosParametersSignedOverThePublicUrl) {
  WebhookSink app;
  ASSERT_TRUE(app.ready());
  Options opt;
  opt.public_url = "https://reminders.example.org/";
  TwilioStandIn standin(opt);
  ASSERT_OK(standin.Start());

  std::string twiml;
  const std::string body = "Tak, będę 🙂";
  Result<int> status = standin.PostInbound(app.Base() + "/twilio/sms", "+447700900123", "+447700900000", body, &twiml);
  ASSERT_OK(status);
  EXPECT_EQ(*status, 200);
  EXPECT_EQ(twiml, "<Response><Message>Thanks!</Message></Response>");
  ASSERT_OK(standin.PostInbound(app.Base() + "/twilio/sms", "+447700900123", "+447700900000", "N", nullptr));

  std::vector<Received> got = app.WaitFor(2);
  ASSERT_EQ(got.size(), 2u);
  const FormParams& p = got[0].params;
  EXPECT_EQ(got[0].path, "/twilio/sms");
  EXPECT_EQ(got[0].user_agent, "TwilioProxy/1.1");
  const std::string sid = Param(p, "MessageSid");
  EXPECT_EQ(sid.size(), 34u);
  EXPECT_EQ(sid.rfind("SM", 0), 0u) << sid;
  EXPECT_EQ(Param(p, "SmsSid"), sid);
  EXPECT_EQ(Param(p, "SmsMessageSid"), sid);
  EXPECT_NE(Param(got[1].params, "MessageSid"), sid) << "a fresh MessageSid for each message";
  EXPECT_EQ(Param(p, "AccountSid"), standin.account_sid());
  EXPECT_EQ(Param(p, "From"), "+447700900123");
  EXPECT_EQ(Param(p, "To"), "+447700900000");
  EXPECT_EQ(Param(p, "Body"), body);
  EXPECT_EQ(Param(p, "NumMedia"), "0");
  EXPECT_EQ(Param(p, "NumSegments"), "1");
  EXPECT_EQ(Param(p, "SmsStatus"), "received");
  EXPECT_EQ(Param(p, "FromCountry"), "GB");
  EXPECT_EQ(Param(p, "ApiVersion"), "2010-04-01");
  EXPECT_FALSE(FormValue(p, "MessagingServiceSid").has_value());

  EXPECT_TRUE(ValidTwilioSignature(standin.auth_token(), "https://reminders.example.org/twilio/sms", p,
                                   got[0].signature));
  EXPECT_FALSE(ValidTwilioSignature(standin.auth_token(), app.Base() + "/twilio/sms", p, got[0].signature))
      << "behind a proxy the listener's own address is not what was signed";
  EXPECT_FALSE(ValidTwilioSignature("another-token", "https://reminders.example.org/twilio/sms", p,
                                    got[0].signature));
}

TEST(StandInWebhooks, PostInboundWithoutPublicUrlSignsTheUrlItCalls) {
  WebhookSink app;
  ASSERT_TRUE(app.ready());
  TwilioStandIn standin;
  ASSERT_OK(standin.Start());
  const std::string url = app.Base() + "/twilio/sms?group=buggy-walk";
  ASSERT_OK(standin.PostInbound(url, "+48600100200", "+447700900000", "tak", nullptr));
  std::vector<Received> got = app.WaitFor(1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(Param(got[0].params, "FromCountry"), "PL");
  EXPECT_TRUE(ValidTwilioSignature(standin.auth_token(), url, got[0].params, got[0].signature));
}

TEST(StandInWebhooks, PostInboundToNobodyIsUnavailable) {
  TwilioStandIn standin;
  ASSERT_OK(standin.Start());
  Result<int> r = standin.PostInbound("http://127.0.0.1:" + std::to_string(checkin::testing::FreeLoopbackPort()) +
                                          "/twilio/sms",
                                      "+447700900123", "+447700900000", "Y", nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsUnavailable()) << r.status().ToString();
  EXPECT_TRUE(standin.PostInbound("not a url", "+447700900123", "+447700900000", "Y", nullptr)
                  .status()
                  .IsInvalidArgument());
}

TEST(StandInWebhooks, AdminInboundRoutePostsAndAnswersTheTwiml) {
  WebhookSink app;
  ASSERT_TRUE(app.ready());
  TwilioStandIn standin;
  ASSERT_OK(standin.Start());
  httplib::Client admin("127.0.0.1", standin.port());
  json request = {{"url", app.Base() + "/twilio/sms"}, {"from", "+447700900123"}, {"to", "+447700900000"},
                  {"body", "Y"}};
  auto r = admin.Post("/_standin/inbound", request.dump(), "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  json answer = json::parse(r->body, nullptr, false);
  EXPECT_EQ(answer["status"], 200);
  EXPECT_EQ(answer["twiml"], "<Response><Message>Thanks!</Message></Response>");
  std::vector<Received> got = app.WaitFor(1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(Param(got[0].params, "Body"), "Y");

  EXPECT_EQ(admin.Post("/_standin/inbound", R"({"url":"x"})", "application/json")->status, 400);
  EXPECT_EQ(admin.Post("/_standin/inbound", "not json", "application/json")->status, 400);
  request["url"] = "http://127.0.0.1:" + std::to_string(checkin::testing::FreeLoopbackPort()) + "/twilio/sms";
  EXPECT_EQ(admin.Post("/_standin/inbound", request.dump(), "application/json")->status, 502);
}

// Sends through the API the way checkind does, with a StatusCallback.
httplib::Result SendWithCallback(TwilioStandIn& standin, const std::string& to, const std::string& callback) {
  httplib::Client api("127.0.0.1", standin.port());
  api.set_basic_auth(standin.account_sid().c_str(), standin.auth_token().c_str());
  const std::string path = "/2010-04-01/Accounts/" + standin.account_sid() + "/Messages.json";
  return api.Post(path.c_str(), httplib::Params{{"To", to}, {"From", "+447700900000"}, {"Body", "Hi Amy"},
                                                {"StatusCallback", callback}});
}

TEST(StandInWebhooks, StatusCallbacksArriveSignedOverTheOriginalCallbackUrl) {
  WebhookSink app;
  ASSERT_TRUE(app.ready());
  Options opt;
  opt.send_status_callbacks = true;
  opt.callback_rewrite_base = app.Base();  // the proxy: public URL -> listener
  TwilioStandIn standin(opt);
  ASSERT_OK(standin.Start());
  const std::string callback = "https://reminders.example.org/twilio/status?job=j1";

  auto refused = SendWithCallback(standin, "+15005550004", callback);  // magic: unsubscribed
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 400);
  auto sent = SendWithCallback(standin, "+447700900123", callback);
  ASSERT_TRUE(sent);
  ASSERT_EQ(sent->status, 201) << sent->body;
  const std::string sid = json::parse(sent->body)["sid"];

  std::vector<Received> got = app.WaitFor(2);
  ASSERT_EQ(got.size(), 2u);
  const char* statuses[] = {"sent", "delivered"};
  for (size_t i = 0; i < 2; ++i) {
    SCOPED_TRACE(statuses[i]);
    const FormParams& p = got[i].params;
    EXPECT_EQ(got[i].path, "/twilio/status");
    EXPECT_EQ(Param(p, "MessageStatus"), statuses[i]);
    EXPECT_EQ(Param(p, "SmsStatus"), statuses[i]);
    EXPECT_EQ(Param(p, "MessageSid"), sid);
    EXPECT_EQ(Param(p, "SmsSid"), sid);
    EXPECT_EQ(Param(p, "AccountSid"), standin.account_sid());
    EXPECT_EQ(Param(p, "From"), "+447700900000");
    EXPECT_EQ(Param(p, "To"), "+447700900123");
    EXPECT_EQ(Param(p, "ApiVersion"), "2010-04-01");
    EXPECT_TRUE(ValidTwilioSignature(standin.auth_token(), callback, p, got[i].signature));
    EXPECT_FALSE(ValidTwilioSignature(standin.auth_token(), app.Base() + "/twilio/status?job=j1", p,
                                      got[i].signature));
  }
  standin.Stop();  // joins the sender: its counters are final
  EXPECT_EQ(app.WaitFor(3, std::chrono::seconds(0)).size(), 2u) << "nothing for the refused number";
  EXPECT_EQ(standin.Requests().callbacks_sent, 2);
  EXPECT_EQ(standin.Requests().callbacks_failed, 0);
}

TEST(StandInWebhooks, StatusCallbacksAreOffByDefaultAndTheQueueIsBounded) {
  WebhookSink app;
  ASSERT_TRUE(app.ready());
  {
    TwilioStandIn quiet;  // send_status_callbacks defaults to false
    ASSERT_OK(quiet.Start());
    ASSERT_EQ(SendWithCallback(quiet, "+447700900123", app.Base() + "/twilio/status")->status, 201);
  }  // ~TwilioStandIn: Stop() joined every thread it started
  EXPECT_EQ(app.WaitFor(1, std::chrono::seconds(0)).size(), 0u);

  Options opt;
  opt.send_status_callbacks = true;
  opt.callback_queue_limit = 1;  // room for "sent" only
  TwilioStandIn standin(opt);
  ASSERT_OK(standin.Start());
  ASSERT_EQ(SendWithCallback(standin, "+447700900123", app.Base() + "/twilio/status")->status, 201);
  std::vector<Received> got = app.WaitFor(1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(Param(got[0].params, "MessageStatus"), "sent");
  standin.Stop();
  EXPECT_EQ(standin.Requests().callbacks_dropped, 1);
  EXPECT_EQ(standin.Requests().callbacks_sent, 1);
}

}  // namespace
}  // namespace checkin::standin
