// Twilio stand-in: fault switches, records and the JSON it answers with
// (see standin.h). The HTTP side is in standin.cc.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <ctime>

#include "standin.h"
#include "standin_internal.h"

namespace checkin::standin {

using nlohmann::json;

const char* FailKindName(FailKind kind) {
  switch (kind) {
    case FailKind::kHttp500: return "500";
    case FailKind::kHttp503: return "503";
    case FailKind::kHttp429: return "429";
    case FailKind::kHang: return "hang";
    case FailKind::kDrop: return "drop";
  }
  return "?";
}

Result<FailKind> ParseFailKind(const std::string& name) {
  for (FailKind k : {FailKind::kHttp500, FailKind::kHttp503, FailKind::kHttp429, FailKind::kHang,
                     FailKind::kDrop}) {
    if (name == FailKindName(k)) return k;
  }
  return Status::InvalidArgument("unknown fail kind '" + name + "' (500, 503, 429, hang, drop)");
}

namespace {

Options WithDefaults(Options o) {
  if (!o.clock) o.clock = Clock::Real();
  return o;
}

}  // namespace

TwilioStandIn::State::State(Options o) : opt(WithDefaults(std::move(o))), rng(std::random_device{}()) {
  faults.latency = opt.latency;
  faults.fail_rate = opt.fail_rate;
  faults.max_concurrency = opt.max_concurrency;
}

std::optional<FailKind> TwilioStandIn::State::TakeFault() {
  std::lock_guard<std::mutex> lock(mu);
  if (faults.fail_next > 0) {
    --faults.fail_next;
    return faults.fail_next_kind;
  }
  if (faults.fail_rate > 0 && !faults.fail_rate_kinds.empty()) {
    if (std::uniform_real_distribution<double>(0, 1)(rng) < faults.fail_rate) {
      std::uniform_int_distribution<size_t> pick(0, faults.fail_rate_kinds.size() - 1);
      return faults.fail_rate_kinds[pick(rng)];
    }
  }
  return std::nullopt;
}

std::optional<FailKind> TwilioStandIn::State::TakeAcceptThenFail() {
  std::lock_guard<std::mutex> lock(mu);
  if (faults.accept_then_fail <= 0) return std::nullopt;
  --faults.accept_then_fail;
  return faults.accept_then_fail_kind;
}

int TwilioStandIn::State::ForcedError(const std::string& to) const {
  std::lock_guard<std::mutex> lock(mu);
  auto it = faults.number_errors.find(to);
  return it == faults.number_errors.end() ? 0 : it->second;
}

int TwilioStandIn::State::ForcedSenderError(const std::string& from, const std::string& service) const {
  std::lock_guard<std::mutex> lock(mu);
  for (const std::string* sender : {&from, &service}) {
    if (sender->empty()) continue;
    auto it = faults.sender_errors.find(*sender);
    if (it != faults.sender_errors.end()) return it->second;
  }
  return 0;
}

bool TwilioStandIn::State::WaitUnlessStopping(std::chrono::milliseconds d) {
  std::unique_lock<std::mutex> lock(mu);
  return !wake.wait_for(lock, d, [this] { return stopping; });
}

std::string TwilioStandIn::State::NewMessageSid() {
  static const char kHex[] = "0123456789abcdef";
  std::lock_guard<std::mutex> lock(mu);
  std::string sid = "SM";
  std::uniform_int_distribution<int> digit(0, 15);
  for (int i = 0; i < 32; ++i) sid += kHex[digit(rng)];
  return sid;
}

void TwilioStandIn::State::Count(int RequestCounts::*field) {
  std::lock_guard<std::mutex> lock(mu);
  ++(counts.*field);
}

Faults TwilioStandIn::State::Snapshot() const {
  std::lock_guard<std::mutex> lock(mu);
  return faults;
}

std::chrono::milliseconds TwilioStandIn::State::TakeQueuedFor() {
  std::lock_guard<std::mutex> lock(mu);
  if (faults.hold_queued <= 0) return opt.queued_for;
  --faults.hold_queued;
  return faults.hold_queued_for;
}

RecordedMessage TwilioStandIn::State::AsOfNow(RecordedMessage m) const {
  if (m.status == "queued" && opt.clock->Now() >= m.sent_at) m.status = "sent";
  return m;
}

// --- fault switches ---

void TwilioStandIn::FailNext(int count, FailKind kind, std::chrono::seconds retry_after) {
  std::lock_guard<std::mutex> lock(state_->mu);
  state_->faults.fail_next = count;
  state_->faults.fail_next_kind = kind;
  state_->faults.retry_after = retry_after;
}

void TwilioStandIn::SetFailRate(double rate, std::vector<FailKind> kinds) {
  std::lock_guard<std::mutex> lock(state_->mu);
  state_->faults.fail_rate = std::clamp(rate, 0.0, 1.0);
  if (!kinds.empty()) state_->faults.fail_rate_kinds = std::move(kinds);
}

void TwilioStandIn::ForceError(const std::string& to, int error_code) {
  std::lock_guard<std::mutex> lock(state_->mu);
  if (error_code == 0) state_->faults.number_errors.erase(to);
  else state_->faults.number_errors[to] = error_code;
}

void TwilioStandIn::ForceSenderError(const std::string& sender, int error_code) {
  std::lock_guard<std::mutex> lock(state_->mu);
  if (error_code == 0) state_->faults.sender_errors.erase(sender);
  else state_->faults.sender_errors[sender] = error_code;
}

void TwilioStandIn::SetLatency(std::chrono::milliseconds latency) {
  std::lock_guard<std::mutex> lock(state_->mu);
  state_->faults.latency = latency;
}

void TwilioStandIn::SetMaxConcurrency(int max) {
  std::lock_guard<std::mutex> lock(state_->mu);
  state_->faults.max_concurrency = max;
}

void TwilioStandIn::AcceptThenFail(int count, FailKind kind) {
  std::lock_guard<std::mutex> lock(state_->mu);
  state_->faults.accept_then_fail = count;
  state_->faults.accept_then_fail_kind = kind;
}

void TwilioStandIn::SetHangFor(std::chrono::milliseconds hang_for) {
  std::lock_guard<std::mutex> lock(state_->mu);
  state_->faults.hang_for = std::min(hang_for, std::chrono::milliseconds(30000));
}

void TwilioStandIn::HoldQueued(int count, std::chrono::milliseconds hold_for) {
  std::lock_guard<std::mutex> lock(state_->mu);
  state_->faults.hold_queued = count;
  state_->faults.hold_queued_for = hold_for;
}

void TwilioStandIn::SetFaults(Faults faults) {
  std::lock_guard<std::mutex> lock(state_->mu);
  state_->faults = std::move(faults);
}

void TwilioStandIn::ResetFaults() { SetFaults(Faults()); }

Faults TwilioStandIn::faults() const { return state_->Snapshot(); }

namespace {

Status ApplyFaultFields(const json& j, Faults& f) {
  if (j.value("reset", false)) f = Faults();
  if (auto it = j.find("fail_next"); it != j.end()) {
    f.fail_next = it->value("count", 1);
    auto kind = ParseFailKind(it->value("kind", "500"));
    if (!kind.ok()) return kind.status();
    f.fail_next_kind = *kind;
    f.retry_after = std::chrono::seconds(it->value("retry_after", 1));
  }
  if (j.contains("fail_rate")) f.fail_rate = std::clamp(j["fail_rate"].get<double>(), 0.0, 1.0);
  if (auto it = j.find("fail_kinds"); it != j.end()) {
    f.fail_rate_kinds.clear();
    for (const auto& k : *it) {
      auto kind = ParseFailKind(k.get<std::string>());
      if (!kind.ok()) return kind.status();
      f.fail_rate_kinds.push_back(*kind);
    }
  }
  if (auto it = j.find("number_errors"); it != j.end()) {
    for (const auto& [to, code] : it->items()) {
      if (code.get<int>() == 0) f.number_errors.erase(to);
      else f.number_errors[to] = code.get<int>();
    }
  }
  if (auto it = j.find("sender_errors"); it != j.end()) {
    for (const auto& [sender, code] : it->items()) {
      if (code.get<int>() == 0) f.sender_errors.erase(sender);
      else f.sender_errors[sender] = code.get<int>();
    }
  }
  if (j.contains("latency_ms")) f.latency = std::chrono::milliseconds(j["latency_ms"].get<int>());
  if (j.contains("max_concurrency")) f.max_concurrency = j["max_concurrency"].get<int>();
  if (j.contains("hang_ms")) {
    f.hang_for = std::min(std::chrono::milliseconds(j["hang_ms"].get<int>()),
                          std::chrono::milliseconds(30000));
  }
  if (auto it = j.find("hold_queued"); it != j.end()) {
    f.hold_queued = it->value("count", 1);
    f.hold_queued_for = std::chrono::milliseconds(it->value("ms", 60000));
  }
  if (auto it = j.find("accept_then_fail"); it != j.end()) {
    f.accept_then_fail = it->value("count", 1);
    auto kind = ParseFailKind(it->value("kind", "500"));
    if (!kind.ok()) return kind.status();
    f.accept_then_fail_kind = *kind;
  }
  return Status::OK();
}

}  // namespace

Status TwilioStandIn::ApplyFaultsJson(const std::string& text) {
  json j = json::parse(text, nullptr, false);
  if (!j.is_object()) return Status::InvalidArgument("faults: body is not a JSON object");
  std::lock_guard<std::mutex> lock(state_->mu);
  Faults f = state_->faults;
  try {
    CHECKIN_RETURN_IF_ERROR(ApplyFaultFields(j, f));
  } catch (const json::exception& e) {
    return Status::InvalidArgument(std::string("faults: ") + e.what());
  }
  state_->faults = std::move(f);
  return Status::OK();
}

// --- records ---

std::vector<RecordedMessage> TwilioStandIn::Messages() const {
  std::vector<RecordedMessage> out;
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    out = state_->messages;
  }
  for (auto& m : out) m = state_->AsOfNow(std::move(m));
  return out;
}

