// Backoff between send attempts (see retry_policy.h).
#include "dispatch/retry_policy.h"

#include <algorithm>

namespace checkin {

std::chrono::milliseconds BackoffDelay(int attempt, std::optional<std::chrono::seconds> retry_after,
                                       const BackoffPolicy& policy, std::mt19937_64& rng) {
  using std::chrono::milliseconds;
  const int doublings = std::clamp(attempt - 1, 0, 40);
  const long long base = std::max<long long>(policy.base.count(), 0);
  const long long cap = std::max<long long>(policy.cap.count(), 0);
  long long ceiling = base;
  for (int i = 0; i < doublings && ceiling < cap; ++i) ceiling *= 2;
  ceiling = std::min(ceiling, cap);
  std::uniform_int_distribution<long long> dist(0, ceiling);
  milliseconds delay(dist(rng));
  if (retry_after) delay = std::max(delay, milliseconds(*retry_after));
  return delay;
}

}  // namespace checkin
