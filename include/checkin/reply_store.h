// ReplyStore: what the reply side keeps, behind one seam as Store
// (store.h) is for schedules and jobs.
//
//   - who is at a number: the members reminded at it (Store::NoteReminded
//     writes them), which the caller checks against each member's record,
//     so a number that changed hands is not trusted;
//   - what she was reminded of, latest first;
//   - answers (schema v1 session rsvp: the latest wins) and the inbox, the
//     replies a person has to read (schema v1);
//   - webhooks processed once: a MessageSid is claimed, then finished with
//     the answer given, so Twilio retrying gets the same answer and changes
//     nothing;
//   - opt-out: the member's waiting jobs are cancelled;
//   - status callbacks, recorded on the job they are about, never moving a
//     final state back.
//
// The concrete adapter is RedisReplyStore (daemon/store/reply_store.h),
// sharing RedisStore's connections and keys. Errors: Unavailable when Redis
// cannot be reached (retry later, never drop); InvalidArgument when a key
// holds data of the wrong type.
//
// Thread-safety: implementations are safe for concurrent access.
#ifndef CHECKIN_REPLY_STORE_H_
#define CHECKIN_REPLY_STORE_H_

#include <string>
#include <utility>
#include <vector>

#include "checkin/clock.h"
#include "checkin/status.h"
#include "checkin/store.h"

namespace checkin {

// One reply in the inbox (schema v1 fields plus `from` and `reason`).
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
  virtual ~ReplyStore() = default;

  // Members reminded at `phone` (E.164), any number of them.
  virtual Result<std::vector<std::string>> MembersAtPhone(const std::string& phone) = 0;
  // Drops `member_id` from the number's members (her number changed).
  virtual Status ForgetMemberAtPhone(const std::string& phone, const std::string& member_id) = 0;
  // Sessions `member_id` was reminded of, latest reminder first.
  virtual Result<std::vector<std::pair<std::string, Instant>>> RemindedSessions(const std::string& member_id,
                                                                                int limit) = 0;

  // Claims a webhook's MessageSid for processing (kNew), or says it was
  // processed (kDone, with the answer) or is being processed (kInProgress).
  // A claim a crashed handler never finished ends by itself.
  virtual Result<MessageClaim> ClaimMessage(const std::string& message_sid) = 0;
  // Records the answer; later duplicates get it back.
  virtual Status FinishMessage(const std::string& message_sid, const std::string& answer) = 0;
  // Gives the claim up after a failure, so Twilio's retry is processed.
  virtual Status ReleaseMessage(const std::string& message_sid) = 0;

  // The session's answers expire at `expire_at` (its end plus the retention).
  virtual Status SetRsvp(const std::string& session_id, const std::string& member_id, const std::string& intent,
                         Instant expire_at) = 0;
  virtual Status AppendInbox(const InboxEntry& entry) = 0;
  // The latest `limit` inbox entries, newest first.
  virtual Result<std::vector<InboxEntry>> RecentInbox(int limit) = 0;
  // Finishes the member's waiting jobs as skipped; returns how many.
  virtual Result<int> CancelMemberJobs(const std::string& member_id, const std::string& reason, Millis now) = 0;

  // Records a status callback. Returns 1 when recorded on its job, 2 when
  // kept until the send's answer is recorded, 0 when not newer (ignored).
  // `meaning` explains error_code ("30003 unreachable destination handset").
  virtual Result<int> RecordDeliveryStatus(const std::string& sid, const std::string& status, int error_code,
                                           const std::string& meaning, Millis now) = 0;
};

}  // namespace checkin

#endif  // CHECKIN_REPLY_STORE_H_
