// Internal to the Twilio stand-in: the shared state behind TwilioStandIn
// (fault switches, records, counters) used by the HTTP handlers.
//
// Thread-safety: every member is guarded by `mu` except `in_flight`
// (atomic) and `opt` (read-only after construction).
#ifndef CHECKIN_TESTS_TWILIO_STANDIN_STANDIN_INTERNAL_H_
#define CHECKIN_TESTS_TWILIO_STANDIN_STANDIN_INTERNAL_H_

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "standin.h"

namespace checkin::standin {

struct TwilioStandIn::State {
  explicit State(Options o);

  const Options opt;
  mutable std::mutex mu;
  std::condition_variable wake;  // notified by Stop(): ends hangs and latency waits
  bool stopping = false;
  Faults faults;
  std::vector<RecordedMessage> messages;
  RequestCounts counts;
  std::mt19937_64 rng;
  std::atomic<int> in_flight{0};

  // The fault this API request suffers, if any (consumes fail_next).
  std::optional<FailKind> TakeFault();
  // Consumes one accept_then_fail; the kind to fail with after recording.
  std::optional<FailKind> TakeAcceptThenFail();
  // Twilio error code forced for `to` (bare E.164), or 0.
  int ForcedError(const std::string& to) const;
  // Sleeps up to `d`; false when Stop() cut it short.
  bool WaitUnlessStopping(std::chrono::milliseconds d);
  std::string NewMessageSid();
  void Count(int RequestCounts::*field);
  Faults Snapshot() const;
};

}  // namespace checkin::standin

#endif  // CHECKIN_TESTS_TWILIO_STANDIN_STANDIN_INTERNAL_H_
