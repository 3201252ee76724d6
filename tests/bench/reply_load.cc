// reply-load: an open-loop load generator for checkind's reply webhook
// (POST /twilio/sms), as Twilio would call it.
//
// Open loop: request i is due at start + i / rate, whatever happened to the
// ones before it, and its latency is measured from that due time, not from
// when a connection became free. A server that stalls for 100 ms therefore
// shows 100 ms of latency on every request that was due meanwhile, instead
// of hiding it (coordinated omission). Each of --connections threads keeps
// one keep-alive httplib::Client (--no-keep-alive: a new connection per
// request) and takes the next due request. A request that gets no answer
// counts as infinitely late in the percentiles.
//
// Every request is built and signed before the timed run (fresh MessageSid,
// the form parameters Twilio sends, X-Twilio-Signature over --public-url),
// so the generator spends its CPU on sending, not on HMACs.
//
// Bounded: requests still unsent a --timeout after the last one was due are
// counted as not sent; every request has connect/read/write timeouts and is
// never retried. Exit status 1 when any request failed (not 200, no answer,
// not sent); CLI11's non-zero codes on bad options.
#include <httplib.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "twilio/form_body.h"
#include "twilio/twilio_signature.h"

namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr const char* kWebhookPath = "/twilio/sms";
constexpr double kMaxRequests = 5e6;  // pre-built requests are kept in memory

// What members really answer: yes, no and maybe in their own words.
const std::vector<std::string> kReplyMix = {"yes",
                                            "Yes please \xF0\x9F\x98\x8A",
                                            "can't make it x",
                                            "maybe",
                                            "might do",
                                            "\xF0\x9F\x91\x8D",
                                            "not this week sorry",
                                            "no"};

struct Options {
  std::string url;
  std::string public_url;
  std::string auth_token;
  std::string account_sid = "AC00000000000000000000000000000000";
  std::string to = "+447700900000";
  std::string phones_file;
  double rate = 2000;
  double duration_s = 10;
  double warmup_s = 2;
  int connections = 4;
  double timeout_s = 5;
  bool mixed_bodies = false;
  bool no_keep_alive = false;  // a new connection per request
  std::string json_path;       // "" none, "-" stdout instead of the text report
};

struct PreparedRequest {
  std::string body;       // form-encoded
  std::string signature;  // X-Twilio-Signature
};

enum class Outcome : uint8_t { kNotSent, kAnswered, kConnectionError };

struct Sample {
  Outcome outcome = Outcome::kNotSent;
  int status = 0;  // HTTP status when answered
  httplib::Error error = httplib::Error::Success;
  double latency_ms = 0;  // from the due time to the end of the answer
  SteadyClock::time_point done;
};

struct Report {
  size_t planned = 0, sent = 0, measured = 0, ok = 0, not_sent = 0, connection_errors = 0;  // measured: after warm-up
  std::map<int, size_t> other_statuses;  // every request, warm-up included
  std::map<std::string, size_t> connection_errors_by_kind;
  double achieved_rate = 0;                             // 200 answers per second after the warm-up
  double p50 = 0, p90 = 0, p99 = 0, p999 = 0, max = 0;  // ms, measured part
  size_t failed() const {
    size_t other = 0;
    for (const auto& [code, n] : other_statuses) other += n;
    return other + connection_errors + not_sent;
  }
};

std::vector<std::string> ReadPhones(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw CLI::ValidationError("--phones", "cannot read " + path);
  std::vector<std::string> phones;
  for (std::string line; std::getline(in, line);) {
    line.erase(line.find_last_not_of(" \t\r") + 1);
    line.erase(0, line.find_first_not_of(" \t"));
    if (!line.empty() && line[0] != '#') phones.push_back(line);
  }
  if (phones.empty()) throw CLI::ValidationError("--phones", path + " holds no phone numbers");
  return phones;
}

