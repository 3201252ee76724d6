#include "schema/session_source.h"

#include <algorithm>

#include "schema/recurrence.h"
#include "time/zone.h"

namespace checkin {

void BadRecordReporter::Report(const std::string& key, const Status& status) {
  // A key of the wrong type is reported under its own name, once, whichever
  // record led to it (a group's hash read for each of its sessions).
  const std::string wrong = WrongTypeKey(status);
  const std::string& subject = wrong.empty() ? key : wrong;
  const std::string& m = status.message();
  const std::string reason = wrong.empty() ? m : "wrong type, it " + m.substr(m.find(" holds a ", m.rfind(wrong)) + 1);
  std::lock_guard<std::mutex> lock(mu_);
  if (!seen_.insert(subject + "\n" + reason).second) return;
  logger_->warn("skipping {}: {}", subject, reason);
}

size_t BadRecordReporter::reported() const {
  std::lock_guard<std::mutex> lock(mu_);
  return seen_.size();
}

SessionSource::SessionSource(Store& store, std::string key_prefix, RecordDefaults defaults,
                             std::shared_ptr<BadRecordReporter> reporter)
    : store_(store), prefix_(std::move(key_prefix)), defaults_(std::move(defaults)), reporter_(std::move(reporter)) {}

void SessionSource::SetDefaults(RecordDefaults defaults) {
  std::lock_guard<std::mutex> lock(defaults_mu_);
  defaults_ = std::move(defaults);
}

RecordDefaults SessionSource::defaults() const {
  std::lock_guard<std::mutex> lock(defaults_mu_);
  return defaults_;
}

Result<Group> SessionSource::LoadGroup(const std::string& group_id) {
  auto fields = store_.GroupFields(group_id);
  if (!fields.ok()) return fields.status();
  auto group = ParseGroup(group_id, *fields, defaults());
  if (!group.ok() && group.status().IsNotFound()) {
    return Status::InvalidArgument("unknown group '" + group_id + "'");
  }
  if (!group.ok()) return group.status().WithContext(prefix_ + "group:" + group_id);
  return group;
}

Result<std::vector<PlannableSession>> SessionSource::Load(Instant now, std::chrono::seconds lookahead,
                                                         bool include_cancelled) {
  return LoadStartingBetween(now, now + lookahead, include_cancelled);
}

Result<std::vector<PlannableSession>> SessionSource::LoadStartingBetween(Instant after, Instant until,
                                                                        bool include_cancelled) {
  std::vector<PlannableSession> out;
  CHECKIN_RETURN_IF_ERROR(LoadOneOffs(after, until, include_cancelled, out));
  CHECKIN_RETURN_IF_ERROR(LoadScheduled(after, until, include_cancelled, out));
  std::sort(out.begin(), out.end(), [](const PlannableSession& a, const PlannableSession& b) {
    return a.session.starts_at != b.session.starts_at ? a.session.starts_at < b.session.starts_at
                                                       : a.session.id < b.session.id;
  });
  return out;
}

Status SessionSource::LoadOneOffs(Instant after, Instant until, bool include_cancelled,
                                  std::vector<PlannableSession>& out) {
  // Scores are start times; a score that disagrees with starts_at is the
  // hash's word that counts, so read a little wider and filter on the hash.
  auto ids = store_.SessionsStartingBetween(after - std::chrono::hours(48), until + std::chrono::hours(48));
  if (!ids.ok() && !ids.status().IsUnavailable()) {
    reporter_->Report(prefix_ + "sessions", ids.status());  // schedules are still planned
    return Status::OK();
  }
  if (!ids.ok()) return ids.status();
  for (const auto& [id, score] : *ids) {
    auto loaded = LoadSession(id, score);
    if (!loaded.ok()) {
      if (loaded.status().IsUnavailable()) return loaded.status();
      reporter_->Report(prefix_ + "session:" + id, loaded.status());
      continue;
    }
    if ((loaded->session.cancelled && !include_cancelled) || loaded->session.starts_at <= after ||
        loaded->session.starts_at > until) {
      continue;
    }
    if (!loaded->session.cancelled) {  // a cancelled session is not planned: no members needed
      Status members = AttachMembers(*loaded);
      if (members.IsUnavailable()) return members;
    }
    out.push_back(std::move(*loaded));
  }
  return Status::OK();
}

Status SessionSource::LoadScheduled(Instant after, Instant until, bool include_cancelled,
                                    std::vector<PlannableSession>& out) {
  auto ids = store_.ScheduleIds();
  if (!ids.ok() && !ids.status().IsUnavailable()) {
    reporter_->Report(prefix_ + "schedules", ids.status());  // one-off sessions are still planned
    return Status::OK();
  }
  if (!ids.ok()) return ids.status();
  for (const auto& schedule_id : *ids) {
    // Expansion is [from, to) and starts are whole seconds: (after, until] needs until + 1 s.
    auto occurrences = ExpandStoredSchedule(schedule_id, after, until + std::chrono::seconds(1));
    if (!occurrences.ok()) {
      if (occurrences.status().IsUnavailable()) return occurrences.status();
      reporter_->Report(prefix_ + "schedule:" + schedule_id, occurrences.status());
      continue;
    }
    for (auto& occurrence : *occurrences) {
      auto session = ApplyOverride(std::move(occurrence));
      if (!session.ok()) {
        if (session.status().IsUnavailable()) return session.status();
        reporter_->Report(prefix_ + "session:" + occurrence.id, session.status());
        continue;
      }
      if ((session->cancelled && !include_cancelled) || session->starts_at <= after || session->starts_at > until) {
        continue;
      }
      // The schedule's own group was loaded just before, but an override may
      // name another.
      auto group = LoadGroup(session->group_id);
      if (!group.ok()) {
        if (group.status().IsUnavailable()) return group.status();
        reporter_->Report(prefix_ + "session:" + session->id, group.status());
        continue;
      }
      PlannableSession ps{*session, *group, FindTimeZone(group->timezone), {}};
      if (!ps.session.cancelled) {  // a cancelled session is not planned: no members needed
        Status members = AttachMembers(ps);
        if (members.IsUnavailable()) return members;
      }
      out.push_back(std::move(ps));
    }
  }
  return Status::OK();
}

Result<std::vector<Session>> SessionSource::ExpandStoredSchedule(const std::string& schedule_id, Instant from,
                                                                 Instant to) {
  auto fields = store_.ScheduleFields(schedule_id);
  if (!fields.ok()) return fields.status();
  auto schedule = ParseSchedule(schedule_id, *fields);
  if (!schedule.ok()) return schedule.status();
  auto group = LoadGroup(schedule->group_id);
  if (!group.ok()) return group.status();
  if (schedule->timezone.empty()) schedule->timezone = group->timezone;
  return ExpandSchedule(*schedule, *group, from, to);
}

Result<Session> SessionSource::ApplyOverride(Session occurrence) {
  auto fields = store_.SessionFields(occurrence.id);
  if (!fields.ok()) return fields.status();
  if (fields->empty()) return occurrence;
  FieldMap merged = *fields;
  merged.emplace("group", occurrence.group_id);
  // A moved occurrence without an end gets the default length from its new
  // start (ParseSession); an unmoved one keeps the generated times.
  if (!fields->count("starts_at")) {
    merged.emplace("starts_at", FormatRfc3339(occurrence.starts_at));
    merged.emplace("ends_at", FormatRfc3339(occurrence.ends_at));
  }
  auto session = ParseSession(occurrence.id, merged);
  if (!session.ok()) return session.status();
  session->schedule_id = occurrence.schedule_id;
  if (session->title.empty()) session->title = occurrence.title;
  if (session->venue.empty()) session->venue = occurrence.venue;
  return session;
}

Result<PlannableSession> SessionSource::LoadSession(const std::string& session_id, Instant near) {
  const auto at = session_id.rfind('@');
  if (at != std::string::npos) {
    // An occurrence: it exists only while its schedule is listed in
    // `schedules` and still produces it.
    const std::string schedule_id = session_id.substr(0, at);
    // An unreadable `schedules` (wrong type, reported by planning) removes
    // nothing: the occurrence is then judged by its schedule alone.
    auto listed = store_.ScheduleListed(schedule_id);
    if (!listed.ok() && listed.status().IsUnavailable()) return listed.status();
    if (listed.ok() && !*listed) {
      return Status::NotFound("schedule '" + schedule_id + "' is no longer in " + prefix_ + "schedules");
    }
    auto occurrences = ExpandStoredSchedule(schedule_id, near - std::chrono::hours(72), near + std::chrono::hours(72));
    if (!occurrences.ok()) return occurrences.status();
    for (auto& occurrence : *occurrences) {
      if (occurrence.id != session_id) continue;
      auto session = ApplyOverride(std::move(occurrence));
      if (!session.ok()) return session.status();
      auto group = LoadGroup(session->group_id);
      if (!group.ok()) return group.status();
      return PlannableSession{*session, *group, FindTimeZone(group->timezone), {}};
    }
    // Not produced by a schedule: fall through to a plain session hash.
  }
  auto fields = store_.SessionFields(session_id);
  if (!fields.ok()) return fields.status();
  return SessionFromFields(session_id, *fields);
}

Result<PlannableSession> SessionSource::SessionFromFields(const std::string& session_id, const FieldMap& fields) {
  auto session = ParseSession(session_id, fields);
  if (!session.ok()) return session.status();
  auto group = LoadGroup(session->group_id);
  if (!group.ok()) return group.status();
  ApplyGroupDefaults(*session, *group);
  return PlannableSession{*session, *group, FindTimeZone(group->timezone), {}};
}

Status SessionSource::AttachMembers(PlannableSession& ps) {
  auto ids = store_.GroupMemberIds(ps.group.id);
  if (!ids.ok()) {
    // Not a set: nobody of this group can be planned, and that is said.
    if (!ids.status().IsUnavailable()) reporter_->Report(prefix_ + "group:" + ps.group.id + ":members", ids.status());
    return ids.status();
  }
  auto members = store_.MembersFields(*ids);
  if (!members.ok()) return members.status();
  const RecordDefaults member_defaults = defaults();
  for (const auto& [id, record] : *members) {
    const std::string key = prefix_ + "member:" + id;
    if (!record.ok()) {
      reporter_->Report(key, record.status());
      continue;
    }
    const FieldMap& fields = *record;
    if (fields.empty()) {
      reporter_->Report(key, Status::InvalidArgument("listed in " + prefix_ + "group:" + ps.group.id +
                                                     ":members but has no hash"));
      continue;
    }
    auto member = ParseMember(id, fields, member_defaults);
    if (!member.ok()) {
      reporter_->Report(key, member.status());
      continue;
    }
    if (!member->opted_out) ps.member_ids.push_back(id);
  }
  return Status::OK();
}

}  // namespace checkin
