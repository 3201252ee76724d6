// Recurring schedules expanded with libical: see recurrence.h.
//
// libical iterates floating local wall times (no zone attached); each one is
// turned into an instant in the schedule's IANA zone with LocalToInstant, so
// a weekly 10:00 stays 10:00 on the wall clock across DST changes. The loop
// is bounded three ways: max_occurrences produced, the local date passing the
// window's end, and kMaxIterations candidates (a rule such as FREQ=MINUTELY
// starting years ago would otherwise walk millions of times).
#include "schema/recurrence.h"

#include <date/date.h>
#include <date/tz.h>
#include <libical/ical.h>

#include <cstdio>
#include <memory>
#include <optional>
#include <set>

#include "time/zone.h"

namespace checkin {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

constexpr size_t kMaxIterations = 100000;

struct LocalStart {
  date::local_days day;
  int minute_of_day = 0;
};

bool AllDigits(const std::string& s, size_t pos, size_t n) {
  for (size_t i = pos; i < pos + n; ++i) {
    if (i >= s.size() || s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

// The decimal number in s[pos, pos + n); AllDigits must hold.
int Number(const std::string& s, size_t pos, size_t n) {
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) v = v * 10 + (s[i] - '0');
  return v;
}

// "YYYY-MM-DD" at the start of `text`, checked to be a real date.
std::optional<date::local_days> ParseLocalDate(const std::string& text) {
  if (!(AllDigits(text, 0, 4) && text.size() >= 10 && text[4] == '-' && AllDigits(text, 5, 2) && text[7] == '-' &&
        AllDigits(text, 8, 2))) {
    return std::nullopt;
  }
  const date::year_month_day ymd{date::year(Number(text, 0, 4)), date::month(static_cast<unsigned>(Number(text, 5, 2))),
                                 date::day(static_cast<unsigned>(Number(text, 8, 2)))};
  if (!ymd.ok()) return std::nullopt;
  return date::local_days{ymd};
}

// "2026-09-01T10:00" or "2026-09-01T10:00:00"; seconds are dropped (sessions
// are planned to the minute).
Result<LocalStart> ParseDtstart(const std::string& text) {
  const Status bad = Status::InvalidArgument("field 'dtstart' is '" + text +
                                             "', expected a local wall time like 2026-09-01T10:00");
  const bool shape = (text.size() == 16 || (text.size() == 19 && text[16] == ':' && AllDigits(text, 17, 2))) &&
                     text[10] == 'T' && AllDigits(text, 11, 2) && text[13] == ':' && AllDigits(text, 14, 2);
  if (!shape) return bad;
  const std::optional<date::local_days> day = ParseLocalDate(text);
  const int hour = Number(text, 11, 2);
  const int minute = Number(text, 14, 2);
  const int second = text.size() == 19 ? Number(text, 17, 2) : 0;
  if (!day || hour > 23 || minute > 59 || second > 59) return bad;
  return LocalStart{*day, hour * 60 + minute};
}

Result<std::set<date::local_days>> ParseExdates(const std::vector<std::string>& exdates) {
  std::set<date::local_days> days;
  for (const std::string& text : exdates) {
    const std::optional<date::local_days> day = text.size() == 10 ? ParseLocalDate(text) : std::nullopt;
    if (!day) {
      return Status::InvalidArgument("field 'exdates' has '" + text + "', expected local dates like 2026-12-22");
    }
    days.insert(*day);
  }
  return days;
}

Result<icalrecurrencetype> ParseRrule(const std::string& text) {
  icalerror_clear_errno();
  const icalrecurrencetype rule = icalrecurrencetype_from_string(text.c_str());
  if (rule.freq == ICAL_NO_RECURRENCE || icalerrno != ICAL_NO_ERROR) {
    icalerror_clear_errno();
    return Status::InvalidArgument("field 'rrule' is '" + text +
                                   "', not an RFC 5545 RRULE value such as FREQ=WEEKLY;BYDAY=TU");
  }
  if (rule.freq == ICAL_SECONDLY_RECURRENCE) {
    return Status::InvalidArgument("field 'rrule' is '" + text + "': FREQ=SECONDLY is not supported");
  }
  return rule;
}

Instant UtcFieldsToInstant(const icaltimetype& t) {
  const date::sys_days d{date::year(t.year) / date::month(static_cast<unsigned>(t.month)) /
                         date::day(static_cast<unsigned>(t.day))};
  return Instant{d} + hours(t.hour) + minutes(t.minute) + std::chrono::seconds(t.second);
}

struct IteratorFree {
  void operator()(icalrecur_iterator* it) const { icalrecur_iterator_free(it); }
};
using IteratorPtr = std::unique_ptr<icalrecur_iterator, IteratorFree>;

// Everything ExpandSchedule needs once the inputs are validated.
struct Expansion {
  const Schedule* schedule;
  const Group* group;
  const date::time_zone* zone;
  std::set<date::local_days> exdates;
  std::optional<Instant> until_utc;  // UNTIL given in UTC ("...Z"), checked here
  Instant from;
  Instant to;
  size_t max_occurrences;
};

Session MakeSession(const Expansion& e, date::local_days day, int minute_of_day, Instant at) {
  const date::year_month_day ymd{day};
  Session s;
  s.id = OccurrenceId(e.schedule->id, static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                      static_cast<unsigned>(ymd.day()), minute_of_day);
  s.group_id = e.schedule->group_id;
  s.title = e.group->name;
  s.venue = e.group->venue;
  s.starts_at = at;
  s.ends_at = at + hours(2);
  s.schedule_id = e.schedule->id;
  return s;
}

Result<std::vector<Session>> Iterate(const Expansion& e, icalrecur_iterator* it) {
  std::vector<Session> out;
  const date::local_days last_day = date::floor<date::days>(e.zone->to_local(e.to)) + date::days(1);
  std::optional<std::pair<date::local_days, int>> previous;
  for (size_t i = 0; out.size() < e.max_occurrences; ++i) {
    if (i >= kMaxIterations) {
      return Status::InvalidArgument("field 'rrule' is '" + e.schedule->rrule + "': more than " +
                                     std::to_string(kMaxIterations) +
                                     " occurrences to walk through; start the schedule later");
    }
    const icaltimetype next = icalrecur_iterator_next(it);
    if (icaltime_is_null_time(next)) break;
    const date::local_days day{date::year(next.year) / date::month(static_cast<unsigned>(next.month)) /
                               date::day(static_cast<unsigned>(next.day))};
    if (day > last_day) break;
    const int minute_of_day = next.hour * 60 + next.minute;
    if (previous && previous->first == day && previous->second == minute_of_day) continue;  // BYSECOND
    previous = std::make_pair(day, minute_of_day);
    const date::year_month_day ymd{day};
    const Instant at = LocalToInstant(e.zone, static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                                      static_cast<unsigned>(ymd.day()), minute_of_day);
    if (e.until_utc && at > *e.until_utc) {
      if (at > *e.until_utc + hours(24)) break;
      continue;  // the gap can reorder instants slightly; keep looking briefly
    }
    if (at < e.from || at >= e.to || e.exdates.count(day) != 0) continue;
    out.push_back(MakeSession(e, day, minute_of_day, at));
  }
  return out;
}

}  // namespace

std::string OccurrenceId(const std::string& schedule_id, int year, unsigned month, unsigned day, int minute_of_day) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%04d%02u%02uT%02d%02d", year, month, day, minute_of_day / 60, minute_of_day % 60);
  return schedule_id + "@" + buf;
}

std::optional<Instant> ApproximateOccurrenceStart(const std::string& session_id) {
  const size_t at = session_id.rfind('@');
  if (at == std::string::npos) return std::nullopt;
  const std::string stamp = session_id.substr(at + 1);  // YYYYMMDDTHHMM, as OccurrenceId writes it
  if (stamp.size() != 13 || !AllDigits(stamp, 0, 8) || stamp[8] != 'T' || !AllDigits(stamp, 9, 4)) {
    return std::nullopt;
  }
  const date::year_month_day ymd{date::year(Number(stamp, 0, 4)),
                                 date::month(static_cast<unsigned>(Number(stamp, 4, 2))),
                                 date::day(static_cast<unsigned>(Number(stamp, 6, 2)))};
  if (!ymd.ok()) return std::nullopt;
  return date::sys_days(ymd) + hours(Number(stamp, 9, 2)) + minutes(Number(stamp, 11, 2));
}

Result<std::vector<Session>> ExpandSchedule(const Schedule& schedule, const Group& group, Instant from, Instant to,
                                            size_t max_occurrences) {
  Result<LocalStart> start = ParseDtstart(schedule.dtstart_local);
  if (!start.ok()) return start.status();
  Result<icalrecurrencetype> rule = ParseRrule(schedule.rrule);
  if (!rule.ok()) return rule.status();
  const date::time_zone* zone = FindTimeZone(schedule.timezone);
  if (zone == nullptr) {
    return Status::InvalidArgument("field 'timezone' is '" + schedule.timezone +
                                   "', not an IANA zone such as Europe/London");
  }
  Result<std::set<date::local_days>> exdates = ParseExdates(schedule.exdates);
  if (!exdates.ok()) return exdates.status();
  if (max_occurrences == 0 || from >= to) return std::vector<Session>{};

  Expansion e{&schedule, &group, zone, std::move(*exdates), std::nullopt, from, to, max_occurrences};
  icalrecurrencetype r = *rule;
  if (!icaltime_is_null_time(r.until) && icaltime_is_utc(r.until)) {
    // libical would compare a UTC UNTIL with our floating times as if they
    // were UTC too; compare instants here instead.
    e.until_utc = UtcFieldsToInstant(r.until);
    r.until = icaltime_null_time();
  }
  const date::year_month_day ymd{start->day};
  icaltimetype dtstart = icaltime_null_time();  // floating: no zone
  dtstart.year = static_cast<int>(ymd.year());
  dtstart.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  dtstart.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
  dtstart.hour = start->minute_of_day / 60;
  dtstart.minute = start->minute_of_day % 60;
  IteratorPtr it(icalrecur_iterator_new(r, dtstart));
  if (!it) {
    icalerror_clear_errno();
    return Status::InvalidArgument("field 'rrule' is '" + schedule.rrule + "', which libical cannot expand");
  }
  return Iterate(e, it.get());
}

}  // namespace checkin
