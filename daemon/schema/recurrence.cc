// Recurring schedules expanded with libical: see recurrence.h.
//
// libical iterates floating local wall times (no zone attached); each one is
// turned into an instant in the schedule's IANA zone with LocalToInstant, so
// a weekly 10:00 stays 10:00 on the wall clock across DST changes.
//
// The expansion is bounded, because one icalrecur_iterator_next call walks
// every candidate until one passes the rule's filters, and a rule whose
// filters never pass (FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30) would otherwise walk
// to the year 2582 inside a single call:
//   - the rule's UNTIL is brought forward to just after the window, so
//     libical stops there whatever its filters;
//   - a rule whose candidates from dtstart to there number more than
//     kMaxCandidates (FREQ=MINUTELY starting years ago, or BYHOUR, BYMINUTE
//     and BYSECOND lists multiplying each day) is refused before walking;
//   - at most kMaxIterations candidates are taken from the iterator, and at
//     most max_occurrences sessions produced.
#include "schema/recurrence.h"

#include <date/date.h>
#include <date/tz.h>
#include <libical/ical.h>

#include <algorithm>
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
// About a second of libical's walk: it spends 3 to 5 microseconds on each
// candidate (measured on a 2-core CI machine, FREQ=MINUTELY and FREQ=DAILY
// rules whose filters never pass).
constexpr double kMaxCandidates = 250000;

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

// libical walks the BYSECOND, BYMINUTE and BYHOUR lists in the order they
// are written and repeats a value written twice ("BYHOUR=4,0" gives 04:00
// before 00:00, "BYHOUR=0,2,0" gives 00:00 twice; so does a trailing comma,
// read as a 0), and repeats a BYDAY written twice. Sorted and without
// repeats, its occurrences come in order, once each.
template <size_t N>
void SortAndDedupe(short (&list)[N], bool sort) {
  short* end = std::find(list, list + N, static_cast<short>(ICAL_RECURRENCE_ARRAY_MAX));
  if (sort) std::sort(list, end);
  short* kept = list;
  for (short* v = list; v != end; ++v) {
    if (std::find(list, kept, *v) == kept) *kept++ = *v;
  }
  std::fill(kept, end, static_cast<short>(ICAL_RECURRENCE_ARRAY_MAX));
}

icalrecurrencetype SortedRule(icalrecurrencetype rule) {
  SortAndDedupe(rule.by_second, /*sort=*/true);
  SortAndDedupe(rule.by_minute, /*sort=*/true);
  SortAndDedupe(rule.by_hour, /*sort=*/true);
  SortAndDedupe(rule.by_day, /*sort=*/false);  // encoded with positions (1MO, -1FR): libical orders the days
  return rule;
}

Result<icalrecurrencetype> ParseRrule(const std::string& text) {
  if (text.find('\0') != std::string::npos) {
    return Status::InvalidArgument("field 'rrule' holds a NUL byte");  // libical would read only what precedes it
  }
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
  return SortedRule(rule);
}

// How many values a BY list holds (libical ends each with ARRAY_MAX), or 1
// when the rule has none: then dtstart's own value is used.
template <size_t N>
double ListSize(const short (&list)[N]) {
  const auto n = std::find(list, list + N, static_cast<short>(ICAL_RECURRENCE_ARRAY_MAX)) - list;
  return n == 0 ? 1.0 : static_cast<double>(n);
}

// An upper estimate of the candidates libical walks from dtstart to `end`
// (both local wall times, in minutes since the epoch): the periods of the
// rule's frequency in between, times the times of day each period expands to.
double Candidates(const icalrecurrencetype& rule, double start_minute, double end_minute) {
  const double span = std::max(0.0, end_minute - start_minute);
  const double interval = std::max<short>(rule.interval, 1);
  const double seconds = ListSize(rule.by_second);
  switch (rule.freq) {
    case ICAL_MINUTELY_RECURRENCE:
      return span / interval * seconds;
    case ICAL_HOURLY_RECURRENCE:
      return span / 60 / interval * ListSize(rule.by_minute) * seconds;
    default:  // DAILY and longer: at most every day of the span, once per time of day
      return span / (24 * 60) * ListSize(rule.by_hour) * ListSize(rule.by_minute) * seconds;
  }
}

Instant UtcFieldsToInstant(const icaltimetype& t) {
  const date::sys_days d{date::year(t.year) / date::month(static_cast<unsigned>(t.month)) /
                         date::day(static_cast<unsigned>(t.day))};
  return Instant{d} + hours(t.hour) + minutes(t.minute) + std::chrono::seconds(t.second);
}

// The date of a floating libical time.
date::local_days LocalDay(const icaltimetype& t) {
  return date::local_days{date::year(t.year) / date::month(static_cast<unsigned>(t.month)) /
                          date::day(static_cast<unsigned>(t.day))};
}

// A floating (zoneless) libical time at `minute_of_day` on `day`.
icaltimetype FloatingTime(date::local_days day, int minute_of_day) {
  const date::year_month_day ymd{day};
  icaltimetype t = icaltime_null_time();
  t.year = static_cast<int>(ymd.year());
  t.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  t.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
  t.hour = minute_of_day / 60;
  t.minute = minute_of_day % 60;
  return t;
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
    const date::local_days day = LocalDay(next);
    if (day > last_day) break;
    const int minute_of_day = next.hour * 60 + next.minute;
    // Sessions are to the minute: the seconds of BYSECOND collapse into one.
    // Anything not after the previous start is skipped too, so the result
    // stays in order whatever libical yields (SortedRule sorts its lists).
    if (previous && std::make_pair(day, minute_of_day) <= *previous) continue;
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
  // Local midnight two days after the window's last local day: nothing
  // later is wanted (Iterate stops at the day after that last day).
  const icaltimetype stop = FloatingTime(date::floor<date::days>(zone->to_local(to)) + date::days(2), 0);
  if (icaltime_is_null_time(r.until) || icaltime_compare(r.until, stop) > 0) r.until = stop;
  const icaltimetype dtstart = FloatingTime(start->day, start->minute_of_day);
  const auto minutes_of = [](const icaltimetype& t) {
    return static_cast<double>(LocalDay(t).time_since_epoch().count()) * 24 * 60 + t.hour * 60 + t.minute;
  };
  if (Candidates(r, minutes_of(dtstart), minutes_of(r.until)) > kMaxCandidates) {
    return Status::InvalidArgument("field 'rrule' is '" + schedule.rrule + "': more than " +
                                   std::to_string(static_cast<long>(kMaxCandidates)) +
                                   " candidate times to walk through before the planning window ends; start the "
                                   "schedule later or give it fewer BYHOUR, BYMINUTE or BYSECOND values");
  }
  IteratorPtr it(icalrecur_iterator_new(r, dtstart));
  if (!it) {
    icalerror_clear_errno();
    return Status::InvalidArgument("field 'rrule' is '" + schedule.rrule + "', which libical cannot expand");
  }
  return Iterate(e, it.get());
}

}  // namespace checkin
