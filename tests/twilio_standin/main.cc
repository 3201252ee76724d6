// twilio-standin: the Twilio stand-in as a program, for demos and for
// scripts that run checkind against it.
//
//   twilio-standin --port 0 --port-file /tmp/p --auth-token t --show
//   twilio-standin ... --status-callbacks --callback-base http://127.0.0.1:8080
//                      --public-url https://reminders.example.org
//   twilio-standin ... --latency-ms 150 --threads 256 --report r.json   (benchmarks)
//   twilio-standin ... --queued-ms 8000   (messages stay "queued", out of DateSent lists, 8 s)
//
// --report: on SIGTERM / SIGINT, {"accepted", "first_ms", "last_ms",
// "times", ...} is written (Unix ms of the first, the last and each
// accepted message), for scripts/bench-dispatch.sh. --threads: the server
// pool (default 32; with --latency-ms 150 that answers at most 32 / 0.15 =
// 213 requests/s, whatever the client does).
//
// A phone texting in is simulated through the admin route
// POST /_standin/inbound (see standin.h).
//
// stdout carries nothing but --show output (phone-like boxes); diagnostics
// go to stderr. SIGTERM and SIGINT are taken by sigwait on a dedicated
// thread; no work happens in a signal handler.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <future>
#include <iostream>
#include <limits>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

#include "standin.h"

