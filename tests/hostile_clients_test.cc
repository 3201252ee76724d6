// Bad input and hostile clients (issue 13), against a real checkind
// listener: slow and idle connections, connection limits, body sizes, and
// signed webhooks that Twilio would never send (a replay with the boundary
// between a name and a value moved signs the same). Slow clients are real
// sockets dripping bytes from a thread: wall-clock network behaviour is the
// subject, so those tests wait, bounded to a few seconds each.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <iostream>
#include <mutex>
#include <thread>
#include <vector>

#include "webhook_fixture.h"

namespace checkin {
namespace {

using std::chrono::milliseconds;
using SteadyClock = std::chrono::steady_clock;

// A TCP connection to 127.0.0.1:port, or -1.
int Connect(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// What the server sends on `fd` until it closes or `limit` passes.
std::string ReadUntilClosed(int fd, milliseconds limit) {
  std::string got;
  const auto end = SteadyClock::now() + limit;
  for (;;) {
    const auto left = std::chrono::duration_cast<milliseconds>(end - SteadyClock::now()).count();
    pollfd p{fd, POLLIN, 0};
    if (left <= 0 || ::poll(&p, 1, static_cast<int>(left)) <= 0) return got;
    char buf[4096];
    const ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) return got;
    got.append(buf, static_cast<size_t>(n));
  }
}

// `count` connections that send a request head one byte every `interval`
// and never finish it (slowloris), from their own thread, until Release().
class SlowClients {
 public:
  SlowClients(int port, int count, milliseconds interval) : interval_(interval) {
    for (int i = 0; i < count; ++i) {
      const int fd = Connect(port);
      if (fd >= 0) fds_.push_back(fd);
    }
    thread_ = std::thread([this] { Drip(); });
  }
  ~SlowClients() { Release(); }

  size_t connected() const { return fds_.size(); }
  // Stops dripping and closes every connection.
  void Release() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
    for (int fd : fds_) ::close(fd);
    fds_.clear();
  }

 private:
  void Drip() {
    const std::string head =
        "POST /twilio/sms HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        "X-Twilio-Signature: " + std::string(400, 'x');
    std::unique_lock<std::mutex> lock(mu_);
    for (size_t i = 0; i < head.size() && !stopping_; ++i) {
      for (int fd : fds_) (void)::send(fd, &head[i], 1, MSG_NOSIGNAL | MSG_DONTWAIT);
      wake_.wait_for(lock, interval_, [this] { return stopping_; });
    }
  }

