// checkind: sends each member a personal check-in text before each session.
//
// Start-up: parse flags, load and check the config (exit 2 with the
// line-numbered error when it is broken), start the HTTP listener (webhooks,
// health, metrics), connect to Redis (waiting for it if it is down), then
// tick until SIGTERM. Signals are taken on one thread
// with sigwait; nothing runs in a signal handler.
//   SIGHUP   reload the config; a broken file is refused and the old one kept
//   SIGTERM  stop claiming, let the batch in hand finish, exit 0 (SIGINT too)
#include <signal.h>
#include <systemd/sd-daemon.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <iostream>
#include <thread>

#include "checkin/config.h"
#include "daemon.h"
#include "logging.h"

namespace checkin {
namespace {

constexpr const char* kDefaultConfig = "/etc/checkin/checkin.yaml";

struct Flags {
  std::string config = kDefaultConfig;
  bool check_config = false;
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

int CheckConfig(const Flags& flags) {
  auto config = Config::Load(flags.config);
  if (!config.ok()) {
    std::cerr << config.status().message() << "\n";
    return 1;
  }
  std::cout << flags.config << ": OK\n";
  return 0;
}

int Serve(const Flags& flags) {
  const sigset_t signals = BlockSignals();
  auto loaded = Config::Load(flags.config);
  if (!loaded.ok()) {
    std::cerr << "FATAL CONFIG FILE ERROR: " << loaded.status().message() << "\n";
    return 2;
  }
  auto config = std::make_shared<const Config>(std::move(*loaded));
  auto level = ParseLogLevel(flags.log_level.empty() ? config->log_level : flags.log_level);
  auto root = MakeJournalLogger("checkind", level.ok() ? *level : spdlog::level::info);

  bool ready_sent = false;
  std::unique_ptr<Daemon> daemon;
  DaemonOptions options;
  options.logger = root;
  options.on_tick = [&](const std::string& status) {
    // READY=1 once the listener is up and Redis has answered: systemd
    // orders dependants after it.
    if (!ready_sent && daemon->store().Ping().ok()) {
      sd_notify(0, "READY=1");
      ready_sent = true;
    }
    sd_notifyf(0, "STATUS=%s\nWATCHDOG=1", status.c_str());
  };
  auto created = Daemon::Create(config, options);
  if (!created.ok()) {
    std::cerr << "FATAL CONFIG FILE ERROR: " << created.status().message() << "\n";
    return 2;
  }
  daemon = std::move(*created);
  Scheduler& scheduler = daemon->scheduler();
  root->info("checkind {} starting as {}: redis {}, twilio {}", CHECKIN_VERSION, daemon->instance_id(),
             RedactRedisUrl(config->redis.url), config->twilio.api_base);
  if (flags.once) {
    TickStats t = scheduler.Tick();
    root->info("once: planned {}, sent {}, skipped {}, failed {}, retrying {}", t.plan ? t.plan->created : 0,
               t.dispatch.sent, t.dispatch.skipped, t.dispatch.failed, t.dispatch.retried);
    return t.redis_ok ? 0 : 1;
  }
  if (Status listening = daemon->StartListener(); !listening.ok()) {
    std::cerr << "checkind: " << listening.message() << " (http.listen)\n";
    return 1;
  }

  std::thread signal_thread([&] {
    for (;;) {
      int sig = 0;
      if (sigwait(&signals, &sig) != 0) continue;
      if (sig == SIGHUP) {
        sd_notify(0, "RELOADING=1");
        auto fresh = Config::Load(flags.config);
        if (fresh.ok()) {
          for (const auto& key : ChangedRestartOnlyKeys(*config, *fresh)) {
            root->warn("reload: {} changed; it takes effect at the next restart", key);
          }
          daemon->SetConfig(std::make_shared<const Config>(std::move(*fresh)));
          root->info("reloaded {}", flags.config);
        } else {
          root->error("reload refused, keeping the running config: {}", fresh.status().message());
        }
        sd_notify(0, "READY=1");
        continue;
      }
      root->info("signal {}: stopping", sig);
      sd_notify(0, "STOPPING=1");
      scheduler.Stop();
      return;
    }
  });
  scheduler.Run();
  signal_thread.join();
  daemon->StopListener();
  root->info("stopped");
  return 0;
}

}  // namespace
}  // namespace checkin

int main(int argc, char** argv) {
  checkin::Flags flags;
  CLI::App app{"checkind: sends members a personal check-in text before each session and records their replies.\n"
               "Schedules are read from Redis; texts go out through Twilio's REST API."};
  app.add_option("-c,--config", flags.config, "config file")->default_str(checkin::kDefaultConfig);
  app.add_flag("--check-config", flags.check_config, "check the config file and exit: 0 when valid, 1 with the error");
  app.add_flag("--once", flags.once, "plan and send what is due now, then exit");
  app.add_option("--log-level", flags.log_level, "trace, debug, info, warn or error (overrides log_level)");
  app.set_version_flag("--version", CHECKIN_VERSION);
  CLI11_PARSE(app, argc, argv);
  try {
    return flags.check_config ? checkin::CheckConfig(flags) : checkin::Serve(flags);
  } catch (const std::exception& e) {
    std::cerr << "checkind: fatal: " << e.what() << "\n";
    return 1;
  }
}
