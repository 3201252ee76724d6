// concern-load: worried replies to a reply webhook (POST /twilio/sms), as
// Twilio would deliver them, and how fast each one reached a person: for
// scripts/bench-safeguarding.sh.
//
// --concerns worried texts, each from a different number of --phones, are
// sent open loop at --rate (concern i is due at start + i / rate, whatever
// happened to the others), mixed with --ordinary-rate ordinary replies
// ("yes", "can't make it x", one question) from --ordinary-phones over the
// same span. Every request is built and signed before the run (fresh
// MessageSid, Twilio's form parameters, X-Twilio-Signature over
// --public-url). --connections threads, one keep-alive connection each,
// take the next due request.
//
// Per concern:
//   webhook   from its due time to the end of the answer; the answer must be
//             200 and name the helplines (--helpline, "116 123")
//   alert     from its due time to the moment the Twilio stand-in (--standin)
//             accepted a text to --alert-to that holds her number and her
//             words (the stand-in's "received_at_us", same machine clock)
//   alert - answer  the alert's time less the webhook's: what sending it
//             took after the answer (< 0: it was sent before the answer)
// Alerts are read from GET /_standin/messages once the load is over (it is
// cleared with DELETE first), polled until every concern has one or --wait
// seconds passed, then read again --settle seconds later so that a second
// copy would be seen: exactly once means one text per concern, and none to
// --alert-to that matches no concern. Every text the stand-in accepted in
// the run is counted by recipient.
//
// Modelled (not measured): the stand-in accepts everything at once, Twilio
// does not: a number sends --model-mps segments a second and queues the
// rest. The same texts fed, in the order the stand-in accepted them,
// through a FIFO with that rate (a bucket of one second's worth, like
// checkind's own limit) give "alert_modelled_ms".
//
// A concern never answered, or never alerted, counts as infinitely late
// ("null" in JSON, "none" in text). Bounded: unsent requests are given up
// --timeout after the last due time; every request has connect/read/write
// timeouts and is never retried. Exit status 0 when every concern was
// answered 200 with the helplines and alerted exactly once within
// --aim-ms; 1 otherwise; CLI11's non-zero codes on bad options.
#include <httplib.h>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

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
using nlohmann::json;

constexpr const char* kWebhookPath = "/twilio/sms";
constexpr double kNoAnswer = std::numeric_limits<double>::infinity();

// What a mum who is not safe writes (docs/safeguarding.md's examples, some
// with an attendance answer in the same text).
const std::vector<std::string> kConcernMix = {
    "I can't cope anymore",
    "I don't want to be here",
    "I keep thinking about hurting the baby",
    "he hit me again",
    "N. I don't see the point of being here",
    "I want to die",
    "can't come sorry, I can't cope anymore",
    "I'm at breaking point",
    "I've been cutting again",
    "I'm scared to go home",
    "everyone would be better off without me",
    "I hear voices",
};

// Ordinary replies: yes, no, maybe, and one question (an unclear text:
// checkind forwards it to the coordinator, which quiet hours hold back).
const std::vector<std::string> kOrdinaryMix = {"yes",     "Yes please \xF0\x9F\x98\x8A",
                                               "can't make it x", "maybe",
                                               "\xF0\x9F\x91\x8D", "not this week sorry",
                                               "no",       "is there parking near the hall?"};

struct Options {
  std::string url;
  std::string public_url;
  std::string auth_token;
  std::string account_sid = "AC00000000000000000000000000000000";
  std::string to = "+447700900000";
  std::string phones_file;
  std::string ordinary_phones_file;
  int concerns = 200;
  double rate = 5;
  double ordinary_rate = 0;
  int connections = 4;
  double timeout_s = 5;
  std::string standin;
  std::string alert_to;
  double wait_s = 10;
  double settle_s = 2;
  double model_mps = 10;
  double aim_ms = 2000;
  std::string helpline = "116 123";
  std::string label = "checkind";
  std::string json_path;
};

enum class Kind : uint8_t { kConcern, kOrdinary };

struct Request {
  Kind kind;
  int index;  // concern number, or ordinary number
  std::string phone;
  std::string text;
  SteadyClock::duration offset;  // due time after the start
  std::string body;              // form-encoded
  std::string signature;
};

