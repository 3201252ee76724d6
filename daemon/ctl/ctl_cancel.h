// `checkinctl cancel SESSION`: marks one session cancelled.
//
// Writes `status cancelled` to P session:<id> (Store::MarkSessionCancelled).
// For a one-off session that is its own hash; for an occurrence of a
// recurring schedule ("<schedule>@20261201T1000") it is the override hash
// of that occurrence (docs/planning.md section 6), which SessionSource
// merges into the generated one, so the schedule's other occurrences are
// untouched. Nothing else is written: checkind sees the status, drops the
// pending reminders and sends the `cancelled` text to members it already
// reminded.
//
// Thread-safety: as CtlContext (one thread).
#ifndef CHECKIN_DAEMON_CTL_CANCEL_H_
#define CHECKIN_DAEMON_CTL_CANCEL_H_

#include <istream>
#include <ostream>
#include <string>

#include "checkin/status.h"
#include "ctl/ctl_context.h"

namespace checkin {

// Without `yes`, asks on `out` and reads the answer from `in` (y or yes
// goes ahead; anything else, or end of input, cancels nothing and returns
// FailedPrecondition). NotFound for an unknown session; InvalidArgument for
// one that has already started. A session already cancelled is OK.
Status CancelSession(CtlContext& ctx, const std::string& session_id, bool yes, std::istream& in, std::ostream& out);

}  // namespace checkin

#endif  // CHECKIN_DAEMON_CTL_CANCEL_H_
