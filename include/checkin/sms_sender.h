// SmsSender: the seam between checkin and a messaging provider.
//
// The concrete adapter is TwilioClient (daemon/twilio/twilio_client.cc, libcurl);
// tests use it against the Twilio stand-in (tests/twilio_standin/).
// Send() makes exactly one HTTP attempt: retries, backoff and leases belong
// to the dispatcher, which must record every step in Redis.
//
// Thread-safety: an SmsSender may be used from one thread at a time; create
// one per worker thread.
#ifndef CHECKIN_SMS_SENDER_H_
#define CHECKIN_SMS_SENDER_H_

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "checkin/clock.h"
#include "checkin/model.h"
#include "checkin/status.h"

namespace checkin {

struct OutgoingMessage {
  std::string to;    // E.164
  std::string body;  // UTF-8
  Channel channel = Channel::kSms;  // whatsapp: To/From get the "whatsapp:" prefix
  std::string status_callback;      // absolute URL or empty
};

// The outcome of one attempt. Exactly one of: accepted; retryable (try this
// message again later); account error (refused for a reason of the account,
// the sender or the Messaging Service, e.g. a wrong auth token: nothing about
// this message, which Twilio did not take); permanent (refused for this
// message or its number).
struct SendResult {
  enum class Kind { kAccepted, kRetryable, kAccountError, kPermanent };
  Kind kind = Kind::kRetryable;

  // kAccepted
  std::string sid;     // "SM..."
  std::string status;  // "queued", "accepted", ...
  int segments = 0;    // num_segments

  // kRetryable / kAccountError / kPermanent
  int http_status = 0;     // 0: no HTTP answer (connection error, timeout)
  int error_code = 0;      // Twilio error code (21211, 20429, ...) or 0
  std::string error_message;  // safe to log: never contains the body or number
  std::optional<std::chrono::seconds> retry_after;  // from Retry-After
  // kRetryable with http_status 0: the request never reached Twilio (the
  // connection was refused, or the host name did not resolve), so this
  // attempt cannot have sent anything and is not in doubt. False for a
  // timeout or a reset once connected: Twilio may have taken the message.
  bool never_sent = false;

  bool accepted() const { return kind == Kind::kAccepted; }
};

// A message Twilio already has (the Messages list), used to settle in-doubt
// sends before sending again. Taken by Twilio whatever its status: "queued",
// "accepted" or "sending" ones (no date_sent yet) will still go out.
struct SentMessage {
  std::string sid;
  std::string to;
  std::string body;
  std::string status;
  int segments = 0;
  std::string date_created;  // as Twilio wrote it (RFC 2822)
  std::string date_sent;     // RFC 2822; empty until Twilio has sent it
};

class SmsSender {
 public:
  virtual ~SmsSender() = default;
  virtual SendResult Send(const OutgoingMessage& msg) = 0;
  // Messages to `to` on `channel` (a WhatsApp message is listed To
  // "whatsapp:+44..."), that Twilio created at or after `since` (less a few
  // minutes for clock skew), sent or still queued: every message Twilio took
  // from an attempt made since then. Unavailable on network errors.
  virtual Result<std::vector<SentMessage>> ListSentTo(const std::string& to, Channel channel, Instant since) = 0;
};

}  // namespace checkin

#endif  // CHECKIN_SMS_SENDER_H_