struct Sample {
  bool sent = false;
  bool answered = false;
  int status = 0;
  bool helplines = false;
  double latency_ms = kNoAnswer;  // due time to the end of the answer
  long long due_unix_us = 0;      // the due time on the system clock
};

std::vector<std::string> ReadPhones(const std::string& option, const std::string& path) {
  std::ifstream in(path);
  if (!in) throw CLI::ValidationError(option, "cannot read " + path);
  std::vector<std::string> phones;
  for (std::string line; std::getline(in, line);) {
    line.erase(line.find_last_not_of(" \t\r") + 1);
    line.erase(0, line.find_first_not_of(" \t"));
    if (!line.empty() && line[0] != '#') phones.push_back(line);
  }
  if (phones.empty()) throw CLI::ValidationError(option, path + " holds no phone numbers");
  return phones;
}

std::string Hex(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

SteadyClock::duration Seconds(double s) {
  return std::chrono::duration_cast<SteadyClock::duration>(std::chrono::duration<double>(s));
}

long long UnixMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Concerns and ordinary replies in due order, signed.
std::vector<Request> BuildRequests(const Options& o, const std::vector<std::string>& phones,
                                   const std::vector<std::string>& ordinary_phones) {
  std::random_device random;
  const std::string run_id = Hex(static_cast<uint64_t>(random()) << 32 | random());
  std::vector<Request> out;
  for (int i = 0; i < o.concerns; ++i) {
    out.push_back({Kind::kConcern, i, phones[i], kConcernMix[i % kConcernMix.size()], Seconds(i / o.rate), "", ""});
  }
  const double span_s = o.concerns / o.rate;
  const int ordinary = o.ordinary_rate > 0 ? static_cast<int>(std::floor(span_s * o.ordinary_rate)) : 0;
  for (int j = 0; j < ordinary; ++j) {
    out.push_back({Kind::kOrdinary, j, ordinary_phones[j % ordinary_phones.size()],
                   kOrdinaryMix[(j / ordinary_phones.size() + j) % kOrdinaryMix.size()],
                   Seconds((j + 0.5) / o.ordinary_rate), "", ""});
  }
  std::stable_sort(out.begin(), out.end(), [](const Request& a, const Request& b) { return a.offset < b.offset; });
  const std::string signed_url = o.public_url + kWebhookPath;
  for (size_t n = 0; n < out.size(); ++n) {
    Request& r = out[n];
    const std::string sid = "SM" + run_id + Hex(n);
    const checkin::FormParams params = {{"MessageSid", sid}, {"SmsSid", sid},       {"AccountSid", o.account_sid},
                                        {"From", r.phone},   {"To", o.to},          {"Body", r.text},
                                        {"NumMedia", "0"},   {"NumSegments", "1"}};
    r.body = checkin::FormEncode(params);
    r.signature = checkin::ComputeTwilioSignature(o.auth_token, signed_url, params);
  }
  return out;
}

struct Run {
  const Options& options;
  const std::vector<Request>& requests;
  std::vector<Sample>& samples;
  SteadyClock::time_point start;
  SteadyClock::time_point give_up;
  std::atomic<size_t> next{0};
};

void SendLoop(Run& run) {
  const Options& o = run.options;
  httplib::Client client(o.url);
  client.set_keep_alive(true);
  client.set_tcp_nodelay(true);
  const auto timeout =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::duration<double>(o.timeout_s));
  client.set_connection_timeout(timeout.count() / 1000000, timeout.count() % 1000000);
  client.set_read_timeout(timeout.count() / 1000000, timeout.count() % 1000000);
  client.set_write_timeout(timeout.count() / 1000000, timeout.count() % 1000000);
  for (size_t i; (i = run.next.fetch_add(1)) < run.requests.size();) {
    const Request& r = run.requests[i];
    const auto due = run.start + r.offset;
    std::this_thread::sleep_until(due);
    Sample& s = run.samples[i];
    const auto now = SteadyClock::now();
    // The due time on the system clock, which the stand-in's timestamps use.
    s.due_unix_us =
        UnixMicros() - std::chrono::duration_cast<std::chrono::microseconds>(now - due).count();
    if (now > run.give_up) continue;  // not sent
    s.sent = true;
    const httplib::Headers headers = {{"X-Twilio-Signature", r.signature}, {"User-Agent", "TwilioProxy/1.1"}};
    auto res = client.Post(kWebhookPath, headers, r.body, "application/x-www-form-urlencoded");
    if (!res) continue;
    s.answered = true;
    s.status = res->status;
    s.latency_ms = std::chrono::duration<double, std::milli>(SteadyClock::now() - due).count();
    s.helplines = res->body.find(o.helpline) != std::string::npos;
  }
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(v.size())));
  return v[std::min(v.size(), std::max<size_t>(rank, 1)) - 1];
}

