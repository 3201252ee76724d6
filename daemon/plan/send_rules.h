// Whether a planned text is still wanted at the moment it would be sent.
//
// Planning decides when a text goes; these rules decide, when its time
// comes, whether it still should, from the records as they are then. One
// pure function serves checkind's job runner (which skips the job with the
// first reason) and `checkinctl preview` (which tells the coordinator every
// reason), so the two cannot disagree.
//
//   kind         blocked when
//   reminder     opted out, session cancelled, moved or started, answered no
//   follow_up    opted out, session cancelled, moved or started, answered at all
//   cancelled    opted out, session no longer cancelled, or started
//   digest       session cancelled, moved or started (no member)
// Retries that are not refusals (quiet hours, the send rate, a later text of
// the same session being due too) belong to the job runner.
//
// Thread-safety: pure functions.
#ifndef CHECKIN_DAEMON_PLAN_SEND_RULES_H_
#define CHECKIN_DAEMON_PLAN_SEND_RULES_H_

#include <optional>
#include <string>
#include <vector>

#include "checkin/clock.h"
#include "checkin/model.h"
#include "checkin/store.h"

namespace checkin {

enum class SendBlock {
  kOptedOut,
  kSessionCancelled,
  kSessionNotCancelled,  // a cancellation text for a session that is on again
  kSessionMoved,         // starts at another time than planned: planned anew
  kSessionStarted,
  kAnsweredNo,  // reminders stop after a no
  kAnswered,    // follow-ups go only to members who have not answered
};

struct SendCheck {
  JobKind kind = JobKind::kReminder;
  const Session* session = nullptr;  // never null
  Instant planned_starts_at;         // the start the text was planned for
  const Member* member = nullptr;    // null for the digest
  std::optional<std::string> rsvp;   // her answer to the session, if any
  Instant now;
};

// Every reason the text is not sent, in the order checkind checks them;
// empty when it is still wanted.
std::vector<SendBlock> SendBlocks(const SendCheck& check);

// The reason as the job record and the log say it ("member opted out").
const char* SendBlockReason(SendBlock block);

}  // namespace checkin

#endif  // CHECKIN_DAEMON_PLAN_SEND_RULES_H_
