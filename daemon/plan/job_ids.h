// Job ids: every id a job in the queue can have, made in one place.
//
// Ids are deterministic, so planning the same text again, from any daemon,
// creates nothing twice (the queue keeps one job per id), and a forwarded
// reply is forwarded once however often Twilio retries its webhook. Each is
// 32 hex characters of SHA-256 over a versioned encoding of what makes the
// job the one it is. Never change an encoding: ids already in a queue would
// be planned again (tests/planner_plan_test.cc and
// tests/coordinator_jobs_test.cc pin them).
//
// Thread-safety: pure functions.
#ifndef CHECKIN_DAEMON_JOB_IDS_H_
#define CHECKIN_DAEMON_JOB_IDS_H_

#include <string>

#include "checkin/clock.h"
#include "checkin/store.h"

namespace checkin {

// A reminder: the session, the member, the session's start and the planned
// send time, each length-prefixed so no choice of values can collide.
std::string JobId(const std::string& session_id, const std::string& member_id, Instant starts_at,
                  Instant planned_at);
// The id of a planned job of any kind: JobId for kReminder; for the other
// kinds the kind is hashed in too, so no two kinds can share an id.
std::string JobIdFor(JobKind kind, const std::string& session_id, const std::string& member_id, Instant starts_at,
                     Instant planned_at);
// The one cancellation text a member gets for a session starting at
// `starts_at`, however often and by however many daemons it is planned.
std::string CancellationJobId(const std::string& session_id, const std::string& member_id, Instant starts_at);
// The forward of one inbound text (its Twilio MessageSid) to the group's
// coordinator.
std::string ForwardJobId(const std::string& message_sid);
// Safeguarding (safeguarding/concerns.h): step `step` of a concern's alerts,
// and the "taken on" notice to one contact; once per concern and step, or
// concern and contact, however many daemons escalate it.
std::string AlertJobId(const std::string& concern_id, int step);
std::string ConcernTakenJobId(const std::string& concern_id, const std::string& contact);

}  // namespace checkin

#endif  // CHECKIN_DAEMON_JOB_IDS_H_
