#include "dispatch/dispatcher.h"

#include <unistd.h>

#include <cstdio>

#include "base/logging.h"

namespace checkin {

std::string MakeInstanceId() {
  char host[256] = {0};
  if (gethostname(host, sizeof host - 1) != 0) std::snprintf(host, sizeof host, "unknown");
  std::random_device rd;
  char suffix[9];
  std::snprintf(suffix, sizeof suffix, "%08x", rd());
  return std::string(host) + ":" + std::to_string(getpid()) + ":" + suffix;
}

Dispatcher::Dispatcher(DispatcherOptions options, std::shared_ptr<const Config> config, Store& store,
                       SessionSource& sessions)
    : options_(std::move(options)), store_(store), sessions_(sessions), config_(std::move(config)) {
  if (!options_.runner.clock) options_.runner.clock = Clock::Real();
  if (!options_.runner.logger) options_.runner.logger = NullLogger();
  if (options_.concurrency < 1) options_.concurrency = 1;
  std::random_device rd;
  for (int i = 0; i < options_.concurrency; ++i) {
    auto sender = options_.make_sender(*config_);
    const uint64_t seed = (static_cast<uint64_t>(rd()) << 32) ^ rd();
    workers_.emplace_back([this, sender = std::move(sender), seed]() mutable { WorkerLoop(std::move(sender), seed); });
  }
}

Dispatcher::~Dispatcher() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  work_cv_.notify_all();
  for (auto& t : workers_) t.join();
}

void Dispatcher::SetConfig(std::shared_ptr<const Config> config) {
  std::lock_guard<std::mutex> lock(config_mu_);
  config_ = std::move(config);
  ++config_version_;
}

std::shared_ptr<const Config> Dispatcher::CurrentConfig() {
  std::lock_guard<std::mutex> lock(config_mu_);
  return config_;
}

Dispatcher::ConfigVersion Dispatcher::CurrentConfigVersion() {
  std::lock_guard<std::mutex> lock(config_mu_);
  return {config_, config_version_};
}

void Dispatcher::RenewSender(const ConfigVersion& current, std::unique_ptr<SmsSender>& sender,
                             uint64_t& sender_version) {
  if (current.version == sender_version) return;
  sender_version = current.version;
  // Made on this worker's thread, between its jobs: no other worker waits,
  // and no request of the old sender is in flight.
  auto fresh = options_.make_sender(*current.config);
  if (!fresh) {
    options_.runner.logger->error("reload: no Twilio sender could be made from the new config; this worker "
                                  "keeps sending with the previous one");
    return;
  }
  sender = std::move(fresh);
}

void Dispatcher::WorkerLoop(std::unique_ptr<SmsSender> sender, uint64_t seed) {
  std::mt19937_64 rng(seed);
  uint64_t sender_version = 0;  // made in the constructor, from the first config
  for (;;) {
    ClaimedJob job;
    {
      std::unique_lock<std::mutex> lock(mu_);
      work_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, nothing left
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    const ConfigVersion current = CurrentConfigVersion();
    RenewSender(current, sender, sender_version);
    JobContext ctx{options_.runner, *current.config, store_, sessions_, *sender, rng};
    DispatchStats stats = RunJob(job, ctx);
    {
      std::lock_guard<std::mutex> lock(mu_);
      run_stats_ += stats;
      --in_hand_;
    }
    done_cv_.notify_all();
  }
}

Result<DispatchStats> Dispatcher::RunOnce() {
  const Clock& clock = *options_.runner.clock;
  const auto stop_claiming_at = clock.SteadyNow() + options_.max_run;
  const int workers = options_.concurrency;
  const Millis lease = std::chrono::milliseconds(CurrentConfig()->reminders.lease).count();
  int claimed_total = 0;
  bool more = true;  // a claim may still find due jobs
  std::unique_lock<std::mutex> lock(mu_);
  run_stats_ = DispatchStats{};
  for (;;) {
    if (more && (stop_claiming_ || clock.SteadyNow() >= stop_claiming_at)) more = false;
    if (more && in_hand_ <= workers) {
      const int want = 2 * workers - in_hand_;
      lock.unlock();
      const Millis now = UnixMillis(clock.Now());
      auto claimed = store_.ClaimDueJobs(now, lease, options_.runner.owner, want);
      lock.lock();
      if (!claimed.ok()) {
        if (claimed_total == 0) return claimed.status();
        options_.runner.logger->warn("claim failed: {}; finishing the jobs in hand", claimed.status().ToString());
        more = false;
        continue;
      }
      const int n = static_cast<int>(claimed->size());
      for (auto& job : *claimed) queue_.push_back(std::move(job));
      in_hand_ += n;
      claimed_total += n;
      if (n < want) more = false;  // nothing else is due now
      if (n > 0) work_cv_.notify_all();
      continue;
    }
    if (in_hand_ == 0) break;
    // Woken by each finished job: claim again when the hand is low.
    done_cv_.wait(lock, [&] { return in_hand_ == 0 || (more && in_hand_ <= workers); });
  }
  DispatchStats total = run_stats_;
  total.claimed = claimed_total;
  return total;
}

}  // namespace checkin
