// Phone numbers: E.164 normalisation with libphonenumber, and masking for
// logs (mums' numbers never appear in full at info level).
//
// Thread-safety: free functions, safe from any thread (libphonenumber's
// PhoneNumberUtil is a thread-safe singleton).
#ifndef CHECKIN_DAEMON_PHONE_H_
#define CHECKIN_DAEMON_PHONE_H_

#include <string>

#include "checkin/status.h"

namespace checkin {

// "07700 900123" in region "GB" -> "+447700900123". A number already in
// +E.164 ignores the region. InvalidArgument (reason, never the full number)
// when it cannot be parsed or is not a valid number.
Result<std::string> NormalizePhone(const std::string& raw, const std::string& region);

// "+447700900123" -> "+44******0123": country prefix and last four digits.
// A "whatsapp:" prefix is kept. Anything short is masked entirely.
std::string MaskPhone(const std::string& phone);

}  // namespace checkin

#endif  // CHECKIN_DAEMON_PHONE_H_
