// The fixture of the service tests (service_test.cc, check_config_test.cc):
// a real redis-server (shared by the binary, each test its own key prefix),
// the Twilio stand-in, a NOTIFY_SOCKET, a free loopback port for the
// listener, and a config file written from Yaml(); checkind is started as a
// child process with the stand-in's token in its environment.
//
// Thread-safety: each fixture belongs to its test's thread.
#ifndef CHECKIN_TESTS_SERVICE_SERVICE_FIXTURE_H_
#define CHECKIN_TESTS_SERVICE_SERVICE_FIXTURE_H_

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "redis_server.h"
#include "service_process.h"
#include "test_util.h"
#include "twilio_standin/standin.h"

namespace checkin::testing {

inline const std::string kBin = CHECKIN_BINARY_DIR;
inline const std::string kSource = CHECKIN_SOURCE_DIR;
inline constexpr std::chrono::milliseconds kStartLimit{10000};

inline int64_t ElapsedMs(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - since).count();
}

inline std::string Rfc3339(std::chrono::system_clock::time_point t) {
  const std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S+00:00", &tm);
  return buf;
}

inline std::string Capture(const std::string& command) {
  std::string out;
  FILE* p = popen(command.c_str(), "r");
  if (p == nullptr) return out;
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  pclose(p);
  return out;
}

// Polls `done` (process or server state) until true or `limit` passes.
template <typename F>
bool PollUntil(F done, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

class ServiceFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    redis_ = RedisServer::Shared();
    static int runs = 0;  // --gtest_repeat: each run its own keys
    prefix_ = TestKeyPrefix() + std::to_string(getpid()) + "." + std::to_string(++runs) + ":";
    ASSERT_OK(twilio_.Start());
    notify_ = std::make_unique<NotifySocket>(dir_.File("notify"));
    http_port_ = FreeLoopbackPort();
    config_path_ = dir_.File("checkin.yaml");
  }

  std::string Yaml(const std::string& top_extra = "", const std::string& plan_interval = "1") const {
    return "region: \"GB\"\n" + top_extra +
           "redis:\n  url: \"" + redis_->Url() + "\"\n  prefix: \"" + prefix_ + "\"\n"
           "http:\n  listen: \"127.0.0.1:" + std::to_string(http_port_) + "\"\n"
           "  public_url: \"http://127.0.0.1:" + std::to_string(http_port_) + "\"\n"
           "twilio:\n  account_sid: \"" + twilio_.account_sid() + "\"\n"
           "  from: \"+447700900000\"\n  api_base: \"" + twilio_.BaseUrl() + "\"\n  concurrency: 2\n"
           "  max_per_second: 100\n"
           "reminders:\n  send:\n    - hours_before: 2\n  quiet_hours: null\n"
           "  plan_interval_seconds: " + plan_interval + "\n";
  }

  void WriteConfig(const std::string& yaml) const { std::ofstream(config_path_, std::ios::trunc) << yaml; }

  // A group of `members` mums and a session an hour from now: with
  // hours_before: 2 every reminder is overdue, so all are sent at once.
  void AddSessionDueNow(int members) const {
    auto cli = [&](std::vector<std::string> args) { redis_->Cli(args); };
    cli({"HSET", prefix_ + "group:g", "name", "Buggy walk", "venue", "Park gate", "timezone", "Europe/London"});
    for (int i = 0; i < members; ++i) {
      const std::string id = "m" + std::to_string(i);
      char phone[24];
      std::snprintf(phone, sizeof phone, "+447700900%03d", 100 + i);
      cli({"HSET", prefix_ + "member:" + id, "name", "Mum" + std::to_string(i), "phone", phone});
      cli({"SADD", prefix_ + "group:g:members", id});
    }
    const auto starts = std::chrono::system_clock::now() + std::chrono::minutes(60);
    cli({"HSET", prefix_ + "session:s1", "group", "g", "starts_at", Rfc3339(starts), "status", "scheduled"});
    cli({"ZADD", prefix_ + "sessions",
         std::to_string(std::chrono::duration_cast<std::chrono::seconds>(starts.time_since_epoch()).count()), "s1"});
  }

  std::unique_ptr<ChildProcess> StartCheckind(const std::vector<std::string>& extra_args = {}) {
    std::vector<std::string> argv = {kBin + "/checkind", "--config", config_path_};
    argv.insert(argv.end(), extra_args.begin(), extra_args.end());
    return std::make_unique<ChildProcess>(
        argv, std::vector<std::string>{"NOTIFY_SOCKET=" + notify_->path(), "TWILIO_AUTH_TOKEN=" + twilio_.auth_token()},
        dir_.File("checkind.log"));
  }

  int Get(const std::string& path) const {
    httplib::Client client("127.0.0.1", http_port_);
    client.set_connection_timeout(2);
    client.set_read_timeout(5);
    auto res = client.Get(path.c_str());
    return res ? res->status : 0;
  }

  // Jobs in the queue (due + leased), as `checkinctl queue --json` says.
  int QueuedJobs() const {
    const std::string out =
        Capture("TWILIO_AUTH_TOKEN=x " + kBin + "/checkinctl --config " + config_path_ + " queue --json 2>&1");
    auto j = nlohmann::json::parse(out, nullptr, false);
    if (!j.is_object()) {
      ADD_FAILURE() << "checkinctl queue --json: " << out;
      return -1;
    }
    return j.value("due", 0) + j.value("leased", 0);
  }

  std::set<std::string> Recipients() const {
    std::set<std::string> to;
    for (const auto& m : twilio_.Messages()) to.insert(m.to);
    return to;
  }

  RedisServer* redis_ = nullptr;
  std::string prefix_;
  standin::TwilioStandIn twilio_;
  TempDir dir_;
  std::unique_ptr<NotifySocket> notify_;
  int http_port_ = 0;
  std::string config_path_;
};

}  // namespace checkin::testing

#endif  // CHECKIN_TESTS_SERVICE_SERVICE_FIXTURE_H_
