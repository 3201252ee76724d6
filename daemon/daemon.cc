#include "daemon.h"

#include "base/listen_address.h"
#include "base/logging.h"
#include "store/privacy.h"
#include "store/redis_store.h"
#include "store/reply_store.h"
#include "twilio/twilio_client.h"

namespace checkin {
namespace {

void CountTick(Metrics& m, const TickStats& t) {
  const DispatchStats& d = t.dispatch;
  const std::pair<const char*, int> sends[] = {{"sent", d.sent},       {"reconciled", d.reconciled},
                                               {"skipped", d.skipped}, {"failed", d.failed},
                                               {"retried", d.retried}, {"deferred", d.deferred},
                                               {"paused", d.paused}};
  for (const auto& [outcome, n] : sends) m.CountSend(outcome, n);
  const std::pair<const char*, int> errors[] = {{"http_429", d.twilio_429},
                                                {"http_5xx", d.twilio_5xx},
                                                {"network", d.twilio_network},
                                                {"permanent", d.twilio_permanent},
                                                {"account", d.twilio_account}};
  for (const auto& [kind, n] : errors) m.CountTwilioError(kind, n);
  if (!t.redis_ok) m.CountRedisError();
}

// Reports progress after every Twilio request, so that a batch waiting on a
// slow Twilio (up to twilio.request_timeout_ms per request) still feeds the
// watchdog, while a wedged loop (no requests, no batches) does not.
class ProgressSender final : public SmsSender {
 public:
  ProgressSender(std::unique_ptr<SmsSender> inner, std::function<void()> progress)
      : inner_(std::move(inner)), progress_(std::move(progress)) {}
  SendResult Send(const OutgoingMessage& msg) override {
    SendResult r = inner_->Send(msg);
    progress_();
    return r;
  }
  Result<std::vector<SentMessage>> ListSentTo(const std::string& to, Channel channel, Instant since) override {
    auto r = inner_->ListSentTo(to, channel, since);
    progress_();
    return r;
  }

