// IANA time zones and local wall time, in one place (date-tz).
//
// Every conversion between an instant and a group's local wall clock goes
// through here: planning (send times, quiet hours), recurring schedules,
// template rendering ("tomorrow", "10:00"), and the times coordinators read
// on the dashboard and in checkinctl. A null zone means UTC throughout.
// Nothing here throws: a local time is resolved with the zone's local_info,
// so the spring-forward gap and the repeated autumn hour are handled here.
//
// Thread-safety: pure functions (date-tz's zone database is read-only once
// loaded).
#ifndef CHECKIN_DAEMON_TIME_ZONE_H_
#define CHECKIN_DAEMON_TIME_ZONE_H_

#include <date/tz.h>

#include <chrono>
#include <string>

#include "checkin/clock.h"

namespace checkin {

using LocalSeconds = date::local_time<std::chrono::seconds>;

// The zone named `name` ("Europe/London"); nullptr when empty or unknown.
const date::time_zone* FindTimeZone(const std::string& name);
bool IsKnownTimeZone(const std::string& name);

// Local wall time of `t` in `zone`.
LocalSeconds ToLocal(const date::time_zone* zone, Instant t);
date::local_days LocalDay(const date::time_zone* zone, Instant t);
int LocalMinuteOfDay(const date::time_zone* zone, Instant t);

// The instants a local wall time can mean: `earlier` == `later` when unique;
// both the same forward-shifted instant in the spring-forward gap; the first
// and second pass through the repeated autumn hour when ambiguous.
struct LocalCandidates {
  Instant earlier;
  Instant later;
};
LocalCandidates ResolveLocal(const date::time_zone* zone, LocalSeconds local);

// Local wall time in `zone` to an instant. A time that does not exist (the
// spring-forward gap) moves forward by the gap; an ambiguous one (the autumn
// repeat) takes the earlier instant.
Instant LocalToInstant(const date::time_zone* zone, int year, unsigned month, unsigned day, int minute_of_day);

// "Tue 1 Dec 10:00" in `zone`, for people (dashboard, checkinctl).
std::string ShortLocalTime(Instant t, const date::time_zone* zone);

// RFC 3339 with the zone's offset: "2026-12-01T10:00:00+00:00".
std::string LocalRfc3339(Instant t, const date::time_zone* zone);

}  // namespace checkin

#endif  // CHECKIN_DAEMON_TIME_ZONE_H_
