// Twilio stand-in: the requests Twilio makes to the application. An
// incoming SMS (PostInbound) and message status callbacks (CallbackSender),
// both form-encoded and signed with X-Twilio-Signature, parameters as in
// Twilio's docs ("Twilio's request to your incoming message Webhook URL",
// "Outbound message status callback"). Nothing here logs numbers or bodies.
#include <httplib.h>

#include <ctime>
#include <optional>
#include <string>

#include "twilio/form_body.h"
#include "text/segments.h"
#include "standin.h"
#include "standin_internal.h"
#include "twilio/twilio_signature.h"

namespace checkin::standin {
namespace {

constexpr const char* kApiVersion = "2010-04-01";
constexpr const char* kUserAgent = "TwilioProxy/1.1";  // what Twilio's webhooks carry
constexpr time_t kConnectTimeoutSeconds = 2;
constexpr time_t kReadTimeoutSeconds = 10;  // Twilio itself waits up to 15 s

std::string StripChannel(const std::string& address) {
  const size_t colon = address.find(':');
  return colon == std::string::npos ? address : address.substr(colon + 1);
}

// ISO country of an E.164 number, for FromCountry / ToCountry. A few
// prefixes are enough for a stand-in; Twilio sends "" when it cannot tell.
std::string CountryOf(const std::string& address) {
  static const struct { const char* prefix; const char* country; } kPrefixes[] = {
      {"+44", "GB"}, {"+353", "IE"}, {"+48", "PL"}, {"+92", "PK"}, {"+91", "IN"},
      {"+33", "FR"}, {"+49", "DE"}, {"+34", "ES"}, {"+1", "US"}};
  const std::string number = StripChannel(address);
  for (const auto& p : kPrefixes) {
    if (number.rfind(p.prefix, 0) == 0) return p.country;
  }
  return "";
}

// The signed POST both kinds of webhook are. Returns the HTTP status.
Result<int> PostSigned(const std::string& target_url, const std::string& signed_url, const FormParams& params,
                       const std::string& auth_token, std::string* response_body) {
  std::optional<SplitUrl> target = SplitAbsoluteUrl(target_url);
  if (!target) return Status::InvalidArgument("webhook URL is not absolute: " + target_url);
  httplib::Client client(target->scheme_host_port);
  client.set_connection_timeout(kConnectTimeoutSeconds, 0);
  client.set_read_timeout(kReadTimeoutSeconds, 0);
  client.set_write_timeout(kReadTimeoutSeconds, 0);
  const httplib::Headers headers = {{"X-Twilio-Signature", ComputeTwilioSignature(auth_token, signed_url, params)},
                                    {"User-Agent", kUserAgent},
                                    {"Accept", "*/*"}};
  httplib::Result r = client.Post(target->path_and_query.c_str(), headers, FormEncode(params),
                                  "application/x-www-form-urlencoded");
  if (!r) {
    return Status::Unavailable("webhook " + target->scheme_host_port + ": " + httplib::to_string(r.error()));
  }
  if (response_body != nullptr) *response_body = r->body;
  return r->status;
}

}  // namespace

std::optional<SplitUrl> SplitAbsoluteUrl(const std::string& url) {
  const size_t sep = url.find("://");
  if (sep == std::string::npos || sep == 0) return std::nullopt;
  const size_t path = url.find_first_of("/?#", sep + 3);
  if (path == sep + 3) return std::nullopt;  // no host
  SplitUrl out;
  out.scheme_host_port = url.substr(0, path);
  std::string rest = path == std::string::npos ? "" : url.substr(path);
  rest = rest.substr(0, rest.find('#'));  // a fragment is never sent
  out.path_and_query = rest.empty() || rest[0] != '/' ? "/" + rest : rest;
  return out;
}

Result<int> TwilioStandIn::PostInbound(const std::string& webhook_url, const std::string& from,
                                       const std::string& to, const std::string& body,
                                       std::string* response_body) {
  std::optional<SplitUrl> split = SplitAbsoluteUrl(webhook_url);
  if (!split) return Status::InvalidArgument("webhook URL is not absolute: " + webhook_url);
  std::string signed_url = webhook_url;
  if (!state_->opt.public_url.empty()) {
    std::string base = state_->opt.public_url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    signed_url = base + split->path_and_query;
  }
  const std::string sid = state_->NewMessageSid();
  const std::string segments = std::to_string(CountSegments(body).segments);
  // In the order Twilio sends them (the order does not change the signature).
  const FormParams params = {
      {"ToCountry", CountryOf(to)}, {"ToState", ""},          {"SmsMessageSid", sid},
      {"NumMedia", "0"},            {"ToCity", ""},           {"FromZip", ""},
      {"SmsSid", sid},              {"FromState", ""},        {"SmsStatus", "received"},
      {"FromCity", ""},             {"Body", body},           {"FromCountry", CountryOf(from)},
      {"To", to},                   {"ToZip", ""},            {"NumSegments", segments},
      {"MessageSid", sid},          {"AccountSid", state_->opt.account_sid},
      {"From", from},               {"ApiVersion", kApiVersion}};
  return PostSigned(webhook_url, signed_url, params, state_->opt.auth_token, response_body);
}

// --- status callbacks ---

void CallbackSender::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!opt_.send_status_callbacks || running_) return;
  running_ = true;
  stopping_ = false;
  worker_ = std::thread([this] { Run(); });
}

void CallbackSender::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    queue_.clear();
  }
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();
  std::lock_guard<std::mutex> lock(mu_);
  running_ = false;
}

void CallbackSender::EnqueueFor(const RecordedMessage& m) {
  if (!opt_.send_status_callbacks || m.status_callback.empty()) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!running_ || stopping_) return;
    for (const char* status : {"sent", "delivered"}) {
      if (queue_.size() >= opt_.callback_queue_limit) {
        ++dropped_;
        continue;
      }
      FormParams params = {{"SmsSid", m.sid}, {"SmsStatus", status}, {"MessageStatus", status}, {"To", m.to}};
      if (!m.messaging_service_sid.empty()) params.emplace_back("MessagingServiceSid", m.messaging_service_sid);
      params.emplace_back("MessageSid", m.sid);
      params.emplace_back("AccountSid", m.account_sid);
      if (!m.from.empty()) params.emplace_back("From", m.from);
      params.emplace_back("ApiVersion", kApiVersion);
      queue_.push_back(Pending{m.status_callback, std::move(params)});
    }
  }
  wake_.notify_all();
}

void CallbackSender::AddCounts(RequestCounts& counts) const {
  std::lock_guard<std::mutex> lock(mu_);
  counts.callbacks_sent += sent_;
  counts.callbacks_failed += failed_;
  counts.callbacks_dropped += dropped_;
}

void CallbackSender::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (stopping_) return;
    Pending next = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    const bool ok = Post(next);
    lock.lock();
    ++(ok ? sent_ : failed_);
  }
}

bool CallbackSender::Post(const Pending& p) const {
  std::string target = p.url;
  if (!opt_.callback_rewrite_base.empty()) {
    std::optional<SplitUrl> split = SplitAbsoluteUrl(p.url);
    if (!split) return false;
    std::string base = opt_.callback_rewrite_base;
    while (!base.empty() && base.back() == '/') base.pop_back();
    target = base + split->path_and_query;
  }
  Result<int> status = PostSigned(target, p.url, p.params, opt_.auth_token, nullptr);
  return status.ok() && *status >= 200 && *status < 300;
}

}  // namespace checkin::standin
