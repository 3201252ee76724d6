#include "redis_server.h"

#include <hiredis/hiredis.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <thread>

#include "test_util.h"

namespace checkin::testing {
namespace {

struct ContextDeleter {
  void operator()(redisContext* c) const { redisFree(c); }
};
using ContextPtr = std::unique_ptr<redisContext, ContextDeleter>;

ContextPtr ConnectTo(int port) {
  timeval tv{1, 0};
  return ContextPtr(redisConnectWithTimeout("127.0.0.1", port, tv));
}

std::string FormatReply(const redisReply* r) {
  switch (r->type) {
    case REDIS_REPLY_STRING:
    case REDIS_REPLY_STATUS:
    case REDIS_REPLY_ERROR:
      return std::string(r->str, r->len);
    case REDIS_REPLY_INTEGER:
      return std::to_string(r->integer);
    case REDIS_REPLY_NIL:
      return "";
    case REDIS_REPLY_ARRAY: {
      std::string out;
      for (size_t i = 0; i < r->elements; ++i) {
        if (i) out += "\n";
        out += FormatReply(r->element[i]);
      }
      return out;
    }
    default:
      return "";
  }
}

}  // namespace

RedisServer::RedisServer(Options options) : options_(options) {
  char tmpl[] = "/tmp/checkin-redis-XXXXXX";
  if (!mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
  dir_ = tmpl;
  port_ = FreeLoopbackPort();
  Start();
}

RedisServer::~RedisServer() {
  Kill();
  std::string cmd = "rm -rf '" + dir_ + "'";
  if (std::system(cmd.c_str()) != 0) {
    // Leftover temp dir only; nothing to do.
  }
}

RedisServer* RedisServer::Shared() {
  static RedisServer* server = [] {
    auto* s = new RedisServer();
    std::atexit([] { delete Shared(); });
    return s;
  }();
  return server;
}

std::string RedisServer::Url() const { return "redis://127.0.0.1:" + std::to_string(port_) + "/0"; }

void RedisServer::Start() {
  std::vector<std::string> args = {"redis-server"};
  if (!options_.sentinel_monitor.empty()) {
    // A sentinel rewrites its config file, so it gets one of its own.
    const std::string conf = dir_ + "/sentinel.conf";
    std::ofstream out(conf);
    out << "sentinel monitor " << options_.sentinel_monitor << " 1\n";
    const std::string name = options_.sentinel_monitor.substr(0, options_.sentinel_monitor.find(' '));
    out << "sentinel down-after-milliseconds " << name << " 1000\n";
    out << "sentinel failover-timeout " << name << " 5000\n";
    out.close();
    args = {"redis-server", conf, "--sentinel"};
  }
  for (const std::string& a : {std::string("--port"), std::to_string(port_), std::string("--bind"),
                               std::string("127.0.0.1"), std::string("--dir"), dir_, std::string("--daemonize"),
                               std::string("no"), std::string("--loglevel"), std::string("warning"),
                               std::string("--logfile"), dir_ + "/redis.log"}) {
    args.push_back(a);
  }
  if (options_.sentinel_monitor.empty()) {
    for (const char* a : {"--save", "", "--appendonly"}) args.push_back(a);
    args.push_back(options_.appendonly ? "yes" : "no");
  }
  args.insert(args.end(), options_.extra_args.begin(), options_.extra_args.end());
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execvp("redis-server", argv.data());
    _exit(127);
  }
  pid_ = pid;
  WaitUntilReady();
}

void RedisServer::WaitUntilReady() {
  // Bounded: up to 500 attempts, each a connect with a 1 s timeout; a
  // redis-server normally answers within a few attempts.
  for (int attempt = 0; attempt < 500; ++attempt) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("redis-server exited at start (is it installed?) see " + dir_ + "/redis.log");
    }
    auto c = ConnectTo(port_);
    if (c && !c->err) {
      auto* r = static_cast<redisReply*>(redisCommand(c.get(), "PING"));
      bool ok = r && r->type == REDIS_REPLY_STATUS;
      if (r) freeReplyObject(r);
      if (ok) return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));  // waiting for a process, not for time
  }
  throw std::runtime_error("redis-server did not answer PING");
}

void RedisServer::Kill() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
}

void RedisServer::Restart() {
  Kill();
  Start();
}

std::string RedisServer::Cli(const std::vector<std::string>& args) const {
  auto c = ConnectTo(port_);
  if (!c || c->err) throw std::runtime_error("cannot connect to test redis");
  std::vector<const char*> argv;
  std::vector<size_t> lens;
  for (const auto& a : args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
  auto* r = static_cast<redisReply*>(
      redisCommandArgv(c.get(), static_cast<int>(argv.size()), argv.data(), lens.data()));
  if (!r) throw std::runtime_error("redis command failed");
  std::string out = FormatReply(r);
  bool err = r->type == REDIS_REPLY_ERROR;
  freeReplyObject(r);
  if (err) throw std::runtime_error("redis error: " + out);
  return out;
}

}  // namespace checkin::testing
