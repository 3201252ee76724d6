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
  std::function<std::unique_ptr<SmsSender>()> make_sender;  // one per worker
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

  // The config used from the next job on (SIGHUP reload).
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
  void WorkerLoop(SmsSender* sender, uint64_t seed);
  void HeartbeatLoop();
  // Called with mu_ held, which it releases while Redis is asked.
  void HandBackUnstarted(std::unique_lock<std::mutex>& lock);
  void Finished(const std::string& job_id);  // with mu_ held
  int InHand() const { return static_cast<int>(held_.size()); }  // with mu_ held
  std::shared_ptr<const Config> CurrentConfig();

  DispatcherOptions options_;
  Store& store_;
  SessionSource& sessions_;

  std::mutex config_mu_;
  std::shared_ptr<const Config> config_;

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
  std::vector<std::unique_ptr<SmsSender>> senders_;
  std::vector<std::thread> workers_;
  std::condition_variable heartbeat_cv_;
  std::thread heartbeat_;
};

// A unique owner id for this process: "<hostname>:<pid>:<random hex>".
std::string MakeInstanceId();

}  // namespace checkin

#endif  // CHECKIN_DAEMON_DISPATCHER_H_
