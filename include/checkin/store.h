// Store: where schedules are read and reminder jobs are kept.
//
// Two halves behind one seam:
//  - schema v1 records other systems write (members, groups, sessions,
//    schedules; docs/redis-schema.md), returned as raw field maps and parsed
//    by the caller, so a bad row is reported with its key and skipped;
//  - the job queue that checkind keeps under the same prefix: jobs are created
//    idempotently (deterministic ids), claimed with a lease by one atomic step,
//    and finished only by the lease holder, so several daemons share one
//    Redis and a dead daemon's jobs come back (marked in doubt if it may have
//    sent). Times in the queue are Unix milliseconds.
//
// The concrete adapter is RedisStore (daemon/store/redis_store.cc). Errors:
// Unavailable when Redis cannot be reached (retry later, never drop);
// InvalidArgument when a key holds data of the wrong type: a WrongTypeError
// naming that key, which the caller reports once (BadRecordReporter) and
// skips, like any other record that breaks the schema.
//
// Thread-safety: implementations are safe for concurrent access.
#ifndef CHECKIN_STORE_H_
#define CHECKIN_STORE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "checkin/clock.h"
#include "checkin/status.h"

namespace checkin {

using FieldMap = std::map<std::string, std::string>;
using Millis = int64_t;  // Unix milliseconds

// A key holding another Redis type than the schema gives it (a string where
// a member's hash belongs): InvalidArgument
// "wrong type: <key> holds a <actual>, expected a <expected>".
inline Status WrongTypeError(const std::string& key, const std::string& actual, const std::string& expected) {
  return Status::InvalidArgument("wrong type: " + key + " holds a " + actual + ", expected a " + expected);
}
// The key a WrongTypeError names (also under WithContext), or "" for any
// other status.
inline std::string WrongTypeKey(const Status& status) {
  static const std::string kMarker = "wrong type: ";
  if (!status.IsInvalidArgument()) return "";
  const std::string& m = status.message();
  const size_t at = m.rfind(kMarker);
  if (at == std::string::npos) return "";
  const size_t start = at + kMarker.size();
  const size_t end = m.find(" holds a ", start);
  return end == std::string::npos ? "" : m.substr(start, end - start);
}

// What a job is for; stored in the job as `kind`.
//   kReminder   a check-in text to a member, rendered and checked at send time
//   kForward    a fixed text to a fixed number (an unclear reply forwarded to
//               the group's coordinator): `to` and `body` are in the job
//   kDigest     the headcount to the group's coordinator_phone, counted and
//               rendered at send time (member_id is empty)
//   kFollowUp   a second text to a member who has not answered yet
//   kCancelled  "the session is cancelled", to a member who was reminded
//   kAlert      a safeguarding text to a contact (an alert, or "X has taken it
//               on"): fixed `to` and `body` like kForward, but never held by
//               quiet hours, and due at the epoch so it is claimed first
// Every kind but kForward and kAlert is rendered at send time from the records then.
enum class JobKind { kReminder, kForward, kDigest, kFollowUp, kCancelled, kAlert };
// "reminder", "forward", "digest", "follow_up", "cancelled"
const char* JobKindName(JobKind kind);
std::optional<JobKind> JobKindFromName(const std::string& name);
// Whether the text goes to the job's member (reminder, follow_up, cancelled).
bool IsMemberJob(JobKind kind);
// Whether the job carries its own `to` and `body` (forward, alert).
bool IsFixedTextJob(JobKind kind);

// A job as planned. The id is deterministic (daemon/plan/job_ids.h).
struct JobSpec {
  std::string id;
  JobKind kind = JobKind::kReminder;
  std::string session_id;
  std::string member_id;
  Instant session_starts_at;
  Instant planned_at;
  Instant due_at;
  std::optional<Instant> superseded_at;
  // kForward only. For these, session_starts_at is the time after which the
  // text is no longer worth sending.
  std::string to;    // E.164
  std::string body;  // UTF-8
};

// A job handed to one worker by ClaimDueJobs.
struct ClaimedJob {
  JobSpec spec;
  int attempts = 0;           // send attempts before this claim
  bool in_doubt = false;      // an earlier attempt may have reached Twilio
  Millis first_sending_at = 0;
  Millis last_sending_at = 0;  // the latest attempt (the in-doubt check waits from it)
  std::vector<std::string> doubt_bodies;  // SHA-256 hex of bodies possibly sent
  Millis lease_until = 0;
};

// What one send checks, read in one round trip (Store::ReadForSend). Each
// part is read on its own: a key of the wrong type leaves its part empty and
// says so in its error (a WrongTypeError), the other parts are still read.
struct SendReads {
  FieldMap member;                  // empty when the member does not exist
  FieldMap session;                 // empty when the hash does not exist
  std::optional<std::string> rsvp;  // her answer to that session, if any
  Status member_error;              // the member's key is not a hash
  Status session_error;             // the session's key is not a hash
  Status rsvp_error;                // the session's rsvp key is not a hash: answer unknown
};

// Store::MarkSending can also record, in the same round trip, that a member
// is being reminded (Store::NoteReminded).
struct ReminderNote {
  std::string member_id;
  std::string phone;  // E.164
  std::string session_id;
  Instant at;
};

// How a claimed job ends (or is put back).
struct JobOutcome {
  enum class Kind { kSent, kFailed, kSkipped, kRetry };
  Kind kind = Kind::kRetry;
  std::string sid;            // kSent
  std::string twilio_status;  // kSent
  int segments = 0;           // kSent
  bool reconciled = false;    // kSent found in Twilio's list, not sent again
  int error_code = 0;         // kFailed / kRetry
  std::string reason;         // kFailed / kSkipped / kRetry: safe to log
  Millis next_due = 0;        // kRetry
  bool in_doubt = false;      // kRetry: this attempt may have reached Twilio
  // kRetry: Twilio refused the request before taking the message (an
  // account error): the attempt MarkSending counted is taken back.
  bool not_attempted = false;
};

// What MarkSending found.
enum class MarkSendingResult {
  kLeaseLost,  // not ours any more, or too little lease left: do not send
  kMarked,     // recorded: send now
  kPaused,     // sending is paused (AccountPause) and this job is not the probe: put it back
};

// Twilio refused a send for a reason of the account, the sender or the
// Messaging Service (twilio/errors.h): the same answer awaits every member,
// so no daemon claims anything until `until`; then one job at a time is
// claimed as the probe. The probe sent lifts the pause; refused the same way,
// the pause doubles (up to a cap). Shared by every daemon through Redis.
struct AccountPause {
  int error_code = 0;
  std::string reason;     // the code's meaning, safe to log
  Millis since = 0;       // the first account error of this pause
  Millis until = 0;       // nothing is claimed before; then one probe at a time
  Millis length = 0;      // the current pause: doubles with each failed probe
  int errors = 0;         // the first error and each failed probe
  std::string by;         // the daemon that saw the latest error
  std::string probe_job;  // the job out as the probe, if any...
  Millis probe_until = 0;  // ...until its lease ends
};

// What CancelSessionJobs did for one cancelled session.
struct CancelledSessionJobs {
  int dropped = 0;  // waiting jobs finished as skipped
  // Members who were sent a reminder or follow-up for the session, or may
  // have been (sending, in doubt), sorted.
  std::vector<std::string> reminded;
};

struct QueueStats {
  int64_t due = 0;     // waiting (any time)
  int64_t leased = 0;  // claimed by some daemon
};

// A job in the queue and when it is due (Store::NextDueJobs).
struct WaitingJob {
  std::string id;
  Millis due = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // --- schema v1 (read by everyone, written by other systems) ---
  // Session ids in `sessions` with scores in [from, to], by start time.
  virtual Result<std::vector<std::pair<std::string, Instant>>> SessionsStartingBetween(Instant from, Instant to) = 0;
  virtual Result<std::vector<std::string>> ScheduleIds() = 0;
  // Whether `schedule_id` is in `schedules` (a schedule taken out of the set
  // produces no more occurrences, even while its hash stays).
  virtual Result<bool> ScheduleListed(const std::string& schedule_id) = 0;
  virtual Result<std::vector<std::string>> GroupMemberIds(const std::string& group_id) = 0;
  // Empty map when the hash does not exist.
  virtual Result<FieldMap> SessionFields(const std::string& session_id) = 0;
  virtual Result<FieldMap> GroupFields(const std::string& group_id) = 0;
  virtual Result<FieldMap> MemberFields(const std::string& member_id) = 0;
  virtual Result<FieldMap> ScheduleFields(const std::string& schedule_id) = 0;
  // Many members in one round trip; missing members map to empty maps, a
  // member whose key is not a hash to its WrongTypeError (the others are
  // still read). Fails as a whole only with Unavailable.
  virtual Result<std::map<std::string, Result<FieldMap>>> MembersFields(const std::vector<std::string>& member_ids) = 0;

