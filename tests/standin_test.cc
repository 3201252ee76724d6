// The Twilio stand-in itself, spoken to with a plain HTTP client: Twilio's
// answers, paging and filters, admin routes, and the fault switches.
#include "standin.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <future>
#include <thread>

#include "test_util.h"

namespace checkin::standin {
namespace {

using nlohmann::json;

class StandInTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK(standin_.Start());
    http_ = std::make_unique<httplib::Client>("127.0.0.1", standin_.port());
    http_->set_basic_auth(standin_.account_sid().c_str(), standin_.auth_token().c_str());
    http_->set_read_timeout(10, 0);
  }

  std::string Path(const std::string& rest = "/Messages.json") const {
    return "/2010-04-01/Accounts/" + standin_.account_sid() + rest;
  }

  httplib::Result Send(const std::string& to, const std::string& body = "Hi there") {
    httplib::Params form{{"To", to}, {"From", "+447700900000"}, {"Body", body}};
    return http_->Post(Path().c_str(), form);
  }

  static json Json(const httplib::Result& r) { return json::parse(r->body, nullptr, false); }

  TwilioStandIn standin_;
  std::unique_ptr<httplib::Client> http_;
};

TEST_F(StandInTest, AcceptedSendLooksLikeTwilioMessage) {
  auto r = Send("+447700900123", "Hi Amy \U0001F44B");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201) << r->body;
  json j = Json(r);
  EXPECT_EQ(j["sid"].get<std::string>().size(), 34u);
  EXPECT_EQ(j["account_sid"], standin_.account_sid());
  EXPECT_EQ(j["to"], "+447700900123");
  EXPECT_EQ(j["from"], "+447700900000");
  EXPECT_EQ(j["status"], "queued");
  EXPECT_EQ(j["num_segments"], "1");
  EXPECT_EQ(j["num_media"], "0");
  EXPECT_EQ(j["direction"], "outbound-api");
  EXPECT_EQ(j["api_version"], "2010-04-01");
  EXPECT_TRUE(j["price"].is_null());
  EXPECT_TRUE(j["error_code"].is_null());
  EXPECT_EQ(j["date_created"].get<std::string>().size(), 31u) << j["date_created"];
  EXPECT_EQ(j["uri"], Path("/Messages/" + j["sid"].get<std::string>() + ".json"));
  EXPECT_EQ(standin_.Requests().accepted, 1);
}

TEST_F(StandInTest, RefusalsCarryTwilioCodes) {
  const struct { const char* name; httplib::Params form; int http; int code; } cases[] = {
      {"no To", {{"From", "+447700900000"}, {"Body", "x"}}, 400, 21604},
      {"bad To", {{"To", "07700900123"}, {"From", "+447700900000"}, {"Body", "x"}}, 400, 21211},
      {"no sender", {{"To", "+447700900123"}, {"Body", "x"}}, 400, 21603},
      {"no Body", {{"To", "+447700900123"}, {"From", "+447700900000"}}, 400, 21602},
      {"magic 21610", {{"To", "+15005550004"}, {"From", "+447700900000"}, {"Body", "x"}}, 400, 21610},
      {"magic via whatsapp", {{"To", "whatsapp:+15005550002"}, {"From", "whatsapp:+447700900000"}, {"Body", "x"}}, 400, 21612},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = http_->Post(Path().c_str(), c.form);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, c.http);
    json j = Json(r);
    EXPECT_EQ(j["code"], c.code) << r->body;
    EXPECT_EQ(j["status"], c.http);
    EXPECT_EQ(j["more_info"], "https://www.twilio.com/docs/errors/" + std::to_string(c.code));
  }
  EXPECT_TRUE(standin_.Messages().empty());
}

