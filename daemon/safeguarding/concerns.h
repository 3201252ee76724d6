// Concerns: what checkind does when a text says its sender is not safe
// (docs/safeguarding.md). The concern check itself is ConcernClassifier
// (concern_classifier.h); this is what follows it.
//
//   Raise        the concern is recorded (ConcernStore) and its first
//                safeguarding contact alerted at once: a kAlert job whose
//                due time is the epoch, so it is claimed ahead of every
//                reminder, ignores quiet hours and is retried like any text.
//   EscalateDue  run every tick: an open concern whose next step is due
//                alerts its next contact (escalation.h). Each step's job id
//                is a function of (concern, step): one text per contact and
//                step however many daemons run the pass.
//   Acknowledge  a contact's "OK" (or `checkinctl concerns ack`): the first
//                one wins, escalation stops, and every other contact already
//                alerted is told who took it on.
// Logs say "concern raised/alerted/acknowledged" with masked numbers and
// never the words.
//
// Thread-safety: safe for concurrent use (the stores are).
#ifndef CHECKIN_DAEMON_SAFEGUARDING_CONCERNS_H_
#define CHECKIN_DAEMON_SAFEGUARDING_CONCERNS_H_

#include <spdlog/logger.h>

#include <memory>
#include <optional>
#include <string>

#include "checkin/clock.h"
#include "checkin/config.h"
#include "checkin/model.h"
#include "checkin/store.h"
#include "store/concern_store.h"
#include "store/redis_store.h"

namespace checkin {

// Who wrote, and about what (what the reply handler knows of her).
struct ConcernSource {
  std::string message_sid;
  std::string phone;             // E.164 (or as received when it is not a number)
  std::string body;
  std::string language;          // hers, or the default
  const Member* member = nullptr;    // null for an unknown number
  const Group* group = nullptr;      // the group she was last reminded about, if any
  const Session* session = nullptr;  // the session in context, if any
  std::string category;              // what the classifier matched (logged, never the words)
};

struct AcknowledgeResult {
  bool acknowledged = false;  // false: it was taken on before (or unknown)
  Concern concern;            // as it is now
};

class Concerns {
 public:
  struct Options {
    std::shared_ptr<Clock> clock;            // Default: Clock::Real()
    std::shared_ptr<spdlog::logger> logger;  // Default: NullLogger()
  };
  Concerns(Store& store, ConcernStore& concerns, Options options);

  // Records the concern and alerts its first contact; the same message again
  // (Twilio retrying) changes nothing. Returns the concern.
  Result<Concern> Raise(const Config& config, const ConcernSource& source);
  // Alerts the next contact of every open concern whose step is due at
  // `now`; returns how many alerts were created.
  Result<int> EscalateDue(const Config& config, Instant now);
  // `by` is a contact's E.164 number or a name; `now` stamps it.
  Result<AcknowledgeResult> Acknowledge(const Config& config, const std::string& concern_id, const std::string& by,
                                        Instant now);
  // The open concern last alerted to `phone`, if any (an "OK" from her).
  Result<std::optional<std::string>> OpenConcernAlertedTo(const std::string& phone);

 private:
  // Creates the alert jobs of the steps due at `now` not yet alerted.
  Result<int> AlertDueSteps(const Config& config, const Concern& concern, Instant now);

  Store& store_;
  ConcernStore& concerns_;
  Options options_;
};

// The groups in Redis (checkin:group:<id> hashes) that have nobody to alert:
// no safeguarding_phone, no coordinator_phone, and no safeguarding.contacts
// in the config. Scans the keyspace: for start-up and --check-config only.
Result<std::vector<std::string>> GroupsWithoutSafeguardingContact(RedisStore& store, const Config& config);

// The config's safeguarding.phrases compile (with the shipped lists), or the
// classifier's error naming the phrase.
Status CheckConcernPhrases(const Config& config);

}  // namespace checkin

#endif  // CHECKIN_DAEMON_SAFEGUARDING_CONCERNS_H_
