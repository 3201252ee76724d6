// When to try a retryable send again (which answers are retryable:
// twilio/errors.h): exponential backoff with full jitter, capped, and never
// sooner than a Retry-After the server asked for.
//
// Thread-safety: pure functions (the caller owns the random generator).
#ifndef CHECKIN_DAEMON_DISPATCH_RETRY_POLICY_H_
#define CHECKIN_DAEMON_DISPATCH_RETRY_POLICY_H_

#include <chrono>
#include <optional>
#include <random>

namespace checkin {

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

#endif  // CHECKIN_DAEMON_DISPATCH_RETRY_POLICY_H_
