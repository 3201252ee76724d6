// ConcernStore: the Redis side of safeguarding concerns (docs/safeguarding.md).
//
//   P concerns                 stream  one entry per concern (SPEC): concern,
//                                      member, phone, group, session, body,
//                                      language, received_at
//   P concern:<id>             hash    its state (SPEC: state raised |
//                                      acknowledged, alerted, acknowledged_by,
//                                      acknowledged_at) and what escalation
//                                      needs (raised_at ms, contacts, name,
//                                      group, stream id)
//   P concerns:open            zset    open concern id -> when its next alert
//                                      step falls due (Unix ms)
//   P concerns:alerted:<e164>  zset    concern id -> when that contact was
//                                      alerted (an "OK" from her number
//                                      acknowledges the latest open one)
// A concern id is derived from the inbound MessageSid, so a webhook Twilio
// retries raises nothing twice. Retention: acknowledged concerns older than
// retention_days are deleted by Trim; open ones never are.
//
// Thread-safety: safe for concurrent access (RedisClient pools connections).
#ifndef CHECKIN_DAEMON_STORE_CONCERN_STORE_H_
#define CHECKIN_DAEMON_STORE_CONCERN_STORE_H_

#include <optional>
#include <string>
#include <vector>

#include "checkin/status.h"
#include "checkin/store.h"
#include "store/redis_client.h"
#include "store/redis_store.h"

namespace checkin {

struct Concern {
  std::string id;
  std::string member;    // member id, "" for an unknown number
  std::string name;      // her first name, "" when unknown
  std::string phone;     // E.164 as received
  std::string group;     // "" when unknown
  std::string session;   // "" when no session was in context
  std::string body;
  std::string language;
  std::string received_at;  // RFC 3339 UTC
  Millis raised_at = 0;
  std::vector<std::string> contacts;  // who is alerted, in order (escalation.h)
  // State.
  std::string state = "raised";        // raised | acknowledged
  std::vector<std::string> alerted;    // contacts alerted so far, in order
  std::string acknowledged_by;         // a contact's number, or a name from checkinctl
  std::string acknowledged_at;         // RFC 3339 UTC
  bool open() const { return state == "raised"; }
};

// The concern id for an inbound message: 16 hex characters of SHA-256.
std::string ConcernIdFor(const std::string& message_sid);

class ConcernStore {
 public:
  explicit ConcernStore(RedisStore& store);

  // Records a new concern (stream entry, state, open index with its first
  // step due at raised_at). False when this id was recorded before.
  Result<bool> Raise(const Concern& concern);
  // nullopt when there is no such concern.
  Result<std::optional<Concern>> Get(const std::string& id);
  // Open concerns whose next alert step is due at `now`, oldest first.
  Result<std::vector<std::string>> DueForEscalation(Millis now, int limit);
  // When the next step falls due; nullopt: the ladder is exhausted (the
  // concern stays open and listed, but is alerted no more).
  Status SetNextAlert(const std::string& id, std::optional<Millis> at);
  // `contact` was alerted (her alert job exists) at `at`.
  Status NoteAlerted(const std::string& id, const std::string& contact, Millis at);
  // The open concern most recently alerted to `phone`, if any.
  Result<std::optional<std::string>> LatestOpenAlertedTo(const std::string& phone);
  // raised -> acknowledged, once: false when it was acknowledged already
  // (or does not exist).
  Result<bool> Acknowledge(const std::string& id, const std::string& by, const std::string& at);
  // Every open concern (at most `limit`), oldest first: the dashboard's list.
  Result<std::vector<Concern>> Open(int limit);
  // Every open concern, then the latest acknowledged ones, `limit` in all.
  Result<std::vector<Concern>> List(int limit);
  Result<int64_t> CountOpen();
  // Deletes acknowledged concerns raised before `older_than` (Unix ms).
  Result<int64_t> Trim(Millis older_than);

  std::string StreamKey() const { return prefix_ + "concerns"; }
  std::string StateKey(const std::string& id) const { return prefix_ + "concern:" + id; }

 private:
  std::string OpenKey() const { return prefix_ + "concerns:open"; }
  std::string AlertedKey(const std::string& phone) const { return prefix_ + "concerns:alerted:" + phone; }

  RedisClient& client_;
  std::string prefix_;
};

}  // namespace checkin

#endif  // CHECKIN_DAEMON_STORE_CONCERN_STORE_H_
