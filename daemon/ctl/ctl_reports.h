// checkinctl's read-only reports for coordinators:
//   sessions  upcoming sessions with their headcount (cancelled ones marked)
//   session   who said what for one session
//   inbox     the latest replies that were not a clear yes/no/maybe
// Each prints a table for people, or JSON with --json. Tables mask phone
// numbers (MaskPhone); only JSON has them in full, for scripts.
//
// Thread-safety: as CtlContext (one thread).
#ifndef CHECKIN_DAEMON_CTL_REPORTS_H_
#define CHECKIN_DAEMON_CTL_REPORTS_H_

#include <chrono>
#include <ostream>
#include <string>

#include "checkin/status.h"
#include "ctl/ctl_context.h"

namespace checkin {

// Sessions starting in (now, now + days], by start.
Status ReportSessions(CtlContext& ctx, int days, bool json, std::ostream& out);
// NotFound when there is no such session.
Status ReportSession(CtlContext& ctx, const std::string& session_id, bool json, std::ostream& out);
// The latest `limit` inbox entries, newest first.
Status ReportInbox(CtlContext& ctx, int limit, bool json, std::ostream& out);

// "coming", "maybe", "not coming", "no answer", "opted out" for a
// MemberAnswer::answer; AnswerToken gives the JSON form ("yes", "no",
// "maybe", "none", "opted_out").
std::string AnswerText(const std::string& answer);
std::string AnswerToken(const std::string& answer);

}  // namespace checkin

#endif  // CHECKIN_DAEMON_CTL_REPORTS_H_
