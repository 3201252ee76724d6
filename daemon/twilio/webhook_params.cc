// The parameters Twilio always sends with a webhook; see webhook_params.h.
#include "twilio/webhook_params.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>

namespace checkin {
namespace {

bool IsHex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

Status Missing(const char* name) { return Status::InvalidArgument(std::string(name) + " is missing"); }
Status Malformed(const char* name, const char* want) {
  return Status::InvalidArgument(std::string(name) + " is not " + want);
}

// MessageSid and AccountSid, as both webhooks carry them.
Status CheckSids(const FormParams& params) {
  const std::optional<std::string> message = FormValue(params, "MessageSid");
  if (!message) return Missing("MessageSid");
  if (!IsTwilioSid(*message, "SM") && !IsTwilioSid(*message, "MM")) {
    return Malformed("MessageSid", "\"SM\" or \"MM\" + 32 hex digits");
  }
  const std::optional<std::string> account = FormValue(params, "AccountSid");
  if (!account) return Missing("AccountSid");
  if (!IsTwilioSid(*account, "AC")) return Malformed("AccountSid", "\"AC\" + 32 hex digits");
  return Status::OK();
}

}  // namespace

bool IsTwilioSid(std::string_view s, std::string_view prefix) {
  return s.size() == prefix.size() + 32 && s.substr(0, prefix.size()) == prefix &&
         std::all_of(s.begin() + static_cast<long>(prefix.size()), s.end(), IsHex);
}

Status CheckInboundMessageParams(const FormParams& params) {
  CHECKIN_RETURN_IF_ERROR(CheckSids(params));
  for (const char* name : {"From", "To", "Body"}) {
    if (!FormValue(params, name)) return Missing(name);
  }
  const std::optional<std::string> media = FormValue(params, "NumMedia");
  if (!media) return Missing("NumMedia");
  if (media->empty() || media->size() > 2 ||
      !std::all_of(media->begin(), media->end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return Malformed("NumMedia", "a number");
  }
  const std::optional<std::string> sms_sid = FormValue(params, "SmsSid");
  if (sms_sid && *sms_sid != *FormValue(params, "MessageSid")) return Malformed("SmsSid", "the MessageSid");
  return Status::OK();
}

Status CheckStatusCallbackParams(const FormParams& params) {
  CHECKIN_RETURN_IF_ERROR(CheckSids(params));
  if (!FormValue(params, "MessageStatus")) return Missing("MessageStatus");
  return Status::OK();
}

}  // namespace checkin
