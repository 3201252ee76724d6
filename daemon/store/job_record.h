// Job records: how a JobSpec and a JobOutcome are written into the job hash
// (P {jobs}:job:<id>, fields in docs/redis-schema.md) and read back.
//
// Thread-safety: pure functions.
#ifndef CHECKIN_DAEMON_JOB_RECORD_H_
#define CHECKIN_DAEMON_JOB_RECORD_H_

#include <string>
#include <vector>

#include "checkin/store.h"

namespace checkin {

FieldMap JobSpecToFields(const JobSpec& spec, Millis created_at);
// InvalidArgument naming the job when a field is missing or unknown.
Result<JobSpec> JobSpecFromFields(const std::string& id, const FieldMap& fields);

// "sent", "failed", "skipped", "retry".
const char* OutcomeName(JobOutcome::Kind kind);
// The field/value pairs an outcome records, flattened for a script.
std::vector<std::string> OutcomeFields(const JobOutcome& outcome, Millis now);

// A number field, or `fallback` when absent or not a number.
int64_t FieldInt(const FieldMap& fields, const std::string& key, int64_t fallback = 0);

}  // namespace checkin

#endif  // CHECKIN_DAEMON_JOB_RECORD_H_
