// The planner: see planner.h for the rules and docs/planning.md for them in
// plain words.
//
// Local wall time and its conversions to instants are time/zone.h's; job ids
// are job_ids.h's.
#include "plan/planner.h"

#include <date/date.h>
#include <date/tz.h>

#include <algorithm>

#include "plan/job_ids.h"
#include "time/zone.h"

namespace checkin {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

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

// The due time of the one overdue text kept for a session.
Instant OverdueDueAt(Instant now, Instant starts_at, const date::time_zone* zone,
                     const std::optional<QuietHours>& quiet_hours) {
  if (!quiet_hours) return now;
  const std::optional<QuietPeriod> p = QuietPeriodAt(now, zone, *quiet_hours);
  if (p && p->end < starts_at) return p->end;
  return now;
}

// One send time of a member's timeline for a session.
struct SendTime {
  Instant at;
  JobKind kind;
};

// `before` the start, moved out of quiet hours; nullopt when that is not
// before the start (or `before` is 0).
std::optional<Instant> SendTimeBefore(Instant starts_at, std::chrono::minutes before, const date::time_zone* zone,
                                      const std::optional<QuietHours>& quiet_hours) {
  if (before.count() <= 0) return std::nullopt;
  Instant t = starts_at - before;
  if (quiet_hours) t = ApplyQuietHours(t, starts_at, zone, *quiet_hours);
  if (t >= starts_at) return std::nullopt;
  return t;
}

// The reminder times, plus the follow-up unless it lands on one of them.
std::vector<SendTime> Timeline(const SessionToPlan& s, const PlanRules& rules) {
  std::vector<SendTime> times;
  for (Instant t : PlannedSendTimes(s.starts_at, s.zone, rules)) times.push_back({t, JobKind::kReminder});
  const auto follow_up = SendTimeBefore(s.starts_at, rules.follow_up_before, s.zone, rules.quiet_hours);
  const bool on_reminder = follow_up && std::any_of(times.begin(), times.end(), [&](const SendTime& t) {
                             return t.at == *follow_up;
                           });
  if (follow_up && !on_reminder) times.push_back({*follow_up, JobKind::kFollowUp});
  std::sort(times.begin(), times.end(), [](const SendTime& a, const SendTime& b) { return a.at < b.at; });
  return times;
}

void PlanSession(Instant now, const SessionToPlan& s, const PlanRules& rules, std::vector<DueReminder>& out) {
  if (s.starts_at <= now) return;  // started: nothing
  const std::vector<SendTime> times = Timeline(s, rules);
  // First planned time still in the future; the one before it (if any) is
  // the latest overdue one, the only past one kept.
  const auto first_future =
      std::upper_bound(times.begin(), times.end(), now, [](Instant t, const SendTime& x) { return t < x.at; });
  const auto first_kept = first_future == times.begin() ? first_future : first_future - 1;
  std::vector<std::string> members = s.member_ids;
  std::sort(members.begin(), members.end());
  members.erase(std::unique(members.begin(), members.end()), members.end());
  for (const std::string& member : members) {
    for (auto it = first_kept; it != times.end(); ++it) {
      DueReminder r;
      r.kind = it->kind;
      r.session_id = s.session_id;
      r.member_id = member;
      r.session_starts_at = s.starts_at;
      r.planned_at = it->at;
      r.due_at = DueAt(it->at, now, s.starts_at, s.zone, rules.quiet_hours);
      if (it + 1 != times.end()) r.superseded_at = (it + 1)->at;
      r.job_id = JobIdFor(r.kind, s.session_id, member, s.starts_at, it->at);
      out.push_back(std::move(r));
    }
  }
}

std::vector<const SessionToPlan*> BySessionId(const std::vector<SessionToPlan>& sessions) {
  std::vector<const SessionToPlan*> ordered;
  ordered.reserve(sessions.size());
  for (const SessionToPlan& s : sessions) ordered.push_back(&s);
  std::stable_sort(ordered.begin(), ordered.end(), [](const SessionToPlan* a, const SessionToPlan* b) {
    return a->session_id < b->session_id;
  });
  return ordered;
}

}  // namespace

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

Instant DueAt(Instant planned_at, Instant now, Instant starts_at, const date::time_zone* zone,
              const std::optional<QuietHours>& quiet_hours) {
  return planned_at > now ? planned_at : OverdueDueAt(now, starts_at, zone, quiet_hours);
}

std::vector<DueReminder> Plan(Instant now, const std::vector<SessionToPlan>& sessions, const PlanRules& rules) {
  std::vector<DueReminder> out;
  for (const SessionToPlan* s : BySessionId(sessions)) PlanSession(now, *s, rules, out);
  return out;
}

std::vector<DueReminder> PlanDigests(Instant now, const std::vector<SessionToPlan>& sessions,
                                     std::chrono::minutes before, const std::optional<QuietHours>& quiet_hours) {
  std::vector<DueReminder> out;
  for (const SessionToPlan* s : BySessionId(sessions)) {
    if (s->starts_at <= now) continue;  // started: nothing
    const auto at = SendTimeBefore(s->starts_at, before, s->zone, quiet_hours);
    if (!at) continue;
    DueReminder r;
    r.kind = JobKind::kDigest;
    r.session_id = s->session_id;
    r.session_starts_at = s->starts_at;
    r.planned_at = *at;
    r.due_at = DueAt(*at, now, s->starts_at, s->zone, quiet_hours);
    r.job_id = JobIdFor(JobKind::kDigest, s->session_id, "", s->starts_at, *at);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace checkin
