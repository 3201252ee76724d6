// Twilio error codes: what each means and whether it is final (see errors.h).
// Meanings from Twilio's error and warning dictionary.
#include "twilio/errors.h"

namespace checkin {
namespace {

struct KnownError {
  int code;
  bool permanent;  // refusal for this message, whatever the HTTP status
  const char* meaning;
};

// Codes we act on or explain. Delivery codes (300xx) arrive in status
// callbacks, not in answers to a send; they are here for their meanings.
constexpr KnownError kKnownErrors[] = {
    {20003, true, "authentication failed (account SID or auth token)"},
    {20404, true, "resource not found (wrong account SID?)"},
    {20429, false, "too many requests"},
    {20500, false, "Twilio internal server error"},
    {20503, false, "Twilio service unavailable"},
    {21211, true, "invalid 'To' phone number"},
    {21408, true, "no permission to send to this region"},
    {21602, true, "message body is required"},
    {21603, true, "'From' or 'MessagingServiceSid' is required"},
    {21604, true, "'To' phone number is required"},
    {21606, true, "'From' number cannot send SMS"},
    {21610, true, "recipient unsubscribed (replied STOP)"},
    {21612, true, "'To' number is not reachable"},
    {21614, true, "'To' number is not a mobile number"},
    {21617, true, "message body exceeds the 1600 character limit"},
    {30003, true, "unreachable destination handset"},
    {30005, true, "unknown or inactive destination number"},
    {30006, true, "landline or unreachable carrier"},
    {30007, true, "message filtered by the carrier"},
    {30008, true, "unknown delivery error"},
};

const KnownError* FindError(int code) {
  for (const auto& e : kKnownErrors) {
    if (e.code == code) return &e;
  }
  return nullptr;
}

}  // namespace

SendResult::Kind ClassifyTwilioError(int http_status, int error_code) {
  using Kind = SendResult::Kind;
  if (http_status == 429 || error_code == 20429) return Kind::kRetryable;
  if (const KnownError* e = FindError(error_code); e && e->permanent && http_status < 500) {
    return Kind::kPermanent;
  }
  if (http_status == 0 || http_status >= 500) return Kind::kRetryable;
  if (http_status >= 400) return Kind::kPermanent;
  // 1xx-3xx or a 2xx we could not read: the message may have been accepted.
  // Retryable, so the dispatcher settles it with ListSentTo before resending.
  return Kind::kRetryable;
}

bool IsOptOutError(int error_code) { return error_code == 21610; }

std::string TwilioErrorMeaning(int error_code) {
  const KnownError* e = FindError(error_code);
  if (e == nullptr) return "";
  return std::to_string(error_code) + " " + e->meaning;
}

}  // namespace checkin
