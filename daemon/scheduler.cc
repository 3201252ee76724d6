#include "scheduler.h"

#include "base/logging.h"
#include "plan/job_ids.h"
#include "plan/planner.h"

namespace checkin {
namespace {

constexpr size_t kCreateChunk = 200;
constexpr auto kForgetCreatedAfter = std::chrono::hours(1);

constexpr char kSessionCancelled[] = "session cancelled";
constexpr char kScheduleRemoved[] = "schedule removed from schedules";

JobSpec ToJobSpec(const DueReminder& r) {
  JobSpec j;
  j.id = r.job_id;
  j.kind = r.kind;
  j.session_id = r.session_id;
  j.member_id = r.member_id;
  j.session_starts_at = r.session_starts_at;
  j.planned_at = r.planned_at;
  j.due_at = r.due_at;
  j.superseded_at = r.superseded_at;
  return j;
}

// The sessions of the groups that share one set of settings.
struct SessionsOfSettings {
  const Config* settings = nullptr;
  std::vector<SessionToPlan> to_plan;
  std::vector<SessionToPlan> with_coordinator;
};

SessionsOfSettings& SessionsFor(std::vector<SessionsOfSettings>& all, const Config& settings) {
  for (SessionsOfSettings& of : all) {
    if (of.settings == &settings) return of;
  }
  all.push_back({&settings, {}, {}});
  return all.back();
}

}  // namespace

Scheduler::Scheduler(SchedulerOptions options, std::shared_ptr<const Config> config, Store& store,
                     SessionSource& sessions, Dispatcher& dispatcher)
    : options_(std::move(options)), store_(store), sessions_(sessions), dispatcher_(dispatcher),
      config_(std::move(config)) {
  if (!options_.clock) options_.clock = Clock::Real();
  if (!options_.logger) options_.logger = NullLogger();
}

void Scheduler::SetConfig(std::shared_ptr<const Config> config) {
  dispatcher_.SetConfig(config);
  std::lock_guard<std::mutex> lock(mu_);
  config_ = std::move(config);
  last_plan_.reset();  // send rules may have changed: plan at the next tick
}

std::shared_ptr<const Config> Scheduler::CurrentConfig() {
  std::lock_guard<std::mutex> lock(mu_);
  return config_;
}

Result<PlanStats> Scheduler::PlanOnce(Instant now) {
  auto config = CurrentConfig();
  auto loaded = sessions_.Load(now, config->reminders.lookahead, /*include_cancelled=*/true);
  if (!loaded.ok()) return loaded.status();
  if (!created_since_ || now - *created_since_ > kForgetCreatedAfter) {
    created_.clear();
    created_since_ = now;
  }
  // Each group is planned with its own settings (its group file over the
  // main file, Config::ForGroup); groups without a file share the main
  // file's. Job ids depend only on what is planned, so a changed group file
  // creates new jobs for that group alone.
  std::vector<SessionsOfSettings> by_settings;
  std::vector<const PlannableSession*> cancelled;
  for (const auto& ps : *loaded) {
    if (ps.session.cancelled) {
      cancelled.push_back(&ps);
      continue;
    }
    SessionsOfSettings& of = SessionsFor(by_settings, config->ForGroup(ps.session.group_id));
    of.to_plan.push_back({ps.session.id, ps.session.starts_at, ps.zone, ps.member_ids});
    if (!ps.group.coordinator_phone.empty()) {
      of.with_coordinator.push_back({ps.session.id, ps.session.starts_at, ps.zone, {}});
    }
  }
  PlanStats stats;
  std::vector<DueReminder> due;
  for (const SessionsOfSettings& of : by_settings) {
    const Config::Reminders& r = of.settings->reminders;
    for (auto& d : Plan(now, of.to_plan, PlanRules{r.send, r.quiet_hours, r.follow_up_before})) due.push_back(std::move(d));
    for (auto& d : PlanDigests(now, of.with_coordinator, r.digest_before, r.quiet_hours)) due.push_back(std::move(d));
    stats.sessions += static_cast<int>(of.to_plan.size());
  }
  stats.reminders = static_cast<int>(due.size());
  std::vector<JobSpec> fresh;
  for (const auto& r : due) {
    if (!created_.count(r.job_id)) fresh.push_back(ToJobSpec(r));
  }
  for (const PlannableSession* ps : cancelled) {
    auto notices = DropCancelledSession(*ps, now, *config, stats);
    if (!notices.ok()) return notices.status();
    for (auto& n : *notices) {
      if (!created_.count(n.id)) fresh.push_back(std::move(n));
    }
  }
  for (size_t i = 0; i < fresh.size(); i += kCreateChunk) {
    std::vector<JobSpec> chunk(fresh.begin() + i, fresh.begin() + std::min(fresh.size(), i + kCreateChunk));
    auto created = store_.CreateJobs(chunk, UnixMillis(now));
    if (!created.ok()) return created.status();
    stats.created += *created;
    // Cancellation texts are never revived, so no session forgets them.
    for (const auto& j : chunk) created_[j.id] = j.kind == JobKind::kCancelled ? std::string() : j.session_id;
  }
  if (stats.created > 0) {
    options_.logger->info("planned {} new text(s) for {} upcoming session(s)", stats.created,
                          stats.sessions + stats.cancelled_sessions);
  }
  // After CreateJobs, with the ids read now: a schedule removed while this
  // pass planned it loses what was just created too.
  if (Status dropped = DropRemovedSchedules(now, stats); !dropped.ok()) return dropped;
  return stats;
}

Status Scheduler::DropRemovedSchedules(Instant now, PlanStats& stats) {
  auto ids = store_.ScheduleIds();
  // Unreadable (wrong type, reported once by planning): which schedules
  // were removed is unknown, so nothing is dropped.
  if (!ids.ok() && !WrongTypeKey(ids.status()).empty()) return Status::OK();
  if (!ids.ok()) return ids.status();
  auto dropped = store_.DropRemovedScheduleJobs(*ids, kScheduleRemoved, UnixMillis(now));
  if (!dropped.ok()) return dropped.status();
  for (const auto& [schedule_id, count] : *dropped) {
    stats.dropped_by_schedule += count;
    // Its dropped jobs come back if it is added again: plan them again then.
    const std::string occurrence_prefix = schedule_id + "@";
    for (auto it = created_.begin(); it != created_.end();) {
      it = it->second.rfind(occurrence_prefix, 0) == 0 ? created_.erase(it) : std::next(it);
    }
    options_.logger->info("schedule {} is no longer in schedules: {} waiting text(s) dropped", schedule_id, count);
  }
  return Status::OK();
}

Result<std::vector<JobSpec>> Scheduler::DropCancelledSession(const PlannableSession& ps, Instant now,
                                                            const Config& config, PlanStats& stats) {
  const Session& s = ps.session;
  stats.cancelled_sessions++;
  // Its dropped jobs come back if it is un-cancelled: plan them again then.
  for (auto it = created_.begin(); it != created_.end();) {
    it = it->second == s.id ? created_.erase(it) : std::next(it);
  }
  auto dropped = store_.CancelSessionJobs(s.id, kSessionCancelled, UnixMillis(now));
  if (!dropped.ok()) return dropped.status();
  stats.dropped += dropped->dropped;
  if (dropped->dropped > 0) {
    options_.logger->info("session {} is cancelled: {} waiting text(s) dropped", s.id, dropped->dropped);
  }
  std::vector<JobSpec> notices;
  for (const std::string& member : dropped->reminded) {
    JobSpec j;
    j.id = CancellationJobId(s.id, member, s.starts_at);
    j.kind = JobKind::kCancelled;
    j.session_id = s.id;
    j.member_id = member;
    j.session_starts_at = s.starts_at;
    j.planned_at = now;
    j.due_at = DueAt(now, now, s.starts_at, ps.zone, config.ForGroup(s.group_id).reminders.quiet_hours);
    notices.push_back(std::move(j));
  }
  stats.notices += static_cast<int>(notices.size());
  return notices;
}

Result<DispatchStats> Scheduler::DispatchDue() {
  DispatchStats total;
  for (int batch = 0; batch < options_.max_batches_per_tick && !Stopping(); ++batch) {
    auto stats = dispatcher_.RunOnce();
    if (!stats.ok()) return stats.status();
    total += *stats;
    Progress();
    if (stats->claimed == 0) break;
  }
  return total;
}

TickStats Scheduler::Tick() {
  TickStats tick;
  const Instant now = options_.clock->NowSeconds();
  auto config = CurrentConfig();
  if (options_.every_tick) options_.every_tick(*config, now);
  Status failure;
  if (!last_plan_ || now - *last_plan_ >= config->reminders.plan_interval) {
    auto plan = PlanOnce(now);
    if (plan.ok()) {
      tick.plan = *plan;
      last_plan_ = now;
      Progress();
    } else {
      failure = plan.status();
    }
  }
  if (failure.ok()) {
    auto dispatched = DispatchDue();
    if (dispatched.ok()) {
      tick.dispatch = *dispatched;
    } else {
      failure = dispatched.status();
    }
  }
  tick.redis_ok = failure.ok() || !failure.IsUnavailable();
  if (failure.ok() && options_.housekeeping &&
      (!last_housekeeping_ || now - *last_housekeeping_ >= options_.housekeeping_interval)) {
    options_.housekeeping(now);
    last_housekeeping_ = now;
  }
  if (!failure.ok()) {
    if (failure.IsUnavailable()) created_.clear();  // Redis may come back empty
    if (redis_was_ok_ || !failure.IsUnavailable()) options_.logger->error("tick failed: {}", failure.ToString());
  } else if (!redis_was_ok_) {
    options_.logger->info("Redis is reachable again; resuming");
  }
  redis_was_ok_ = tick.redis_ok;
  if (options_.on_stats) options_.on_stats(tick);
  if (options_.on_tick) {
    const auto& d = tick.dispatch;
    options_.on_tick(tick.redis_ok ? "sent " + std::to_string(d.sent) + ", skipped " + std::to_string(d.skipped) +
                                         ", retrying " + std::to_string(d.retried) + " this tick"
                                   : "waiting for Redis");
  }
  return tick;
}

void Scheduler::Run() {
  for (;;) {
    Tick();
    std::unique_lock<std::mutex> lock(mu_);
    if (cv_.wait_for(lock, options_.tick, [&] { return stop_ || wake_; }) && stop_) return;
    wake_ = false;
  }
}

bool Scheduler::Stopping() {
  std::lock_guard<std::mutex> lock(mu_);
  return stop_;
}

void Scheduler::Wake() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    wake_ = true;
  }
  cv_.notify_all();
}

void Scheduler::Stop() {
  dispatcher_.StopClaiming();
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
}

}  // namespace checkin
