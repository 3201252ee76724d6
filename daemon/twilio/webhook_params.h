// What Twilio always sends with a webhook, checked after the signature and
// before anything is claimed or written.
//
// The signature joins names and values (twilio_signature.h), so a captured
// request can be replayed with the boundary between a name and a value
// moved and still be signed: `MessageSid=<sid>NumMedia0` without
// `NumMedia` signs the same as the original, and a MessageSid that differs
// gets past the duplicate check (issue 13). Requiring every parameter Twilio
// always sends, and each SID in its exact shape, leaves no boundary to move:
//
//   inbound text (Twilio's "request to your incoming message webhook"):
//     MessageSid (SM or MM + 32 hex), AccountSid (AC + 32 hex), From, To,
//     Body, NumMedia (a number); SmsSid, when sent, equal to MessageSid;
//   status callback: MessageSid, AccountSid, MessageStatus.
//
// Thread-safety: pure functions.
#ifndef CHECKIN_DAEMON_WEBHOOK_PARAMS_H_
#define CHECKIN_DAEMON_WEBHOOK_PARAMS_H_

#include <string_view>

#include "checkin/status.h"
#include "twilio/form_body.h"

namespace checkin {

// "SM" + 32 hex digits and the like: `prefix` then exactly 32 hex digits.
bool IsTwilioSid(std::string_view s, std::string_view prefix);

// InvalidArgument naming the parameter that is missing or malformed (never
// its value, which may be a member's number or words).
Status CheckInboundMessageParams(const FormParams& params);
Status CheckStatusCallbackParams(const FormParams& params);

}  // namespace checkin

#endif  // CHECKIN_DAEMON_WEBHOOK_PARAMS_H_
