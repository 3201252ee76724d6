// Twilio request signatures (X-Twilio-Signature), as Twilio computes them:
//
//   base64(HMAC-SHA1(auth_token, url + name1 + value1 + name2 + value2 ...))
//
// where `url` is the full public URL Twilio called (scheme, host, optional
// port, path and query string) and the POST parameters are sorted by name
// (repeated names: each value, values sorted too), each name followed by its
// value; an identical name=value pair repeated counts once, as in Twilio's
// helper libraries (twilio-node and twilio-php test it). JSON webhooks
// instead carry `bodySHA256` in the query string, the hex SHA-256 of the raw
// body, and sign the URL alone.
//
// Validation accepts what Twilio's official helper libraries accept: the URL
// as given, with the scheme's default port added (https :443, http :80), and
// with an explicit port removed, since proxies differ in what they pass on.
// Comparison is constant-time (CRYPTO_memcmp).
//
// Thread-safety: pure functions.
#ifndef CHECKIN_DAEMON_TWILIO_SIGNATURE_H_
#define CHECKIN_DAEMON_TWILIO_SIGNATURE_H_

#include <string>
#include <string_view>

#include "twilio/form_body.h"

namespace checkin {

// The signature Twilio would send for a form POST (or a GET: empty params).
std::string ComputeTwilioSignature(std::string_view auth_token, std::string_view url, const FormParams& params);

// True when `signature` is valid for the request, under any of the URL
// variants above. False for an empty signature or token.
bool ValidTwilioSignature(std::string_view auth_token, std::string_view url, const FormParams& params,
                          std::string_view signature);

// For JSON bodies: true when `url` carries bodySHA256 matching `raw_body` and
// the signature over `url` alone is valid.
bool ValidTwilioJsonSignature(std::string_view auth_token, std::string_view url, std::string_view raw_body,
                              std::string_view signature);

}  // namespace checkin

#endif  // CHECKIN_DAEMON_TWILIO_SIGNATURE_H_
