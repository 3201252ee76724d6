// DaemonFixture: a real redis-server (shared, a key prefix per test), the
// Twilio stand-in, a ManualClock (the daemon's and the stand-in's, so that
// date_created and date_sent follow it) and a captured log, plus helpers that write
// schema v1 records with plain Redis commands. Used by the end-to-end tests
// (daemon_test.cc, replies_test.cc).
#ifndef CHECKIN_TESTS_DAEMON_FIXTURE_H_
#define CHECKIN_TESTS_DAEMON_FIXTURE_H_

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "daemon.h"
#include "plan/job_ids.h"
#include "schema/records.h"
#include "store/redis_store.h"
#include "redis_server.h"
#include "test_util.h"
#include "twilio_standin/standin.h"

namespace checkin {

inline Instant T(const std::string& rfc3339) { return *ParseRfc3339(rfc3339); }

class DaemonFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    redis_ = testing::RedisServer::Shared();
    p_ = testing::TestKeyPrefix();
    ASSERT_OK(standin_.Start());
    log_ = testing::CaptureLog("checkind");
  }

  std::string Yaml(const std::string& reminders_extra = "quiet_hours: null") const {
    return "region: GB\n"
           "redis:\n  url: \"" + redis_->Url() + "\"\n  prefix: \"" + p_ + "\"\n"
           "http:\n  public_url: \"https://reminders.example.org\"\n"
           "twilio:\n  account_sid: \"" + standin_.account_sid() + "\"\n"
           "  from: \"+447700900000\"\n  api_base: \"" + standin_.BaseUrl() + "\"\n"
           "  request_timeout_ms: 2000\n  concurrency: 2\n"
           "reminders:\n  send:\n    - day_before_at: \"18:00\"\n    - hours_before: 2\n  " + reminders_extra + "\n";
  }

  // With the stand-in's auth token, or `auth_token` (e.g. a wrong or rotated one).
  std::shared_ptr<const Config> MakeConfig(const std::string& yaml,
                                           const std::optional<std::string>& auth_token = std::nullopt) {
    Config::SecretSource secrets;
    const std::string token = auth_token ? *auth_token : standin_.auth_token();
    secrets.getenv = [token](const std::string& name) -> std::optional<std::string> {
      if (name == "TWILIO_AUTH_TOKEN") return token;
      return std::nullopt;
    };
    secrets.read_file = [](const std::string& path) -> Result<std::string> {
      return Status::NotFound(path);
    };
    auto c = Config::Parse(yaml, "test.yaml", secrets);
    EXPECT_OK(c);
    return std::make_shared<const Config>(std::move(*c));
  }

  std::unique_ptr<Daemon> StartDaemon(const std::string& id, std::shared_ptr<const Config> config = nullptr) {
    DaemonOptions o;
    o.clock = clock_;
    o.logger = log_.logger;
    o.instance_id = id;
    auto d = Daemon::Create(config ? config : MakeConfig(Yaml()), o);
    EXPECT_OK(d);
    return std::move(*d);
  }

  // The test's Redis and prefix opened as checkinctl opens them (the
  // concrete store, for what only works on it: privacy, imports, concerns).
  std::unique_ptr<RedisStore> OpenStore() const {
    RedisStoreOptions o;
    o.redis.url = redis_->Url();
    o.prefix = p_;
    auto store = RedisStore::Create(o);
    EXPECT_OK(store);
    return store.ok() ? std::move(*store) : nullptr;
  }

  void Cli(const std::vector<std::string>& args) { redis_->Cli(args); }

  void AddGroup(const std::string& id, const std::vector<std::pair<std::string, std::string>>& members) {
    Cli({"HSET", p_ + "group:" + id, "name", "Baby massage", "venue", "Walkerburn hall", "timezone", "Europe/London"});
    for (const auto& [mid, phone] : members) {
      Cli({"HSET", p_ + "member:" + mid, "name", "Mum " + mid, "phone", phone});
      Cli({"SADD", p_ + "group:" + id + ":members", mid});
    }
  }
  void AddSession(const std::string& id, const std::string& group, const std::string& starts_at) {
    Cli({"HSET", p_ + "session:" + id, "group", group, "starts_at", starts_at, "status", "scheduled"});
    Cli({"ZADD", p_ + "sessions", std::to_string(T(starts_at).time_since_epoch().count()), id});
  }

  std::map<std::string, int> TextsByNumber() const {
    std::map<std::string, int> out;
    for (const auto& m : standin_.Messages()) out[m.to]++;
    return out;
  }
  std::string JobState(Daemon& d, const std::string& session, const std::string& member, const std::string& starts,
                       const std::string& planned) {
    auto f = d.store().JobFields(JobId(session, member, T(starts), T(planned)));
    return f.ok() && f->count("state") ? f->at("state") : "(none)";
  }

  static standin::Options StandInOptions(std::shared_ptr<const Clock> clock) {
    standin::Options o;
    o.clock = std::move(clock);
    return o;
  }

  testing::RedisServer* redis_ = nullptr;
  std::string p_;
  std::shared_ptr<ManualClock> clock_ = std::make_shared<ManualClock>(T("2026-12-01T06:00:00Z"));
  standin::TwilioStandIn standin_{StandInOptions(clock_)};
  testing::CapturedLog log_;
};

}  // namespace checkin

#endif  // CHECKIN_TESTS_DAEMON_FIXTURE_H_
