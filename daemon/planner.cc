// The planner: see planner.h for the rules and docs/planning.md for them in
// plain words.
//
// Local wall time is date-tz's local_seconds; every conversion to an instant
// goes through ResolveLocal, which never throws (it asks the zone for
// local_info and handles the gap and the repeated hour itself).
#include "planner.h"

#include <date/date.h>
#include <date/tz.h>

#include <algorithm>

#include "digest.h"

namespace checkin {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;
using LocalSeconds = date::local_time<seconds>;

// The instants a local wall time can mean: `earlier` == `later` when unique;
// both the same forward-shifted instant in the spring-forward gap; the first
// and second pass through the repeated autumn hour when ambiguous.
struct LocalCandidates {
  Instant earlier;
  Instant later;
};

LocalCandidates ResolveLocal(const date::time_zone* zone, LocalSeconds local) {
  const Instant naive{local.time_since_epoch()};
  if (zone == nullptr) return {naive, naive};  // treated as UTC
  const date::local_info info = zone->get_info(local);
  switch (info.result) {
    case date::local_info::unique:
      return {naive - info.first.offset, naive - info.first.offset};
    case date::local_info::nonexistent: {
      // Read with the offset in force before the gap: 01:30 in a one-hour
      // gap becomes 02:30 on the new clock, i.e. forward by the gap.
      const Instant shifted = naive - info.first.offset;
      return {shifted, shifted};
    }
    case date::local_info::ambiguous:
      // first is the period before the change (the larger offset in autumn).
      return {naive - info.first.offset, naive - info.second.offset};
  }
  return {naive, naive};
}

LocalSeconds ToLocal(const date::time_zone* zone, Instant t) {
  if (zone == nullptr) return LocalSeconds{t.time_since_epoch()};
  return zone->to_local(t);
}

date::local_days LocalDay(const date::time_zone* zone, Instant t) {
  return date::floor<date::days>(ToLocal(zone, t));
}

int LocalMinuteOfDay(const date::time_zone* zone, Instant t) {
  const LocalSeconds local = ToLocal(zone, t);
  return static_cast<int>(date::floor<minutes>(local - LocalDay(zone, t)).count());
}

LocalSeconds AtMinute(date::local_days day, int minute_of_day) {
  return LocalSeconds{day} + minutes(minute_of_day);
}

// The quiet period [start, end) that contains `t`, as instants; nullopt when
// `t` is not inside quiet hours. Start and end are computed from local dates,
// so a period spanning a DST change is 1 h shorter or longer.
struct QuietPeriod {
  Instant start;
  Instant end;
};

bool IsEmpty(const QuietHours& q) { return q.start_minute == q.end_minute; }

std::optional<QuietPeriod> QuietPeriodAt(Instant t, const date::time_zone* zone, const QuietHours& q) {
  if (IsEmpty(q)) return std::nullopt;
  const date::local_days day = LocalDay(zone, t);
  const int m = LocalMinuteOfDay(zone, t);
  date::local_days start_day = day;
  date::local_days end_day = day;
  if (q.start_minute < q.end_minute) {  // e.g. 13:00-14:00, same day
    if (m < q.start_minute || m >= q.end_minute) return std::nullopt;
  } else if (m >= q.start_minute) {  // evening part of 21:00-08:00
    end_day = day + date::days(1);
  } else if (m < q.end_minute) {  // morning part
    start_day = day - date::days(1);
  } else {
    return std::nullopt;
  }
  const LocalCandidates s = ResolveLocal(zone, AtMinute(start_day, q.start_minute));
  const LocalCandidates e = ResolveLocal(zone, AtMinute(end_day, q.end_minute));
  QuietPeriod p;
  // A start inside the gap may resolve after t: the period began no later
  // than t. An ambiguous end takes the first of its instants after t.
  p.start = std::min(s.earlier, t);
  p.end = e.earlier > t ? e.earlier : e.later;
  if (p.end <= t) p.end = t + seconds(1);  // unreachable with real zones; keeps end > t
  return p;
}

Instant SendTimeFor(const SendRule& rule, Instant starts_at, const date::time_zone* zone) {
  if (rule.kind == SendRule::Kind::kHoursBefore) return starts_at - rule.before;
  const date::year_month_day prev{LocalDay(zone, starts_at) - date::days(1)};
  return LocalToInstant(zone, static_cast<int>(prev.year()), static_cast<unsigned>(prev.month()),
                        static_cast<unsigned>(prev.day()), rule.minute_of_day);
}

// "<length>:<bytes>" so that no choice of field values can collide.
void AppendField(std::string& out, const std::string& field) {
  out += std::to_string(field.size());
  out.push_back(':');
  out += field;
}

// The due time of the one overdue reminder kept for a session.
Instant OverdueDueAt(Instant now, Instant starts_at, const date::time_zone* zone, const PlanRules& rules) {
  if (!rules.quiet_hours) return now;
  const std::optional<QuietPeriod> p = QuietPeriodAt(now, zone, *rules.quiet_hours);
  if (p && p->end < starts_at) return p->end;
  return now;
}

void PlanSession(Instant now, const SessionToPlan& s, const PlanRules& rules, std::vector<DueReminder>& out) {
  if (s.starts_at <= now) return;  // started: nothing
  const std::vector<Instant> times = PlannedSendTimes(s.starts_at, s.zone, rules);
  // First planned time still in the future; the one before it (if any) is
  // the latest overdue one, the only past one kept.
  const auto first_future = std::upper_bound(times.begin(), times.end(), now);
  const auto first_kept = first_future == times.begin() ? first_future : first_future - 1;
  std::vector<std::string> members = s.member_ids;
  std::sort(members.begin(), members.end());
  members.erase(std::unique(members.begin(), members.end()), members.end());
  for (const std::string& member : members) {
    for (auto it = first_kept; it != times.end(); ++it) {
      DueReminder r;
      r.session_id = s.session_id;
      r.member_id = member;
      r.session_starts_at = s.starts_at;
      r.planned_at = *it;
      r.due_at = *it > now ? *it : OverdueDueAt(now, s.starts_at, s.zone, rules);
      if (it + 1 != times.end()) r.superseded_at = *(it + 1);
      r.job_id = JobId(s.session_id, member, s.starts_at, *it);
      out.push_back(std::move(r));
    }
  }
}

}  // namespace

