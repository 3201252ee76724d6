// Loggers for journald: one line per event on stderr, no timestamp (journald
// adds it), a syslog "<N>" priority prefix so `journalctl -p warning` works.
//
// Components take a std::shared_ptr<spdlog::logger> (Default: NullLogger()).
// Phone numbers are logged masked (MaskPhone in phone.h) and message bodies
// only at debug level.
//
// Thread-safety: every function may be called from any thread; a logger's
// level may change (SetFamilyLevel) while other threads log.
#ifndef CHECKIN_DAEMON_LOGGING_H_
#define CHECKIN_DAEMON_LOGGING_H_

#include <spdlog/logger.h>

#include <memory>
#include <string>

#include "checkin/status.h"

namespace checkin {

// "<6>planner: planned 12 reminders for session s1"
std::shared_ptr<spdlog::logger> MakeJournalLogger(const std::string& name,
                                                  spdlog::level::level_enum level);
// A logger for the same sink with another name (component), at the
// parent's level.
std::shared_ptr<spdlog::logger> ChildLogger(const std::shared_ptr<spdlog::logger>& parent,
                                            const std::string& name);
// Sets `level` on `logger` and on every logger ChildLogger made that writes
// to the same sink (its children, theirs, its siblings): a SIGHUP that
// changes log_level reaches components that copied their logger at start.
void SetFamilyLevel(const std::shared_ptr<spdlog::logger>& logger, spdlog::level::level_enum level);
// Discards everything.
std::shared_ptr<spdlog::logger> NullLogger();

// "trace", "debug", "info", "warn", "error".
Result<spdlog::level::level_enum> ParseLogLevel(const std::string& name);

}  // namespace checkin

#endif  // CHECKIN_DAEMON_LOGGING_H_
