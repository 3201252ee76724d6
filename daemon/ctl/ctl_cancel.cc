#include "ctl/ctl_cancel.h"

#include <algorithm>
#include <cctype>

namespace checkin {
namespace {

bool Confirmed(std::istream& in) {
  std::string answer;
  if (!std::getline(in, answer)) return false;
  std::transform(answer.begin(), answer.end(), answer.begin(), [](unsigned char c) { return std::tolower(c); });
  answer.erase(std::remove_if(answer.begin(), answer.end(), [](unsigned char c) { return std::isspace(c); }),
               answer.end());
  return answer == "y" || answer == "yes";
}

}  // namespace

Status CancelSession(CtlContext& ctx, const std::string& session_id, bool yes, std::istream& in, std::ostream& out) {
  auto ps = ctx.FindSession(session_id);
  if (!ps.ok()) return ps.status();
  if (ps->session.cancelled) {
    out << "Already cancelled: " << DescribeSession(*ps) << "\n";
    return Status::OK();
  }
  if (ps->session.starts_at <= ctx.now) {
    return Status::InvalidArgument("session " + session_id + " has already started: " + DescribeSession(*ps));
  }
  if (!yes) {
    out << "Cancel " << DescribeSession(*ps) << "?\nMembers already reminded will get the cancelled text. [y/N] "
        << std::flush;
    if (!Confirmed(in)) return Status::FailedPrecondition("not cancelled (answer y to cancel, or pass --yes)");
  }
  CHECKIN_RETURN_IF_ERROR(ctx.store.MarkSessionCancelled(session_id));
  out << "Cancelled: " << DescribeSession(*ps) << "\n";
  if (!ps->session.schedule_id.empty()) {
    out << "This is one occurrence of schedule " << ps->session.schedule_id << "; its other sessions go ahead.\n";
  }
  out << "checkind texts the members it already reminded and sends no more reminders for it.\n";
  return Status::OK();
}

}  // namespace checkin
