// The planner: pure functions from (now, sessions, rules) to the reminders
// that should exist. No I/O, no clock: the scheduler loop reads the clock once
// per tick and passes `now` in, so DST, quiet hours and the overdue rule are
// table tests with literal instants (tests/planner_test.cc).
//
// Rules (SPEC "Behaviour that other people rely on"):
//  - one reminder per configured send time, computed in the session's IANA
//    zone with date-tz (day_before_at is local wall time on the previous local
//    day, so a 23- or 25-hour day moves it correctly);
//  - a send time inside quiet hours moves to the end of those quiet hours if
//    that is still before the session, else to their start; two rules that
//    land on the same instant become one;
//  - a send time at or after the session start is dropped (before quiet hours
//    are applied, so they never pull such a time back before the start);
//  - a session that has started gets nothing;
//  - of the send times already passed, only the latest is planned, due now
//    (or at the end of quiet hours when now is inside them and that end is
//    still before the session).
// With reminders.follow_up_before, each member also gets a follow-up send
// time (quiet hours apply; dropped when it lands on a reminder's time). It
// takes part in the overdue rule like a reminder: of all the member's send
// times already passed, reminders and follow-up together, one is kept.
// The headcount digest (PlanDigests) is one text per session, on the same
// rules. Job ids are deterministic per kind (JobIdFor, plan/job_ids.h), so
// planning again, from any daemon, creates nothing twice.
//
// Thread-safety: pure functions.
#ifndef CHECKIN_DAEMON_PLANNER_H_
#define CHECKIN_DAEMON_PLANNER_H_

#include <optional>
#include <string>
#include <vector>

#include "checkin/clock.h"
#include "checkin/config.h"
#include "checkin/store.h"

namespace date {
class time_zone;
}

namespace checkin {

struct PlanRules {
  std::vector<SendRule> send;
  std::optional<QuietHours> quiet_hours;
  // reminders.follow_up_before: a follow-up this long before the start; 0: none.
  std::chrono::minutes follow_up_before{0};
};

struct SessionToPlan {
  std::string session_id;
  Instant starts_at;
  const date::time_zone* zone = nullptr;  // the group's zone, never null
  std::vector<std::string> member_ids;
};

struct DueReminder {
  JobKind kind = JobKind::kReminder;  // kReminder, kFollowUp or kDigest
  std::string job_id;  // JobIdFor(kind, session, member, starts_at, planned_at) (job_ids.h)
  std::string session_id;
  std::string member_id;      // empty for kDigest
  Instant session_starts_at;  // as planned; a moved session no longer matches
  Instant planned_at;         // send time after quiet hours (part of the id)
  Instant due_at;             // when to send: planned_at, or sooner/now if overdue
  // The next planned send time (reminder or follow-up) of the same session
  // and member, if any. When it is also due at send time, this one is
  // skipped (overdue collapse).
  std::optional<Instant> superseded_at;
};

// Every reminder (and follow-up, with rules.follow_up_before) that should
// exist for `sessions` at `now`, ordered by session, then member, then
// planned_at. The caller passes sessions that are not cancelled.
std::vector<DueReminder> Plan(Instant now, const std::vector<SessionToPlan>& sessions, const PlanRules& rules);

// One headcount digest per session (member_ids are not used), `before` the
// start with quiet hours applied; one already passed is due now (the overdue
// rule); none for a session that has started, or when `before` is 0. The
// caller passes the sessions whose group has a coordinator_phone.
std::vector<DueReminder> PlanDigests(Instant now, const std::vector<SessionToPlan>& sessions,
                                     std::chrono::minutes before, const std::optional<QuietHours>& quiet_hours);

// When a text planned for `planned_at` is due, seen at `now`: `planned_at`
// while it is ahead; else now, or the end of the quiet hours `now` is in
// when that is still before `starts_at`.
Instant DueAt(Instant planned_at, Instant now, Instant starts_at, const date::time_zone* zone,
              const std::optional<QuietHours>& quiet_hours);

// Send times of one session after quiet hours, sorted, unique, all before
// `starts_at`.
std::vector<Instant> PlannedSendTimes(Instant starts_at, const date::time_zone* zone, const PlanRules& rules);

// Whether `t` is inside quiet hours in `zone` (local wall clock, the interval
// may wrap midnight).
bool InQuietHours(Instant t, const date::time_zone* zone, const QuietHours& quiet);

// `t` moved out of quiet hours as the rules above say; `t` itself when not
// inside them.
Instant ApplyQuietHours(Instant t, Instant session_start, const date::time_zone* zone, const QuietHours& quiet);

}  // namespace checkin

#endif  // CHECKIN_DAEMON_PLANNER_H_
