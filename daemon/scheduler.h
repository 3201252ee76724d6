// Scheduler: the daemon's loop. Each tick reads the clock once, then
//   1. plans, when reminders.plan_interval has passed since the last plan:
//      sessions in the look-ahead window -> Plan() (reminders, follow-ups)
//      and PlanDigests() (groups with a coordinator_phone) -> CreateJobs
//      (idempotent: ids are deterministic, so any number of daemons may
//      plan); for each cancelled session, CancelSessionJobs drops what it
//      still waits for, and every member already reminded of it gets one
//      cancellation text (CancellationJobId, plan/job_ids.h); for each
//      schedule no longer in `schedules`, DropRemovedScheduleJobs drops the
//      texts still waiting for its occurrences (no cancellation text: a
//      removed schedule may have been replaced by another);
//   2. dispatches: the dispatcher claims due jobs continuously until none are left (bounded
//      per tick) and sends them (dispatcher.h);
//   3. reports: on_tick(status line) for systemd STATUS= and the watchdog.
// on_progress is called after planning and after each dispatch run, so a
// long tick still shows the loop alive. After Stop() nothing more is
// claimed: the tick ends with the jobs in hand.
// A Redis outage makes a step fail with Unavailable; the tick logs it once,
// later ticks retry, and nothing planned or claimed is lost.
//
// Thread-safety: Tick and Run belong to one thread; SetConfig and Stop may
// be called from any thread.
#ifndef CHECKIN_DAEMON_SCHEDULER_H_
#define CHECKIN_DAEMON_SCHEDULER_H_

#include <spdlog/logger.h>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "checkin/clock.h"
#include "checkin/config.h"
#include "checkin/store.h"
#include "dispatch/dispatcher.h"
#include "schema/session_source.h"

namespace checkin {

struct PlanStats {
  int sessions = 0;            // upcoming, not cancelled
  int reminders = 0;           // reminders, follow-ups and digests that should exist
  int created = 0;             // jobs created by this pass (cancellation texts included)
  int cancelled_sessions = 0;  // upcoming, cancelled
  int dropped = 0;             // waiting jobs of cancelled sessions finished as skipped
  int dropped_by_schedule = 0;  // waiting jobs of removed schedules finished as skipped
  int notices = 0;             // cancellation texts that should exist
};

struct TickStats {
  std::optional<PlanStats> plan;  // set when this tick planned
  DispatchStats dispatch;
  bool redis_ok = true;
};

struct SchedulerOptions {
  std::shared_ptr<Clock> clock;            // Default: Clock::Real()
  std::shared_ptr<spdlog::logger> logger;  // Default: NullLogger()
  std::chrono::milliseconds tick{1000};
  int max_batches_per_tick = 50;  // Dispatcher::RunOnce calls (each up to its max_run)
  std::function<void(const std::string& status)> on_tick;  // may be empty
  std::function<void(const TickStats& stats)> on_stats;   // may be empty (metrics)
  std::function<void()> on_progress;                       // may be empty (watchdog)
  // Retention work (inbox trimming), run at most once per interval after a
  // tick that reached Redis; may be empty.
  std::function<void(Instant now)> housekeeping;
  std::chrono::seconds housekeeping_interval{3600};
  // Run at the start of every tick, before sending (safeguarding escalation:
  // alerts due now go out in the same tick); may be empty.
  std::function<void(const Config& config, Instant now)> every_tick;
};

class Scheduler {
 public:
  Scheduler(SchedulerOptions options, std::shared_ptr<const Config> config, Store& store, SessionSource& sessions,
            Dispatcher& dispatcher);

  void SetConfig(std::shared_ptr<const Config> config);
  std::shared_ptr<const Config> CurrentConfig();

  // Creates the jobs for every session in the look-ahead window.
  Result<PlanStats> PlanOnce(Instant now);
  TickStats Tick();
  // Ticks until Stop(); waits `tick` between ticks (a real wait: this is the
  // production loop; tests call Tick()).
  void Run();
  void Stop();
  // Ends the wait between ticks now (a safeguarding alert was queued); any thread.
  void Wake();

 private:
  Result<DispatchStats> DispatchDue();
  // Drops the waiting jobs of a cancelled session; returns the cancellation
  // texts for the members already reminded of it.
  Status DropRemovedSchedules(Instant now, PlanStats& stats);
  Result<std::vector<JobSpec>> DropCancelledSession(const PlannableSession& ps, Instant now, const Config& config,
                                                    PlanStats& stats);
  bool Stopping();
  void Progress() {
    if (options_.on_progress) options_.on_progress();
  }

  SchedulerOptions options_;
  Store& store_;
  SessionSource& sessions_;
  Dispatcher& dispatcher_;

  std::mutex mu_;
  std::condition_variable cv_;
  bool wake_ = false;
  bool stop_ = false;
  std::shared_ptr<const Config> config_;

  std::optional<Instant> last_plan_;
  std::optional<Instant> last_housekeeping_;
  bool redis_was_ok_ = true;
  // Jobs this process already created (id -> session id, "" for
  // cancellation texts), so a steady-state pass sends nothing to Redis;
  // cleared after an outage and hourly, so a Redis that lost data is
  // planned again, and per session when it is seen cancelled, so that its
  // dropped jobs are created again if it is un-cancelled.
  std::map<std::string, std::string> created_;
  std::optional<Instant> created_since_;
};

}  // namespace checkin

#endif  // CHECKIN_DAEMON_SCHEDULER_H_
