// ReplyStore: the Redis side of replies and status callbacks.
//
//   - who is at a number: P phone:<e164> (set of member ids, written when a
//     reminder is sent, Store::NoteReminded), checked against the member's
//     record so a number that changed hands is not trusted;
//   - what she was reminded of: P reminded:<member> (session -> when);
//   - answers: P session:<id>:rsvp (schema v1, latest answer wins) and the
//     inbox stream P inbox (schema v1 fields plus `from` and `reason`);
//   - webhooks processed once: P reply:<MessageSid> holds the TwiML that was
//     answered, so a retried webhook gets the same answer and changes nothing;
//   - opt-out: the member's waiting jobs are cancelled (cancel_jobs.lua);
//   - status callbacks: delivery_status.lua records them on the job, never
//     moving a final state back (delivery_status.h ranks).
// Key names are RedisKeys (redis_store.h); docs/redis-schema.md has them all.
//
// Thread-safety: safe for concurrent access (RedisClient pools connections).
#ifndef CHECKIN_DAEMON_REPLY_STORE_H_
#define CHECKIN_DAEMON_REPLY_STORE_H_

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "checkin/clock.h"
#include "checkin/status.h"
#include "checkin/store.h"
#include "store/redis_client.h"
#include "store/redis_store.h"

namespace checkin {

struct InboxEntry {
  std::string id;       // stream id ("1764000000000-0"), set when read back
  std::string member;   // member id, "" for an unknown number
  std::string group;    // "" when unknown
  std::string session;  // "" when no session was in context
  std::string body;
  std::string from;         // E.164 as received
  std::string reason;       // unclear, no_session, unknown_sender, help
  std::string received_at;  // RFC 3339 UTC
};

// How ClaimMessage found a MessageSid.
struct MessageClaim {
  enum class Kind { kNew, kDone, kInProgress };
  Kind kind = Kind::kNew;
  std::string answer;  // kDone: the TwiML answered the first time
};

class ReplyStore {
 public:
  struct Options {
    std::chrono::seconds retention{std::chrono::hours(24 * 90)};  // reply context, job records
    std::chrono::seconds dedupe_for{std::chrono::hours(24 * 7)};   // MessageSids remembered
    std::chrono::milliseconds claim_hold{std::chrono::seconds(30)};  // a crashed handler's claim ends
    int64_t inbox_max_entries = 100000;                             // stream trimmed beyond (approx.)
  };
  ReplyStore(RedisClient& client, RedisKeys keys, Options options);

  // Members reminded at `phone` (E.164), any number of them.
  Result<std::vector<std::string>> MembersAtPhone(const std::string& phone);
  // Drops `member_id` from the number's set (the member's number changed).
  Status ForgetMemberAtPhone(const std::string& phone, const std::string& member_id);
  // Sessions `member_id` was reminded of, latest reminder first.
  Result<std::vector<std::pair<std::string, Instant>>> RemindedSessions(const std::string& member_id, int limit);

  // Claims a webhook's MessageSid for processing (kNew), or says it was
  // processed (kDone, with the answer) or is being processed (kInProgress).
  Result<MessageClaim> ClaimMessage(const std::string& message_sid);
  // Records the answer; later duplicates get it back.
  Status FinishMessage(const std::string& message_sid, const std::string& answer);
  // Gives the claim up after a failure, so Twilio's retry is processed.
  Status ReleaseMessage(const std::string& message_sid);

  // The session's answers expire at `expire_at` (its end plus the retention).
  Status SetRsvp(const std::string& session_id, const std::string& member_id, const std::string& intent,
                 Instant expire_at);
  Status AppendInbox(const InboxEntry& entry);
  // The latest `limit` inbox entries, newest first.
  Result<std::vector<InboxEntry>> RecentInbox(int limit);
  // Finishes the member's waiting jobs as skipped; returns how many.
  Result<int> CancelMemberJobs(const std::string& member_id, const std::string& reason, Millis now);

  // Records a status callback. Returns 1 when recorded on its job, 2 when
  // kept until the send's answer is recorded, 0 when not newer (ignored).
  // `meaning` explains error_code ("30003 unreachable destination handset").
  Result<int> RecordDeliveryStatus(const std::string& sid, const std::string& status, int error_code,
                                   const std::string& meaning, Millis now);

 private:
  RedisClient& client_;
  RedisKeys keys_;
  Options options_;
};

}  // namespace checkin

#endif  // CHECKIN_DAEMON_REPLY_STORE_H_
