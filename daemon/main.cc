// checkind: sends each member a personal check-in text before each session.
//
// Start-up: parse flags, load and check the config (LoadChecked, the same
// function --check-config runs; exit 2 with the line-numbered error when it
// is broken), start the HTTP listener (webhooks, health, metrics), connect to
// Redis (waiting for it if it is down), then tick until SIGTERM.
// --healthcheck is a client instead: it probes a running checkind's /healthz.
//
// What systemd hears (sd_notify; nothing is sent without NOTIFY_SOCKET):
//   READY=1      once the listener is up and Redis has answered
//   STATUS=...   what the loop did in its last tick, or what it waits for
//   WATCHDOG=1   whenever the scheduler loop makes progress: each tick, each
//                planning pass, each dispatch run, each Twilio request (at
//                most one a second). A wedged loop stops pinging and systemd
//                (WatchdogSec=) kills and restarts it.
//   RELOADING=1, then READY=1   around a SIGHUP reload
//   STOPPING=1   on SIGTERM
//
// Signals are taken on one thread with sigwait; nothing runs in a handler.
//   SIGHUP   reload config, templates and group files as one value
//            (Daemon::SetConfig: new Twilio senders between jobs, log_level
//            on every logger); a broken file (main or group) is refused
//            with its line-numbered error and the running config of every
//            group kept. The files are read on a thread of their own
//            (Reloads), so the signal thread is always in sigwait: a
//            SIGTERM during a slow reload (a file on a hung mount) stops at
//            once, and that reload is discarded.
//   SIGTERM  stop claiming jobs, let the jobs in hand finish, stop the
//            listener, exit 0 (SIGINT too). When that takes longer than
//            shutdown_timeout_seconds, exit 0 anyway: jobs still claimed
//            stay leased and return to the queue when the lease ends (in
//            doubt if a request may have gone out), so nothing is lost.
#include <signal.h>
#include <systemd/sd-daemon.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <mutex>
#include <thread>

#include "checkin/config.h"
#include "config/config_limits.h"
#include "config/config_table.h"
#include "daemon.h"
#include "base/logging.h"
#include "http/health_probe.h"
#include "safeguarding/concerns.h"  // GroupsWithoutSafeguardingContact
#include "store/redis_store.h"
#include "base/redis_url.h"  // RedactRedisUrl

namespace checkin {
namespace {

constexpr const char* kDefaultConfig = "/etc/checkin/checkin.yaml";

struct Flags {
  std::string config = kDefaultConfig;
  bool check_config = false;
  bool healthcheck = false;
  bool once = false;
  std::string log_level;
};

// Blocks the signals we take with sigwait; threads started later inherit it.
sigset_t BlockSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

int64_t SteadyMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// What checkind tells systemd. Safe from any thread (sd_notify opens its own
// socket per call).
class Notifier {
 public:
  void Send(const std::string& state) { sd_notify(0, state.c_str()); }
  void Status(const std::string& status) { Send("STATUS=" + status); }
  // WATCHDOG=1, at most once a second however often progress is reported.
  void Alive() {
    const int64_t now = SteadyMillis();
    int64_t last = last_alive_ms_.load();
    if (now - last < 1000 || !last_alive_ms_.compare_exchange_strong(last, now)) return;
    Send("WATCHDOG=1");
  }
  // READY=1 the first time `reachable` is true.
  void ReadyOnce(bool reachable) {
    if (!reachable || ready_.exchange(true)) return;
    Send("READY=1\nSTATUS=running");
  }
  bool ready() const { return ready_.load(); }

