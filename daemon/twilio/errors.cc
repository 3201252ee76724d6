// Twilio error codes: the one table of what each means, what it is about,
// and where it was read (see errors.h). The sources are Twilio's error and
// warning dictionary, one page per code (the URL Twilio itself puts in an
// error answer's more_info).
#include "twilio/errors.h"

#include <sstream>

namespace checkin {
namespace {

using Scope = TwilioErrorScope;

#define CHECKIN_TWILIO_ERROR_PAGE(code) "https://www.twilio.com/docs/api/errors/" #code

// Account-level codes say nothing about the member or the text: every
// member's text would be refused the same way, so the job waits and every
// daemon pauses. Delivery codes (30xxx) arrive in status callbacks, after
// Twilio took the message; they are here for their meanings.
const std::vector<TwilioErrorInfo>& Table() {
  static const std::vector<TwilioErrorInfo> kTable = {
      {10001, Scope::kAccount, "account is not active (suspended or disabled)", CHECKIN_TWILIO_ERROR_PAGE(10001)},
      {20003, Scope::kAccount, "authentication failed (account SID or auth token)", CHECKIN_TWILIO_ERROR_PAGE(20003)},
      {20005, Scope::kAccount, "account not active (out of funds, or trial not activated)",
       CHECKIN_TWILIO_ERROR_PAGE(20005)},
      {20403, Scope::kAccount, "forbidden: the account is suspended or closed", CHECKIN_TWILIO_ERROR_PAGE(20403)},
      {20404, Scope::kAccount, "resource not found (wrong account SID or Messaging Service?)",
       CHECKIN_TWILIO_ERROR_PAGE(20404)},
      {20429, Scope::kTwilio, "too many requests", CHECKIN_TWILIO_ERROR_PAGE(20429)},
      {20500, Scope::kTwilio, "Twilio internal server error", CHECKIN_TWILIO_ERROR_PAGE(20500)},
      {20503, Scope::kTwilio, "Twilio service unavailable", CHECKIN_TWILIO_ERROR_PAGE(20503)},
      {21211, Scope::kMessage, "invalid 'To' phone number", CHECKIN_TWILIO_ERROR_PAGE(21211)},
      {21212, Scope::kAccount, "invalid 'From' phone number", CHECKIN_TWILIO_ERROR_PAGE(21212)},
      {21408, Scope::kMessage, "no permission to send to this region", CHECKIN_TWILIO_ERROR_PAGE(21408)},
      {21601, Scope::kAccount, "'From' is not an SMS-capable number of this account", CHECKIN_TWILIO_ERROR_PAGE(21601)},
      {21602, Scope::kMessage, "message body is required", CHECKIN_TWILIO_ERROR_PAGE(21602)},
      {21603, Scope::kAccount, "'From' or 'MessagingServiceSid' is required", CHECKIN_TWILIO_ERROR_PAGE(21603)},
      {21604, Scope::kMessage, "'To' phone number is required", CHECKIN_TWILIO_ERROR_PAGE(21604)},
      {21606, Scope::kAccount, "'From' number cannot send SMS (not a message-capable number of this account)",
       CHECKIN_TWILIO_ERROR_PAGE(21606)},
      {21608, Scope::kMessage, "'To' number is not verified (trial account)", CHECKIN_TWILIO_ERROR_PAGE(21608)},
      {21610, Scope::kMessage, "recipient unsubscribed (replied STOP)", CHECKIN_TWILIO_ERROR_PAGE(21610)},
      {21611, Scope::kAccount, "'From' number has too many messages queued (over 10 hours' worth)",
       CHECKIN_TWILIO_ERROR_PAGE(21611)},
      {21612, Scope::kMessage, "'To' number is not reachable", CHECKIN_TWILIO_ERROR_PAGE(21612)},
      {21614, Scope::kMessage, "'To' number is not a mobile number", CHECKIN_TWILIO_ERROR_PAGE(21614)},
      {21617, Scope::kMessage, "message body exceeds the 1600 character limit", CHECKIN_TWILIO_ERROR_PAGE(21617)},
      {21659, Scope::kAccount, "'From' is not a Twilio number (or a short code of another country)",
       CHECKIN_TWILIO_ERROR_PAGE(21659)},
      {21660, Scope::kAccount, "'From' number belongs to another account", CHECKIN_TWILIO_ERROR_PAGE(21660)},
      {21661, Scope::kAccount, "'From' number is not SMS-capable", CHECKIN_TWILIO_ERROR_PAGE(21661)},
      {21701, Scope::kAccount, "Messaging Service does not exist in this account", CHECKIN_TWILIO_ERROR_PAGE(21701)},
      {21705, Scope::kAccount, "Messaging Service SID is invalid", CHECKIN_TWILIO_ERROR_PAGE(21705)},
      {30002, Scope::kDelivery, "account suspended after the message was queued", CHECKIN_TWILIO_ERROR_PAGE(30002)},
      {30003, Scope::kDelivery, "unreachable destination handset", CHECKIN_TWILIO_ERROR_PAGE(30003)},
      {30004, Scope::kDelivery, "message blocked (recipient blocked or opted out)", CHECKIN_TWILIO_ERROR_PAGE(30004)},
      {30005, Scope::kDelivery, "unknown or inactive destination number", CHECKIN_TWILIO_ERROR_PAGE(30005)},
      {30006, Scope::kDelivery, "landline or unreachable carrier", CHECKIN_TWILIO_ERROR_PAGE(30006)},
      {30007, Scope::kDelivery, "message filtered by the carrier", CHECKIN_TWILIO_ERROR_PAGE(30007)},
      {30008, Scope::kDelivery, "unknown delivery error", CHECKIN_TWILIO_ERROR_PAGE(30008)},
      // The sender, but only WhatsApp's: a pause would hold every SMS member
      // behind the WhatsApp texts, which are probed first (docs/twilio.md).
      {63007, Scope::kMessage, "no WhatsApp (channel) sender for this 'From'", CHECKIN_TWILIO_ERROR_PAGE(63007)},
      {63038, Scope::kAccount, "account exceeded its daily message limit", CHECKIN_TWILIO_ERROR_PAGE(63038)},
  };
  return kTable;
}

#undef CHECKIN_TWILIO_ERROR_PAGE

const TwilioErrorInfo* FindError(int code) {
  for (const auto& e : Table()) {
    if (e.code == code) return &e;
  }
  return nullptr;
}

const char* WhatHappens(Scope scope) {
  switch (scope) {
    case Scope::kTwilio: return "retried with backoff";
    case Scope::kAccount: return "**every daemon pauses**; the job waits, unattempted";
    case Scope::kMessage: return "the job fails";
    case Scope::kDelivery: return "status callback: recorded on the sent job";
  }
  return "";
}

}  // namespace

const std::vector<TwilioErrorInfo>& TwilioErrorTable() { return Table(); }

SendResult::Kind ClassifyTwilioError(int http_status, int error_code) {
  using Kind = SendResult::Kind;
  if (http_status == 429 || error_code == 20429) return Kind::kRetryable;
  if (const TwilioErrorInfo* e = FindError(error_code); e && http_status < 500) {
    if (e->scope == Scope::kAccount) return Kind::kAccountError;
    if (e->scope != Scope::kTwilio) return Kind::kPermanent;
  }
  // Credentials refused, account barred, or no such account on the path:
  // about the account whatever the code.
  if (http_status == 401 || http_status == 403 || http_status == 404) return Kind::kAccountError;
  if (http_status == 0 || http_status >= 500) return Kind::kRetryable;
  if (http_status >= 400) return Kind::kPermanent;
  // 1xx-3xx or a 2xx we could not read: the message may have been accepted.
  // Retryable, so the dispatcher settles it with ListSentTo before resending.
  return Kind::kRetryable;
}

bool IsOptOutError(int error_code) { return error_code == 21610; }

std::string TwilioErrorMeaning(int error_code) {
  const TwilioErrorInfo* e = FindError(error_code);
  if (e == nullptr) return "";
  return std::to_string(error_code) + " " + e->meaning;
}

std::string TwilioErrorTableMarkdown() {
  std::ostringstream out;
  out << "| code | what happens | meaning | source |\n";
  out << "|---|---|---|---|\n";
  for (const auto& e : Table()) {
    out << "| " << e.code << " | " << WhatHappens(e.scope) << " | " << e.meaning << " | <" << e.source << "> |\n";
  }
  return out.str();
}

}  // namespace checkin