 private:
  std::unique_ptr<SmsSender> inner_;
  std::function<void()> progress_;
};

}  // namespace

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

Status CheckStartable(const Config& config) {
  if (Status phrases = CheckConcernPhrases(config); !phrases.ok()) {
    return Status::InvalidArgument(config.Where("safeguarding.phrases") + ": " + phrases.message());
  }
  auto listen = ParseListenAddress(config.http.listen);  // Config::Load refused a bad one with its line
  Status can_listen = listen.ok() ? CheckCanListenOn(listen->first) : listen.status();
  if (!can_listen.ok()) return Status::InvalidArgument(config.Where("http.listen") + ": " + can_listen.message());
  auto twilio = TwilioClient::Create(TwilioOptionsFrom(config, NullLogger()));
  if (!twilio.ok()) return Status::InvalidArgument(config.Where("twilio") + ": " + twilio.status().message());
  return Status::OK();
}

Result<std::unique_ptr<Daemon>> Daemon::Create(std::shared_ptr<const Config> config, DaemonOptions options) {
  if (!options.clock) options.clock = Clock::Real();
  if (!options.logger) options.logger = NullLogger();
  if (options.instance_id.empty()) options.instance_id = MakeInstanceId();
  if (!options.make_sender) {
    // CheckStartable made one client from this config already, so a bad sid
    // or sender fails at start, not per job.
    auto twilio_logger = ChildLogger(options.logger, "twilio");
    options.make_sender = [twilio_logger, progress = options.on_progress](const Config& c) -> std::unique_ptr<SmsSender> {
      auto client = TwilioClient::Create(TwilioOptionsFrom(c, twilio_logger));
      if (!client.ok()) return nullptr;
      if (!progress) return std::move(*client);
      return std::make_unique<ProgressSender>(std::move(*client), progress);
    };
  }
  std::unique_ptr<Daemon> d(new Daemon());
  d->options_ = options;

  RedisStoreOptions store_options;
  store_options.redis.url = config->redis.url;
  store_options.redis.timeout = config->redis.timeout;
  // Senders, the loop, and the listener's threads (WebhookServerOptions).
  store_options.redis.pool_size = config->twilio.concurrency + 2 + WebhookServerOptions{}.threads;
  store_options.redis.logger = ChildLogger(options.logger, "redis");
  store_options.job_retention = config->retention;
  store_options.prefix = config->redis.prefix;
  auto store = RedisStore::Create(store_options);
  if (!store.ok()) return store.status();
  d->store_ = std::move(*store);

  auto reporter = std::make_shared<BadRecordReporter>(ChildLogger(options.logger, "records"));
  d->sessions_ = std::make_unique<SessionSource>(
      *d->store_, config->redis.prefix,
      RecordDefaultsOf(*config), reporter);

  DispatcherOptions dopts;
  dopts.runner.owner = options.instance_id;
  dopts.runner.clock = options.clock;
  dopts.runner.logger = ChildLogger(options.logger, "dispatch");
  dopts.concurrency = config->twilio.concurrency;
  dopts.make_sender = options.make_sender;  // again from each reloaded config (dispatcher.h)
  d->dispatcher_ = std::make_unique<Dispatcher>(dopts, config, *d->store_, *d->sessions_);

  d->metrics_ = std::make_unique<Metrics>();
  AccountPauseWatchOptions wopts;
  wopts.logger = ChildLogger(options.logger, "dispatch");
  wopts.on_state = [metrics = d->metrics_.get()](bool paused) { metrics->SetTwilioPaused(paused); };
  d->pause_watch_ = std::make_unique<AccountPauseWatch>(*d->store_, wopts);
  SchedulerOptions sopts;
  sopts.clock = options.clock;
  sopts.logger = ChildLogger(options.logger, "scheduler");
  sopts.on_tick = options.on_tick;
  sopts.on_progress = options.on_progress;
  sopts.on_stats = [metrics = d->metrics_.get()](const TickStats& t) { CountTick(*metrics, t); };
  d->concern_store_ = std::make_unique<ConcernStore>(*d->store_);
  Concerns::Options copts;
  copts.clock = options.clock;
  copts.logger = ChildLogger(options.logger, "safeguarding");
  d->concerns_ = std::make_unique<Concerns>(*d->store_, *d->concern_store_, copts);
  sopts.housekeeping = [store = d->store_.get(), concerns = d->concern_store_.get(), retention = config->retention,
                        log = ChildLogger(options.logger, "privacy")](Instant now) {
    const Millis cutoff = UnixMillis(now - retention);
    auto trimmed = TrimInbox(*store, cutoff);
    if (!trimmed.ok()) return log->warn("inbox not trimmed: {}", trimmed.status().ToString());
    if (*trimmed > 0) log->info("{} inbox entr{} older than retention_days deleted", *trimmed, *trimmed == 1 ? "y" : "ies");
    // Concerns go only once acknowledged (ConcernStore::Trim).
    auto concerns_trimmed = concerns->Trim(cutoff);
    if (!concerns_trimmed.ok()) return log->warn("concerns not trimmed: {}", concerns_trimmed.status().ToString());
    if (*concerns_trimmed > 0) log->info("{} acknowledged concern(s) older than retention_days deleted", *concerns_trimmed);
  };
  // Safeguarding escalation every tick: the next contact of an open concern
  // is alerted as soon as its step is due.
  sopts.every_tick = [d = d.get(), log = ChildLogger(options.logger, "safeguarding"),
                      failing = std::make_shared<bool>(false)](const Config& c, Instant now) {
    d->pause_watch_->Check(UnixMillis(now));  // the gauge, and why sending is paused
    auto alerts = d->concerns_->EscalateDue(c, now);
    if (!alerts.ok()) {  // Redis down: said once, tried again every tick
      if (!*failing) log->warn("concerns not escalated: {}; retrying every tick", alerts.status().ToString());
      *failing = true;
      return;
    }
    *failing = false;
    auto open = d->concern_store_->CountOpen();
    if (open.ok()) d->metrics_->SetConcernsUnacknowledged(*open);
  };
  d->scheduler_ = std::make_unique<Scheduler>(sopts, config, *d->store_, *d->sessions_, *d->dispatcher_);

  RedisReplyStoreOptions ropts;
  ropts.retention = store_options.job_retention;
  d->reply_store_ = std::make_unique<RedisReplyStore>(*d->store_, ropts);
  ReplyHandlerOptions hopts;
  hopts.clock = options.clock;
  hopts.logger = ChildLogger(options.logger, "replies");
  hopts.on_alert = [scheduler = d->scheduler_.get()] { scheduler->Wake(); };
  d->reply_handler_ =
      std::make_unique<ReplyHandler>(*d->store_, *d->reply_store_, *d->sessions_, *d->concerns_, hopts);
  d->reply_handler_->Prepare(config);
  return d;
}

Daemon::Daemon() = default;
Daemon::~Daemon() { StopListener(); }

Store& Daemon::store() { return *store_; }

void Daemon::SetConfig(std::shared_ptr<const Config> config) {
  ApplyLogLevel(*scheduler_->CurrentConfig(), *config);
  reply_handler_->Prepare(config);  // before replies see it (reply_handler.h)
  sessions_->SetDefaults(RecordDefaultsOf(*config));
  scheduler_->SetConfig(std::move(config));  // and the dispatcher, which renews its senders
  auto lifted = store_->LiftAccountPause(UnixMillis(options_.clock->Now()));
  if (!lifted.ok()) {
    options_.logger->warn("reload: the Twilio account pause was not lifted ({}); it lifts after a probe succeeds",
                          lifted.status().ToString());
  } else if (*lifted) {
    options_.logger->info("reload: Twilio account pause lifted; every instance sends again");
  }
}

void Daemon::ApplyLogLevel(const Config& running, const Config& reloaded) {
  // Only a change: a level set by --log-level (or a test) stays while the
  // file's log_level does.
  if (!options_.log_level_from_config || running.log_level == reloaded.log_level) return;
  auto level = ParseLogLevel(reloaded.log_level);  // Config::Load checked it
  if (!level.ok()) return;
  SetFamilyLevel(options_.logger, *level);
  options_.logger->info("reload: log_level is now {}", reloaded.log_level);
}

Status Daemon::StartListener() {
  if (listener_) return Status::OK();
  WebhookServerOptions wopts;
  wopts.listen = options_.listen.empty() ? config()->http.listen : options_.listen;
  wopts.logger = ChildLogger(options_.logger, "http");
  wopts.max_connections = static_cast<size_t>(config()->http.max_connections);
  wopts.max_connections_per_client = static_cast<size_t>(config()->http.max_connections_per_client);
  wopts.request_timeout = config()->http.request_timeout;
  WebhookDeps deps;
  deps.config = [this] { return config(); };
  deps.replies = reply_handler_.get();
  deps.store = store_.get();
  deps.metrics = metrics_.get();
  deps.dashboard = [this](const Config& c) {
    return ReadDashboard(*store_, *sessions_, *reply_store_, *concern_store_, RecordDefaultsOf(c),
                         options_.clock->NowSeconds());
  };
  auto server = WebhookServer::Start(wopts, deps);
  if (!server.ok()) return server.status();
  listener_ = std::move(*server);
  return Status::OK();
}

void Daemon::StopListener() {
  if (listener_) listener_->Stop();
  listener_.reset();
}

}  // namespace checkin