 private:
  std::atomic<int64_t> last_alive_ms_{-1000000};
  std::atomic<bool> ready_{false};
};

// Lets the main thread say "shut down cleanly" and the signal thread wait
// for it, up to the shutdown bound.
class ShutdownLatch {
 public:
  void Done() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_ = true;
    }
    cv_.notify_all();
  }
  bool WaitFor(std::chrono::seconds limit) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, limit, [&] { return done_; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
};

// SIGHUP's reloads, run one at a time on a worker thread. Request() never
// waits; after Stop() returns no reload is applied (one still reading its
// file finishes on its own and is discarded).
class Reloads {
 public:
  explicit Reloads(std::function<void()> reload) : reload_(std::move(reload)), worker_([this] { Loop(); }) {}
  ~Reloads() {
    Stop();
    worker_.join();  // Serve only destroys an idle one (see Idle)
  }
  // Another reload after the one running, if any (the file may have changed
  // since it was read); requests made meanwhile are one.
  void Request() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      pending_ = true;
    }
    cv_.notify_all();
  }
  void Stop() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
  }
  bool Idle() {
    std::lock_guard<std::mutex> lock(mu_);
    return !busy_;
  }
  // Runs `apply` unless Stop() was called; holds off Stop() while it runs.
  bool ApplyUnlessStopping(const std::function<void()>& apply) {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return false;
    apply();
    return true;
  }

 private:
  void Loop() {
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
      cv_.wait(lock, [&] { return pending_ || stopping_; });
      if (stopping_) return;
      pending_ = false;
      busy_ = true;
      lock.unlock();
      reload_();
      lock.lock();
      busy_ = false;
    }
  }

  std::function<void()> reload_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool pending_ = false, stopping_ = false, busy_ = false;
  std::thread worker_;  // last: starts once the rest is ready
};

// Everything start-up refuses in a config file: Config::Load (every key,
// the whole Redis URL, the listen address, the token and the files named),
// then CheckStartable (daemon.h: what needs the daemon's parts or this
// machine). Start-up, --check-config and SIGHUP all call this one function,
// so a file that passes --check-config starts, with the same message when
// it does not.
Result<Config> LoadChecked(const std::string& path) {
  auto config = Config::Load(path);
  if (!config.ok()) return config;
  if (Status startable = CheckStartable(*config); !startable.ok()) return startable;
  return config;
}

// Warns (never fails) about groups nobody would be alerted for, and about
// group files for groups that are not in Redis (a typo in the file's name
// would otherwise go unnoticed); quiet when Redis cannot be reached (that
// is for the daemon to wait for).
void WarnAboutGroups(const Config& config, spdlog::logger& log) {
  RedisStoreOptions o;
  o.redis.url = config.redis.url;
  o.redis.timeout = config.redis.timeout;
  o.redis.pool_size = 1;
  o.prefix = config.redis.prefix;
  auto store = RedisStore::Create(o);
  if (!store.ok()) return;
  auto groups = GroupsWithoutSafeguardingContact(**store, config);
  if (!groups.ok()) return;
  for (const std::string& g : *groups) {
    log.warn("group {} has no safeguarding contact: set its safeguarding_phone or coordinator_phone, or "
             "safeguarding.contacts (a concern from its members is recorded but alerts nobody)", g);
  }
  for (const auto& [id, group] : config.groups) {
    auto fields = (*store)->GroupFields(id);
    if (fields.ok() && fields->empty()) {
      log.warn("{}: there is no group {} in Redis ({}group:{}); the file's settings are used by nobody until it exists",
               group->source, id, config.redis.prefix, id);
    }
  }
}

int CheckConfig(const Flags& flags) {
  auto config = LoadChecked(flags.config);
  if (!config.ok()) {
    std::cerr << config.status().message() << "\n";
    return 1;
  }
  auto log = MakeJournalLogger("checkind", spdlog::level::warn);
  WarnAboutGroups(*config, *log);
  std::cout << flags.config << ": OK";
  if (!config->groups.empty()) std::cout << " (and " << config->groups.size() << " group file(s) in " << config->groups_dir << ")";
  std::cout << "\n";
  return 0;
}

