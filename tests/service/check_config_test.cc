// `checkind --check-config` checks what start-up checks (issue 12, item 3):
// the real binary, both ways, on the same file.
//
//   A file start-up refuses is refused by --check-config with the same
//   message, naming the file, the line and the key: one case per check that
//   start-up makes (the whole Redis URL and its Sentinel list, the listen
//   address, the token in the environment or its file, the dashboard
//   password, the safeguarding phrases, an unknown key).
//   A file --check-config passes starts: READY=1, /readyz 200, SIGTERM exits
//   0, with a real redis-server (plain, on a unix socket, through a
//   Sentinel) and the token where systemd and a container put it.
//
// Every wait is a bounded poll of process or socket state.
#include <signal.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "service_fixture.h"

namespace checkin {
namespace {

using std::chrono::seconds;
using testing::ChildProcess;
using testing::kBin;
using testing::kStartLimit;
using testing::NotifySocket;
using testing::RedisServer;

class CheckConfig : public testing::ServiceFixture {
 protected:
  // Runs checkind on config_path_ with `args` and `env`; its exit status
  // (nullopt: still running after `limit`, then killed) and output.
  std::pair<std::optional<int>, std::string> Run(const std::vector<std::string>& args,
                                                 const std::vector<std::string>& env, seconds limit = seconds(15)) {
    std::vector<std::string> argv = {kBin + "/checkind", "--config", config_path_};
    argv.insert(argv.end(), args.begin(), args.end());
    ChildProcess p(argv, env, dir_.File("run-" + std::to_string(++runs_) + ".log"));
    auto status = p.WaitExit(limit);
    return {status, p.Log()};
  }

