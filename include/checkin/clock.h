// Clock: the only way checkin reads time.
//
// Now() is wall time (what a session's start is compared with); SteadyNow()
// is monotonic time for timeouts and rate limits. They are kept apart so a
// wall-clock step (NTP, DST is not one) never stretches a timeout.
// Production code takes a std::shared_ptr<Clock> (Default: Clock::Real());
// tests pass a ManualClock and move time by hand, never by sleeping.
//
// Thread-safety: all Clock implementations are safe for concurrent access.
#ifndef CHECKIN_CLOCK_H_
#define CHECKIN_CLOCK_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>

namespace checkin {

// Whole seconds since the Unix epoch, UTC. The unit of schedules and plans.
using Instant = std::chrono::time_point<std::chrono::system_clock, std::chrono::seconds>;

// Milliseconds since the Unix epoch (the unit of the job queue in Redis).
template <typename Duration>
int64_t UnixMillis(std::chrono::time_point<std::chrono::system_clock, Duration> t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

class Clock {
 public:
  using WallTime = std::chrono::system_clock::time_point;
  using SteadyTime = std::chrono::steady_clock::time_point;

  virtual ~Clock() = default;
  virtual WallTime Now() const = 0;
  virtual SteadyTime SteadyNow() const = 0;

  // Now() truncated to whole seconds.
  Instant NowSeconds() const {
    return std::chrono::time_point_cast<std::chrono::seconds>(Now());
  }

  // The process-wide real clock.
  static std::shared_ptr<Clock> Real();
};

// A clock that moves only when told to. Steady time moves with wall time
// (Advance) but not with Set, which models a wall-clock step.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(WallTime start) : now_(start) {}
  explicit ManualClock(Instant start) : now_(start) {}

  WallTime Now() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return now_;
  }
  SteadyTime SteadyNow() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return steady_;
  }
  void Advance(std::chrono::milliseconds d) {
    std::lock_guard<std::mutex> lock(mu_);
    now_ += d;
    steady_ += d;
  }
  void Set(WallTime t) {
    std::lock_guard<std::mutex> lock(mu_);
    now_ = t;
  }

 private:
  mutable std::mutex mu_;
  WallTime now_;
  SteadyTime steady_{};
};

}  // namespace checkin

#endif  // CHECKIN_CLOCK_H_