  // --- written by checkind (and checkinctl) ---
  // "yes", "no", "maybe" or nullopt.
  virtual Result<std::optional<std::string>> Rsvp(const std::string& session_id, const std::string& member_id) = 0;
  // Every answer of the session: member id -> "yes", "no" or "maybe".
  virtual Result<FieldMap> Rsvps(const std::string& session_id) = 0;
  // The register (SPEC "Attendance"): the ids of the members who came to
  // the session, sorted.
  virtual Result<std::vector<std::string>> Attended(const std::string& session_id) = 0;
  // Marks `member_ids` as having come (`came`) or takes them off the
  // register; the register expires at `expire_at` (the session's end plus
  // the retention, like its answers). Returns how many changed.
  virtual Result<int> MarkAttended(const std::string& session_id, const std::vector<std::string>& member_ids,
                                   bool came, Instant expire_at) = 0;
  virtual Status SetOptedOut(const std::string& member_id, bool opted_out) = 0;
  // Remembers that `member_id` (whose number is `phone`, E.164) is being
  // reminded of `session_id` at `at`: replies from that number are matched
  // to the latest such session that has not ended (reply_store.h).
  virtual Status NoteReminded(const std::string& member_id, const std::string& phone, const std::string& session_id,
                              Instant at) = 0;
  // The member's record, the session's record and her answer to it, in one
  // round trip (the checks at send time); fails only with Unavailable.
  virtual Result<SendReads> ReadForSend(const std::string& member_id, const std::string& session_id) = 0;
  // `checkinctl cancel`: writes status=cancelled into the session's hash (for
  // an occurrence of a schedule, its override hash), nothing else; planning
  // then sees it and calls CancelSessionJobs.
  virtual Status MarkSessionCancelled(const std::string& session_id) = 0;