// --healthcheck (the Dockerfile's HEALTHCHECK): GET /healthz where the
// config says checkind listens. Reads the file as the daemon does, but
// without the secrets (a probe needs no token). One line on stdout either
// way: Docker keeps it in `docker inspect`'s health log.
int Healthcheck(const Flags& flags) {
  auto config = Config::Load(flags.config, Config::SecretSource::Process(), /*resolve_secrets=*/false);
  if (!config.ok()) {
    std::cout << "unhealthy: cannot read the listen address: " << config.status().message() << "\n";
    return 1;
  }
  auto probed = ProbeHealthz(config->http.listen, std::chrono::seconds(3));
  if (!probed.ok()) {
    std::cout << "unhealthy: " << probed.status().message() << "\n";
    return 1;
  }
  std::cout << "healthy: " << *probed << "\n";
  return 0;
}

// SIGHUP (on the Reloads thread): the whole file (config and templates) and
// every group file are swapped as one value, or nothing changes; nothing at
// all once stopping.
void Reload(const Flags& flags, Daemon& daemon, Notifier& notifier, spdlog::logger& log, Reloads& reloads) {
  const bool started = reloads.ApplyUnlessStopping([&] { notifier.Send("RELOADING=1\nSTATUS=reloading " + flags.config); });
  if (!started) return;
  auto fresh = LoadChecked(flags.config);
  std::shared_ptr<const Config> reloaded;
  const bool applied = reloads.ApplyUnlessStopping([&] {
    if (fresh.ok()) {
      for (const auto& key : ChangedRestartOnlyKeys(*daemon.config(), *fresh)) {
        log.warn("reload: {} changed; it takes effect at the next restart", key);
      }
      reloaded = std::make_shared<const Config>(std::move(*fresh));
      daemon.SetConfig(reloaded);
      log.info("reloaded {} and {} group file(s) from {}", flags.config, reloaded->groups.size(), reloaded->groups_dir);
    } else {
      log.error("reload refused, keeping the running config: {}", fresh.status().message());
    }
    notifier.Send(std::string("READY=1\nSTATUS=") +
                  (fresh.ok() ? "running (reloaded)" : "running (reload refused, see log)"));
  });
  if (!applied) log.info("reload of {} discarded: stopping", flags.config);
  if (reloaded) WarnAboutGroups(*reloaded, log);  // after READY=1: it reads Redis
}

