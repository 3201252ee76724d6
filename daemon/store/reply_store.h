// RedisReplyStore: the ReplyStore (include/checkin/reply_store.h) over
// Redis, sharing a RedisStore's connections and key prefix.
//
//   - who is at a number: P phone:<e164> (set of member ids, written when a
//     reminder is sent, Store::NoteReminded);
//   - what she was reminded of: P reminded:<member> (session -> when);
//   - answers: P session:<id>:rsvp (schema v1, latest answer wins) and the
//     inbox stream P inbox (schema v1 fields plus `from` and `reason`);
//   - webhooks processed once: P reply:<MessageSid> holds the TwiML that was
//     answered ("" while a claim is in progress);
//   - opt-out: the member's waiting jobs are cancelled (cancel_jobs.lua);
//   - status callbacks: delivery_status.lua records them on the job, never
//     moving a final state back (delivery_status.h ranks).
// Key names are RedisKeys (redis_store.h); docs/redis-schema.md has them all.
//
// Thread-safety: safe for concurrent access (RedisClient pools connections).
#ifndef CHECKIN_DAEMON_REDIS_REPLY_STORE_H_
#define CHECKIN_DAEMON_REDIS_REPLY_STORE_H_

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "checkin/reply_store.h"
#include "store/redis_client.h"
#include "store/redis_store.h"

namespace checkin {

struct RedisReplyStoreOptions {
  std::chrono::seconds retention{std::chrono::hours(24 * 90)};  // reply context, job records
  std::chrono::seconds dedupe_for{std::chrono::hours(24 * 7)};   // MessageSids remembered
  std::chrono::milliseconds claim_hold{std::chrono::seconds(30)};  // a crashed handler's claim ends
  int64_t inbox_max_entries = 100000;                             // stream trimmed beyond (approx.)
};

class RedisReplyStore final : public ReplyStore {
 public:
  // `store` must outlive this.
  explicit RedisReplyStore(RedisStore& store, RedisReplyStoreOptions options = {});

  Result<std::vector<std::string>> MembersAtPhone(const std::string& phone) override;
  Status ForgetMemberAtPhone(const std::string& phone, const std::string& member_id) override;
  Result<std::vector<std::pair<std::string, Instant>>> RemindedSessions(const std::string& member_id,
                                                                        int limit) override;
  Result<MessageClaim> ClaimMessage(const std::string& message_sid) override;
  Status FinishMessage(const std::string& message_sid, const std::string& answer) override;
  Status ReleaseMessage(const std::string& message_sid) override;
  Status SetRsvp(const std::string& session_id, const std::string& member_id, const std::string& intent,
                 Instant expire_at) override;
  Status AppendInbox(const InboxEntry& entry) override;
  Result<std::vector<InboxEntry>> RecentInbox(int limit) override;
  Result<int> CancelMemberJobs(const std::string& member_id, const std::string& reason, Millis now) override;
  Result<int> RecordDeliveryStatus(const std::string& sid, const std::string& status, int error_code,
                                   const std::string& meaning, Millis now) override;

 private:
  RedisClient& client_;
  RedisKeys keys_;
  RedisReplyStoreOptions options_;
};

}  // namespace checkin

#endif  // CHECKIN_DAEMON_REDIS_REPLY_STORE_H_
