#include "ctl/ctl_attended.h"

#include <algorithm>

namespace checkin {
namespace {

// "Amy, Bea and Chloe" (the id for a member without a name).
Result<std::string> Names(CtlContext& ctx, const std::vector<std::string>& member_ids) {
  auto names = ctx.MemberNames(member_ids);
  if (!names.ok()) return names.status();
  std::string out;
  for (size_t i = 0; i < member_ids.size(); ++i) {
    const auto name = names->find(member_ids[i]);
    if (i > 0) out += i + 1 == member_ids.size() ? " and " : ", ";
    out += name == names->end() || name->second.empty() ? member_ids[i] : name->second;
  }
  return out;
}

}  // namespace

Status MarkRegister(CtlContext& ctx, const std::string& session_id, const std::vector<std::string>& member_ids,
                    bool remove, std::ostream& out) {
  auto ps = ctx.FindSession(session_id);
  if (!ps.ok()) return ps.status();
  if (ps->session.cancelled) {
    return Status::InvalidArgument("session " + session_id + " was cancelled: " + DescribeSession(*ps));
  }
  if (ps->session.starts_at > ctx.now) {
    return Status::InvalidArgument("session " + session_id + " has not started yet: " + DescribeSession(*ps));
  }
  auto members = ctx.store.GroupMemberIds(ps->group.id);
  if (!members.ok()) return members.status();
  for (const std::string& id : member_ids) {
    if (std::find(members->begin(), members->end(), id) == members->end()) {
      return Status::InvalidArgument("member " + id + " is not in group " + ps->group.id +
                                     " (checkinctl session " + session_id + " lists its members); nothing marked");
    }
  }
  auto changed = ctx.store.MarkAttended(session_id, member_ids, !remove, ps->session.ends_at + ctx.config.retention);
  if (!changed.ok()) return changed.status();
  auto register_now = ctx.store.Attended(session_id);
  if (!register_now.ok()) return register_now.status();
  auto names = Names(ctx, *register_now);
  if (!names.ok()) return names.status();
  out << (remove ? "Taken off" : "Marked as came") << ": " << *changed << " of " << member_ids.size() << " changed, "
      << DescribeSession(*ps) << "\n";
  out << "Came: " << register_now->size();
  if (!register_now->empty()) out << " (" << *names << ")";
  out << "\n";
  return Status::OK();
}

}  // namespace checkin
