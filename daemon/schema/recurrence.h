// Recurring schedules (schema v1 `checkin:schedule:<id>`) expanded into
// concrete sessions with libical, in the schedule's IANA zone.
//
// An occurrence's id is "<schedule_id>@<local start as YYYYMMDDTHHMM>", e.g.
// "tuesday-massage@20261201T1000": the same every time the schedule is
// expanded, so planning is idempotent. Exdates (local dates) are skipped.
// A stored `checkin:session:<that id>` hash, when present, overrides the
// generated fields (that is how one occurrence is cancelled or moved).
//
// Thread-safety: pure functions.
#ifndef CHECKIN_DAEMON_RECURRENCE_H_
#define CHECKIN_DAEMON_RECURRENCE_H_

#include <optional>
#include <string>
#include <vector>

#include "checkin/clock.h"
#include "checkin/model.h"
#include "checkin/status.h"

namespace checkin {

// Occurrences of `schedule` whose start lies in [from, to); schedule.timezone
// must already be resolved (schedule, else group, else config). Title and venue
// come from `group`; ends_at is starts_at + 2 h. InvalidArgument (naming the
// field) for a bad rrule, dtstart, timezone or exdate. Expansion is bounded:
// at most `max_occurrences` are produced (the earliest ones), and a rule
// that would walk through more than 250 000 candidate times from dtstart
// to the window's end (FREQ=MINUTELY from years ago, long BYHOUR, BYMINUTE
// and BYSECOND lists) or take more than 100 000 of them is refused as a bad
// 'rrule'.
// dtstart is "YYYY-MM-DDTHH:MM" (":SS" accepted and dropped: sessions are
// planned to the minute; FREQ=SECONDLY is refused). An UNTIL written in UTC
// ("...Z") is compared as an instant; a floating UNTIL as local wall time.
Result<std::vector<Session>> ExpandSchedule(const Schedule& schedule, const Group& group, Instant from, Instant to,
                                            size_t max_occurrences = 1000);

// "tuesday-massage@20261201T1000"
std::string OccurrenceId(const std::string& schedule_id, int year, unsigned month, unsigned day, int minute_of_day);

// The local start an occurrence id carries (2026-12-01 10:00 for the one
// above) read as if it were UTC: within a day of the real start whatever
// the zone, near enough to look the occurrence up (SessionSource::LoadSession
// expands three days either side). nullopt when `session_id` does not end
// in "@YYYYMMDDTHHMM" with a real date.
std::optional<Instant> ApproximateOccurrenceStart(const std::string& session_id);

}  // namespace checkin

#endif  // CHECKIN_DAEMON_RECURRENCE_H_
