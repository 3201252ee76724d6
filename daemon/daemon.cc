#include "daemon.h"

#include "logging.h"
#include "twilio_client.h"

namespace checkin {

TwilioOptions TwilioOptionsFrom(const Config& c, std::shared_ptr<spdlog::logger> logger) {
  TwilioOptions o;
  o.api_base = c.twilio.api_base;
  o.account_sid = c.twilio.account_sid;
  o.auth_token = c.twilio.auth_token;
  o.from = c.twilio.from;
  o.messaging_service_sid = c.twilio.messaging_service_sid;
  o.connect_timeout = c.twilio.connect_timeout;
  o.request_timeout = c.twilio.request_timeout;
  o.logger = std::move(logger);
  return o;
}

Result<std::unique_ptr<Daemon>> Daemon::Create(std::shared_ptr<const Config> config, DaemonOptions options) {
  if (!options.clock) options.clock = Clock::Real();
  if (!options.logger) options.logger = NullLogger();
  if (options.instance_id.empty()) options.instance_id = MakeInstanceId();
  if (!options.make_sender) {
    // Checked once here, so a bad sid or sender fails at start, not per job.
    auto probe = TwilioClient::Create(TwilioOptionsFrom(*config, options.logger));
    if (!probe.ok()) return probe.status();
    auto twilio_logger = ChildLogger(options.logger, "twilio");
    options.make_sender = [twilio_logger](const Config& c) -> std::unique_ptr<SmsSender> {
      auto client = TwilioClient::Create(TwilioOptionsFrom(c, twilio_logger));
      return client.ok() ? std::move(*client) : nullptr;
    };
  }
  std::unique_ptr<Daemon> d(new Daemon());
  d->options_ = options;

  RedisStoreOptions store_options;
  store_options.redis.url = config->redis.url;
  store_options.redis.timeout = config->redis.timeout;
  store_options.redis.pool_size = config->twilio.concurrency + 2;
  store_options.redis.logger = ChildLogger(options.logger, "redis");
  store_options.prefix = config->redis.prefix;
  auto store = RedisStore::Create(store_options);
  if (!store.ok()) return store.status();
  d->store_ = std::move(*store);

  auto reporter = std::make_shared<BadRecordReporter>(ChildLogger(options.logger, "records"));
  d->sessions_ = std::make_unique<SessionSource>(
      *d->store_, config->redis.prefix,
      RecordDefaults{config->region, config->default_language, config->reminders.timezone}, reporter);

  DispatcherOptions dopts;
  dopts.runner.owner = options.instance_id;
  dopts.runner.clock = options.clock;
  dopts.runner.logger = ChildLogger(options.logger, "dispatch");
  dopts.concurrency = config->twilio.concurrency;
  dopts.make_sender = [config, make = options.make_sender] { return make(*config); };
  d->dispatcher_ = std::make_unique<Dispatcher>(dopts, config, *d->store_, *d->sessions_);

  SchedulerOptions sopts;
  sopts.clock = options.clock;
  sopts.logger = ChildLogger(options.logger, "scheduler");
  sopts.on_tick = options.on_tick;
  d->scheduler_ = std::make_unique<Scheduler>(sopts, config, *d->store_, *d->sessions_, *d->dispatcher_);
  return d;
}

}  // namespace checkin