std::string Hex(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

// One signed request per index: "SM" + 16 hex of this run + 16 hex of the
// index, so MessageSids never repeat within or across runs.
std::vector<PreparedRequest> BuildRequests(const Options& o, const std::vector<std::string>& phones, size_t count) {
  std::random_device random;
  const std::string run_id = Hex(static_cast<uint64_t>(random()) << 32 | random());
  const std::string signed_url = o.public_url + kWebhookPath;
  std::vector<PreparedRequest> out;
  out.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    const std::string sid = "SM" + run_id + Hex(i);
    const std::string& body = o.mixed_bodies ? kReplyMix[(i / phones.size() + i) % kReplyMix.size()] : kReplyMix[0];
    const checkin::FormParams params = {{"MessageSid", sid},
                                        {"SmsSid", sid},
                                        {"AccountSid", o.account_sid},
                                        {"From", phones[i % phones.size()]},
                                        {"To", o.to},
                                        {"Body", body},
                                        {"NumMedia", "0"},
                                        {"NumSegments", "1"}};
    out.push_back({checkin::FormEncode(params), checkin::ComputeTwilioSignature(o.auth_token, signed_url, params)});
  }
  return out;
}

// The schedule and the shared cursor the connection threads draw from.
struct Run {
  const Options& options;
  const std::vector<PreparedRequest>& requests;
  std::vector<Sample>& samples;
  SteadyClock::time_point start;
  SteadyClock::time_point give_up;  // nothing is sent after this
  std::atomic<size_t> next{0};

  SteadyClock::time_point DueAt(size_t i) const {
    return start + std::chrono::nanoseconds(std::llround(static_cast<double>(i) * 1e9 / options.rate));
  }
};

void SendLoop(Run& run) {
  const Options& o = run.options;
  httplib::Client client(o.url);
  client.set_keep_alive(!o.no_keep_alive);
  client.set_tcp_nodelay(true);  // headers and body are separate writes: no Nagle delay
  const auto timeout =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::duration<double>(o.timeout_s));
  client.set_connection_timeout(timeout.count() / 1000000, timeout.count() % 1000000);
  client.set_read_timeout(timeout.count() / 1000000, timeout.count() % 1000000);
  client.set_write_timeout(timeout.count() / 1000000, timeout.count() % 1000000);
  for (size_t i; (i = run.next.fetch_add(1)) < run.requests.size();) {
    const auto due = run.DueAt(i);
    std::this_thread::sleep_until(due);
    Sample& s = run.samples[i];
    if (SteadyClock::now() > run.give_up) continue;  // left as not sent
    const PreparedRequest& r = run.requests[i];
    const httplib::Headers headers = {{"X-Twilio-Signature", r.signature}, {"User-Agent", "TwilioProxy/1.1"}};
    auto res = client.Post(kWebhookPath, headers, r.body, "application/x-www-form-urlencoded");
    s.done = SteadyClock::now();
    s.latency_ms = std::chrono::duration<double, std::milli>(s.done - due).count();
    if (res) {
      s.outcome = Outcome::kAnswered;
      s.status = res->status;
    } else {
      s.outcome = Outcome::kConnectionError;
      s.error = res.error();
    }
  }
}

constexpr double kNoAnswer = std::numeric_limits<double>::infinity();

double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const size_t rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
  return sorted[std::min(sorted.size(), std::max<size_t>(rank, 1)) - 1];
}

// Latency percentiles are over every measured request: one that got no
// answer (not sent, connection error) counts as infinitely late, so a
// server that cannot keep up shows "no answer" rather than the latency of
// the few it did answer. The achieved rate is wall-clock throughput: 200
// answers completed after the warm-up, per second, until the last answer.
Report Summarise(const Run& run, size_t warmup_count) {
  Report r;
  r.planned = run.samples.size();
  std::vector<double> latencies;
  latencies.reserve(r.planned);
  const SteadyClock::time_point measure_from = run.DueAt(warmup_count);
  SteadyClock::time_point last_done = run.DueAt(r.planned);
  size_t ok_after_warmup = 0;
  for (size_t i = 0; i < r.planned; ++i) {
    const Sample& s = run.samples[i];
    const bool measured = i >= warmup_count;
    if (measured) ++r.measured;
    if (s.outcome == Outcome::kNotSent) {
      ++r.not_sent;
      if (measured) latencies.push_back(kNoAnswer);
      continue;
    }
    ++r.sent;
    if (s.outcome == Outcome::kConnectionError) {
      ++r.connection_errors;
      ++r.connection_errors_by_kind[httplib::to_string(s.error)];
      if (measured) latencies.push_back(kNoAnswer);
      continue;
    }
    last_done = std::max(last_done, s.done);
    if (s.status == 200) {
      ++r.ok;
      if (s.done >= measure_from) ++ok_after_warmup;
    } else {
      ++r.other_statuses[s.status];
    }
    if (measured) latencies.push_back(s.latency_ms);
  }
  std::sort(latencies.begin(), latencies.end());
  r.p50 = Percentile(latencies, 50);
  r.p90 = Percentile(latencies, 90);
  r.p99 = Percentile(latencies, 99);
  r.p999 = Percentile(latencies, 99.9);
  r.max = latencies.empty() ? 0 : latencies.back();
  const double window_s = std::chrono::duration<double>(last_done - measure_from).count();
  r.achieved_rate = window_s > 0 ? static_cast<double>(ok_after_warmup) / window_s : 0;
  return r;
}