json Millis(double ms) {
  if (std::isinf(ms)) return nullptr;
  return std::round(ms * 1000) / 1000;
}

json Distribution(const std::vector<double>& v) {
  return {{"p50", Millis(Percentile(v, 50))},
          {"p95", Millis(Percentile(v, 95))},
          {"p99", Millis(Percentile(v, 99))},
          {"max", Millis(v.empty() ? 0 : *std::max_element(v.begin(), v.end()))}};
}

std::string Text(const json& ms) {
  if (ms.is_null()) return "none";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", ms.get<double>());
  return buf;
}

struct StandinMessage {
  std::string to;
  std::string body;
  long long received_at_us = 0;
  int segments = 1;
};

// GET /_standin/messages; false when the stand-in cannot be read.
bool ReadStandin(httplib::Client& standin, std::vector<StandinMessage>& out) {
  auto res = standin.Get("/_standin/messages");
  if (!res || res->status != 200) return false;
  const json j = json::parse(res->body, nullptr, false);
  if (!j.is_object() || !j.contains("messages")) return false;
  out.clear();
  for (const json& m : j["messages"]) {
    StandinMessage s;
    s.to = m.value("to", "");
    s.body = m.value("body", "");
    s.received_at_us = m.value("received_at_us", 0LL);
    s.segments = std::max(1, std::atoi(m.value("num_segments", "1").c_str()));
    out.push_back(std::move(s));
  }
  return true;
}

// Each "+digits" in a text.
std::vector<std::string> PhonesIn(const std::string& text) {
  std::vector<std::string> out;
  for (size_t i = text.find('+'); i != std::string::npos; i = text.find('+', i + 1)) {
    size_t j = i + 1;
    while (j < text.size() && text[j] >= '0' && text[j] <= '9') ++j;
    if (j - i > 6) out.push_back(text.substr(i, j - i));
  }
  return out;
}

struct Alerts {
  std::vector<std::vector<size_t>> per_concern;  // indexes into the messages
  int unmatched_to_contact = 0;                  // to --alert-to, about no concern
};

Alerts MatchAlerts(const Options& o, const std::vector<Request>& requests,
                   const std::vector<StandinMessage>& messages) {
  std::map<std::string, const Request*> by_phone;
  for (const Request& r : requests) {
    if (r.kind == Kind::kConcern) by_phone[r.phone] = &r;
  }
  Alerts a;
  a.per_concern.assign(o.concerns, {});
  for (size_t m = 0; m < messages.size(); ++m) {
    if (messages[m].to != o.alert_to) continue;
    bool matched = false;
    for (const std::string& phone : PhonesIn(messages[m].body)) {
      auto it = by_phone.find(phone);
      if (it == by_phone.end() || messages[m].body.find(it->second->text) == std::string::npos) continue;
      a.per_concern[it->second->index].push_back(m);
      matched = true;
      break;
    }
    if (!matched) ++a.unmatched_to_contact;
  }
  return a;
}

// When each accepted text would leave a number that sends `mps` segments a
// second (a bucket of one second's worth, first come first served).
std::vector<long long> ModelledSendTimes(const std::vector<StandinMessage>& messages, double mps) {
  std::vector<size_t> order(messages.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return messages[a].received_at_us < messages[b].received_at_us; });
  std::vector<long long> out(messages.size(), 0);
  const double capacity = std::max(1.0, mps);
  double tokens = capacity, at = 0;  // tokens in the bucket at time `at` (us)
  bool first = true;
  for (size_t i : order) {
    const double cost = messages[i].segments;
    double t = static_cast<double>(messages[i].received_at_us);
    if (first) at = t, first = false;
    t = std::max(t, at);  // FIFO: not before the one ahead of it
    tokens = std::min(capacity, tokens + (t - at) / 1e6 * mps);
    if (tokens < cost) {
      t += (cost - tokens) / mps * 1e6;
      tokens = cost;
    }
    tokens -= cost;
    at = t;
    out[i] = static_cast<long long>(t);
  }
  return out;
}

