// AccountPauseWatch: one daemon's view of the Twilio account pause that
// every daemon shares (AccountPause in checkin/store.h; how it begins,
// doubles and lifts: docs/delivery.md "When Twilio refuses the account").
//
// Read once per tick, it tells `on_state` whether sending is paused (the
// checkin_twilio_paused gauge) and says why in a warn line at most once per
// `warn_every`: the code, what it means, since when, and when the next probe
// goes. When the pause is gone (the probe was sent, or SIGHUP lifted it) it
// says so once. The pause itself is kept in Redis by the job runner and the
// queue's scripts; this only reports it.
//
// Thread-safety: Check belongs to one thread (the scheduler loop).
#ifndef CHECKIN_DAEMON_DISPATCH_ACCOUNT_PAUSE_H_
#define CHECKIN_DAEMON_DISPATCH_ACCOUNT_PAUSE_H_

#include <spdlog/logger.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "checkin/store.h"

namespace checkin {

struct AccountPauseWatchOptions {
  std::shared_ptr<spdlog::logger> logger;     // Default: NullLogger()
  std::function<void(bool paused)> on_state;  // each Check; may be empty
  std::chrono::milliseconds warn_every{std::chrono::minutes(1)};
};

class AccountPauseWatch {
 public:
  AccountPauseWatch(Store& store, AccountPauseWatchOptions options);

  // Reads the pause at `now` (the tick's clock). Redis unreachable: nothing
  // is said or changed (the tick reports Redis itself).
  void Check(Millis now);

 private:
  Store& store_;
  AccountPauseWatchOptions options_;
  bool paused_ = false;
  std::optional<Millis> last_warn_;
};

// The warn line for `pause` at `now` (no numbers, no bodies), e.g.
// "sending paused for every instance: Twilio refused the account, not the
// members: 20003 authentication failed (...); 1 refusal since
// 2026-12-01T08:00:00Z; texts wait, none is lost; next probe at
// 2026-12-01T08:01:00Z (in 60 s); fix ... then reload (SIGHUP) to resume now".
std::string AccountPauseMessage(const AccountPause& pause, Millis now);

}  // namespace checkin

#endif  // CHECKIN_DAEMON_DISPATCH_ACCOUNT_PAUSE_H_