  const milliseconds interval_;
  std::vector<int> fds_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

class HostileClientsTest : public WebhookFixture {
 protected:
  // A client that gives up after 1 s, and how long `call` took.
  milliseconds Timed(const std::function<httplib::Result(httplib::Client&)>& call, int* status) {
    httplib::Client quick("127.0.0.1", daemon_->listener_port());
    quick.set_connection_timeout(1, 0);
    quick.set_read_timeout(1, 0);
    quick.set_write_timeout(1, 0);
    const auto start = SteadyClock::now();
    auto res = call(quick);
    *status = res ? res->status : -1;
    return std::chrono::duration_cast<milliseconds>(SteadyClock::now() - start);
  }
  int JobCount() { return std::stoi(redis_->Cli({"EVAL", "return #redis.call('KEYS', ARGV[1])", "0",
                                                  p_ + "{jobs}:job:*"})); }
};

TEST_F(HostileClientsTest, SixtyFourSlowClientsDoNotHoldUpHealthOrWebhooks) {
  Remind("amy", kAmy, "s1", "2026-12-01T08:00:00Z");
  SlowClients slow(daemon_->listener_port(), 64, milliseconds(200));
  ASSERT_EQ(slow.connected(), 64u);
  milliseconds worst_health{0}, worst_webhook{0};
  const char* texts[] = {"what time does it finish?", "is there parking?", "yes"};
  for (const char* text : texts) {
    int status = 0;
    const milliseconds health = Timed([](httplib::Client& c) { return c.Get("/healthz"); }, &status);
    EXPECT_EQ(status, 200) << "/healthz with 64 slow connections held";
    worst_health = std::max(worst_health, health);
    const std::string sid = NewSid();
    const FormParams params = TextParams(text, kAmy, sid);
    const std::string signature = ComputeTwilioSignature(standin_.auth_token(), std::string(kPublicUrl) + "/twilio/sms", params);
    const milliseconds webhook = Timed(
        [&](httplib::Client& c) {
          return c.Post("/twilio/sms", {{"X-Twilio-Signature", signature}}, FormEncode(params),
                        "application/x-www-form-urlencoded");
        },
        &status);
    EXPECT_EQ(status, 200) << "a signed webhook with 64 slow connections held: " << text;
    worst_webhook = std::max(worst_webhook, webhook);
  }
  EXPECT_LT(worst_health, milliseconds(1000));
  EXPECT_LT(worst_webhook, milliseconds(1000));
  std::cout << "[ figures  ] 64 slow connections held: /healthz answered within " << worst_health.count()
            << " ms, signed webhook within " << worst_webhook.count() << " ms (worst of 3)\n";
  slow.Release();
  EXPECT_EQ(InboxLength(), 2) << "the two unclear texts were filed";
  EXPECT_EQ(Rsvp("s1", "amy"), "yes") << "the answer was recorded";
  int status = 0;
  Timed([](httplib::Client& c) { return c.Get("/healthz"); }, &status);
  EXPECT_EQ(status, 200) << "released, the listener still answers";
}

class ShortDeadlinesTest : public HostileClientsTest {
 protected:
  std::string HttpYaml() const override {
    return "  request_timeout_ms: 300\n  max_connections_per_client: 3\n";
  }
};

TEST_F(ShortDeadlinesTest, SlowRequestIsCutAtTheRequestDeadline) {
  const int fd = Connect(daemon_->listener_port());
  ASSERT_GE(fd, 0);
  const std::string part = "GET /healthz HTTP/1.1\r\nHost: x\r\n";  // never finished
  ASSERT_EQ(::send(fd, part.data(), part.size(), MSG_NOSIGNAL), static_cast<ssize_t>(part.size()));
  const auto start = SteadyClock::now();
  const std::string got = ReadUntilClosed(fd, milliseconds(3000));
  const auto took = SteadyClock::now() - start;
  ::close(fd);
  EXPECT_EQ(got.rfind("HTTP/1.1 408 ", 0), 0u) << got;
  EXPECT_LT(took, milliseconds(1500)) << "cut at 300 ms (plus a poll round)";
  int status = 0;
  Timed([](httplib::Client& c) { return c.Get("/healthz"); }, &status);
  EXPECT_EQ(status, 200);
}

TEST_F(ShortDeadlinesTest, ConnectionsBeyondThePerClientLimitAreRefused) {
  std::vector<int> idle;
  for (int i = 0; i < 3; ++i) idle.push_back(Connect(daemon_->listener_port()));
  for (int fd : idle) ASSERT_GE(fd, 0);
  const int fourth = Connect(daemon_->listener_port());
  ASSERT_GE(fourth, 0);
  const std::string got = ReadUntilClosed(fourth, milliseconds(2000));
  ::close(fourth);
  EXPECT_EQ(got.rfind("HTTP/1.1 503 ", 0), 0u) << got;
  ::close(idle.back());
  idle.pop_back();
  // The listener sees the close on its next poll round, later on a loaded
  // machine, and each refused try holds a slot until it is closed: try
  // again until it is seen, for up to 5 s.
  int status = 0;
  for (const auto until = SteadyClock::now() + milliseconds(5000); status != 200 && SteadyClock::now() < until;) {
    Timed([](httplib::Client& c) { return c.Get("/healthz"); }, &status);
  }
  EXPECT_EQ(status, 200) << "a slot freed is usable again";
  for (int fd : idle) ::close(fd);
}

// Twilio's usual parameters for an inbound text (as the stand-in sends them).
FormParams TwilioInbound(const std::string& sid, const std::string& account, const std::string& body) {
  return {{"ToCountry", "GB"},   {"ToState", ""},         {"SmsMessageSid", sid}, {"NumMedia", "0"},
          {"ToCity", ""},        {"FromZip", ""},         {"SmsSid", sid},        {"FromState", ""},
          {"SmsStatus", "received"}, {"FromCity", ""},    {"Body", body},         {"FromCountry", "GB"},
          {"To", "+447700900000"}, {"ToZip", ""},         {"NumSegments", "25"},  {"MessageSid", sid},
          {"AccountSid", account}, {"From", kAmy},        {"ApiVersion", "2010-04-01"}};
}

TEST_F(HostileClientsTest, LongUrduReplyOfTenKilobytesIsAccepted) {
  Remind("amy", kAmy, "s1", "2026-12-01T08:00:00Z");
  const std::u32string phrase = U"کیا میں اپنے بچے کو ساتھ لا سکتی ہوں؟ ";
  std::u32string text;
  while (text.size() < 1600) text += phrase;
  text.resize(1600);
  std::string body;
  for (char32_t c : text) {  // UTF-8: Urdu letters are two bytes, the space one
    if (c < 0x80) {
      body += static_cast<char>(c);
    } else {
      body += static_cast<char>(0xC0 | (c >> 6));
      body += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  const FormParams params = TwilioInbound(NewSid(), standin_.account_sid(), body);
  ASSERT_GT(FormEncode(params).size(), 8u * 1024) << "over cpp-httplib's 8 KiB form limit, as Twilio sends it";
  auto res = PostSigned("/twilio/sms", params);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(InboxLength() + (Rsvp("s1", "amy").empty() ? 0 : 1), 1) << "the reply was handled";
}

TEST_F(HostileClientsTest, BodiesUpTo64KiBAreAcceptedLargerAreRefused) {
  Remind("amy", kAmy, "s1", "2026-12-01T08:00:00Z");
  FormParams params = TextParams("", kAmy, NewSid());
  params[4].second = std::string(60 * 1024 - FormEncode(params).size(), 'a');  // Body
  ASSERT_EQ(FormEncode(params).size(), 60u * 1024);
  auto accepted = PostSigned("/twilio/sms", params);
  ASSERT_TRUE(accepted);
  EXPECT_EQ(accepted->status, 200) << "60 KiB";
  EXPECT_EQ(InboxLength(), 1);

  params = TextParams("", kAmy, NewSid());
  params[4].second = std::string(64 * 1024 + 1 - FormEncode(params).size(), 'a');
  auto refused = PostSigned("/twilio/sms", params);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 413) << "64 KiB + 1";
  EXPECT_EQ(InboxLength(), 1);
}

TEST_F(HostileClientsTest, BoundaryShiftedReplayIsRefusedAndChangesNothing) {
  Remind("amy", kAmy, "s1", "2026-12-01T08:00:00Z");
  const std::string sid = NewSid();
  const FormParams captured = TextParams("what time does it finish?", kAmy, sid);
  const std::string url = std::string(kPublicUrl) + "/twilio/sms";
  const std::string signature = ComputeTwilioSignature(standin_.auth_token(), url, captured);
  ASSERT_EQ(Post("/twilio/sms", captured, signature)->status, 200);
  ASSERT_EQ(InboxLength(), 1);
  const int jobs = JobCount();

  // MessageSid=<sid>NumMedia0 and no NumMedia: the same names and values joined.
  FormParams shifted;
  for (const auto& [name, value] : captured) {
    if (name == "MessageSid") shifted.emplace_back(name, value + "NumMedia0");
    else if (name != "NumMedia") shifted.emplace_back(name, value);
  }
  ASSERT_EQ(ComputeTwilioSignature(standin_.auth_token(), url, shifted), signature) << "the attack signs the same";
  auto res = Post("/twilio/sms", shifted, signature);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_EQ(InboxLength(), 1) << "not filed again";
  EXPECT_EQ(JobCount(), jobs) << "not forwarded again";
  EXPECT_EQ(redis_->Cli({"EXISTS", p_ + "reply:" + sid + "NumMedia0"}), "0") << "nothing claimed";
}

// Signed correctly, but not what Twilio sends: refused with 400, nothing read or written.
TEST_F(HostileClientsTest, WebhooksWithoutWhatTwilioAlwaysSendsAreRefused) {
  Remind("amy", kAmy, "s1", "2026-12-01T08:00:00Z");
  struct Case {
    const char* name;
    std::function<void(FormParams&)> change;
    int want;
  };
  auto set = [](const char* n, std::string v) {
    return [n, v](FormParams& p) {
      for (auto& [name, value] : p) if (name == n) value = v;
    };
  };
  auto drop = [](const char* n) {
    return [n](FormParams& p) { p.erase(std::remove_if(p.begin(), p.end(), [n](const auto& kv) { return kv.first == n; }), p.end()); };
  };
  const std::string hex32(32, 'f');
  const std::vector<Case> cases = {
      {"as Twilio sends it", [](FormParams&) {}, 200},
      {"an MMS sid (MM)", set("MessageSid", "MM" + hex32), 200},
      {"no MessageSid", drop("MessageSid"), 400},
      {"MessageSid too short", set("MessageSid", "SM" + std::string(31, 'f')), 400},
      {"MessageSid too long", set("MessageSid", "SM" + hex32 + "0"), 400},
      {"MessageSid not hex", set("MessageSid", "SM" + std::string(31, 'f') + "g"), 400},
      {"MessageSid of a call", set("MessageSid", "CA" + hex32), 400},
      {"no AccountSid", drop("AccountSid"), 400},
      {"AccountSid not an account", set("AccountSid", "AC123"), 400},
      {"no From", drop("From"), 400},
      {"no To", drop("To"), 400},
      {"no Body", drop("Body"), 400},
      {"no NumMedia", drop("NumMedia"), 400},
      {"NumMedia not a number", set("NumMedia", "0x"), 400},
  };
  int accepted = 0;
  for (const Case& c : cases) {
    const std::string sid = NewSid();
    FormParams params = TextParams("is there parking?", kAmy, sid);
    c.change(params);
    auto res = PostSigned("/twilio/sms", params);
    ASSERT_TRUE(res) << c.name;
    EXPECT_EQ(res->status, c.want) << c.name << ": " << res->body;
    if (c.want == 200) {
      ++accepted;
    } else {
      EXPECT_EQ(redis_->Cli({"EXISTS", p_ + "reply:" + sid}), "0") << c.name << ": nothing claimed";
    }
  }
  EXPECT_EQ(InboxLength(), accepted);
  FormParams smssid = TextParams("is there parking?", kAmy, NewSid());
  smssid.emplace_back("SmsSid", "SM" + hex32);
  EXPECT_EQ(PostSigned("/twilio/sms", smssid)->status, 400) << "SmsSid differs from MessageSid";

  const FormParams status = {{"MessageSid", "SM" + hex32}, {"MessageStatus", "delivered"}};
  EXPECT_EQ(PostSigned("/twilio/status", status)->status, 400) << "a status callback without AccountSid";
  const FormParams bad_sid = {{"MessageSid", "SM1"}, {"MessageStatus", "delivered"},
                              {"AccountSid", standin_.account_sid()}};
  EXPECT_EQ(PostSigned("/twilio/status", bad_sid)->status, 400) << "a status callback for no message";
  const std::string info = log_.Joined(spdlog::level::info);
  EXPECT_EQ(info.find("447700900123"), std::string::npos) << info;
  EXPECT_EQ(info.find("parking"), std::string::npos) << info;
}

}  // namespace
}  // namespace checkin
