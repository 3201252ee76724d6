// dispatch-standin: the Twilio stand-in (tests/twilio_standin) for
// scripts/bench-dispatch.sh, with two things the twilio-standin program
// lacks: --threads (its server pool is fixed at 32 threads, so with
// --latency-ms 150 it could not answer more than 32 / 0.15 = 213 requests/s,
// whatever the client does) and millisecond timestamps of accepted messages.
// On SIGTERM / SIGINT it writes --report: {"accepted", "first_ms", "last_ms",
// "times"} (Unix ms of the first, the last and each accepted message), then
// exits 0.
// The admin routes (GET /_standin/requests ...) work as on twilio-standin.
#include <signal.h>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <limits>
#include <mutex>
#include <string>
#include <vector>

#include "standin.h"

int main(int argc, char** argv) {
  checkin::standin::Options opt;
  std::string port_file, report;
  int latency_ms = 0;
  if (const char* env = std::getenv("TWILIO_AUTH_TOKEN")) opt.auth_token = env;
  opt.threads = 256;

  CLI::App app{"dispatch-standin: the Twilio stand-in for the dispatch benchmark"};
  app.add_option("--port-file", port_file, "write the port here once listening")->required();
  app.add_option("--account-sid", opt.account_sid, "account SID to accept");
  app.add_option("--auth-token", opt.auth_token, "auth token to accept (default: $TWILIO_AUTH_TOKEN)");
  app.add_option("--latency-ms", latency_ms, "delay added to every API request")->check(CLI::NonNegativeNumber);
  app.add_option("--max-concurrency", opt.max_concurrency, "requests in flight beyond this get 429 (0: no limit)");
  app.add_option("--threads", opt.threads, "server thread pool (default 256)")->check(CLI::Range(1, 4096));
  app.add_option("--report", report, "JSON summary written on SIGTERM")->required();
  CLI11_PARSE(app, argc, argv);
  opt.latency = std::chrono::milliseconds(latency_ms);

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  std::mutex mu;
  long long accepted = 0, first_ms = std::numeric_limits<long long>::max(), last_ms = 0;
  std::vector<long long> times;  // Unix ms of each accepted message
  times.reserve(1 << 16);
  opt.on_message = [&](const checkin::standin::RecordedMessage&) {
    const long long now = std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::system_clock::now().time_since_epoch()).count();
    std::lock_guard<std::mutex> lock(mu);
    ++accepted;
    if (now < first_ms) first_ms = now;
    if (now > last_ms) last_ms = now;
    times.push_back(now);
  };

  checkin::standin::TwilioStandIn standin(opt);
  if (auto s = standin.Start(); !s.ok()) {
    std::cerr << "dispatch-standin: " << s.ToString() << "\n";
    return 1;
  }
  {
    const std::string tmp = port_file + ".tmp";
    std::ofstream(tmp) << standin.port() << "\n";
    if (std::rename(tmp.c_str(), port_file.c_str()) != 0) return 1;
  }
  int sig = 0;
  sigwait(&signals, &sig);
  standin.Stop();
  std::lock_guard<std::mutex> lock(mu);
  nlohmann::json j = {{"accepted", accepted},
                      {"first_ms", accepted ? first_ms : 0},
                      {"last_ms", last_ms},
                      {"threads", opt.threads},
                      {"latency_ms", latency_ms},
                      {"max_concurrency", opt.max_concurrency},
                      {"times", times}};
  std::ofstream(report) << j.dump() << "\n";
  return 0;
}
