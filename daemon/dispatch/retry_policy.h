// What to do after a failed send attempt: retry (when), or give up for good.
//
// Retryable: HTTP 429 (Twilio 20429), 5xx, timeouts and connection errors
// (http_status 0). Permanent: other 4xx, in particular Twilio's
//   21211 invalid 'To', 21408 no permission for the region, 21610 unsubscribed
//   (STOP: the member's opted_out becomes 1), 21612 unreachable 'To',
//   21614 not a mobile number, 21617 body too long.
// Backoff: exponential with full jitter, capped, and never sooner than a
// Retry-After the server asked for.
//
// Thread-safety: pure functions (the caller owns the random generator).
#ifndef CHECKIN_DAEMON_RETRY_POLICY_H_
#define CHECKIN_DAEMON_RETRY_POLICY_H_

#include <chrono>
#include <optional>
#include <random>
#include <string>

#include "checkin/sms_sender.h"

namespace checkin {

// kRetryable or kPermanent for an answer that was not an acceptance.
SendResult::Kind ClassifyTwilioError(int http_status, int error_code);

// The member asked not to be texted (21610).
bool IsOptOutError(int error_code);

// One-line meaning of a Twilio error code for logs and job records
// ("21211 invalid 'To' phone number"); "" for codes we do not know.
std::string TwilioErrorMeaning(int error_code);

struct BackoffPolicy {
  std::chrono::milliseconds base{2000};
  std::chrono::milliseconds cap{std::chrono::minutes(10)};
};

// Delay before attempt number `attempt` + 1, given `attempt` attempts so far
// (>= 1): uniform in [0, min(cap, base * 2^(attempt-1))], but at least
// *retry_after when given.
std::chrono::milliseconds BackoffDelay(int attempt, std::optional<std::chrono::seconds> retry_after,
                                       const BackoffPolicy& policy, std::mt19937_64& rng);

}  // namespace checkin

#endif  // CHECKIN_DAEMON_RETRY_POLICY_H_
