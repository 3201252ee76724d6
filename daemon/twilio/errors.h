// Twilio error codes: which answers are final for a message, and what each
// code means in words for logs and job records.
//
// Retryable: HTTP 429 (Twilio 20429), 5xx, timeouts and connection errors
// (http_status 0). Permanent: other 4xx, in particular Twilio's
//   21211 invalid 'To', 21408 no permission for the region, 21610 unsubscribed
//   (STOP: the member's opted_out becomes 1), 21612 unreachable 'To',
//   21614 not a mobile number, 21617 body too long.
//
// Thread-safety: pure functions.
#ifndef CHECKIN_DAEMON_TWILIO_ERRORS_H_
#define CHECKIN_DAEMON_TWILIO_ERRORS_H_

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

}  // namespace checkin

#endif  // CHECKIN_DAEMON_TWILIO_ERRORS_H_
