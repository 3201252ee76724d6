// Daemon: one checkind instance assembled from a Config: the Redis store,
// the session source, the dispatcher with its Twilio senders, the scheduler
// loop, and the reply side (reply store and handler, metrics, and the HTTP
// listener once StartListener is called). main.cc runs one; tests run
// several against one Redis with a ManualClock to show that nothing is sent
// twice.
//
// Thread-safety: as Scheduler (Tick/Run on one thread; SetConfig, Stop and
// config() from any); the listener serves on its own threads.
#ifndef CHECKIN_DAEMON_DAEMON_H_
#define CHECKIN_DAEMON_DAEMON_H_

#include <spdlog/logger.h>

#include <functional>
#include <memory>
#include <string>

#include "checkin/clock.h"
#include "checkin/config.h"
#include "checkin/reply_store.h"
#include "checkin/store.h"
#include "dispatch/account_pause.h"
#include "dispatch/dispatcher.h"
#include "http/metrics.h"
#include "replies/reply_handler.h"
#include "safeguarding/concerns.h"
#include "scheduler.h"
#include "schema/session_source.h"
#include "twilio/twilio_client.h"
#include "http/webhook_server.h"

namespace checkin {

class RedisStore;       // store/redis_store.h
class RedisReplyStore;  // store/reply_store.h

struct DaemonOptions {
  std::shared_ptr<Clock> clock;            // Default: Clock::Real()
  std::shared_ptr<spdlog::logger> logger;  // Default: NullLogger()
  std::string instance_id;                 // Default: MakeInstanceId()
  // Default: TwilioClient from the config.
  std::function<std::unique_ptr<SmsSender>(const Config&)> make_sender;
  std::function<void(const std::string& status)> on_tick;  // systemd STATUS/WATCHDOG
  // The loop made progress (systemd watchdog): after planning, after each
  // dispatch run, and after each request of the default Twilio senders
  // (called on worker threads). May be empty.
  std::function<void()> on_progress;
  std::string listen;  // Default: the config's http.listen ("127.0.0.1:0" in tests)
  // SetConfig sets a changed log_level on `logger` and every logger made
  // from it (SetFamilyLevel). False when --log-level pinned the level.
  bool log_level_from_config = true;
};

// What start-up refuses in a loaded config beyond Config::Load's own checks
// (the shape of every key, the whole Redis URL with its sentinels, the
// listen address's shape, the token in the environment or its file, the
// dashboard password): the safeguarding phrases compile, this machine can
// listen on http.listen's host, and the Twilio client can be made from the
// twilio section. InvalidArgument "FILE:LINE: key: what", the same message
// at start-up (FATAL CONFIG FILE ERROR), in `checkind --check-config` and on
// a refused SIGHUP, because all three call Config::Load and then this.
// Not checked, because a config cannot fix them: whether Redis is up (the
// daemon waits for it) and whether the port is free right now (the running
// checkind holds it during an upgrade's --check-config).
Status CheckStartable(const Config& config);

class Daemon {
 public:
  // Expects a config that passed CheckStartable (checkind checks it before
  // creating one); InvalidArgument when the Redis URL does not parse. Redis
  // need not be up.
  static Result<std::unique_ptr<Daemon>> Create(std::shared_ptr<const Config> config, DaemonOptions options);

  ~Daemon();

  Scheduler& scheduler() { return *scheduler_; }
  Dispatcher& dispatcher() { return *dispatcher_; }
  Store& store();  // the interface; the Redis adapters stay inside
  ReplyHandler& replies() { return *reply_handler_; }
  Metrics& metrics() { return *metrics_; }
  const std::string& instance_id() const { return options_.instance_id; }
  // SIGHUP reload: the config used from the next tick, job and request on
  // (every key the table marks reloadable, docs/configuration.md): the
  // dispatcher's workers make new Twilio senders before their next job, the
  // record defaults and reply classifiers are replaced, a changed log_level
  // is set on every logger; and a Twilio account pause (AccountPause) is
  // lifted at once for every daemon: the operator has fixed the token, the
  // sender or the account.
  void SetConfig(std::shared_ptr<const Config> config);
  std::shared_ptr<const Config> config() { return scheduler_->CurrentConfig(); }

  // Starts the HTTP listener (webhook_server.h); Unavailable when the
  // address is taken. Stopped by StopListener or the destructor.
  Status StartListener();
  void StopListener();
  int listener_port() const { return listener_ ? listener_->port() : 0; }

 private:
  Daemon();
  void ApplyLogLevel(const Config& running, const Config& reloaded);
  DaemonOptions options_;
  std::unique_ptr<RedisStore> store_;
  std::unique_ptr<SessionSource> sessions_;
  std::unique_ptr<Dispatcher> dispatcher_;
  std::unique_ptr<Scheduler> scheduler_;
  std::unique_ptr<AccountPauseWatch> pause_watch_;
  std::unique_ptr<Metrics> metrics_;
  std::unique_ptr<RedisReplyStore> reply_store_;
  std::unique_ptr<ConcernStore> concern_store_;
  std::unique_ptr<Concerns> concerns_;
  std::unique_ptr<ReplyHandler> reply_handler_;
  std::unique_ptr<WebhookServer> listener_;
};


// TwilioOptions from the config's twilio section.
TwilioOptions TwilioOptionsFrom(const Config& config, std::shared_ptr<spdlog::logger> logger);

}  // namespace checkin

#endif  // CHECKIN_DAEMON_DAEMON_H_
