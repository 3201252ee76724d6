// SHA-256, in one place (OpenSSL). ("Digest" in checkin means the
// coordinator's headcount text.)
//
// Thread-safety: pure functions.
#ifndef CHECKIN_DAEMON_BASE_SHA256_H_
#define CHECKIN_DAEMON_BASE_SHA256_H_

#include <string>
#include <string_view>

namespace checkin {

// SHA-256 of `data`, 64 lower-case hex characters. Job ids (their first 32),
// body fingerprints for in-doubt sends, Twilio's bodySHA256.
std::string Sha256Hex(std::string_view data);

}  // namespace checkin

#endif  // CHECKIN_DAEMON_BASE_SHA256_H_
