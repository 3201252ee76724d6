// Dispatcher: claims due jobs (reminders, forwards, ...) and sends them, exactly once.
//
// What happens to each job is job_runner.h's business; this is the pool:
// `concurrency` worker threads, each with its own SmsSender and one request
// in flight. RunOnce keeps them fed: it claims a first batch, and whenever
// the jobs in hand (queued + running) fall to `concurrency`, claims more, up
// to 2 x concurrency in hand, so a slow request never idles the other
// workers. It stops claiming when nothing more is due or after `max_run`,
// then waits for the jobs in hand. Memory is bounded by the jobs in hand,
// whatever the backlog.
//
// Leases: a heartbeat thread renews the leases of the jobs in hand every
// third of reminders.lease_seconds, so the lease can be short (a killed
// daemon's jobs come back within one lease) while a slow Twilio never costs
// a live daemon its jobs; MarkSending covers each request's own window. On
// StopClaiming the jobs claimed but not started go back to the queue at
// once, for another daemon, instead of waiting out their lease.
//
// After SetConfig each worker makes itself a new sender from the new config
// before its next job (a rotated token, another From, api_base or timeout):
// the job in hand finishes with the sender it started with, and no job
// waits for the swap.
//
// Thread-safety: RunOnce is called from one thread (the scheduler loop);
// SetConfig, StopClaiming and RenewLeases from any thread.
#ifndef CHECKIN_DAEMON_DISPATCHER_H_
#define CHECKIN_DAEMON_DISPATCHER_H_

#include <spdlog/logger.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "checkin/clock.h"
#include "checkin/config.h"
#include "checkin/sms_sender.h"
#include "checkin/store.h"
#include "dispatch/job_runner.h"

namespace checkin {

struct DispatcherOptions {
  JobRunnerOptions runner;  // owner, clock, logger, backoff, ...
  // One per worker, and again per worker after each SetConfig. A null
  // sender (cannot be made from that config) keeps the worker's old one.
  std::function<std::unique_ptr<SmsSender>(const Config&)> make_sender;
  int concurrency = 4;   // worker threads, each with one request in flight
  // How long one RunOnce keeps claiming (steady time of runner.clock) before
  // it lets the scheduler loop plan, ping the watchdog and see a stop request.
  std::chrono::milliseconds max_run{2000};
};

class Dispatcher {
 public:
  Dispatcher(DispatcherOptions options, std::shared_ptr<const Config> config, Store& store,
             SessionSource& sessions);
  ~Dispatcher();
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  // The config, and senders made from it, used from each worker's next job
  // on (SIGHUP reload).
  void SetConfig(std::shared_ptr<const Config> config);

  // Shutting down: a RunOnce in progress claims nothing more, hands the jobs
  // it has not started back to the queue and finishes the ones running;
  // later ones claim nothing. Any thread.
  void StopClaiming();

  // The heartbeat's work, once: every job in hand gets a full lease from now
  // (runner.clock). Called by the heartbeat thread; public for tests, which
  // move a ManualClock. Returns how many leases were renewed.
  Result<int> RenewLeases();

  // Claims the jobs due now and processes them, claiming more as workers
  // free up (see above); returns when every claimed job is finished, put
  // back or left to its lease. Unavailable when the first claim failed
  // (Redis down); a later failed claim ends the run with what was done.
  Result<DispatchStats> RunOnce();

 private:
  // A config and how many SetConfig calls came before it, so a worker
  // knows when its sender is from an older one.
  struct ConfigVersion {
    std::shared_ptr<const Config> config;
    uint64_t version = 0;
  };
  void WorkerLoop(std::unique_ptr<SmsSender> sender, uint64_t seed);
  // The worker's sender replaced by one made from `current`, unless it was
  // made from that version already (`sender_version`).
  void RenewSender(const ConfigVersion& current, std::unique_ptr<SmsSender>& sender, uint64_t& sender_version);
  void HeartbeatLoop();
  // Called with mu_ held, which it releases while Redis is asked.
  void HandBackUnstarted(std::unique_lock<std::mutex>& lock);
  void Finished(const std::string& job_id);  // with mu_ held
  int InHand() const { return static_cast<int>(held_.size()); }  // with mu_ held
  std::shared_ptr<const Config> CurrentConfig();
  ConfigVersion CurrentConfigVersion();

  DispatcherOptions options_;
  Store& store_;
  SessionSource& sessions_;

  std::mutex config_mu_;
  std::shared_ptr<const Config> config_;
  uint64_t config_version_ = 0;

  std::mutex mu_;
  std::condition_variable work_cv_;
  std::condition_variable done_cv_;
  std::deque<ClaimedJob> queue_;
  // The ids of the claimed jobs queued or running. A multiset: if our own
  // lease ran out (Redis slow) we may claim a job again while a worker still
  // has it, and each claim is finished once.
  std::multiset<std::string> held_;
  DispatchStats run_stats_;
  bool stopping_ = false;
  std::atomic<bool> stop_claiming_{false};
  std::vector<std::thread> workers_;  // each owns its sender
  std::condition_variable heartbeat_cv_;
  std::thread heartbeat_;
};

// A unique owner id for this process: "<hostname>:<pid>:<random hex>".
std::string MakeInstanceId();

}  // namespace checkin

#endif  // CHECKIN_DAEMON_DISPATCHER_H_
