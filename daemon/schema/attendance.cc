#include "schema/attendance.h"

#include <algorithm>

#include "schema/records.h"

namespace checkin {

AttendanceReader::AttendanceReader(Store& store, SessionSource& sessions, RecordDefaults defaults)
    : store_(store), sessions_(sessions), defaults_(std::move(defaults)) {}

void AttendanceReader::Unreadable(Attendance& a, const std::string& key, const Status& status) {
  sessions_.reporter().Report(key, status);
  const std::string wrong = WrongTypeKey(status);
  a.unreadable.push_back(wrong.empty() ? key : wrong);
}

Status AttendanceReader::Fill(Attendance& a) {
  // A key of the wrong type is left out (and listed in a.unreadable): the
  // rest of the session is still counted.
  auto ids = store_.GroupMemberIds(a.group.id);
  if (!ids.ok() && ids.status().IsUnavailable()) return ids.status();
  if (!ids.ok()) Unreadable(a, sessions_.key_prefix() + "group:" + a.group.id + ":members", ids.status());
  auto records = store_.MembersFields(ids.ok() ? *ids : std::vector<std::string>{});
  if (!records.ok()) return records.status();
  auto answers = store_.Rsvps(a.session.id);
  if (!answers.ok() && answers.status().IsUnavailable()) return answers.status();
  if (!answers.ok()) Unreadable(a, sessions_.key_prefix() + "session:" + a.session.id + ":rsvp", answers.status());
  const FieldMap no_answers;
  const FieldMap& answered = answers.ok() ? *answers : no_answers;
  for (const auto& [id, record] : *records) {
    if (!record.ok()) {
      Unreadable(a, sessions_.key_prefix() + "member:" + id, record.status());
      continue;
    }
    const FieldMap& fields = *record;
    if (fields.empty()) continue;  // listed without a record: reported by the planner
    auto member = ParseMember(id, fields, defaults_);
    if (!member.ok()) continue;
    MemberAnswer m{id, member->name, member->phone, ""};
    if (member->opted_out) {
      m.answer = "opted out";
    } else {
      auto it = answered.find(id);
      if (it != answered.end()) m.answer = it->second;
      if (m.answer == "yes") a.count.coming++;
      else if (m.answer == "maybe") a.count.maybe++;
      else if (m.answer == "no") a.count.not_coming++;
      else m.answer.clear(), a.count.no_answer++;
    }
    a.members.push_back(std::move(m));
  }
  std::sort(a.members.begin(), a.members.end(), [](const MemberAnswer& x, const MemberAnswer& y) {
    return x.name != y.name ? x.name < y.name : x.member_id < y.member_id;
  });
  return Status::OK();
}

Result<Attendance> AttendanceReader::ForSession(const std::string& session_id, Instant near) {
  auto ps = sessions_.LoadSession(session_id, near);
  if (!ps.ok()) return ps.status();
  Attendance a{ps->session, ps->group, ps->zone, {}, {}, {}};
  CHECKIN_RETURN_IF_ERROR(Fill(a));
  return a;
}

Result<std::vector<Attendance>> AttendanceReader::Upcoming(Instant now, std::chrono::seconds window) {
  auto sessions = sessions_.Load(now, window, /*include_cancelled=*/true);
  if (!sessions.ok()) return sessions.status();
  std::vector<Attendance> out;
  for (auto& ps : *sessions) {
    Attendance a{std::move(ps.session), std::move(ps.group), ps.zone, {}, {}, {}};
    CHECKIN_RETURN_IF_ERROR(Fill(a));
    out.push_back(std::move(a));
  }
  return out;
}

std::string HeadcountText(const Headcount& c) {
  return std::to_string(c.coming) + " coming, " + std::to_string(c.maybe) + " maybe, " +
         std::to_string(c.not_coming) + " not coming, " + std::to_string(c.no_answer) + " no answer";
}

}  // namespace checkin