  // --- job queue ---
  // Creates the jobs that do not exist yet; returns how many were created.
  virtual Result<int> CreateJobs(const std::vector<JobSpec>& jobs, Millis now) = 0;
  // Returns expired leases to the queue (in doubt if they were sending), then
  // claims up to `limit` jobs due at `now` for `owner` until now + lease.
  // While an AccountPause is on it claims nothing before the pause's `until`,
  // and after it one job (the probe) when no other probe is out.
  virtual Result<std::vector<ClaimedJob>> ClaimDueJobs(Millis now, Millis lease, const std::string& owner,
                                                       int limit) = 0;
  // Marks the job as being sent (attempts + 1, body hash remembered) and
  // extends its lease to at least now + `request_window`, so nobody can take
  // the job while the request may be in flight. kLeaseLost when another
  // daemon holds it now: do not send.
  // With `note`, NoteReminded is sent in the same round trip (recorded even
  // when the mark fails: harmless, whoever holds the job sends it).
  // kPaused (nothing recorded) when an AccountPause is on and this job is not
  // its probe.
  virtual Result<MarkSendingResult> MarkSending(const std::string& job_id, const std::string& owner, Millis now,
                                                Millis request_window, const std::string& body_sha256,
                                                const std::optional<ReminderNote>& note = std::nullopt) = 0;
  // The heartbeat: the leases of the jobs `owner` still holds among `job_ids`
  // move to now + lease (never shorter), the account pause's probe slot with
  // them. Returns how many were renewed.
  virtual Result<int> RenewLeases(const std::vector<std::string>& job_ids, const std::string& owner, Millis now,
                                  Millis lease) = 0;
  // A stopping daemon's jobs that it claimed but never started sending go
  // back to the queue at once, at their due time. Returns how many.
  virtual Result<int> ReleaseJobs(const std::vector<std::string>& job_ids, const std::string& owner) = 0;
  // Records the outcome. False when the lease was lost (someone else owns it).
  // For the probe of an AccountPause: sent (not reconciled) lifts the pause;
  // any other outcome frees the probe for another job.
  virtual Result<bool> FinishJob(const std::string& job_id, const std::string& owner, const JobOutcome& outcome,
                                 Millis now) = 0;
  virtual Result<FieldMap> JobFields(const std::string& job_id) = 0;
  // A session was cancelled: in one atomic step, its waiting reminders,
  // follow-ups and digest are finished as skipped with `reason` (they come
  // back if the session is planned again), and the members already reminded
  // of it are returned. Jobs leased right now are left to their holder,
  // which checks the session again before sending.
  virtual Result<CancelledSessionJobs> CancelSessionJobs(const std::string& session_id, const std::string& reason,
                                                         Millis now) = 0;
  // Schedules removed from `schedules`: every schedule that has jobs
  // planned for its occurrences but is not among `schedule_ids` (the ids in
  // `schedules` now) has its waiting jobs finished as skipped with `reason`,
  // one atomic step per schedule, as CancelSessionJobs does (they come back
  // if the schedule is added again). Jobs leased right now are left to
  // their holder. Returns schedule id -> jobs dropped, for each schedule
  // that had planned jobs and is gone.
  virtual Result<std::map<std::string, int>> DropRemovedScheduleJobs(const std::vector<std::string>& schedule_ids,
                                                                     const std::string& reason, Millis now) = 0;