int Serve(const Flags& flags) {
  const sigset_t signals = BlockSignals();
  auto loaded = LoadChecked(flags.config);
  if (!loaded.ok()) {
    std::cerr << "FATAL CONFIG FILE ERROR: " << loaded.status().message() << "\n";
    return 2;
  }
  auto config = std::make_shared<const Config>(std::move(*loaded));
  auto level = ParseLogLevel(flags.log_level.empty() ? config->log_level : flags.log_level);
  auto root = MakeJournalLogger("checkind", level.ok() ? *level : spdlog::level::info);

  Notifier notifier;
  std::unique_ptr<Daemon> daemon;
  DaemonOptions options;
  options.logger = root;
  options.log_level_from_config = flags.log_level.empty();  // --log-level holds across reloads
  // READY=1 waits for Redis; a first tick with a backlog may be long, so
  // progress inside it counts too. `daemon` is null until created.
  auto ready_when_reachable = [&] {
    if (!notifier.ready() && daemon) notifier.ReadyOnce(daemon->store().Ping().ok());
  };
  options.on_progress = [&] {
    ready_when_reachable();
    notifier.Alive();
  };
  options.on_tick = [&](const std::string& status) {
    ready_when_reachable();
    notifier.Status(status);
    notifier.Alive();
  };
  auto created = Daemon::Create(config, options);
  if (!created.ok()) {
    std::cerr << "FATAL CONFIG FILE ERROR: " << config->source << ": " << created.status().message() << "\n";
    return 2;
  }
  daemon = std::move(*created);
  Scheduler& scheduler = daemon->scheduler();
  root->info("checkind {} starting as {}: redis {}, twilio {}", CHECKIN_VERSION, daemon->instance_id(),
             RedactRedisUrl(config->redis.url), config->twilio.api_base);
  WarnAboutGroups(*config, *root);
  if (flags.once) {
    pthread_sigmask(SIG_UNBLOCK, &signals, nullptr);  // nobody sigwaits: let SIGTERM end it
    TickStats t = scheduler.Tick();
    root->info("once: planned {}, sent {}, skipped {}, failed {}, retrying {}", t.plan ? t.plan->created : 0,
               t.dispatch.sent, t.dispatch.skipped, t.dispatch.failed, t.dispatch.retried);
    return t.redis_ok ? 0 : 1;
  }
  if (Status listening = daemon->StartListener(); !listening.ok()) {
    std::cerr << "checkind: " << listening.message() << " (http.listen)\n";
    return 1;
  }
  notifier.Status("connecting to Redis at " + RedactRedisUrl(config->redis.url));
  notifier.ReadyOnce(daemon->store().Ping().ok());

  ShutdownLatch latch;
  std::atomic<int64_t> stop_signal_at{0};
  Reloads reloads([&] { Reload(flags, *daemon, notifier, *root, reloads); });
  std::thread signal_thread([&] {
    int sig = 0;
    for (;;) {
      if (sigwait(&signals, &sig) != 0) continue;
      if (sig != SIGHUP) break;
      reloads.Request();
    }
    reloads.Stop();  // a reload still reading its file is not applied
    const auto limit = daemon->config()->shutdown_timeout;
    root->info("signal {}: stopping: no new jobs claimed, finishing the jobs in hand (at most {}s)", sig,
               limit.count());
    notifier.Send("STOPPING=1\nSTATUS=stopping: finishing the jobs in hand");
    stop_signal_at = SteadyMillis();
    scheduler.Stop();
    if (latch.WaitFor(limit)) return;
    root->warn("stopping: still busy after {} ms; exiting now. Jobs still claimed return to the queue when their "
               "lease ends (reminders.lease_seconds); nothing is lost", SteadyMillis() - stop_signal_at);
    root->flush();
    std::_Exit(0);
  });
  scheduler.Run();  // returns after Stop(), at the end of the jobs in hand
  daemon->StopListener();
  daemon.reset();  // joins the dispatcher's workers, closes Redis connections
  root->info("stopped in {} ms", SteadyMillis() - stop_signal_at);
  latch.Done();
  signal_thread.join();
  if (!reloads.Idle()) {
    // Its thread is still reading the file (it cannot be interrupted) and
    // will apply nothing: exit without waiting for it.
    root->info("a reload still reading {} is abandoned", flags.config);
    root->flush();
    std::_Exit(0);
  }
  return 0;
}

}  // namespace
}  // namespace checkin

int main(int argc, char** argv) {
  checkin::Flags flags;
  CLI::App app{"checkind: sends members a personal check-in text before each session and records their replies.\n"
               "Schedules are read from Redis; texts go out through Twilio's REST API."};
  app.add_option("-c,--config", flags.config, "config file")->default_str(checkin::kDefaultConfig);
  auto* check = app.add_flag("--check-config", flags.check_config,
                             "check the config file and its group files (groups_dir) as start-up does and exit: 0 when it would "
                             "start, 1 with the error");
  app.add_flag("--healthcheck", flags.healthcheck,
               "GET /healthz on the address http.listen names and exit: 0 when it answers 200, else 1 (for a "
               "container's HEALTHCHECK)")
      ->excludes(check);
  app.add_flag("--once", flags.once, "plan and send what is due now, then exit");
  app.add_option("--log-level", flags.log_level,
                 "trace, debug, info, warn or error (overrides log_level, also after a reload)");
  app.set_version_flag("--version", CHECKIN_VERSION);
  app.footer(checkin::ConfigLimitsSummary());
  CLI11_PARSE(app, argc, argv);
  try {
    if (flags.healthcheck) return checkin::Healthcheck(flags);
    return flags.check_config ? checkin::CheckConfig(flags) : checkin::Serve(flags);
  } catch (const std::exception& e) {
    std::cerr << "checkind: fatal: " << e.what() << "\n";
    return 1;
  }
}
