// `checkinctl attended SESSION MEMBER... [--remove]`: the register by hand.
//
// Adds the members to (or, with --remove, takes them off) the session's
// register, P session:<id>:attended (SPEC "Attendance"), which expires with
// the session's answers (its end plus retention_days). Every member must
// belong to the session's group, and the session must have started and not
// be cancelled; otherwise nothing is written. Prints who is on the register
// afterwards, by name.
//
// Thread-safety: as CtlContext (one thread).
#ifndef CHECKIN_DAEMON_CTL_ATTENDED_H_
#define CHECKIN_DAEMON_CTL_ATTENDED_H_

#include <ostream>
#include <string>
#include <vector>

#include "checkin/status.h"
#include "ctl/ctl_context.h"

namespace checkin {

// NotFound for an unknown session; InvalidArgument for a session that has
// not started or was cancelled, or a member not in its group.
Status MarkRegister(CtlContext& ctx, const std::string& session_id, const std::vector<std::string>& member_ids,
                    bool remove, std::ostream& out);

}  // namespace checkin

#endif  // CHECKIN_DAEMON_CTL_ATTENDED_H_