void AddOptions(CLI::App& app, Options& o) {
  app.add_option("--url", o.url, "where the webhook listens, e.g. http://127.0.0.1:8080")->required();
  app.add_option("--public-url", o.public_url, "the public URL signatures are computed over")->required();
  app.add_option("--auth-token", o.auth_token, "Twilio auth token (default: $TWILIO_AUTH_TOKEN)");
  app.add_option("--account-sid", o.account_sid, "AccountSid sent in each request")->capture_default_str();
  app.add_option("--to", o.to, "To: the group's Twilio number")->capture_default_str();
  app.add_option("--phones", o.phones_file, "one E.164 number per line: concern i comes from line i")->required();
  app.add_option("--ordinary-phones", o.ordinary_phones_file, "senders of the ordinary replies (default: --phones)");
  app.add_option("--concerns", o.concerns, "worried texts")->check(CLI::Range(1, 100000))->capture_default_str();
  app.add_option("--rate", o.rate, "worried texts per second (open loop)")
      ->check(CLI::Range(0.01, 10000.0))
      ->capture_default_str();
  app.add_option("--ordinary-rate", o.ordinary_rate, "ordinary replies per second over the same span (0: none)")
      ->check(CLI::Range(0.0, 10000.0))
      ->capture_default_str();
  app.add_option("--connections", o.connections, "keep-alive connections, one thread each")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  app.add_option("--timeout", o.timeout_s, "connect/read/write timeout per request, seconds")
      ->check(CLI::Range(0.1, 60.0))
      ->capture_default_str();
  app.add_option("--standin", o.standin, "the Twilio stand-in, e.g. http://127.0.0.1:9000")->required();
  app.add_option("--alert-to", o.alert_to, "the number alerts go to (E.164, as the stand-in records it)")->required();
  app.add_option("--wait", o.wait_s, "after the load, most seconds to wait for every concern's alert")
      ->check(CLI::Range(0.0, 600.0))
      ->capture_default_str();
  app.add_option("--settle", o.settle_s, "then seconds more before the last count (a second copy would show)")
      ->check(CLI::Range(0.0, 600.0))
      ->capture_default_str();
  app.add_option("--model-mps", o.model_mps, "modelled Twilio sending rate, segments per second")
      ->check(CLI::Range(0.1, 100000.0))
      ->capture_default_str();
  app.add_option("--aim-ms", o.aim_ms, "an alert later than this misses the aim")->capture_default_str();
  app.add_option("--helpline", o.helpline, "text every concern's answer must hold")->capture_default_str();
  app.add_option("--label", o.label, "name of the system in the report")->capture_default_str();
  app.add_option("--json", o.json_path, "also write the report as JSON to this file");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"concern-load: worried replies to POST /twilio/sms, and how fast each reached a person"};
  Options o;
  AddOptions(app, o);
  CLI11_PARSE(app, argc, argv);
  if (o.auth_token.empty()) {
    const char* env = std::getenv("TWILIO_AUTH_TOKEN");
    o.auth_token = env ? env : "";
  }
  std::vector<std::string> phones, ordinary_phones;
  try {
    if (o.auth_token.empty()) throw CLI::ValidationError("--auth-token", "no auth token (nor $TWILIO_AUTH_TOKEN)");
    phones = ReadPhones("--phones", o.phones_file);
    ordinary_phones = o.ordinary_phones_file.empty() ? phones : ReadPhones("--ordinary-phones", o.ordinary_phones_file);
    if (static_cast<size_t>(o.concerns) > phones.size()) {
      throw CLI::ValidationError("--concerns", "more concerns than numbers in " + o.phones_file +
                                                   " (each concern comes from a different number)");
    }
    if (o.ordinary_rate * o.concerns / o.rate > 1e6) {
      throw CLI::ValidationError("--ordinary-rate", "more than 1,000,000 ordinary replies");
    }
  } catch (const CLI::Error& e) {
    return app.exit(e);
  }
  if (!o.public_url.empty() && o.public_url.back() == '/') o.public_url.pop_back();

  httplib::Client standin(o.standin);
  standin.set_connection_timeout(2, 0);
  standin.set_read_timeout(10, 0);
  auto cleared = standin.Delete("/_standin/messages");
  if (!cleared || cleared->status / 100 != 2) {
    std::cerr << "concern-load: cannot clear the stand-in's messages at " << o.standin << "\n";
    return 1;
  }

  const std::vector<Request> requests = BuildRequests(o, phones, ordinary_phones);
  std::vector<Sample> samples(requests.size());
  Run run{o, requests, samples, {}, {}};
  run.start = SteadyClock::now() + std::chrono::milliseconds(100);
  run.give_up = run.start + requests.back().offset + Seconds(o.timeout_s);
  std::vector<std::thread> threads;
  for (int c = 0; c < o.connections; ++c) threads.emplace_back([&run] { SendLoop(run); });
  for (auto& t : threads) t.join();

  // Alerts: every concern's, or --wait passes; then --settle more.
  std::vector<StandinMessage> messages;
  Alerts alerts;
  const auto wait_until = SteadyClock::now() + Seconds(o.wait_s);
  bool read = false;
  for (;;) {
    read = ReadStandin(standin, messages);
    if (read) alerts = MatchAlerts(o, requests, messages);
    const bool all = read && std::all_of(alerts.per_concern.begin(), alerts.per_concern.end(),
                                         [](const auto& a) { return !a.empty(); });
    if (all || SteadyClock::now() >= wait_until) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  std::this_thread::sleep_for(Seconds(o.settle_s));
  read = ReadStandin(standin, messages);
  if (!read) {
    std::cerr << "concern-load: cannot read the stand-in's messages at " << o.standin << "\n";
    return 1;
  }
  alerts = MatchAlerts(o, requests, messages);
  const std::vector<long long> modelled = ModelledSendTimes(messages, o.model_mps);

  std::vector<double> webhook_ms, alert_ms, modelled_ms, ordinary_ms, after_answer_ms;
  int concern_ok = 0, helplines = 0, once = 0, missing = 0, extra = 0, in_aim = 0;
  int slowest_webhook = -1, slowest_alert = -1;  // concern numbers (0: the first sent)
  int ordinary_sent = 0, ordinary_ok = 0;
  std::map<std::string, int> texts_by_to;
  for (const StandinMessage& m : messages) ++texts_by_to[m.to];
  for (size_t i = 0; i < requests.size(); ++i) {
    const Request& r = requests[i];
    const Sample& s = samples[i];
    const bool ok = s.answered && s.status == 200;
    if (r.kind == Kind::kOrdinary) {
      ordinary_sent += s.sent;
      ordinary_ok += ok;
      ordinary_ms.push_back(ok ? s.latency_ms : kNoAnswer);
      continue;
    }
    concern_ok += ok;
    helplines += ok && s.helplines;
    webhook_ms.push_back(ok ? s.latency_ms : kNoAnswer);
    if (slowest_webhook < 0 || webhook_ms.back() > webhook_ms[slowest_webhook]) slowest_webhook = r.index;
    const auto& got = alerts.per_concern[r.index];
    if (got.empty()) {
      ++missing;
      alert_ms.push_back(kNoAnswer);
      modelled_ms.push_back(kNoAnswer);
      if (slowest_alert < 0 || !std::isinf(alert_ms[slowest_alert])) slowest_alert = r.index;
      continue;
    }
    if (got.size() == 1) ++once;
    extra += static_cast<int>(got.size()) - 1;
    long long first = messages[got[0]].received_at_us, first_modelled = modelled[got[0]];
    for (size_t m : got) {
      first = std::min(first, messages[m].received_at_us);
      first_modelled = std::min(first_modelled, modelled[m]);
    }
    const double ms = static_cast<double>(first - s.due_unix_us) / 1000.0;
    alert_ms.push_back(ms);
    if (slowest_alert < 0 || ms > alert_ms[slowest_alert]) slowest_alert = r.index;
    if (ok) after_answer_ms.push_back(ms - s.latency_ms);  // < 0: the alert came before the answer
    modelled_ms.push_back(static_cast<double>(first_modelled - s.due_unix_us) / 1000.0);
    in_aim += ms <= o.aim_ms;
  }
  const int alerts_to_contact = texts_by_to.count(o.alert_to) ? texts_by_to[o.alert_to] : 0;
  const bool met = helplines == o.concerns && once == o.concerns && alerts.unmatched_to_contact == 0 &&
                   in_aim == o.concerns;

  json report = {{"label", o.label},
                 {"concerns", o.concerns},
                 {"rate", o.rate},
                 {"ordinary_rate", o.ordinary_rate},
                 {"ordinary", ordinary_sent},
                 {"ordinary_ok", ordinary_ok},
                 {"connections", o.connections},
                 {"concerns_answered_200", concern_ok},
                 {"concerns_with_helplines", helplines},
                 {"webhook_ms", Distribution(webhook_ms)},
                 {"ordinary_webhook_ms", Distribution(ordinary_ms)},
                 {"alert_ms", Distribution(alert_ms)},
                 {"slowest_webhook_concern", slowest_webhook},
                 {"slowest_alert_concern", slowest_alert},
                 {"alert_after_answer_ms", Distribution(after_answer_ms)},
                 {"alert_modelled_ms", Distribution(modelled_ms)},
                 {"model_mps", o.model_mps},
                 {"concerns_alerted_once", once},
                 {"concerns_not_alerted", missing},
                 {"extra_alerts", extra},
                 {"unmatched_to_contact", alerts.unmatched_to_contact},
                 {"alerts_to_contact", alerts_to_contact},
                 {"alerts_within_aim", in_aim},
                 {"aim_ms", o.aim_ms},
                 {"texts_sent", messages.size()},
                 {"texts_by_to", texts_by_to},
                 {"met", met}};

  std::cout << "concern-load (" << o.label << "): " << o.concerns << " worried texts at " << o.rate << "/s";
  if (o.ordinary_rate > 0) std::cout << " + " << ordinary_sent << " ordinary replies at " << o.ordinary_rate << "/s";
  std::cout << ", " << o.connections << " keep-alive connection(s), " << o.url << kWebhookPath << "\n";
  const json& w = report["webhook_ms"];
  const json& al = report["alert_ms"];
  const json& mo = report["alert_modelled_ms"];
  std::cout << "  webhook answer ms   p50 " << Text(w["p50"]) << "  p95 " << Text(w["p95"]) << "  p99 "
            << Text(w["p99"])
            << "  max " << Text(w["max"]) << "  (" << concern_ok << " answered 200, " << helplines
            << " naming the helplines; slowest: concern #" << slowest_webhook << ")\n";
  std::cout << "  alert ms            p50 " << Text(al["p50"]) << "  p95 " << Text(al["p95"]) << "  p99 "
            << Text(al["p99"]) << "  max " << Text(al["max"])
            << "  (from the webhook's due time to the stand-in; slowest: concern #" << slowest_alert << ")\n";
  const json& aa = report["alert_after_answer_ms"];
  std::cout << "  alert - answer ms   p50 " << Text(aa["p50"]) << "  p95 " << Text(aa["p95"]) << "  p99 "
            << Text(aa["p99"]) << "  max " << Text(aa["max"]) << "  (alert after the webhook's answer; < 0: before)\n";
  std::cout << "  alert ms, modelled  p50 " << Text(mo["p50"]) << "  p95 " << Text(mo["p95"]) << "  p99 "
            << Text(mo["p99"]) << "  max " << Text(mo["max"]) << "  (if Twilio sends " << o.model_mps
            << " segments/s)\n";
  if (o.ordinary_rate > 0) {
    const json& ow = report["ordinary_webhook_ms"];
    std::cout << "  ordinary answer ms  p50 " << Text(ow["p50"]) << "  p99 " << Text(ow["p99"]) << "  max "
              << Text(ow["max"]) << "  (" << ordinary_ok << " of " << ordinary_sent << " answered 200)\n";
  }
  std::cout << "  alerts to " << o.alert_to << ": " << alerts_to_contact << " (" << once << " concerns once, "
            << missing << " never, " << extra << " extra copies, " << alerts.unmatched_to_contact
            << " about no concern); texts accepted in all: " << messages.size() << "\n";
  for (const auto& [to, n] : texts_by_to) std::cout << "    to " << to << ": " << n << "\n";
  std::cout << "  result              "
            << (met ? "every concern answered with the helplines and alerted once within the aim\n"
                    : "the aim was not met\n");
  if (!o.json_path.empty()) {
    std::ofstream out(o.json_path);
    out << report.dump() << "\n";
    if (!out) {
      std::cerr << "concern-load: cannot write " << o.json_path << "\n";
      return 1;
    }
  }
  return met ? 0 : 1;
}
