// RedisStore: the Store (include/checkin/store.h) over Redis.
//
// Key layout under the configured prefix P (default "checkin:"); the public
// ones are schema v1 (docs/redis-schema.md), the rest are checkind's own:
//   P member:<id>            hash   (schema v1)
//   P group:<id>             hash   (schema v1)
//   P group:<id>:members     set    (schema v1)
//   P session:<id>           hash   (schema v1)
//   P session:<id>:rsvp      hash   (written by checkind)
//   P session:<id>:attended  set    member ids who came (the register)
//   P sessions               zset   (schema v1)
//   P schedule:<id>          hash   (schema v1)
//   P schedules              set    (schema v1)
//   P reminded:<member_id>   zset   session id -> reminder time (Unix s)
//   P phone:<e164>           set    member ids reminded at that number
//   P inbox                  stream replies for a coordinator (schema v1)
//   P reply:<MessageSid>     string the TwiML answered (duplicate webhooks)
//   P {jobs}:due             zset   job id -> due (Unix ms)
//   P {jobs}:leases          zset   job id -> lease end (Unix ms)
//   P {jobs}:job:<job_id>    hash   one job (docs/redis-schema.md)
//   P {jobs}:member:<id>     set    a member's jobs not yet finished
//   P {jobs}:session:<id>    set    a session's reminder, follow-up and digest
//                                   jobs, finished or not (cancellation)
//   P {jobs}:schedule:<id>   set    the session ids planned from a schedule
//   P {jobs}:schedules       set    schedules with planned jobs (a schedule
//                                   gone from `schedules` drops its waiting
//                                   jobs: drop_schedule_jobs.lua)
//   P {jobs}:sid:<sid>       string job id of a sent message (status callbacks)
//   P {jobs}:early:<sid>     hash   a status callback that came before the sid
//                                   was recorded
//   P {jobs}:ratelimit       hash   the send-rate token bucket {tokens, at}
//   P {jobs}:twilio_pause    hash   the account pause (AccountPause); absent,
//                                   or only {lifted_at} for an hour after a
//                                   reload lifted it, when sending is not paused
//
// Thread-safety: safe for concurrent access (RedisClient pools connections).
#ifndef CHECKIN_DAEMON_REDIS_STORE_H_
#define CHECKIN_DAEMON_REDIS_STORE_H_

#include <chrono>
#include <memory>
#include <string>

#include "checkin/store.h"
#include "store/job_record.h"
#include "store/redis_client.h"

namespace checkin {

// The key names, in one place.
class RedisKeys {
 public:
  explicit RedisKeys(std::string prefix) : p_(std::move(prefix)) {}
  const std::string& prefix() const { return p_; }
  std::string Member(const std::string& id) const { return p_ + "member:" + id; }
  std::string Group(const std::string& id) const { return p_ + "group:" + id; }
  std::string GroupMembers(const std::string& id) const { return p_ + "group:" + id + ":members"; }
  std::string Session(const std::string& id) const { return p_ + "session:" + id; }
  std::string SessionRsvp(const std::string& id) const { return p_ + "session:" + id + ":rsvp"; }
  std::string SessionAttended(const std::string& id) const { return p_ + "session:" + id + ":attended"; }
  std::string Sessions() const { return p_ + "sessions"; }
  std::string Schedule(const std::string& id) const { return p_ + "schedule:" + id; }
  std::string Schedules() const { return p_ + "schedules"; }
  std::string Reminded(const std::string& member_id) const { return p_ + "reminded:" + member_id; }
  std::string Phone(const std::string& e164) const { return p_ + "phone:" + e164; }
  std::string Inbox() const { return p_ + "inbox"; }
  std::string ReplySeen(const std::string& message_sid) const { return p_ + "reply:" + message_sid; }
  std::string QueuePrefix() const { return p_ + "{jobs}:"; }  // for scripts
  std::string RateBucket() const { return p_ + "{jobs}:ratelimit"; }
  std::string AccountPause() const { return p_ + "{jobs}:twilio_pause"; }
  std::string DueQueue() const { return p_ + "{jobs}:due"; }
  std::string Leases() const { return p_ + "{jobs}:leases"; }
  std::string JobPrefix() const { return p_ + "{jobs}:job:"; }
  std::string Job(const std::string& id) const { return JobPrefix() + id; }
  std::string MemberJobs(const std::string& member_id) const { return p_ + "{jobs}:member:" + member_id; }
  std::string SessionJobs(const std::string& session_id) const { return p_ + "{jobs}:session:" + session_id; }
  std::string PlannedSchedules() const { return p_ + "{jobs}:schedules"; }
  std::string SidJob(const std::string& sid) const { return p_ + "{jobs}:sid:" + sid; }
  std::string EarlyStatus(const std::string& sid) const { return p_ + "{jobs}:early:" + sid; }

