// SessionSource: what there is to plan, read from the Store.
//
// One-off sessions come from the `sessions` sorted set inside the look-ahead
// window; recurring schedules are expanded (recurrence.h) into occurrences,
// each overridable by a stored session hash of the occurrence's id (that is
// how one occurrence is cancelled or moved). Groups and members are
// resolved and validated. A record that breaks schema v1 is reported once
// (key and reason, at warning level) and skipped; everyone else is planned.
// A key of the wrong type (a member's hash that is a string, a group's
// members that are not a set, `sessions` or `schedules` of another type) is
// such a record, reported under its own key.
//
// Thread-safety: safe for concurrent access (its only state is the record
// defaults, behind a mutex; the Store and the reporter are thread-safe).
#ifndef CHECKIN_DAEMON_SESSION_SOURCE_H_
#define CHECKIN_DAEMON_SESSION_SOURCE_H_

#include <spdlog/logger.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "checkin/model.h"
#include "checkin/store.h"
#include "schema/records.h"

namespace date {
class time_zone;
}

namespace checkin {

// Logs each (key, reason) once per process at warning level; thread-safe.
// A WrongTypeError (checkin/store.h) is logged under the key it names,
// whatever `key` it came with, so a bad key is reported once however many
// records lead to it.
class BadRecordReporter {
 public:
  explicit BadRecordReporter(std::shared_ptr<spdlog::logger> logger) : logger_(std::move(logger)) {}
  void Report(const std::string& key, const Status& status);
  size_t reported() const;

 private:
  std::shared_ptr<spdlog::logger> logger_;
  mutable std::mutex mu_;
  std::set<std::string> seen_;
};

struct PlannableSession {
  Session session;
  Group group;
  const date::time_zone* zone = nullptr;
  std::vector<std::string> member_ids;  // members whose records are valid (none for a cancelled session)
};

class SessionSource {
 public:
  // `key_prefix` ("checkin:") only names keys in reports.
  SessionSource(Store& store, std::string key_prefix, RecordDefaults defaults,
                std::shared_ptr<BadRecordReporter> reporter);

  // Sessions starting in (now, now + lookahead], with valid groups and
  // members, by start time; cancelled ones only with `include_cancelled`
  // (session.cancelled tells them apart). Unavailable when Redis is down
  // (nothing is planned then).
  Result<std::vector<PlannableSession>> Load(Instant now, std::chrono::seconds lookahead,
                                             bool include_cancelled = false);
  // The same for sessions starting in (after, until], past ones too (the
  // register after a session, the report over months).
  Result<std::vector<PlannableSession>> LoadStartingBetween(Instant after, Instant until,
                                                            bool include_cancelled = false);

  // One session as it is now (for the check at send time), members not
  // loaded. NotFound when it no longer exists (deleted, or an occurrence
  // its schedule no longer produces); InvalidArgument for a broken record.
  Result<PlannableSession> LoadSession(const std::string& session_id, Instant near);
  // The same for a one-off session whose hash was already read (`fields`,
  // empty when it does not exist): only the group is read.
  Result<PlannableSession> SessionFromFields(const std::string& session_id, const FieldMap& fields);
  // Whether `session_id` names an occurrence of a schedule ("<schedule>@...").
  static bool IsOccurrenceId(const std::string& session_id) { return session_id.find('@') != std::string::npos; }

  // The defaults used from the next read on (SIGHUP: region,
  // default_language, reminders.timezone).
  void SetDefaults(RecordDefaults defaults);
  RecordDefaults defaults() const;
  // Where the readers beside it (attendance, the send-time checks, replies,
  // the dashboard) report a record they skip, so each is reported once.
  BadRecordReporter& reporter() { return *reporter_; }
  const std::string& key_prefix() const { return prefix_; }

 private:
  Result<Group> LoadGroup(const std::string& group_id);
  Status LoadOneOffs(Instant after, Instant until, bool include_cancelled, std::vector<PlannableSession>& out);
  Status LoadScheduled(Instant after, Instant until, bool include_cancelled, std::vector<PlannableSession>& out);
  // Applies a stored override hash to a generated occurrence.
  Result<Session> ApplyOverride(Session occurrence);
  Result<std::vector<Session>> ExpandStoredSchedule(const std::string& schedule_id, Instant from, Instant to);
  Status AttachMembers(PlannableSession& ps);

  Store& store_;
  std::string prefix_;
  mutable std::mutex defaults_mu_;
  RecordDefaults defaults_;
  std::shared_ptr<BadRecordReporter> reporter_;
};

}  // namespace checkin

#endif  // CHECKIN_DAEMON_SESSION_SOURCE_H_