  // --- one send rate for every daemon together (twilio.max_per_second) ---
  // Takes `cost` tokens (SMS segments) from the shared bucket, refilled at
  // `per_second` and holding one second's worth (at least 1): 0 when
  // granted, else how long to wait (ms) before there will be enough.
  // Nothing is taken then.
  virtual Result<Millis> TakeSendTokens(double cost, double per_second, Millis now) = 0;
  // A safeguarding alert: takes `cost` at once, into debt if need be, so the
  // alert never waits for the rate; the texts after it wait instead.
  virtual Status BorrowSendTokens(double cost, double per_second, Millis now) = 0;
  // Twilio answered 429: every daemon waits `pause` before the next send.
  virtual Status PauseSending(Millis pause, double per_second, Millis now) = 0;

  // --- the account pause, shared by every daemon (AccountPause) ---
  // Twilio answered `job_id`'s send, begun at `now`, with an account error.
  // No pause yet: one of `first` ms begins, unless the job began before the
  // latest LiftAccountPause (sent with the credentials a reload replaced).
  // The job was the probe: the pause doubles, at most to `max`. Otherwise
  // (the request was in flight when the pause began) nothing changes.
  // Returns the pause as it is now (`until` 0: none).
  virtual Result<AccountPause> PauseForAccountError(const std::string& job_id, int error_code,
                                                    const std::string& reason, Millis first, Millis max, Millis now,
                                                    const std::string& owner) = 0;
  virtual Result<std::optional<AccountPause>> CurrentAccountPause() = 0;
  // Ends the pause at once (SIGHUP, at `now`); true when there was one.
  virtual Result<bool> LiftAccountPause(Millis now) = 0;
  virtual Result<QueueStats> Stats() = 0;
  // The `limit` waiting jobs due first (overdue ones included), by due time.
  virtual Result<std::vector<WaitingJob>> NextDueJobs(int limit) = 0;
  virtual Status Ping() = 0;
};

}  // namespace checkin

#endif  // CHECKIN_STORE_H_