Instant LocalToInstant(const date::time_zone* zone, int year, unsigned month, unsigned day, int minute_of_day) {
  const date::local_days d{date::year(year) / date::month(month) / date::day(day)};
  return ResolveLocal(zone, AtMinute(d, minute_of_day)).earlier;
}

bool InQuietHours(Instant t, const date::time_zone* zone, const QuietHours& quiet) {
  return QuietPeriodAt(t, zone, quiet).has_value();
}

Instant ApplyQuietHours(Instant t, Instant session_start, const date::time_zone* zone, const QuietHours& quiet) {
  const std::optional<QuietPeriod> p = QuietPeriodAt(t, zone, quiet);
  if (!p) return t;
  return p->end < session_start ? p->end : p->start;
}

std::vector<Instant> PlannedSendTimes(Instant starts_at, const date::time_zone* zone, const PlanRules& rules) {
  std::vector<Instant> times;
  for (const SendRule& rule : rules.send) {
    Instant t = SendTimeFor(rule, starts_at, zone);
    if (t >= starts_at) continue;  // at or after the start: meaningless
    if (rules.quiet_hours) t = ApplyQuietHours(t, starts_at, zone, *rules.quiet_hours);
    if (t < starts_at) times.push_back(t);
  }
  std::sort(times.begin(), times.end());
  times.erase(std::unique(times.begin(), times.end()), times.end());
  return times;
}

std::string JobId(const std::string& session_id, const std::string& member_id, Instant starts_at,
                  Instant planned_at) {
  std::string encoded = "checkin-job-v1|";
  AppendField(encoded, session_id);
  AppendField(encoded, member_id);
  AppendField(encoded, std::to_string(starts_at.time_since_epoch().count()));
  AppendField(encoded, std::to_string(planned_at.time_since_epoch().count()));
  return Sha256Hex(encoded).substr(0, 32);
}

std::vector<DueReminder> Plan(Instant now, const std::vector<SessionToPlan>& sessions, const PlanRules& rules) {
  std::vector<const SessionToPlan*> ordered;
  ordered.reserve(sessions.size());
  for (const SessionToPlan& s : sessions) ordered.push_back(&s);
  std::stable_sort(ordered.begin(), ordered.end(), [](const SessionToPlan* a, const SessionToPlan* b) {
    return a->session_id < b->session_id;
  });
  std::vector<DueReminder> out;
  for (const SessionToPlan* s : ordered) PlanSession(now, *s, rules, out);
  return out;
}

}  // namespace checkin