  int runs_ = 0;
};

// The line `needle` is written on in `yaml` (1-based), 0 when absent.
int LineOf(const std::string& yaml, const std::string& needle) {
  const size_t at = yaml.find(needle);
  return at == std::string::npos ? 0 : static_cast<int>(std::count(yaml.begin(), yaml.begin() + at, '\n')) + 1;
}

// `yaml` with the line that starts with `prefix` replaced by `line`.
std::string ReplaceLine(std::string yaml, const std::string& prefix, const std::string& line) {
  const size_t at = yaml.find("\n" + prefix);
  if (at == std::string::npos) return "no line " + prefix;  // fails the case, visibly
  yaml.replace(at + 1, yaml.find('\n', at + 1) - at - 1, line);
  return yaml;
}

// One thing start-up refuses. `edit` turns the fixture's good file into the
// bad one; the message must name `key` on the line of `at` and say `want`.
struct RefusedCase {
  const char* name;
  std::function<std::string(const std::string& good, const std::string& dir)> edit;
  std::string at;
  std::string key;
  std::string want;
  std::vector<std::string> env = {};  // besides the stand-in's TWILIO_AUTH_TOKEN
};

std::function<std::string(const std::string&, const std::string&)> RedisUrl(const std::string& url) {
  return [url](const std::string& good, const std::string&) { return ReplaceLine(good, "  url: ", "  url: \"" + url + "\""); };
}
std::function<std::string(const std::string&, const std::string&)> Listen(const std::string& listen) {
  return [listen](const std::string& good, const std::string&) {
    return ReplaceLine(good, "  listen: ", "  listen: \"" + listen + "\"");
  };
}
std::function<std::string(const std::string&, const std::string&)> TwilioLine(const std::string& line) {
  return [line](const std::string& good, const std::string&) {
    std::string yaml = good;
    yaml.replace(yaml.find("twilio:\n"), 8, "twilio:\n" + line + "\n");
    return yaml;
  };
}
std::function<std::string(const std::string&, const std::string&)> Append(const std::string& text) {
  return [text](const std::string& good, const std::string&) { return good + text; };
}

const std::vector<RefusedCase>& RefusedCases() {
  static const std::vector<RefusedCase> kCases = {
      {"redis port not a number", RedisUrl("redis://127.0.0.1:63x9/0"), "  url: ", "redis.url", "bad port"},
      {"redis db not a number", RedisUrl("redis://127.0.0.1:6379/zero"), "  url: ", "redis.url", "db is not a number"},
      {"redis password kept out of the message", RedisUrl("redis://:s3cret@127.0.0.1:x/0"), "  url: ", "redis.url",
       "\"redis://:***@127.0.0.1:x/0\""},
      {"redis unix socket relative", RedisUrl("unix://run/redis.sock"), "  url: ", "redis.url", "not absolute"},
      {"sentinel list with an empty entry", RedisUrl("redis-sentinel://127.0.0.1:26379,/checkin/0"), "  url: ",
       "redis.url", "bad sentinel address \"\""},
      {"sentinel port out of range", RedisUrl("redis-sentinel://127.0.0.1:26379,127.0.0.1:99999/checkin"), "  url: ",
       "redis.url", "bad sentinel address \"127.0.0.1:99999\""},
      {"sentinel without a master name", RedisUrl("redis-sentinel://127.0.0.1:26379"), "  url: ", "redis.url",
       "no master name"},
      {"listen port a word", Listen("127.0.0.1:http"), "  listen: ", "http.listen", "host:port"},
      {"listen port 0", Listen("127.0.0.1:0"), "  listen: ", "http.listen", "1 to 65535"},
      {"listen on an address of another machine", Listen("192.0.2.1:8080"), "  listen: ", "http.listen",
       "not an address of this machine"},
      {"listen on a name that does not resolve", Listen("no-such-host.invalid:8080"), "  listen: ", "http.listen",
       "cannot resolve host \"no-such-host.invalid\""},
      {"token variable not set", TwilioLine("  auth_token_env: \"CHECKIN_TEST_NO_SUCH_TOKEN\""), "  auth_token_env: ",
       "twilio.auth_token_env", "CHECKIN_TEST_NO_SUCH_TOKEN is not set"},
      {"token file missing", TwilioLine("  auth_token_file: \"/nonexistent/twilio-auth-token\""), "  auth_token_file: ",
       "twilio.auth_token_file", "cannot read the auth token from \"/nonexistent/twilio-auth-token\""},
      {"token file empty",
       [](const std::string& good, const std::string& dir) {
         std::ofstream(dir + "/empty-token") << "\n";
         return TwilioLine("  auth_token_file: \"" + dir + "/empty-token\"")(good, dir);
       },
       "  auth_token_file: ", "twilio.auth_token_file", "file is empty"},
      {"token file not in the credentials directory", TwilioLine("  auth_token_file: \"twilio-auth-token\""),
       "  auth_token_file: ", "twilio.auth_token_file", "/credentials/twilio-auth-token\"", {"CREDENTIALS_DIRECTORY="}},
      {"dashboard password not set", Append("dashboard:\n  user: \"coordinator\"\n  password_env: \"CHECKIN_TEST_NO_PW\"\n"),
       "  password_env: ", "dashboard.password_env", "CHECKIN_TEST_NO_PW is not set"},
      {"safeguarding phrase that does not compile", Append("safeguarding:\n  phrases:\n    en: [\"feel (trapped\"]\n"),
       "  phrases:", "safeguarding.phrases", "unclosed '('"},
      {"unknown key", Append("reminders_typo: 1\n"), "reminders_typo", "reminders_typo", "unknown key"},
      // Issue 13: what Twilio cannot send, and bytes that are not text.
      {"a reminder of 10,000 characters", Append("templates:\n  en:\n    reminder: \"" + std::string(10000, 'a') + "\"\n"),
       "    reminder: ", "templates.en.reminder", "too long: 10000 characters", {}},
      {"a help text over Twilio's 1600", Append("templates:\n  en:\n    help: \"" + std::string(1601, 'h') + "\"\n"),
       "    help: ", "templates.en.help", "at most 1600, Twilio's limit for one message", {}},
      {"a template that is not UTF-8", Append("templates:\n  pl:\n    reply_yes: \"Dzi\xC4\"\n"), "    reply_yes: ",
       "(file)", "not UTF-8: byte 0xC4", {}},
  };
  return kCases;
}

TEST_F(CheckConfig, RefusesWhatStartUpRefusesWithTheSameMessage) {
  for (const RefusedCase& c : RefusedCases()) {
    SCOPED_TRACE(c.name);
    const std::string yaml = c.edit(Yaml(), dir_.path());
    WriteConfig(yaml);
    std::vector<std::string> env = {"TWILIO_AUTH_TOKEN=" + twilio_.auth_token()};
    for (const std::string& e : c.env) env.push_back(e == "CREDENTIALS_DIRECTORY=" ? e + dir_.File("credentials") : e);

    auto [start_status, start_log] = Run({}, env);
    auto [check_status, check_log] = Run({"--check-config"}, env);
    EXPECT_EQ(start_status, std::optional<int>(2)) << "start-up must refuse it (exit 2):\n" << start_log;
    EXPECT_EQ(check_status, std::optional<int>(1)) << "--check-config must refuse it (exit 1):\n" << check_log;
    EXPECT_EQ(start_log, "FATAL CONFIG FILE ERROR: " + check_log) << "the same message both ways";

    const std::string where = config_path_ + ":" + std::to_string(LineOf(yaml, c.at)) + ": " + c.key + ": ";
    EXPECT_EQ(check_log.rfind(where, 0), 0u) << "want " << where << "in:\n" << check_log;
    EXPECT_NE(check_log.find(c.want), std::string::npos) << "want " << c.want << " in:\n" << check_log;
    EXPECT_EQ(check_log.find("s3cret"), std::string::npos) << check_log;
  }
}

// One file that passes: how it is made, and the environment checkind gets.
struct StartsCase {
  const char* name;
  std::string yaml;
  std::vector<std::string> env;
};

// Every group file is checked too (file, line, key), a key only the main
// file may have is refused with that reason, and a file for a group that
// is not in Redis is a warning, not an error.
TEST_F(CheckConfig, ChecksEveryGroupFileAndWarnsAboutOneWithoutItsGroup) {
  const std::string groups = dir_.File("groups.d");
  ASSERT_EQ(mkdir(groups.c_str(), 0755), 0);
  WriteConfig(Yaml("groups_dir: \"groups.d\"\n"));  // beside the main file
  const std::string token_env = "TWILIO_AUTH_TOKEN=" + twilio_.auth_token();
  std::ofstream(groups + "/walk.yaml") << "reminders:\n  send:\n    - hours_before: 1\ntwilio:\n  from: \"+447700900001\"\n";
  auto [refused, refused_log] = Run({"--check-config"}, {token_env});
  EXPECT_EQ(refused, std::optional<int>(1)) << refused_log;
  EXPECT_NE(refused_log.find(groups + "/walk.yaml:4: twilio: allowed only in the main config file, not in a group file"),
            std::string::npos)
      << refused_log;

  std::ofstream(groups + "/walk.yaml", std::ios::trunc) << "reminders:\n  send:\n    - hours_before: 1\n";
  auto [passed, passed_log] = Run({"--check-config"}, {token_env});
  EXPECT_EQ(passed, std::optional<int>(0)) << passed_log;
  EXPECT_NE(passed_log.find(config_path_ + ": OK (and 1 group file(s) in groups.d)"), std::string::npos) << passed_log;
  EXPECT_NE(passed_log.find(groups + "/walk.yaml: there is no group walk in Redis"), std::string::npos) << passed_log;
}

TEST_F(CheckConfig, AFileThatPassesStarts) {
  // Redis on a unix socket, and a primary found through a Sentinel.
  RedisServer::Options on_socket;
  const std::string socket_path = dir_.File("redis.sock");
  on_socket.extra_args = {"--unixsocket", socket_path, "--unixsocketperm", "700"};
  RedisServer socket_redis(on_socket);
  RedisServer primary;
  RedisServer::Options watch;
  watch.sentinel_monitor = "checkin 127.0.0.1 " + std::to_string(primary.port());
  RedisServer sentinel(watch);

  const std::string good = Yaml();
  std::ofstream(dir_.File("token")) << twilio_.auth_token() << "\n";
  std::filesystem::create_directory(dir_.File("credentials"));
  std::ofstream(dir_.File("credentials/twilio-auth-token")) << twilio_.auth_token() << "\n";
  const std::string sentinel_url = "redis-sentinel://127.0.0.1:" + std::to_string(sentinel.port()) + ",127.0.0.1:" +
                                   std::to_string(testing::FreeLoopbackPort()) + "/checkin/0";
  const std::string token_env = "TWILIO_AUTH_TOKEN=" + twilio_.auth_token();
  const std::vector<StartsCase> cases = {
      {"the token in the environment", good, {token_env}},
      {"the token from systemd's LoadCredential=",
       TwilioLine("  auth_token_file: \"twilio-auth-token\"")(good, ""), {"CREDENTIALS_DIRECTORY=" + dir_.File("credentials")}},
      {"the token from a mounted secret, listening on every interface",
       Listen("0.0.0.0:" + std::to_string(http_port_))(TwilioLine("  auth_token_file: \"" + dir_.File("token") + "\"")(good, ""), ""),
       {}},
      {"redis on a unix socket", RedisUrl("unix://" + socket_path + "?db=0")(good, ""), {token_env}},
      {"redis through a sentinel (the second one down)", RedisUrl(sentinel_url)(good, ""), {token_env}},
      {"the dashboard on, a phrase added",
       good + "dashboard:\n  user: \"coordinator\"\nsafeguarding:\n  phrases:\n    en: [\"feel ... trapped\"]\n",
       {token_env, "CHECKIN_DASHBOARD_PASSWORD=pw"}},
  };
  for (const StartsCase& c : cases) {
    SCOPED_TRACE(c.name);
    WriteConfig(c.yaml);
    auto [check_status, check_log] = Run({"--check-config"}, c.env);
    ASSERT_EQ(check_status, std::optional<int>(0)) << check_log;
    EXPECT_NE(check_log.find(config_path_ + ": OK"), std::string::npos) << check_log;

    std::vector<std::string> env = c.env;
    env.push_back("NOTIFY_SOCKET=" + notify_->path());
    const size_t before = notify_->Lines().size();
    ChildProcess checkind({kBin + "/checkind", "--config", config_path_}, env, dir_.File("start-" + std::to_string(++runs_) + ".log"));
    ASSERT_TRUE(notify_->Await("READY=1", kStartLimit, before)) << checkind.Log();
    EXPECT_EQ(Get("/readyz"), 200) << checkind.Log();
    checkind.Signal(SIGTERM);
    EXPECT_EQ(checkind.WaitExit(seconds(25)), std::optional<int>(0)) << checkind.Log();
  }
}

}  // namespace
}  // namespace checkin