std::string Millis(double ms) {
  if (std::isinf(ms)) return "no-answer";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", ms);
  return buf;
}

std::string JsonMillis(double ms) {
  if (std::isinf(ms)) return "null";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", ms);
  return buf;
}

void PrintText(const Options& o, const Report& r, std::ostream& out) {
  char line[256];
  out << "reply-load: " << o.rate << " replies/s for " << o.duration_s << " s after " << o.warmup_s << " s warm-up, "
      << o.connections
      << (o.no_keep_alive ? " thread(s), a new connection per request, " : " keep-alive connection(s), ") << o.url
      << kWebhookPath << "\n";
  out << "  sent               " << r.sent << " of " << r.planned << " (" << r.measured << " due after the warm-up)\n";
  out << "  ok (200)           " << r.ok << "\n";
  out << "  other statuses     ";
  if (r.other_statuses.empty()) out << "none";
  for (const auto& [code, n] : r.other_statuses) out << code << ": " << n << "  ";
  out << "\n  connection errors  " << r.connection_errors;
  for (const auto& [kind, n] : r.connection_errors_by_kind) out << "  " << kind << ": " << n;
  out << "\n  not sent           " << r.not_sent << "\n";
  std::snprintf(line, sizeof line, "  achieved           %.1f replies/s (200 answers after the warm-up)\n",
                r.achieved_rate);
  out << line;
  out << "  latency ms         p50 " << Millis(r.p50) << "  p90 " << Millis(r.p90) << "  p99 " << Millis(r.p99)
      << "  p99.9 " << Millis(r.p999) << "  max " << Millis(r.max) << "  (from the due time)\n";
  out << (r.failed() == 0 ? "  result             all requests answered 200\n"
                          : "  result             " + std::to_string(r.failed()) + " request(s) failed\n");
}

std::string JsonEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) continue;
    out += c;
  }
  return out;
}

void PrintJson(const Options& o, const Report& r, std::ostream& out) {
  char line[256];
  out << "{\"rate_asked\":" << o.rate << ",\"duration_s\":" << o.duration_s << ",\"warmup_s\":" << o.warmup_s
      << ",\"connections\":" << o.connections << ",\"keep_alive\":" << (o.no_keep_alive ? "false" : "true")
      << ",\"planned\":" << r.planned << ",\"sent\":" << r.sent << ",\"measured\":" << r.measured << ",\"ok\":" << r.ok
      << ",\"other_statuses\":{";
  const char* sep = "";
  for (const auto& [code, n] : r.other_statuses) out << sep << "\"" << code << "\":" << n, sep = ",";
  out << "},\"connection_errors\":" << r.connection_errors << ",\"connection_errors_by_kind\":{";
  sep = "";
  for (const auto& [kind, n] : r.connection_errors_by_kind)
    out << sep << "\"" << JsonEscape(kind) << "\":" << n, sep = ",";
  std::snprintf(line, sizeof line, "},\"not_sent\":%zu,\"failed\":%zu,\"achieved_rate\":%.1f,", r.not_sent, r.failed(),
                r.achieved_rate);
  // null: the request at that rank got no answer (see Summarise).
  out << line << "\"latency_ms\":{\"p50\":" << JsonMillis(r.p50) << ",\"p90\":" << JsonMillis(r.p90)
      << ",\"p99\":" << JsonMillis(r.p99) << ",\"p99_9\":" << JsonMillis(r.p999) << ",\"max\":" << JsonMillis(r.max)
      << "}}\n";
}

