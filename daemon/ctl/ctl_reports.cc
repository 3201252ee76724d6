#include "ctl/ctl_reports.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "base/phone.h"
#include "time/zone.h"

namespace checkin {
namespace {

using nlohmann::json;

// Invalid UTF-8 written by another tool is shown as U+FFFD, not thrown.
std::string Dump(const json& j, int indent = -1) { return j.dump(indent, ' ', false, json::error_handler_t::replace); }

json SessionJson(const Attendance& a) {
  json j = {{"id", a.session.id},
          {"group", a.group.id},
          {"title", a.session.title},
          {"venue", a.session.venue},
          {"starts_at", LocalRfc3339(a.session.starts_at, a.zone)},
          {"status", a.session.cancelled ? "cancelled" : "scheduled"},
          {"coming", a.count.coming},
          {"maybe", a.count.maybe},
          {"not_coming", a.count.not_coming},
          {"no_answer", a.count.no_answer}};
  if (!a.unreadable.empty()) j["unreadable"] = a.unreadable;  // keys of the wrong type, left out
  return j;
}

// "  not read (wrong type): P member:x, ..." under a session, or "".
std::string UnreadableLine(const Attendance& a) {
  if (a.unreadable.empty()) return "";
  std::string keys;
  for (const auto& k : a.unreadable) keys += (keys.empty() ? "" : ", ") + k;
  return "  not read (wrong type, left out): " + keys + "\n";
}

// "Tue 1 Dec 10:00  Baby massage, Walkerburn hall"
std::string Heading(const Attendance& a) {
  std::string s = ShortLocalTime(a.session.starts_at, a.zone) + "  " + a.session.title;
  if (!a.session.venue.empty()) s += ", " + a.session.venue;
  return s;
}

}  // namespace

std::string AnswerText(const std::string& answer) {
  if (answer == "yes") return "coming";
  if (answer == "no") return "not coming";
  if (answer == "maybe") return "maybe";
  if (answer == "opted out") return "opted out";
  return "no answer";
}

std::string AnswerToken(const std::string& answer) {
  if (answer == "yes" || answer == "no" || answer == "maybe") return answer;
  if (answer == "opted out") return "opted_out";
  return "none";
}

Status ReportSessions(CtlContext& ctx, int days, bool json_out, std::ostream& out) {
  auto upcoming = ctx.attendance.Upcoming(ctx.now, std::chrono::hours(24) * days);
  if (!upcoming.ok()) return upcoming.status();
  if (json_out) {
    json list = json::array();
    for (const auto& a : *upcoming) list.push_back(SessionJson(a));
    out << Dump(list, 2) << "\n";
    return Status::OK();
  }
  if (upcoming->empty()) {
    out << "No sessions in the next " << days << " day" << (days == 1 ? "" : "s") << ".\n";
    return Status::OK();
  }
  size_t width = 0;
  for (const auto& a : *upcoming) width = std::max(width, DisplayWidth(Heading(a)));
  for (const auto& a : *upcoming) {
    out << PadRight(Heading(a), width) << "  "
        << (a.session.cancelled ? std::string("CANCELLED") : HeadcountText(a.count)) << "  [" << a.session.id
        << "]\n"
        << UnreadableLine(a);
  }
  return Status::OK();
}

Status ReportSession(CtlContext& ctx, const std::string& session_id, bool json_out, std::ostream& out) {
  auto found = ctx.FindSession(session_id);
  if (!found.ok()) return found.status();
  auto a = ctx.attendance.ForSession(session_id, found->session.starts_at);
  if (!a.ok()) return a.status();
  if (json_out) {
    json j = SessionJson(*a);
    j["members"] = json::array();
    for (const auto& m : a->members) {
      j["members"].push_back({{"id", m.member_id}, {"name", m.name}, {"phone", m.phone}, {"answer", AnswerToken(m.answer)}});
    }
    out << Dump(j, 2) << "\n";
    return Status::OK();
  }
  out << Heading(*a) << " (group " << a->group.id << ")" << (a->session.cancelled ? "  CANCELLED" : "") << "\n"
      << HeadcountText(a->count) << "\n";
  size_t width = 0;
  for (const auto& m : a->members) width = std::max(width, DisplayWidth(m.name));
  for (const auto& m : a->members) {
    out << "  " << PadRight(m.name, width) << "  " << MaskPhone(m.phone) << "  " << AnswerText(m.answer) << "\n";
  }
  if (a->members.empty()) out << "  (the group has no members)\n";
  out << UnreadableLine(*a);
  return Status::OK();
}

Status ReportInbox(CtlContext& ctx, int limit, bool json_out, std::ostream& out) {
  auto entries = ctx.replies.RecentInbox(limit);
  if (!entries.ok()) return entries.status();
  std::vector<std::string> ids;
  for (const auto& e : *entries) {
    if (!e.member.empty()) ids.push_back(e.member);
  }
  auto names = ctx.MemberNames(ids);
  if (!names.ok()) return names.status();
  auto name_of = [&](const std::string& id) -> std::string {
    auto it = names->find(id);
    return it == names->end() ? "" : it->second;  // her number is shown instead
  };
  const date::time_zone* zone = FindTimeZone(ctx.config.reminders.timezone);
  if (json_out) {
    json list = json::array();
    for (const auto& e : *entries) {
      list.push_back({{"id", e.id}, {"received_at", e.received_at}, {"member", e.member}, {"name", name_of(e.member)},
                      {"from", e.from}, {"group", e.group}, {"session", e.session}, {"reason", e.reason},
                      {"body", e.body}});
    }
    out << Dump(list, 2) << "\n";
    return Status::OK();
  }
  if (entries->empty()) {
    out << "The inbox is empty.\n";
    return Status::OK();
  }
  for (const auto& e : *entries) {
    auto when = ParseRfc3339(e.received_at);
    const std::string who = name_of(e.member).empty() ? MaskPhone(e.from) : name_of(e.member);
    out << (when.ok() ? ShortLocalTime(*when, zone) : e.received_at) << "  " << who << "  "
        << (e.session.empty() ? "(no session)" : "session " + e.session) << "  " << e.reason << "\n"
        << "    " << Dump(json(e.body)) << "\n";
  }
  return Status::OK();
}

}  // namespace checkin
