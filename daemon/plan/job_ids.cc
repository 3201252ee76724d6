// Job ids: see job_ids.h. The encodings below are part of the queue's data:
// never change one.
#include "plan/job_ids.h"

#include "base/sha256.h"

namespace checkin {
namespace {

// "<length>:<bytes>" so that no choice of field values can collide.
void AppendField(std::string& out, const std::string& field) {
  out += std::to_string(field.size());
  out.push_back(':');
  out += field;
}

// The id tag of each kind, part of the hashed text: never change one.
const char* JobIdTag(JobKind kind) {
  switch (kind) {
    case JobKind::kReminder: return "reminder";
    case JobKind::kForward: return "forward";
    case JobKind::kDigest: return "digest";
    case JobKind::kFollowUp: return "follow_up";
    case JobKind::kCancelled: return "cancelled";
    case JobKind::kAlert: return "alert";
  }
  return "?";
}

std::string IdOf(const std::string& encoded) { return Sha256Hex(encoded).substr(0, 32); }

}  // namespace

std::string JobId(const std::string& session_id, const std::string& member_id, Instant starts_at,
                  Instant planned_at) {
  std::string encoded = "checkin-job-v1|";
  AppendField(encoded, session_id);
  AppendField(encoded, member_id);
  AppendField(encoded, std::to_string(starts_at.time_since_epoch().count()));
  AppendField(encoded, std::to_string(planned_at.time_since_epoch().count()));
  return IdOf(encoded);
}

std::string JobIdFor(JobKind kind, const std::string& session_id, const std::string& member_id, Instant starts_at,
                     Instant planned_at) {
  if (kind == JobKind::kReminder) return JobId(session_id, member_id, starts_at, planned_at);
  std::string encoded = "checkin-job-v2|";
  AppendField(encoded, JobIdTag(kind));
  AppendField(encoded, session_id);
  AppendField(encoded, member_id);
  AppendField(encoded, std::to_string(starts_at.time_since_epoch().count()));
  AppendField(encoded, std::to_string(planned_at.time_since_epoch().count()));
  return IdOf(encoded);
}

std::string CancellationJobId(const std::string& session_id, const std::string& member_id, Instant starts_at) {
  return JobIdFor(JobKind::kCancelled, session_id, member_id, starts_at, starts_at);
}

std::string ForwardJobId(const std::string& message_sid) { return IdOf("forward|" + message_sid); }

std::string AlertJobId(const std::string& concern_id, int step) {
  std::string encoded = "checkin-alert-v1|";
  AppendField(encoded, concern_id);
  AppendField(encoded, std::to_string(step));
  return IdOf(encoded);
}

std::string ConcernTakenJobId(const std::string& concern_id, const std::string& contact) {
  std::string encoded = "checkin-taken-v1|";
  AppendField(encoded, concern_id);
  AppendField(encoded, contact);
  return IdOf(encoded);
}

}  // namespace checkin
