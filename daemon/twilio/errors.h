// Twilio error codes: what each says is wrong (the member's number, the
// message, the account, the sender, Twilio itself), so what becomes of the
// job, and what the code means in words for logs and job records.
//
// One table (errors.cc), each row with the Twilio page it was read from;
// docs/twilio.md shows it (TwilioErrorTableMarkdown, kept in step by a test).
//
//   retryable  HTTP 429 (20429), 5xx, timeouts and connection errors
//              (http_status 0): backoff, in doubt where Twilio may have it;
//   account    the account, the sender or the Messaging Service (20003 wrong
//              token, 20404 wrong account, 21212 / 21606 a From that cannot
//              send, ...), and any 401, 403 or 404: nothing about the member,
//              so the job goes back unattempted and every daemon pauses
//              (docs/delivery.md);
//   permanent  this message or this member (21211 invalid 'To', 21610 STOP,
//              21612, 21614, 21617, ...) and any other 4xx: the job fails.
//
// Thread-safety: pure functions over static data.
#ifndef CHECKIN_DAEMON_TWILIO_ERRORS_H_
#define CHECKIN_DAEMON_TWILIO_ERRORS_H_

#include <string>
#include <vector>

#include "checkin/sms_sender.h"

namespace checkin {

// What a Twilio error code is about.
enum class TwilioErrorScope {
  kTwilio,    // Twilio busy or failing: retry later (20429, 20500, 20503)
  kAccount,   // the account, the sender or the Messaging Service: pause everyone
  kMessage,   // this message or this member: final for the job
  kDelivery,  // reported in status callbacks after Twilio took the message
};

struct TwilioErrorInfo {
  int code;
  TwilioErrorScope scope;
  const char* meaning;  // one line, safe to log (no number, no body)
  const char* source;   // the Twilio page it was read from
};

// Every code we act on or explain, by code.
const std::vector<TwilioErrorInfo>& TwilioErrorTable();

// kAccepted is not an answer here: kRetryable, kAccountError or kPermanent for
// an answer that was not an acceptance.
SendResult::Kind ClassifyTwilioError(int http_status, int error_code);

// The member asked not to be texted (21610).
bool IsOptOutError(int error_code);

// One-line meaning of a Twilio error code for logs and job records
// ("21211 invalid 'To' phone number"); "" for codes we do not know.
std::string TwilioErrorMeaning(int error_code);

// The table as Markdown (code, what happens, meaning, source), for the
// generated section of docs/twilio.md.
std::string TwilioErrorTableMarkdown();

}  // namespace checkin

#endif  // CHECKIN_DAEMON_TWILIO_ERRORS_H_
