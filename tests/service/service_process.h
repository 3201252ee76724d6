// Test support for running checkind as systemd would: a child process with
// its stderr in a file, signals by pid, a bounded wait for its exit, and the
// unix datagram socket that NOTIFY_SOCKET names, owned by the test.
//
// Thread-safety: each object belongs to the test thread that made it.
#ifndef CHECKIN_TESTS_SERVICE_SERVICE_PROCESS_H_
#define CHECKIN_TESTS_SERVICE_SERVICE_PROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace checkin::testing {

// A fresh directory under /tmp, removed with its content on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// The socket a service manager listens on: checkind's sd_notify() datagrams
// arrive here, each split into its lines ("READY=1", "STATUS=...").
class NotifySocket {
 public:
  explicit NotifySocket(std::string path);  // binds; throws std::runtime_error
  ~NotifySocket();
  NotifySocket(const NotifySocket&) = delete;
  NotifySocket& operator=(const NotifySocket&) = delete;
  const std::string& path() const { return path_; }

  // Reads datagrams until a line starting with `prefix` arrives at index
  // >= `from` of Lines(), or `limit` passes. Returns that line's index.
  std::optional<size_t> Await(const std::string& prefix, std::chrono::milliseconds limit, size_t from = 0);
  // Every line received so far, in order.
  const std::vector<std::string>& Lines() const { return lines_; }

 private:
  std::string path_;
  int fd_ = -1;
  std::vector<std::string> lines_;
};

// A child process; stdout and stderr go to `log_path`. Killed (SIGKILL) and
// reaped on destruction if still running.
class ChildProcess {
 public:
  // `env` entries ("NAME=value") are added to (or replace) the test's own.
  ChildProcess(const std::vector<std::string>& argv, const std::vector<std::string>& env, std::string log_path);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  void Signal(int sig) const;
  bool Running();
  // Waits (bounded poll of waitpid) for the exit; the exit status, or -1
  // for death by signal, or nullopt when still running after `limit`.
  std::optional<int> WaitExit(std::chrono::milliseconds limit);
  std::string Log() const;

 private:
  pid_t pid_ = -1;
  std::optional<int> status_;  // raw waitpid status once reaped
  std::string log_path_;
};

// Runs a shell command; its exit status (-1 when it could not run).
int RunShell(const std::string& command);

}  // namespace checkin::testing

#endif  // CHECKIN_TESTS_SERVICE_SERVICE_PROCESS_H_