void AddOptions(CLI::App& app, Options& o) {
  app.add_option("--url", o.url, "where checkind listens, e.g. http://127.0.0.1:8080")->required();
  app.add_option("--public-url", o.public_url, "http.public_url: what signatures are computed over")->required();
  app.add_option("--auth-token", o.auth_token, "Twilio auth token (default: $TWILIO_AUTH_TOKEN)");
  app.add_option("--account-sid", o.account_sid, "AccountSid sent in each request")->capture_default_str();
  app.add_option("--to", o.to, "To: the group's Twilio number")->capture_default_str();
  app.add_option("--phones", o.phones_file, "file with one E.164 sender per line")->required();
  app.add_option("--rate", o.rate, "requests per second (open loop)")
      ->check(CLI::Range(1.0, 1e6))
      ->capture_default_str();
  app.add_option("--duration", o.duration_s, "measured seconds")->check(CLI::Range(0.1, 3600.0))->capture_default_str();
  app.add_option("--warmup", o.warmup_s, "seconds sent first and not measured")
      ->check(CLI::Range(0.0, 600.0))
      ->capture_default_str();
  app.add_option("--connections", o.connections, "keep-alive connections, one thread each")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  app.add_option("--timeout", o.timeout_s,
                 "connect/read/write timeout per request, seconds; also how long after the last due time unsent "
                 "requests are given up")
      ->check(CLI::Range(0.1, 60.0))
      ->capture_default_str();
  app.add_flag("--no-keep-alive", o.no_keep_alive, "a new connection per request (Connection: close)");
  app.add_flag("--bodies", o.mixed_bodies, "a mix of realistic replies instead of \"yes\" only");
  app.add_option("--json", o.json_path, "also write the report as JSON to this file ('-': stdout, instead of text)");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"reply-load: open-loop load on checkind's POST /twilio/sms, signed like Twilio"};
  Options o;
  AddOptions(app, o);
  CLI11_PARSE(app, argc, argv);
  if (o.auth_token.empty()) {
    const char* env = std::getenv("TWILIO_AUTH_TOKEN");
    o.auth_token = env ? env : "";
  }
  std::vector<std::string> phones;
  try {
    if (o.auth_token.empty()) throw CLI::ValidationError("--auth-token", "no auth token (nor $TWILIO_AUTH_TOKEN)");
    if (o.rate * (o.warmup_s + o.duration_s) > kMaxRequests) {
      throw CLI::ValidationError("--rate", "rate x (warmup + duration) exceeds 5,000,000 requests");
    }
    phones = ReadPhones(o.phones_file);
  } catch (const CLI::Error& e) {
    return app.exit(e);
  }
  if (!o.public_url.empty() && o.public_url.back() == '/') o.public_url.pop_back();

  const size_t total = static_cast<size_t>(std::llround(o.rate * (o.warmup_s + o.duration_s)));
  const size_t warmup_count = static_cast<size_t>(std::llround(o.rate * o.warmup_s));
  const std::vector<PreparedRequest> requests = BuildRequests(o, phones, total);
  std::vector<Sample> samples(total);

  Run run{o, requests, samples, {}, {}};
  run.start = SteadyClock::now() + std::chrono::milliseconds(100);  // threads are up by then
  run.give_up =
      run.DueAt(total) + std::chrono::duration_cast<SteadyClock::duration>(std::chrono::duration<double>(o.timeout_s));
  std::vector<std::thread> threads;
  for (int c = 0; c < o.connections; ++c) threads.emplace_back([&run] { SendLoop(run); });
  for (auto& t : threads) t.join();

  const Report report = Summarise(run, warmup_count);
  if (o.json_path != "-") PrintText(o, report, std::cout);
  if (o.json_path == "-") {
    PrintJson(o, report, std::cout);
  } else if (!o.json_path.empty()) {
    std::ofstream json(o.json_path);
    PrintJson(o, report, json);
    if (!json) {
      std::cerr << "reply-load: cannot write " << o.json_path << "\n";
      return 1;
    }
  }
  return report.failed() == 0 ? 0 : 1;
}