void TwilioStandIn::ClearMessages() {
  std::lock_guard<std::mutex> lock(state_->mu);
  state_->messages.clear();
}

RequestCounts TwilioStandIn::Requests() const {
  RequestCounts counts;
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    counts = state_->counts;
  }
  state_->callbacks.AddCounts(counts);
  return counts;
}

// --- Twilio's JSON ---

std::string Rfc2822(std::chrono::system_clock::time_point t) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  static const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday],
                tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

std::string MessageJson(const RecordedMessage& m) {
  const std::string uri = "/2010-04-01/Accounts/" + m.account_sid + "/Messages/" + m.sid;
  const std::string created = Rfc2822(m.created);
  const bool queued = m.status == "queued";
  json j = {
      {"sid", m.sid}, {"account_sid", m.account_sid}, {"api_version", "2010-04-01"},
      {"to", m.to}, {"from", m.from.empty() ? json(nullptr) : json(m.from)},
      {"messaging_service_sid", m.messaging_service_sid.empty() ? json(nullptr) : json(m.messaging_service_sid)},
      {"body", m.body}, {"status", m.status}, {"num_segments", std::to_string(m.num_segments)},
      {"num_media", "0"}, {"direction", "outbound-api"}, {"date_created", created},
      {"date_updated", queued ? created : Rfc2822(m.sent_at)},
      {"date_sent", queued ? json(nullptr) : json(Rfc2822(m.sent_at))},
      {"price", nullptr}, {"price_unit", "USD"},
      {"error_code", nullptr}, {"error_message", nullptr}, {"uri", uri + ".json"},
      {"subresource_uris", {{"media", uri + "/Media.json"}}},
  };
  return j.dump();
}

}  // namespace checkin::standin
