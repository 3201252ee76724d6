// Daemon: one checkind instance assembled from a Config: the Redis store,
// the session source, the dispatcher with its Twilio senders, and the
// scheduler loop. main.cc runs one; tests run several against one Redis
// with a ManualClock to show that nothing is sent twice.
//
// Thread-safety: as Scheduler (Tick/Run on one thread; SetConfig and Stop
// from any).
#ifndef CHECKIN_DAEMON_DAEMON_H_
#define CHECKIN_DAEMON_DAEMON_H_

#include <spdlog/logger.h>

#include <functional>
#include <memory>
#include <string>

#include "checkin/clock.h"
#include "checkin/config.h"
#include "dispatcher.h"
#include "redis_store.h"
#include "scheduler.h"
#include "session_source.h"
#include "twilio_client.h"

namespace checkin {

struct DaemonOptions {
  std::shared_ptr<Clock> clock;            // Default: Clock::Real()
  std::shared_ptr<spdlog::logger> logger;  // Default: NullLogger()
  std::string instance_id;                 // Default: MakeInstanceId()
  // Default: TwilioClient from the config.
  std::function<std::unique_ptr<SmsSender>(const Config&)> make_sender;
  std::function<void(const std::string& status)> on_tick;  // systemd STATUS/WATCHDOG
};

class Daemon {
 public:
  // InvalidArgument when the config cannot make a Twilio client or names a
  // bad Redis URL. Redis need not be up.
  static Result<std::unique_ptr<Daemon>> Create(std::shared_ptr<const Config> config, DaemonOptions options);

  Scheduler& scheduler() { return *scheduler_; }
  RedisStore& store() { return *store_; }
  const std::string& instance_id() const { return options_.instance_id; }
  void SetConfig(std::shared_ptr<const Config> config) { scheduler_->SetConfig(std::move(config)); }

 private:
  Daemon() = default;
  DaemonOptions options_;
  std::unique_ptr<RedisStore> store_;
  std::unique_ptr<SessionSource> sessions_;
  std::unique_ptr<Dispatcher> dispatcher_;
  std::unique_ptr<Scheduler> scheduler_;
};


// TwilioOptions from the config's twilio section.
TwilioOptions TwilioOptionsFrom(const Config& config, std::shared_ptr<spdlog::logger> logger);

}  // namespace checkin

#endif  // CHECKIN_DAEMON_DAEMON_H_
