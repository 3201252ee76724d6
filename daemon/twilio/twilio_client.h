// TwilioClient: SmsSender over Twilio's REST API (2010-04-01) with libcurl.
//
//   POST {api_base}/2010-04-01/Accounts/{sid}/Messages.json   (form, basic auth)
//   GET  {api_base}/2010-04-01/Accounts/{sid}/Messages.json?To=..&PageSize=100
//
// The list is read without DateSent, which would leave out messages Twilio
// still holds unsent (message_json.h), and kept back to `since` by
// date_created; paging stops there, or after 20 pages.
//
// One curl easy handle per client, reused, so connections are kept alive.
// Connect and total timeouts come from the options. Every answer is turned
// into a SendResult with ClassifyTwilioError (twilio/errors.h); the body and
// the full number are never logged above debug.
//
// Thread-safety: one thread at a time per client (one per worker thread).
#ifndef CHECKIN_DAEMON_TWILIO_CLIENT_H_
#define CHECKIN_DAEMON_TWILIO_CLIENT_H_

#include <spdlog/logger.h>

#include <chrono>
#include <memory>
#include <string>

#include "checkin/sms_sender.h"
#include "checkin/status.h"

namespace checkin {

struct TwilioOptions {
  std::string api_base = "https://api.twilio.com";  // no trailing slash
  std::string account_sid;                           // AC...
  std::string auth_token;
  std::string from;                   // E.164 sender, or empty with messaging_service_sid
  std::string messaging_service_sid;  // MG...
  std::chrono::milliseconds connect_timeout{3000};
  std::chrono::milliseconds request_timeout{15000};
  std::shared_ptr<spdlog::logger> logger;  // Default: NullLogger()
};

class TwilioClient final : public SmsSender {
 public:
  // InvalidArgument when the sid, token or sender is missing or malformed.
  static Result<std::unique_ptr<TwilioClient>> Create(TwilioOptions options);
  ~TwilioClient() override;

  SendResult Send(const OutgoingMessage& msg) override;
  Result<std::vector<SentMessage>> ListSentTo(const std::string& to, Channel channel, Instant since) override;

 private:
  struct Impl;
  explicit TwilioClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace checkin

#endif  // CHECKIN_DAEMON_TWILIO_CLIENT_H_