 private:
  std::string p_;
};

// A failed command on `key`, which the schema says is a `expected` ("hash",
// "set", "sorted set", "stream"): Redis's WRONGTYPE becomes a WrongTypeError
// (checkin/store.h) naming the key and what it holds (asked with TYPE);
// anything else keeps its code, with the key as context.
Status KeyError(RedisClient& client, const Status& error, const std::string& key, const std::string& expected);

struct RedisStoreOptions {
  RedisOptions redis;
  std::string prefix = "checkin:";
  std::chrono::seconds job_retention{std::chrono::hours(24 * 90)};  // finished job records, reply context
};

class RedisStore final : public Store {
 public:
  // Does not require Redis to be up yet: calls return Unavailable until it is.
  static Result<std::unique_ptr<RedisStore>> Create(RedisStoreOptions options);

  // For the Redis-specific code beside it (RedisReplyStore, privacy.h,
  // checkinctl's transactional import): everything else goes through Store.
  const RedisKeys& keys() const { return keys_; }
  RedisClient& client() { return *client_; }

  Result<std::vector<std::pair<std::string, Instant>>> SessionsStartingBetween(Instant from, Instant to) override;
  Result<std::vector<std::string>> ScheduleIds() override;
  Result<bool> ScheduleListed(const std::string& schedule_id) override;
  Result<std::vector<std::string>> GroupMemberIds(const std::string& group_id) override;
  Result<FieldMap> SessionFields(const std::string& session_id) override;
  Result<FieldMap> GroupFields(const std::string& group_id) override;
  Result<FieldMap> MemberFields(const std::string& member_id) override;
  Result<FieldMap> ScheduleFields(const std::string& schedule_id) override;
  Result<std::map<std::string, Result<FieldMap>>> MembersFields(const std::vector<std::string>& member_ids) override;

  Result<std::optional<std::string>> Rsvp(const std::string& session_id, const std::string& member_id) override;
  Result<FieldMap> Rsvps(const std::string& session_id) override;
  Result<std::vector<std::string>> Attended(const std::string& session_id) override;
  Result<int> MarkAttended(const std::string& session_id, const std::vector<std::string>& member_ids, bool came,
                           Instant expire_at) override;
  Status SetOptedOut(const std::string& member_id, bool opted_out) override;
  Status NoteReminded(const std::string& member_id, const std::string& phone, const std::string& session_id,
                      Instant at) override;
  Result<SendReads> ReadForSend(const std::string& member_id, const std::string& session_id) override;
  Status MarkSessionCancelled(const std::string& session_id) override;

  Result<int> CreateJobs(const std::vector<JobSpec>& jobs, Millis now) override;
  Result<std::vector<ClaimedJob>> ClaimDueJobs(Millis now, Millis lease, const std::string& owner,
                                               int limit) override;
  Result<MarkSendingResult> MarkSending(const std::string& job_id, const std::string& owner, Millis now,
                                        Millis request_window, const std::string& body_sha256,
                                        const std::optional<ReminderNote>& note = std::nullopt) override;
  Result<int> RenewLeases(const std::vector<std::string>& job_ids, const std::string& owner, Millis now,
                          Millis lease) override;
  Result<int> ReleaseJobs(const std::vector<std::string>& job_ids, const std::string& owner) override;
  Result<bool> FinishJob(const std::string& job_id, const std::string& owner, const JobOutcome& outcome,
                         Millis now) override;
  Result<FieldMap> JobFields(const std::string& job_id) override;
  Result<CancelledSessionJobs> CancelSessionJobs(const std::string& session_id, const std::string& reason,
                                                 Millis now) override;
  Result<std::map<std::string, int>> DropRemovedScheduleJobs(const std::vector<std::string>& schedule_ids,
                                                             const std::string& reason, Millis now) override;
  Result<Millis> TakeSendTokens(double cost, double per_second, Millis now) override;
  Status BorrowSendTokens(double cost, double per_second, Millis now) override;
  Status PauseSending(Millis pause, double per_second, Millis now) override;
  Result<AccountPause> PauseForAccountError(const std::string& job_id, int error_code, const std::string& reason,
                                            Millis first, Millis max, Millis now, const std::string& owner) override;
  Result<std::optional<AccountPause>> CurrentAccountPause() override;
  Result<bool> LiftAccountPause(Millis now) override;
  Result<QueueStats> Stats() override;
  Result<std::vector<WaitingJob>> NextDueJobs(int limit) override;
  Status Ping() override;

 private:
  RedisStore(RedisStoreOptions options, std::unique_ptr<RedisClient> client);
  Result<FieldMap> HashFields(const std::string& key);
  // rate_limit.lua in `mode` ("take", "borrow" or "pause") for `amount`.
  Result<Millis> RateLimit(const char* mode, const std::string& amount, double per_second, Millis now);
  Result<std::vector<std::string>> SetMembers(const std::string& key);
  // Runs a queue script whose ARGV ends with job ids (renew_leases,
  // release_jobs); returns its count. Nothing to do without ids.
  Result<int> EvalOverJobIds(const RedisScript& script, const std::vector<std::string>& keys,
                             std::vector<std::string> args, const std::vector<std::string>& job_ids);

  RedisStoreOptions options_;
  // NoteReminded's commands (also sent after MarkSending's script).
  std::vector<std::vector<std::string>> NoteCommands(const ReminderNote& note) const;

  RedisKeys keys_;
  std::unique_ptr<RedisClient> client_;
};

}  // namespace checkin

#endif  // CHECKIN_DAEMON_REDIS_STORE_H_
