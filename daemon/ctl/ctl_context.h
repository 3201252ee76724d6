// CtlContext: what checkinctl's session reports and actions share: the
// store, the config, "now", and the readers built on them (SessionSource,
// AttendanceReader), plus formatting for people (times in a group's zone).
//
// Thread-safety: one per command run, used by one thread.
#ifndef CHECKIN_DAEMON_CTL_CONTEXT_H_
#define CHECKIN_DAEMON_CTL_CONTEXT_H_

#include <spdlog/logger.h>

#include <memory>
#include <string>

#include "schema/attendance.h"
#include "checkin/clock.h"
#include "checkin/config.h"
#include "schema/records.h"
#include "store/redis_store.h"
#include "schema/session_source.h"
#include "time/zone.h"  // ShortLocalTime, LocalRfc3339 for the reports

namespace checkin {

class CtlContext {
 public:
  // `logger` hears about records that break schema v1 (warning level).
  CtlContext(RedisStore& store, const Config& config, Instant now, std::shared_ptr<spdlog::logger> logger);
  CtlContext(const CtlContext&) = delete;
  CtlContext& operator=(const CtlContext&) = delete;

  RedisStore& store;
  const Config& config;
  const Instant now;
  const RecordDefaults defaults;
  SessionSource sessions;
  AttendanceReader attendance;

  // Where to look for a session: an occurrence id "<schedule>@20261201T1000"
  // around its own date, anything else around now.
  Instant NearFor(const std::string& session_id) const;
  // The session, or a message a coordinator understands: NotFound "no
  // session X (checkinctl sessions lists them)", InvalidArgument for a
  // broken record; Unavailable when Redis is down.
  Result<PlannableSession> FindSession(const std::string& session_id);
};

// Pads `s` with spaces to `width` characters (UTF-8 code points).
std::string PadRight(const std::string& s, size_t width);
size_t DisplayWidth(const std::string& s);

}  // namespace checkin

#endif  // CHECKIN_DAEMON_CTL_CONTEXT_H_
