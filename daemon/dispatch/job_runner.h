// RunJob: what happens to one claimed job, exactly once.
//
// Every kind goes through the same steps (docs/delivery.md); only step 1,
// "still wanted, and what text", is per kind:
//   1. check again at send time, else skipped with the reason, nothing sent:
//      - reminder, follow_up, cancelled, digest: the rules of
//        plan/send_rules.h (opted out, session cancelled, moved or started,
//        answered), shared with `checkinctl preview`; a member or session
//        gone or unreadable; for reminders and follow-ups, a later text of
//        the session also due (overdue collapse);
//      - digest: also the group without a coordinator_phone; the headcount
//        is read now (AttendanceReader) so the coordinator gets the latest
//        answers, in default_language;
//      - forward (a reply passed on to a coordinator): only its deadline;
//      - alert (safeguarding): only its deadline, and step 2 does not apply.
//      The member kinds and the digest are rendered now, from the records
//      as they are now;
//   2. quiet hours now -> put back until they end (if before the session);
//   3. in doubt (an earlier attempt may have reached Twilio) -> look for the
//      message in Twilio's list; found -> recorded as sent, not sent again;
//   4. the shared send rate (a Redis token bucket for every daemon, in SMS
//      segments): no token -> back in the queue until there is one; a
//      safeguarding alert borrows its tokens and goes at once (the texts
//      after it wait);
//   5. MarkSending (attempt and body hash recorded before the request), then
//      one Send;
//      While sending is paused for the account (AccountPause in
//      checkin/store.h) MarkSending refuses every job but the pause's probe:
//      the job goes back to the queue at its own due time, so safeguarding
//      alerts still come first when the pause lifts;
//   6. accepted -> sent with sid/status/segments; permanent error -> failed
//      with the reason (21610 also sets the member's opted_out); retryable ->
//      back in the queue after backoff (Retry-After honoured), until
//      twilio.max_attempts; a 429 also pauses every daemon (PauseSending);
//      account error (wrong token, a From that cannot send, ...; see
//      twilio/errors.h) -> back in the queue unattempted (the attempt is
//      taken back, nothing in doubt), and every daemon pauses
//      (PauseForAccountError: twilio.account_pause_seconds, doubling with
//      each failed probe up to twilio.account_pause_max_seconds).
// Redis being down at any step leaves the job leased: the lease ends and the
// job comes back, in doubt if it may have been sent. Nothing is dropped.
//
// Thread-safety: RunJob may run on many threads at once, each with its own
// SmsSender and random generator.
#ifndef CHECKIN_DAEMON_JOB_RUNNER_H_
#define CHECKIN_DAEMON_JOB_RUNNER_H_

#include <spdlog/logger.h>

#include <chrono>
#include <memory>
#include <random>
#include <string>

#include "checkin/clock.h"
#include "checkin/config.h"
#include "checkin/sms_sender.h"
#include "checkin/store.h"
#include "dispatch/retry_policy.h"
#include "schema/session_source.h"

namespace checkin {

struct DispatchStats {
  int claimed = 0;
  int sent = 0;
  int reconciled = 0;  // in doubt, found at Twilio, not sent again
  int skipped = 0;
  int failed = 0;
  int retried = 0;
  int deferred = 0;  // put back by the shared send rate (twilio.max_per_second)
  int lost = 0;  // lease lost or Redis unavailable mid-job: the lease brings it back
  int paused = 0;  // put back unattempted: Twilio refused the account, or sending is paused for it
  // Twilio answers that were not an acceptance, by kind.
  int twilio_429 = 0;
  int twilio_5xx = 0;
  int twilio_network = 0;  // no HTTP answer: connection error or timeout
  int twilio_permanent = 0;
  int twilio_account = 0;  // refused for the account, the sender or the Messaging Service
  DispatchStats& operator+=(const DispatchStats& o);
};

struct JobRunnerOptions {
  std::string owner;                       // unique per daemon instance
  std::shared_ptr<Clock> clock;            // Default: Clock::Real()
  std::shared_ptr<spdlog::logger> logger;  // Default: NullLogger()
  BackoffPolicy backoff;
  // How long an in-doubt job waits before Twilio's list is read, and how
  // long a job waits when Redis or the list cannot be read, come from the
  // config (twilio.reconcile_after_seconds, twilio.unavailable_retry_seconds).
};

struct JobContext {
  const JobRunnerOptions& options;
  const Config& config;
  Store& store;
  SessionSource& sessions;
  SmsSender& sender;
  std::mt19937_64& rng;
};

DispatchStats RunJob(const ClaimedJob& job, JobContext& ctx);

}  // namespace checkin

#endif  // CHECKIN_DAEMON_JOB_RUNNER_H_