namespace {

using checkin::standin::RecordedMessage;

constexpr size_t kBoxWidth = 36;  // characters inside the box

// Terminal columns, roughly: one per code point, two for a 4-byte UTF-8
// sequence (emoji), which terminals draw double width.
size_t CodePoints(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += ((c & 0xC0) != 0x80) + (c >= 0xF0);
  return n;
}

// Words wrapped to `width` code points; a longer word gets a line alone.
std::vector<std::string> Wrap(const std::string& text, size_t width) {
  std::vector<std::string> lines;
  std::istringstream paragraphs(text);
  for (std::string para; std::getline(paragraphs, para);) {
    std::istringstream words(para);
    std::string line;
    for (std::string w; words >> w;) {
      if (!line.empty() && CodePoints(line) + 1 + CodePoints(w) > width) {
        lines.push_back(line);
        line.clear();
      }
      line += (line.empty() ? "" : " ") + w;
    }
    lines.push_back(line);
  }
  return lines;
}

std::string BoxLine(const std::string& s) {
  size_t n = CodePoints(s);
  return "│ " + s + std::string(n < kBoxWidth ? kBoxWidth - n : 0, ' ') + " │\n";
}

std::string Rule(const char* left, const char* right) {
  std::string out = left;
  for (size_t i = 0; i < kBoxWidth + 2; ++i) out += "─";
  return out + right + "\n";
}

// The message as it would look on the member's phone.
std::string PhoneBox(const RecordedMessage& m) {
  std::string out = Rule("┌", "┐") + BoxLine("To: " + m.to) + Rule("├", "┤");
  for (const auto& line : Wrap(m.body, kBoxWidth)) out += BoxLine(line);
  return out + Rule("└", "┘");
}

std::string LogLine(const RecordedMessage& m) {
  nlohmann::json j = nlohmann::json::parse(checkin::standin::MessageJson(m));
  j["status_callback"] = m.status_callback;
  return j.dump() + "\n";
}

bool WritePortFile(const std::string& path, int port) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::trunc);
    f << port << "\n";
    if (!f.flush()) return false;
  }
  return std::rename(tmp.c_str(), path.c_str()) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  checkin::standin::Options opt;
  std::string port_file, messages_log, report;
  int latency_ms = 0, queued_ms = 0;
  bool show = false;
  if (const char* env = std::getenv("TWILIO_AUTH_TOKEN")) opt.auth_token = env;

  CLI::App app{"twilio-standin: a local stand-in for Twilio's Messages API"};
  app.add_option("--port", opt.port, "TCP port on 127.0.0.1 (0: any free port)")->check(CLI::Range(0, 65535));
  app.add_option("--port-file", port_file, "write the port here once listening");
  app.add_option("--account-sid", opt.account_sid, "account SID to accept");
  app.add_option("--auth-token", opt.auth_token, "auth token to accept (default: $TWILIO_AUTH_TOKEN)");
  app.add_option("--latency-ms", latency_ms, "delay added to every API request")->check(CLI::NonNegativeNumber);
  app.add_option("--queued-ms", queued_ms, "each accepted message stays queued (no date_sent) this long")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--fail-rate", opt.fail_rate, "share of requests failing (500/503/429/hang)")->check(CLI::Range(0.0, 1.0));
  app.add_option("--max-concurrency", opt.max_concurrency, "requests in flight beyond this get 429 (0: no limit)");
  app.add_option("--threads", opt.threads, "server thread pool")->check(CLI::Range(1, 4096))->capture_default_str();
  app.add_option("--report", report, "on SIGTERM, write accepted count and each message's time (JSON)");
  app.add_option("--messages-log", messages_log, "append each accepted message as a JSON line");
  app.add_flag("--show", show, "print each accepted message as a phone would show it");
  app.add_flag("--status-callbacks", opt.send_status_callbacks,
               "post signed 'sent' and 'delivered' callbacks to each StatusCallback");
  app.add_option("--public-url", opt.public_url,
                 "inbound webhooks are signed over this base + the webhook's path (as behind a proxy)");
  app.add_option("--callback-base", opt.callback_rewrite_base,
                 "post status callbacks to this scheme://host:port instead (still signed over the original URL)");
  CLI11_PARSE(app, argc, argv);
  opt.latency = std::chrono::milliseconds(latency_ms);
  opt.queued_for = std::chrono::milliseconds(queued_ms);

  // Block the signals before any thread starts, so only sigwait sees them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  std::mutex out_mu;
  std::ofstream log;
  if (!messages_log.empty()) {
    log.open(messages_log, std::ios::app);
    if (!log) {
      std::cerr << "twilio-standin: cannot open " << messages_log << "\n";
      return 2;
    }
  }
  std::vector<long long> times;  // --report: Unix ms of each accepted message
  if (!report.empty()) times.reserve(1 << 16);
  opt.on_message = [&](const RecordedMessage& m) {
    const long long now = std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::system_clock::now().time_since_epoch()).count();
    std::lock_guard<std::mutex> lock(out_mu);
    if (!report.empty()) times.push_back(now);
    if (log.is_open()) log << LogLine(m) << std::flush;
    if (show) std::cout << PhoneBox(m) << std::flush;
  };

  checkin::standin::TwilioStandIn standin(opt);
  if (auto s = standin.Start(); !s.ok()) {
    std::cerr << "twilio-standin: " << s.ToString() << "\n";
    return 1;
  }
  if (!port_file.empty() && !WritePortFile(port_file, standin.port())) {
    std::cerr << "twilio-standin: cannot write " << port_file << "\n";
    return 1;
  }
  std::cerr << "twilio-standin: listening on " << standin.BaseUrl() << " account " << opt.account_sid << "\n";

  std::promise<int> stop;
  std::thread waiter([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    stop.set_value(sig);
  });
  const int sig = stop.get_future().get();
  waiter.join();
  std::cerr << "twilio-standin: signal " << sig << ", stopping\n";
  standin.Stop();
  if (!report.empty()) {
    std::lock_guard<std::mutex> lock(out_mu);
    const auto [first, last] = std::minmax_element(times.begin(), times.end());
    const nlohmann::json j = {{"accepted", times.size()},
                              {"first_ms", times.empty() ? 0 : *first},
                              {"last_ms", times.empty() ? 0 : *last},
                              {"threads", opt.threads},
                              {"latency_ms", latency_ms},
                              {"max_concurrency", opt.max_concurrency},
                              {"times", times}};
    std::ofstream(report) << j.dump() << "\n";
  }
  return 0;
}
