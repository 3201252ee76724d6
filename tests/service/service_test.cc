// checkind as a service: the real binary in a child process, as systemd
// runs it (Type=notify, a NOTIFY_SOCKET the test owns), against a real
// redis-server and the Twilio stand-in, all on 127.0.0.1.
//
//   READY=1, STATUS= and WATCHDOG=1 arrive on the notify socket; the
//   Dockerfile's HEALTHCHECK command passes against the listener wherever
//   http.listen puts it, and fails when nothing listens there;
//   SIGHUP with a broken file: refused with the line-numbered error, the
//   daemon keeps running and /readyz stays 200;
//   SIGHUP after the token file was fixed: every member texted once, and
//   the new log_level and shutdown bound in use;
//   SIGTERM: the jobs in hand finishes, exit 0, nothing lost, measured;
//   SIGTERM while Twilio hangs: exit 0 at shutdown_timeout_seconds, the
//   claimed jobs still in the queue;
//   SIGTERM during a reload that cannot finish: exit 0 at once, the reload
//   discarded.
//
// Every wait is a bounded poll of process or socket state.
#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "service_fixture.h"

namespace checkin {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::ChildProcess;
using testing::ElapsedMs;
using testing::kBin;
using testing::kSource;
using testing::kStartLimit;
using testing::PollUntil;

class Service : public testing::ServiceFixture {};

TEST_F(Service, TellsSystemdReadyStatusAndWatchdog) {
  WriteConfig(Yaml());
  auto checkind = StartCheckind();
  ASSERT_TRUE(notify_->Await("READY=1", kStartLimit)) << checkind->Log();
  EXPECT_EQ(Get("/readyz"), 200) << "READY=1 promises a listener and Redis";
  EXPECT_TRUE(notify_->Await("STATUS=", seconds(5)));
  // The scheduler loop pings once per tick (1 s).
  EXPECT_TRUE(notify_->Await("WATCHDOG=1", seconds(5))) << checkind->Log();
  EXPECT_TRUE(checkind->Running());

  const auto t0 = std::chrono::steady_clock::now();
  checkind->Signal(SIGTERM);
  EXPECT_EQ(checkind->WaitExit(seconds(20 + 5)), std::optional<int>(0)) << checkind->Log();
  std::printf("[ measured ] SIGTERM to exit, idle: %lld ms\n", static_cast<long long>(ElapsedMs(t0)));
  EXPECT_TRUE(notify_->Await("STOPPING=1", seconds(1)));
}

// The Dockerfile's HEALTHCHECK, run as Docker would (exec form), with the
// image's paths pointed at this build and this test's config file. It must
// follow http.listen: here a port that is not the default 8080, first on
// loopback, then on the wildcard address a container listens on.
TEST_F(Service, DockerfileHealthcheckPassesAgainstTheListener) {
  std::ifstream in(kSource + "/Dockerfile");
  std::stringstream text;
  text << in.rdbuf();
  const std::string dockerfile = text.str();
  const size_t hc = dockerfile.find("\nHEALTHCHECK ");
  ASSERT_NE(hc, std::string::npos) << "Dockerfile has no HEALTHCHECK";
  const size_t cmd = dockerfile.find("CMD [", hc);
  ASSERT_NE(cmd, std::string::npos);
  const std::string json = dockerfile.substr(cmd + 4, dockerfile.find('\n', cmd) - cmd - 4);
  auto argv = nlohmann::json::parse(json, nullptr, false);
  ASSERT_TRUE(argv.is_array() && !argv.empty()) << json;
  std::vector<std::string> args;
  for (const auto& a : argv) args.push_back(a.get<std::string>());
  ASSERT_EQ(args[0], "/usr/bin/checkind") << json;
  auto config_arg = std::find(args.begin(), args.end(), "/etc/checkin/checkin.yaml");
  ASSERT_NE(config_arg, args.end()) << "the probe must read the config the daemon reads: " << json;
  for (const std::string& a : args) {
    EXPECT_EQ(a.find("8080"), std::string::npos) << "a fixed port in the probe: " << json;
    EXPECT_EQ(a.find("127.0.0.1"), std::string::npos) << "a fixed address in the probe: " << json;
  }
  args[0] = kBin + "/checkind";
  *config_arg = config_path_;
  ASSERT_NE(http_port_, 8080);
  int probes = 0;
  std::string said;
  auto probe = [&] {
    ChildProcess p(args, {}, dir_.File("healthcheck-" + std::to_string(++probes) + ".log"));
    auto status = p.WaitExit(seconds(10));
    said = p.Log();
    return status;
  };

  WriteConfig(Yaml());
  EXPECT_NE(probe(), std::optional<int>(0)) << "healthy with nothing listening: " << said;
  EXPECT_NE(said.find("unhealthy: http://127.0.0.1:" + std::to_string(http_port_) + "/healthz"), std::string::npos)
      << said;
  {
    auto checkind = StartCheckind();
    ASSERT_TRUE(notify_->Await("READY=1", kStartLimit)) << checkind->Log();
    EXPECT_EQ(probe(), std::optional<int>(0)) << said;
    EXPECT_NE(said.find("healthy: http://127.0.0.1:" + std::to_string(http_port_) + "/healthz"), std::string::npos)
        << said;
    checkind->Signal(SIGTERM);
    ASSERT_EQ(checkind->WaitExit(seconds(25)), std::optional<int>(0)) << checkind->Log();
  }
  EXPECT_NE(probe(), std::optional<int>(0)) << "healthy after the daemon stopped: " << said;

  // As in a container: listening on every interface, probed on loopback.
  std::string wildcard = Yaml();
  const std::string loopback = "listen: \"127.0.0.1:";
  wildcard.replace(wildcard.find(loopback), loopback.size(), "listen: \"0.0.0.0:");
  WriteConfig(wildcard);
  const size_t before = notify_->Lines().size();
  auto checkind = StartCheckind();
  ASSERT_TRUE(notify_->Await("READY=1", kStartLimit, before)) << checkind->Log();
  EXPECT_EQ(probe(), std::optional<int>(0)) << said;
}

TEST_F(Service, SighupWithABrokenFileKeepsTheRunningConfig) {
  WriteConfig(Yaml());
  auto checkind = StartCheckind();
  ASSERT_TRUE(notify_->Await("READY=1", kStartLimit)) << checkind->Log();

  // Break one line; the error must name it.
  const std::string broken = Yaml("", "soon");
  const int line = static_cast<int>(std::count(broken.begin(), broken.begin() + broken.find("soon"), '\n')) + 1;
  WriteConfig(broken);
  const size_t before = notify_->Lines().size();
  checkind->Signal(SIGHUP);
  auto reloading = notify_->Await("RELOADING=1", seconds(5), before);
  ASSERT_TRUE(reloading);
  auto ready = notify_->Await("READY=1", seconds(5), *reloading);
  ASSERT_TRUE(ready) << "READY=1 must follow RELOADING=1";
  const std::string want = config_path_ + ":" + std::to_string(line) + ": reminders.plan_interval_seconds";
  EXPECT_TRUE(PollUntil([&] { return checkind->Log().find(want) != std::string::npos; }, seconds(5)))
      << "want " << want << " in:\n" << checkind->Log();
  EXPECT_NE(checkind->Log().find("reload refused, keeping the running config"), std::string::npos);
  EXPECT_TRUE(checkind->Running());
  EXPECT_EQ(Get("/readyz"), 200);
  EXPECT_TRUE(notify_->Await("WATCHDOG=1", seconds(5), *ready)) << "the loop must keep ticking";

  // A good file is taken.
  WriteConfig(Yaml("", "2"));
  const size_t again = notify_->Lines().size();
  checkind->Signal(SIGHUP);
  ASSERT_TRUE(notify_->Await("READY=1", seconds(5), again));
  EXPECT_TRUE(PollUntil([&] { return checkind->Log().find("reloaded " + config_path_) != std::string::npos; },
                        seconds(5)))
      << checkind->Log();
  EXPECT_EQ(Get("/readyz"), 200);
}

// A group file (groups_dir/<group_id>.yaml) broken by its coordinator:
// SIGHUP names the file and line and keeps every group's running settings;
// fixed, the next SIGHUP applies it.
TEST_F(Service, SighupWithABrokenGroupFileKeepsEveryGroupsSettings) {
  const std::string groups = dir_.File("groups.d");
  ASSERT_EQ(mkdir(groups.c_str(), 0755), 0);
  auto group_file = [&](const std::string& yaml) { std::ofstream(groups + "/g.yaml", std::ios::trunc) << yaml; };
  group_file("templates:\n  en:\n    reminder: \"Walk v1, {name}\"\n");
  WriteConfig(Yaml("groups_dir: \"" + groups + "\"\n"));
  auto checkind = StartCheckind();
  ASSERT_TRUE(notify_->Await("READY=1", kStartLimit)) << checkind->Log();

  group_file("templates:\n  en:\n    remindr: \"Walk v2, {name}\"\n");
  const size_t before = notify_->Lines().size();
  checkind->Signal(SIGHUP);
  ASSERT_TRUE(notify_->Await("READY=1", seconds(5), before));
  const std::string want = groups + "/g.yaml:3: templates.en.remindr: unknown template kind (did you mean 'reminder'?)";
  EXPECT_TRUE(PollUntil([&] { return checkind->Log().find(want) != std::string::npos; }, seconds(5)))
      << "want " << want << " in:\n" << checkind->Log();
  EXPECT_NE(checkind->Log().find("reload refused, keeping the running config"), std::string::npos);

  // Group g keeps its file's text; group h (no file) the main file's.
  AddSessionDueNow(1);  // group g, member m0 (+447700900100)
  redis_->Cli({"HSET", prefix_ + "group:h", "name", "Drop-in", "venue", "Library", "timezone", "Europe/London"});
  redis_->Cli({"HSET", prefix_ + "member:h0", "name", "Hana", "phone", "+447700900200"});
  redis_->Cli({"SADD", prefix_ + "group:h:members", "h0"});
  redis_->Cli({"HSET", prefix_ + "session:s-h", "group", "h", "starts_at",
               testing::Rfc3339(std::chrono::system_clock::now() + std::chrono::minutes(60)), "status", "scheduled"});
  redis_->Cli({"ZADD", prefix_ + "sessions", std::to_string(std::time(nullptr) + 3600), "s-h"});
  auto body_to = [&](const std::string& to, const std::string& part) {
    for (const auto& m : twilio_.Messages()) {
      if (m.to == to && m.body.find(part) != std::string::npos) return true;
    }
    return false;
  };
  EXPECT_TRUE(PollUntil([&] { return body_to("+447700900100", "Walk v1, Mum0"); }, seconds(10))) << checkind->Log();
  EXPECT_TRUE(PollUntil([&] { return body_to("+447700900200", "Hi Hana, Drop-in is today"); }, seconds(10)))
      << checkind->Log();

  // Fixed: the next reload takes it, for the next session of group g.
  group_file("templates:\n  en:\n    reminder: \"Walk v2, {name}\"\n");
  const size_t again = notify_->Lines().size();
  checkind->Signal(SIGHUP);
  ASSERT_TRUE(notify_->Await("READY=1", seconds(5), again));
  ASSERT_TRUE(PollUntil([&] { return checkind->Log().find("and 1 group file(s) from " + groups) != std::string::npos; },
                        seconds(5)))
      << checkind->Log();
  redis_->Cli({"HSET", prefix_ + "session:s2", "group", "g", "starts_at",
               testing::Rfc3339(std::chrono::system_clock::now() + std::chrono::minutes(61)), "status", "scheduled"});
  redis_->Cli({"ZADD", prefix_ + "sessions", std::to_string(std::time(nullptr) + 3660), "s2"});
  EXPECT_TRUE(PollUntil([&] { return body_to("+447700900100", "Walk v2, Mum0"); }, seconds(10))) << checkind->Log();
}

// A rotated token fixed with `systemctl reload checkind`: the token file
// rewritten, then SIGHUP. Every member is texted once, with no restart; the
// same reload turns on debug lines and moves the shutdown bound.
TEST_F(Service, SighupWithTheRightTokenTextsEveryMemberOnceAndAppliesLogLevel) {
  constexpr int kMembers = 3;
  AddSessionDueNow(kMembers);
  const std::string token_file = dir_.File("twilio-token");
  auto config = [&](const std::string& top) {
    std::string yaml = Yaml(top);
    const std::string twilio = "  max_per_second: 100\n";
    return yaml.replace(yaml.find(twilio), twilio.size(), twilio + "  auth_token_file: \"" + token_file + "\"\n");
  };
  std::ofstream(token_file, std::ios::trunc) << "rotated-away-token\n";
  WriteConfig(config("log_level: info\n"));
  auto checkind = StartCheckind();
  ASSERT_TRUE(notify_->Await("READY=1", kStartLimit)) << checkind->Log();
  ASSERT_TRUE(PollUntil([&] { return twilio_.Requests().refused >= 1; }, seconds(10))) << checkind->Log();
  EXPECT_TRUE(twilio_.Messages().empty());
  EXPECT_EQ(checkind->Log().find("<7>"), std::string::npos) << "no debug lines at info";

  std::ofstream(token_file, std::ios::trunc) << twilio_.auth_token() << "\n";
  WriteConfig(config("log_level: debug\nshutdown_timeout_seconds: 7\n"));
  const size_t before = notify_->Lines().size();
  checkind->Signal(SIGHUP);
  auto reloading = notify_->Await("RELOADING=1", seconds(5), before);
  ASSERT_TRUE(reloading);
  ASSERT_TRUE(notify_->Await("READY=1", seconds(5), *reloading));
  EXPECT_TRUE(PollUntil([&] { return Recipients().size() == static_cast<size_t>(kMembers); }, seconds(10)))
      << checkind->Log();
  EXPECT_TRUE(PollUntil([&] { return checkind->Log().find("<7>") != std::string::npos; }, seconds(5)))
      << "log_level: debug after the reload\n" << checkind->Log();

  checkind->Signal(SIGTERM);
  ASSERT_EQ(checkind->WaitExit(seconds(10)), std::optional<int>(0)) << checkind->Log();
  EXPECT_NE(checkind->Log().find("(at most 7s)"), std::string::npos) << checkind->Log();
  EXPECT_EQ(twilio_.Messages().size(), static_cast<size_t>(kMembers)) << "a member was texted twice";
  EXPECT_EQ(QueuedJobs(), 0) << "every job sent, none failed back into the queue";
}

TEST_F(Service, SigtermFinishesTheBatchInHandAndExitsZero) {
  constexpr int kMembers = 10;
  AddSessionDueNow(kMembers);
  twilio_.SetLatency(milliseconds(200));  // 10 texts, 2 at a time: a batch of ~1 s
  WriteConfig(Yaml());
  auto checkind = StartCheckind();
  ASSERT_TRUE(notify_->Await("READY=1", kStartLimit)) << checkind->Log();
  ASSERT_TRUE(PollUntil([&] { return twilio_.Requests().sends >= 1; }, seconds(10))) << checkind->Log();

  const auto t0 = std::chrono::steady_clock::now();
  const size_t before = notify_->Lines().size();
  checkind->Signal(SIGTERM);
  const auto status = checkind->WaitExit(seconds(20 + 5));
  const int64_t ms = ElapsedMs(t0);
  ASSERT_TRUE(status) << "still running after the shutdown bound:\n" << checkind->Log();
  EXPECT_EQ(*status, 0) << checkind->Log();
  EXPECT_LT(ms, 20000) << "shutdown_timeout_seconds (20) exceeded";
  std::printf("[ measured ] SIGTERM to exit, jobs in hand: %lld ms\n", static_cast<long long>(ms));
  EXPECT_TRUE(notify_->Await("STOPPING=1", seconds(1), before));
  EXPECT_NE(checkind->Log().find("stopped in"), std::string::npos) << checkind->Log();

  // Nothing lost: every text was sent once or is still queued...
  const auto sent = Recipients();
  EXPECT_EQ(sent.size(), twilio_.Messages().size()) << "a member was texted twice";
  EXPECT_EQ(static_cast<int>(sent.size()) + QueuedJobs(), kMembers);
  // ...and the next run sends the rest, nobody twice.
  auto once = StartCheckind({"--once"});
  ASSERT_EQ(once->WaitExit(seconds(30)), std::optional<int>(0)) << once->Log();
  EXPECT_EQ(Recipients().size(), static_cast<size_t>(kMembers));
  EXPECT_EQ(twilio_.Messages().size(), static_cast<size_t>(kMembers));
}

TEST_F(Service, SigtermExitsAtTheShutdownBoundWhenTwilioHangs) {
  constexpr int kMembers = 4;
  AddSessionDueNow(kMembers);
  twilio_.SetLatency(milliseconds(8000));  // under request_timeout_ms (15 s): the requests just wait
  WriteConfig(Yaml("shutdown_timeout_seconds: 1\n"));
  auto checkind = StartCheckind();
  ASSERT_TRUE(notify_->Await("READY=1", kStartLimit)) << checkind->Log();
  ASSERT_TRUE(PollUntil([&] { return twilio_.Requests().sends >= 1; }, seconds(10))) << checkind->Log();

  const auto t0 = std::chrono::steady_clock::now();
  checkind->Signal(SIGTERM);
  const auto status = checkind->WaitExit(seconds(5));
  const int64_t ms = ElapsedMs(t0);
  ASSERT_TRUE(status) << "not stopped at the bound:\n" << checkind->Log();
  EXPECT_EQ(*status, 0) << checkind->Log();
  EXPECT_GE(ms, 900);
  EXPECT_LT(ms, 2500);
  std::printf("[ measured ] SIGTERM to exit, Twilio hanging, bound 1 s: %lld ms\n", static_cast<long long>(ms));
  EXPECT_NE(checkind->Log().find("still busy"), std::string::npos) << checkind->Log();
  // The claimed jobs are still in the queue (leased): they come back when
  // the lease ends, in doubt, and are looked up at Twilio before any resend.
  EXPECT_EQ(QueuedJobs(), kMembers);
  twilio_.Stop();  // ends the stand-in's waits
}

// Issue 13: a reload in progress never delays a stop. The file becomes a
// FIFO nobody writes, so the reload waits in open() for ever (as on a hung
// network mount); SIGTERM must still stop checkind at once, well within
// shutdown_timeout_seconds, and nothing of that reload is applied.
TEST_F(Service, SigtermDuringAStuckReloadStopsWithinTheShutdownBound) {
  WriteConfig(Yaml("shutdown_timeout_seconds: 3\n"));
  auto checkind = StartCheckind();
  ASSERT_TRUE(notify_->Await("READY=1", kStartLimit)) << checkind->Log();
  ASSERT_EQ(std::remove(config_path_.c_str()), 0);
  ASSERT_EQ(mkfifo(config_path_.c_str(), 0600), 0);
  const size_t before = notify_->Lines().size();
  checkind->Signal(SIGHUP);
  auto reloading = notify_->Await("RELOADING=1", seconds(5), before);
  ASSERT_TRUE(reloading) << checkind->Log();

  const auto t0 = std::chrono::steady_clock::now();
  checkind->Signal(SIGTERM);
  const auto status = checkind->WaitExit(seconds(10));
  const int64_t ms = ElapsedMs(t0);
  ASSERT_TRUE(status) << "SIGTERM waited for the reload:\n" << checkind->Log();
  EXPECT_EQ(*status, 0) << checkind->Log();
  EXPECT_LT(ms, 3000) << "shutdown_timeout_seconds (3) exceeded";
  std::printf("[ measured ] SIGTERM to exit, reload stuck: %lld ms\n", static_cast<long long>(ms));
  EXPECT_TRUE(notify_->Await("STOPPING=1", seconds(1), *reloading));
  EXPECT_NE(checkind->Log().find("a reload still reading " + config_path_ + " is abandoned"), std::string::npos)
      << checkind->Log();
  EXPECT_EQ(checkind->Log().find("reloaded "), std::string::npos) << checkind->Log();
}

}  // namespace
}  // namespace checkin
