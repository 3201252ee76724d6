#include "store/job_record.h"

namespace checkin {

int64_t FieldInt(const FieldMap& f, const std::string& key, int64_t fallback) {
  auto it = f.find(key);
  if (it == f.end() || it->second.empty()) return fallback;
  try {
    return std::stoll(it->second);
  } catch (const std::exception&) {
    return fallback;
  }
}

namespace {

struct KindName {
  JobKind kind;
  const char* name;
};

// Stored in every job record: never rename one.
constexpr KindName kJobKindNames[] = {
    {JobKind::kReminder, "reminder"}, {JobKind::kForward, "forward"},     {JobKind::kDigest, "digest"},
    {JobKind::kFollowUp, "follow_up"}, {JobKind::kCancelled, "cancelled"}, {JobKind::kAlert, "alert"},
};

}  // namespace

const char* JobKindName(JobKind kind) {
  for (const KindName& k : kJobKindNames) {
    if (k.kind == kind) return k.name;
  }
  return "reminder";
}

std::optional<JobKind> JobKindFromName(const std::string& name) {
  for (const KindName& k : kJobKindNames) {
    if (name == k.name) return k.kind;
  }
  return std::nullopt;
}

bool IsMemberJob(JobKind kind) {
  return kind == JobKind::kReminder || kind == JobKind::kFollowUp || kind == JobKind::kCancelled;
}

bool IsFixedTextJob(JobKind kind) { return kind == JobKind::kForward || kind == JobKind::kAlert; }

FieldMap JobSpecToFields(const JobSpec& spec, Millis created_at) {
  FieldMap f;
  f["kind"] = JobKindName(spec.kind);
  f["session"] = spec.session_id;
  f["member"] = spec.member_id;
  f["session_starts_at"] = std::to_string(spec.session_starts_at.time_since_epoch().count());
  f["planned_at"] = std::to_string(spec.planned_at.time_since_epoch().count());
  f["due_at"] = std::to_string(spec.due_at.time_since_epoch().count());
  if (spec.superseded_at) f["superseded_at"] = std::to_string(spec.superseded_at->time_since_epoch().count());
  if (IsFixedTextJob(spec.kind)) {
    f["to"] = spec.to;
    f["body"] = spec.body;
  }
  f["created_at"] = std::to_string(created_at);
  return f;
}

Result<JobSpec> JobSpecFromFields(const std::string& id, const FieldMap& f) {
  JobSpec spec;
  spec.id = id;
  auto get = [&](const char* k) {
    auto it = f.find(k);
    return it == f.end() ? std::string() : it->second;
  };
  auto kind = JobKindFromName(get("kind"));
  if (!kind) return Status::InvalidArgument("job " + id + ": unknown kind '" + get("kind") + "'");
  spec.kind = *kind;
  spec.session_id = get("session");
  spec.member_id = get("member");
  spec.to = get("to");
  spec.body = get("body");
  if (IsMemberJob(spec.kind) && (spec.session_id.empty() || spec.member_id.empty())) {
    return Status::InvalidArgument("job " + id + ": no session or member");
  }
  if (spec.kind == JobKind::kDigest && spec.session_id.empty()) {
    return Status::InvalidArgument("job " + id + ": no session");
  }
  if (IsFixedTextJob(spec.kind) && (spec.to.empty() || spec.body.empty())) {
    return Status::InvalidArgument("job " + id + ": no number or text");
  }
  spec.session_starts_at = Instant(std::chrono::seconds(FieldInt(f, "session_starts_at")));
  spec.planned_at = Instant(std::chrono::seconds(FieldInt(f, "planned_at")));
  spec.due_at = Instant(std::chrono::seconds(FieldInt(f, "due_at")));
  if (!get("superseded_at").empty()) spec.superseded_at = Instant(std::chrono::seconds(FieldInt(f, "superseded_at")));
  return spec;
}

const char* OutcomeName(JobOutcome::Kind kind) {
  switch (kind) {
    case JobOutcome::Kind::kSent: return "sent";
    case JobOutcome::Kind::kFailed: return "failed";
    case JobOutcome::Kind::kSkipped: return "skipped";
    case JobOutcome::Kind::kRetry: return "retry";
  }
  return "retry";
}

std::vector<std::string> OutcomeFields(const JobOutcome& o, Millis now) {
  std::vector<std::string> f;
  auto add = [&](const std::string& k, const std::string& v) {
    f.push_back(k);
    f.push_back(v);
  };
  add("finished_at", std::to_string(now));
  switch (o.kind) {
    case JobOutcome::Kind::kSent:
      add("sid", o.sid);
      add("twilio_status", o.twilio_status);
      add("segments", std::to_string(o.segments));
      add("in_doubt", "0");
      if (o.reconciled) add("reconciled", "1");
      break;
    case JobOutcome::Kind::kFailed:
    case JobOutcome::Kind::kRetry:
      add("error_code", std::to_string(o.error_code));
      add("reason", o.reason);
      if (o.in_doubt) add("in_doubt", "1");
      break;
    case JobOutcome::Kind::kSkipped:
      add("reason", o.reason);
      break;
  }
  return f;
}

}  // namespace checkin
