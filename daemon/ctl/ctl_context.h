// CtlContext: what checkinctl's session reports and actions share: the
// stores (the interfaces; checkinctl.cc opens the Redis ones), the config,
// "now", and the readers built on them (SessionSource, AttendanceReader),
// plus formatting for people (times in a group's zone).
//
// Thread-safety: one per command run, used by one thread.
#ifndef CHECKIN_DAEMON_CTL_CONTEXT_H_
#define CHECKIN_DAEMON_CTL_CONTEXT_H_

#include <spdlog/logger.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "schema/attendance.h"
#include "checkin/clock.h"
#include "checkin/config.h"
#include "checkin/reply_store.h"
#include "checkin/store.h"
#include "schema/records.h"
#include "schema/session_source.h"
#include "time/zone.h"  // ShortLocalTime, LocalRfc3339 for the reports

namespace checkin {

class CtlContext {
 public:
  // `logger` hears about records that break schema v1 (warning level).
  CtlContext(Store& store, ReplyStore& replies, const Config& config, Instant now,
             std::shared_ptr<spdlog::logger> logger);
  CtlContext(const CtlContext&) = delete;
  CtlContext& operator=(const CtlContext&) = delete;

  Store& store;
  ReplyStore& replies;
  const Config& config;
  const Instant now;
  const RecordDefaults defaults;
  SessionSource sessions;
  AttendanceReader attendance;

  // Where to look for a session: an occurrence id "<schedule>@20261201T1000"
  // around the start it carries (ApproximateOccurrenceStart), anything else
  // around now.
  Instant NearFor(const std::string& session_id) const;
  // The session, or a message a coordinator understands: NotFound "no
  // session X (checkinctl sessions lists them)", InvalidArgument for a
  // broken record; Unavailable when Redis is down.
  Result<PlannableSession> FindSession(const std::string& session_id);
  // Member id -> her name, read in one round trip: "" for a member with no
  // record or no name, or whose record is of the wrong type (reported once).
  Result<std::map<std::string, std::string>> MemberNames(const std::vector<std::string>& member_ids);
};

// Pads `s` with spaces to `width` characters (UTF-8 code points).
std::string PadRight(const std::string& s, size_t width);
size_t DisplayWidth(const std::string& s);
// "Baby massage, Tue 1 Dec 10:00, Walkerburn hall (group baby-massage)"
std::string DescribeSession(const PlannableSession& ps);

}  // namespace checkin

#endif  // CHECKIN_DAEMON_CTL_CONTEXT_H_
