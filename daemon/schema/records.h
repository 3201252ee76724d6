// Schema v1 records: Redis hashes written by other systems, parsed and
// validated into model values (include/checkin/model.h).
//
// Every error is InvalidArgument naming the field and the reason, never the
// full phone number, so the caller can log "<key>: <reason>" once and skip
// the record while everyone else still gets their reminder.
//
// Thread-safety: pure functions.
#ifndef CHECKIN_DAEMON_RECORDS_H_
#define CHECKIN_DAEMON_RECORDS_H_

#include <map>
#include <string>

#include "checkin/clock.h"
#include "checkin/config.h"
#include "checkin/model.h"
#include "checkin/status.h"

namespace date {
class time_zone;
}

namespace checkin {

using Fields = std::map<std::string, std::string>;  // one HGETALL

struct RecordDefaults {
  std::string region = "GB";                // for national phone numbers
  std::string language = "en";              // members without `language`
  std::string timezone = "Europe/London";   // groups without `timezone`
};

// The defaults a config gives: region, default_language, reminders.timezone.
inline RecordDefaults RecordDefaultsOf(const Config& c) {
  return {c.region, c.default_language, c.reminders.timezone};
}

Result<Member> ParseMember(const std::string& id, const Fields& fields, const RecordDefaults& defaults);
Result<Group> ParseGroup(const std::string& id, const Fields& fields, const RecordDefaults& defaults);
// Title and venue stay empty when absent: ApplyGroupDefaults fills them.
Result<Session> ParseSession(const std::string& id, const Fields& fields);
void ApplyGroupDefaults(Session& session, const Group& group);
// An empty timezone is left empty: the caller resolves it (group's, then
// the config's default).
Result<Schedule> ParseSchedule(const std::string& id, const Fields& fields);

// RFC 3339 with an explicit offset: "2026-12-01T10:00:00+00:00",
// "2026-12-01T10:00:00Z", fractional seconds allowed (truncated).
Result<Instant> ParseRfc3339(const std::string& text);
// "2026-12-01T10:00:00Z"
std::string FormatRfc3339(Instant t);

}  // namespace checkin

#endif  // CHECKIN_DAEMON_RECORDS_H_
