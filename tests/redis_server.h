// RedisServer: a real redis-server for tests, on a free loopback port.
//
// Started with no persistence in a fresh temporary directory, polled with a
// bounded PING loop, killed by pid on destruction. One per test binary is
// enough: tests separate themselves with TestKeyPrefix().
//
//   static RedisServer* redis = RedisServer::Shared();  // started once
//   auto url = redis->Url();                            // redis://127.0.0.1:PORT/0
#ifndef CHECKIN_TESTS_REDIS_SERVER_H_
#define CHECKIN_TESTS_REDIS_SERVER_H_

#include <sys/types.h>

#include <string>
#include <vector>

namespace checkin::testing {

class RedisServer {
 public:
  struct Options {
    bool appendonly = false;  // AOF on, for restart tests
    std::vector<std::string> extra_args;  // e.g. {"--replicaof", "127.0.0.1", "6379"}
    // Non-empty: run as a Sentinel monitoring this primary ("name host port",
    // quorum 1, down after 1 s) instead of as a data node.
    std::string sentinel_monitor;
  };
  // Starts redis-server; throws std::runtime_error when it cannot.
  explicit RedisServer(Options options);
  RedisServer() : RedisServer(Options{}) {}
  ~RedisServer();
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  // A server shared by every test of this binary, stopped at exit.
  static RedisServer* Shared();

  int port() const { return port_; }
  std::string Url() const;
  pid_t pid() const { return pid_; }

  // Kills the server (SIGKILL) and starts it again on the same port and dir.
  void Restart();
  // SIGKILL without restart; Start() brings it back.
  void Kill();
  void Start();

  // Runs one command with redis-cli semantics and returns its raw reply text
  // (for test set-up and checks; production code uses RedisStore).
  std::string Cli(const std::vector<std::string>& args) const;

 private:
  void WaitUntilReady();
  Options options_;
  std::string dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace checkin::testing

#endif  // CHECKIN_TESTS_REDIS_SERVER_H_
