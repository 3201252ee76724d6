#include "dispatch/dispatcher.h"

#include <unistd.h>

#include <algorithm>
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
  heartbeat_ = std::thread([this] { HeartbeatLoop(); });
}

Dispatcher::~Dispatcher() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  work_cv_.notify_all();
  heartbeat_cv_.notify_all();
  for (auto& t : workers_) t.join();
  heartbeat_.join();
}

void Dispatcher::StopClaiming() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_claiming_ = true;
  }
  done_cv_.notify_all();  // RunOnce hands back what has not started
}

Result<int> Dispatcher::RenewLeases() {
  std::vector<std::string> ids;
  {
    std::lock_guard<std::mutex> lock(mu_);
    ids.assign(held_.begin(), held_.end());
  }
  if (ids.empty()) return 0;
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());  // held_ is sorted
  const Millis lease = std::chrono::milliseconds(CurrentConfig()->reminders.lease).count();
  return store_.RenewLeases(ids, options_.runner.owner, UnixMillis(options_.runner.clock->Now()), lease);
}

void Dispatcher::HeartbeatLoop() {
  bool failing = false;
  for (;;) {
    const auto every = std::chrono::duration_cast<std::chrono::milliseconds>(CurrentConfig()->reminders.lease) / 3;
    {
      std::unique_lock<std::mutex> lock(mu_);
      if (heartbeat_cv_.wait_for(lock, every, [&] { return stopping_; })) return;
    }
    auto renewed = RenewLeases();
    // Redis down: said once; the jobs' own steps fail too, and the leases
    // bring them back if it stays down.
    if (!renewed.ok() && !failing) {
      options_.runner.logger->warn("leases not renewed: {}; retrying", renewed.status().ToString());
    }
    failing = !renewed.ok();
  }
}

void Dispatcher::Finished(const std::string& job_id) {
  if (auto it = held_.find(job_id); it != held_.end()) held_.erase(it);
}

void Dispatcher::HandBackUnstarted(std::unique_lock<std::mutex>& lock) {
  std::vector<std::string> ids;
  for (const ClaimedJob& job : queue_) {
    ids.push_back(job.spec.id);
    Finished(job.spec.id);
  }
  queue_.clear();
  lock.unlock();
  auto released = store_.ReleaseJobs(ids, options_.runner.owner);
  if (released.ok()) {
    options_.runner.logger->info("stopping: {} job(s) not started handed back to the queue", *released);
  } else {  // their leases bring them back
    options_.runner.logger->warn("stopping: {} job(s) not started were not handed back ({}); they return when "
                                 "their lease ends", ids.size(), released.status().ToString());
  }
  lock.lock();
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
      // After StopClaiming a job not started stays in the queue for RunOnce
      // to hand back.
      work_cv_.wait(lock, [&] { return stopping_ || (!queue_.empty() && !stop_claiming_); });
      if (queue_.empty() || stop_claiming_) return;  // stopping
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
      Finished(job.spec.id);
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
    if (stop_claiming_ && !queue_.empty()) HandBackUnstarted(lock);
    if (more && (stop_claiming_ || clock.SteadyNow() >= stop_claiming_at)) more = false;
    if (more && InHand() <= workers) {
      const int want = 2 * workers - InHand();
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
      for (auto& job : *claimed) {
        held_.insert(job.spec.id);
        queue_.push_back(std::move(job));
      }
      claimed_total += n;
      if (n < want) more = false;  // nothing else is due now
      if (n > 0) work_cv_.notify_all();
      continue;
    }
    if (InHand() == 0) break;
    // Woken by each finished job: claim again when the hand is low.
    done_cv_.wait(lock, [&] {
      return InHand() == 0 || (more && InHand() <= workers) || (stop_claiming_ && !queue_.empty());
    });
  }
  DispatchStats total = run_stats_;
  total.claimed = claimed_total;
  return total;
}

}  // namespace checkin