TEST_F(StandInTest, AuthAndAccountAreChecked) {
  httplib::Client anonymous("127.0.0.1", standin_.port());
  auto r = anonymous.Post(Path().c_str(), httplib::Params{{"To", "+447700900123"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401);
  EXPECT_EQ(Json(r)["code"], 20003);
  r = http_->Get("/2010-04-01/Accounts/AC99999999999999999999999999999999/Messages.json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(Json(r)["code"], 20404);
}

TEST_F(StandInTest, ListPagesAndFilters) {
  for (int i = 0; i < 3; ++i) ASSERT_EQ(Send("+447700900123", "m" + std::to_string(i))->status, 201);
  ASSERT_EQ(Send("+447700900999")->status, 201);
  auto r = http_->Get((Path() + "?To=%2B447700900123&PageSize=2").c_str());
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  json page0 = Json(r);
  ASSERT_EQ(page0["messages"].size(), 2u);
  EXPECT_EQ(page0["messages"][0]["body"], "m2") << "newest first";
  EXPECT_EQ(page0["page"], 0);
  EXPECT_EQ(page0["page_size"], 2);
  ASSERT_TRUE(page0["next_page_uri"].is_string());
  r = http_->Get(page0["next_page_uri"].get<std::string>().c_str());
  ASSERT_TRUE(r);
  json page1 = Json(r);
  ASSERT_EQ(page1["messages"].size(), 1u);
  EXPECT_EQ(page1["messages"][0]["body"], "m0");
  EXPECT_TRUE(page1["next_page_uri"].is_null());

  const struct { const char* query; size_t count; } filters[] = {
      {"DateSent%3E=2000-01-01", 4}, {"DateSent%3E=2999-01-01", 0},
      {"DateSent%3C=2000-01-01", 0}, {"DateSent%3C=2999-01-01", 4},
      {"From=%2B447700900000", 4},   {"To=%2B447700900999", 1}};
  for (const auto& f : filters) {
    SCOPED_TRACE(f.query);
    r = http_->Get((Path() + "?" + f.query).c_str());
    ASSERT_TRUE(r);
    EXPECT_EQ(Json(r)["messages"].size(), f.count);
  }
}

// Twilio's DateSent filters go by date_sent, which stays null while Twilio
// holds a message queued: such a message is in the unfiltered list only.
TEST(StandInQueue, DateSentFiltersLeaveOutWhatIsStillQueued) {
  auto clock = std::make_shared<ManualClock>(Instant(std::chrono::seconds(1796119200)));  // 2026-12-01T10:00Z
  Options opt;
  opt.clock = clock;
  TwilioStandIn standin(opt);
  ASSERT_OK(standin.Start());
  httplib::Client http("127.0.0.1", standin.port());
  http.set_basic_auth(standin.account_sid().c_str(), standin.auth_token().c_str());
  const std::string path = "/2010-04-01/Accounts/" + standin.account_sid() + "/Messages.json";
  auto send = [&](const std::string& body) {
    auto r = http.Post(path.c_str(), httplib::Params{{"To", "+447700900123"}, {"From", "+447700900000"}, {"Body", body}});
    return r && r->status == 201 ? json::parse(r->body) : json();
  };
  auto list = [&](const std::string& query) {
    auto r = http.Get((path + "?To=%2B447700900123" + query).c_str());
    return r && r->status == 200 ? json::parse(r->body)["messages"] : json();
  };
  httplib::Client admin("127.0.0.1", standin.port());
  ASSERT_EQ(admin.Post("/_standin/faults", R"({"hold_queued":{"count":1,"ms":60000}})", "application/json")->status, 200);
  const json held = send("held");
  EXPECT_EQ(held["status"], "queued");
  EXPECT_TRUE(held["date_sent"].is_null());
  EXPECT_EQ(send("sent at once")["status"], "queued") << "a send's answer is always queued, as Twilio's";

  const struct { const char* query; std::vector<std::string> bodies; } before[] = {
      {"", {"sent at once", "held"}},
      {"&DateSent%3E=2026-12-01", {"sent at once"}},
      {"&DateSent=2026-12-01", {"sent at once"}},
      {"&DateSent%3C=2026-12-01", {"sent at once"}},
  };
  for (const auto& c : before) {
    SCOPED_TRACE(c.query);
    const json got = list(c.query);
    ASSERT_EQ(got.size(), c.bodies.size()) << got;
    for (size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i]["body"], c.bodies[i]);
  }
  const json all = list("");
  EXPECT_EQ(all[0]["status"], "sent");
  EXPECT_EQ(all[0]["date_sent"], "Tue, 01 Dec 2026 10:00:00 +0000");
  EXPECT_EQ(all[1]["status"], "queued");
  EXPECT_TRUE(all[1]["date_sent"].is_null());

  clock->Advance(std::chrono::seconds(60));
  EXPECT_EQ(list("&DateSent%3E=2026-12-01").size(), 2u) << "sent once its minute passed";
  EXPECT_EQ(list("")[1]["date_sent"], "Tue, 01 Dec 2026 10:01:00 +0000");
  EXPECT_EQ(standin.Messages()[0].status, "sent");
}

TEST(StandInQueue, QueuedForHoldsEveryMessage) {
  auto clock = std::make_shared<ManualClock>(Instant(std::chrono::seconds(1796119200)));
  Options opt;
  opt.clock = clock;
  opt.queued_for = std::chrono::milliseconds(8000);
  TwilioStandIn standin(opt);
  ASSERT_OK(standin.Start());
  httplib::Client http("127.0.0.1", standin.port());
  http.set_basic_auth(standin.account_sid().c_str(), standin.auth_token().c_str());
  const std::string path = "/2010-04-01/Accounts/" + standin.account_sid() + "/Messages.json";
  for (const char* body : {"a", "b"}) {
    ASSERT_EQ(http.Post(path.c_str(), httplib::Params{{"To", "+447700900123"}, {"From", "+447700900000"}, {"Body", body}})->status, 201);
  }
  EXPECT_EQ(standin.Messages()[1].status, "queued");
  clock->Advance(std::chrono::milliseconds(7999));
  EXPECT_EQ(standin.Messages()[0].status, "queued");
  clock->Advance(std::chrono::milliseconds(1));
  EXPECT_EQ(standin.Messages()[0].status, "sent");
  EXPECT_EQ(standin.Messages()[1].status, "sent");
}

TEST_F(StandInTest, FetchOneMessage) {
  std::string sid = Json(Send("+447700900123"))["sid"];
  auto r = http_->Get(Path("/Messages/" + sid + ".json").c_str());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(Json(r)["sid"], sid);
  r = http_->Get(Path("/Messages/SM00000000000000000000000000000000.json").c_str());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
}

// An account-level refusal, as a wrong token or a broken sender gets it.
TEST_F(StandInTest, RefusesAWrongTokenAndAForcedSender) {
  httplib::Client wrong("127.0.0.1", standin_.port());
  wrong.set_basic_auth(standin_.account_sid().c_str(), "rotated-away");
  auto r = wrong.Post(Path().c_str(), httplib::Params{{"To", "+447700900123"}, {"From", "+447700900000"}, {"Body", "x"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401);
  EXPECT_EQ(Json(r)["code"], 20003);

  standin_.ForceSenderError("+447700900000", 21606);
  r = Send("+447700900123");
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(Json(r)["code"], 21606);
  auto other = http_->Post(Path().c_str(), httplib::Params{{"To", "+447700900123"}, {"From", "+447700900999"}, {"Body", "x"}});
  EXPECT_EQ(other->status, 201) << "another sender still sends";
  httplib::Client admin("127.0.0.1", standin_.port());
  ASSERT_EQ(admin.Post("/_standin/faults", R"({"sender_errors":{"+447700900000":0,"MG0123456789abcdef0123456789abcdef":21705}})",
                       "application/json")->status, 200);
  EXPECT_EQ(Send("+447700900123")->status, 201) << "0 clears";
  r = http_->Post(Path().c_str(), httplib::Params{{"To", "+447700900123"},
                                                   {"MessagingServiceSid", "MG0123456789abcdef0123456789abcdef"},
                                                   {"Body", "x"}});
  EXPECT_EQ(Json(r)["code"], 21705);
  EXPECT_EQ(standin_.Requests().accepted, 2);
}

TEST_F(StandInTest, AdminRoutesSetFaultsAndShowMessages) {
  httplib::Client admin("127.0.0.1", standin_.port());
  auto r = admin.Post("/_standin/faults",
                      R"({"fail_next":{"count":1,"kind":"429","retry_after":9},"latency_ms":0,
                          "number_errors":{"+447700900555":21614}})",
                      "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  auto sent = Send("+447700900123");
  EXPECT_EQ(sent->status, 429);
  EXPECT_EQ(sent->get_header_value("Retry-After"), "9");
  EXPECT_EQ(Send("+447700900555")->status, 400);
  auto unix_us = [] {
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::system_clock::now().time_since_epoch()).count();
  };
  const long long before_us = unix_us();
  EXPECT_EQ(Send("+447700900123")->status, 201);
  const long long after_us = unix_us();
  r = admin.Get("/_standin/messages");
  ASSERT_TRUE(r);
  ASSERT_EQ(Json(r)["messages"].size(), 1u);
  // The admin list adds when each message was accepted, in microseconds.
  const json listed = Json(r)["messages"][0];
  EXPECT_EQ(listed["to"], "+447700900123");
  ASSERT_TRUE(listed["received_at_us"].is_number_integer()) << listed;
  EXPECT_GE(listed["received_at_us"].get<long long>(), before_us);
  EXPECT_LE(listed["received_at_us"].get<long long>(), after_us);
  EXPECT_EQ(admin.Delete("/_standin/messages")->status, 204);
  EXPECT_TRUE(standin_.Messages().empty());
  r = admin.Post("/_standin/faults", R"({"fail_next":{"kind":"teapot"}})", "application/json");
  EXPECT_EQ(r->status, 400);
  r = admin.Post("/_standin/faults", "not json", "application/json");
  EXPECT_EQ(r->status, 400);
  r = admin.Get("/_standin/requests");
  EXPECT_EQ(Json(r)["faulted"], 1);
}

TEST_F(StandInTest, FailRateOneFailsEveryRequestAndZeroNone) {
  standin_.SetFailRate(1.0, {FailKind::kHttp503});
  for (int i = 0; i < 5; ++i) EXPECT_EQ(Send("+447700900123")->status, 503);
  standin_.SetFailRate(0.0);
  EXPECT_EQ(Send("+447700900123")->status, 201);
  EXPECT_EQ(standin_.Requests().faulted, 5);
}

TEST_F(StandInTest, RequestsBeyondMaxConcurrencyGet429) {
  standin_.SetMaxConcurrency(1);
  standin_.SetLatency(std::chrono::milliseconds(400));
  auto slow = std::async(std::launch::async, [this] { return Send("+447700900123")->status; });
  // Wait (bounded) until the slow request is inside the server.
  for (int i = 0; i < 2000 && standin_.Requests().total == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  httplib::Client second("127.0.0.1", standin_.port());  // one client serialises requests
  second.set_basic_auth(standin_.account_sid().c_str(), standin_.auth_token().c_str());
  auto r = second.Post(Path().c_str(), httplib::Params{{"To", "+447700900124"}, {"From", "+447700900000"}, {"Body", "x"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 429);
  EXPECT_EQ(slow.get(), 201);
}

TEST_F(StandInTest, StopInterruptsAHang) {
  standin_.SetHangFor(std::chrono::milliseconds(30000));
  standin_.FailNext(1, FailKind::kHang);
  auto start = std::chrono::steady_clock::now();
  auto hung = std::async(std::launch::async, [this] { return static_cast<bool>(Send("+447700900123")); });
  for (int i = 0; i < 2000 && standin_.Requests().faulted == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  standin_.Stop();
  hung.get();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

TEST_F(StandInTest, DropClosesTheConnectionAfterRecording) {
  standin_.AcceptThenFail(1, FailKind::kDrop);
  auto r = Send("+447700900123");
  EXPECT_FALSE(r) << "expected no answer, got " << (r ? r->status : 0);
  EXPECT_EQ(standin_.Messages().size(), 1u);
  EXPECT_EQ(Send("+447700900123")->status, 201) << "a new connection works";
}

TEST(StandInFailKind, NamesRoundTrip) {
  for (FailKind k : {FailKind::kHttp500, FailKind::kHttp503, FailKind::kHttp429, FailKind::kHang,
                     FailKind::kDrop}) {
    auto parsed = ParseFailKind(FailKindName(k));
    ASSERT_OK(parsed);
    EXPECT_EQ(*parsed, k);
  }
  EXPECT_FALSE(ParseFailKind("418").ok());
}

}  // namespace
}  // namespace checkin::standin
