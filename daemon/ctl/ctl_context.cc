#include "ctl/ctl_context.h"

#include "config/templates.h"
#include "schema/recurrence.h"
#include "text/utf8.h"

namespace checkin {

CtlContext::CtlContext(Store& store_in, ReplyStore& replies_in, const Config& config_in, Instant now_in,
                       std::shared_ptr<spdlog::logger> logger)
    : store(store_in),
      replies(replies_in),
      config(config_in),
      now(now_in),
      defaults(RecordDefaultsOf(config_in)),
      sessions(store_in, config_in.redis.prefix, defaults, std::make_shared<BadRecordReporter>(std::move(logger))),
      attendance(store_in, sessions, defaults) {}

Instant CtlContext::NearFor(const std::string& session_id) const {
  return ApproximateOccurrenceStart(session_id).value_or(now);
}

Result<PlannableSession> CtlContext::FindSession(const std::string& session_id) {
  auto ps = sessions.LoadSession(session_id, NearFor(session_id));
  if (ps.ok() || ps.status().IsUnavailable()) return ps;
  if (ps.status().IsNotFound()) {
    return Status::NotFound("no session " + session_id + " (checkinctl sessions lists the upcoming ones)");
  }
  return Status::InvalidArgument("session " + session_id + " cannot be read: " + ps.status().message());
}

Result<std::map<std::string, std::string>> CtlContext::MemberNames(const std::vector<std::string>& member_ids) {
  auto records = store.MembersFields(member_ids);
  if (!records.ok()) return records.status();
  std::map<std::string, std::string> names;
  for (const auto& [id, record] : *records) {
    if (!record.ok()) {
      sessions.reporter().Report(config.redis.prefix + "member:" + id, record.status());
      continue;
    }
    auto name = record->find("name");
    if (name != record->end()) names[id] = name->second;
  }
  return names;
}

size_t DisplayWidth(const std::string& s) { return CodePointCount(s); }

std::string DescribeSession(const PlannableSession& ps) {
  std::string s = ps.session.title + ", " + ShortLocalTime(ps.session.starts_at, ps.zone);
  if (!ps.session.venue.empty()) s += ", " + ps.session.venue;
  return s + " (group " + ps.group.id + ")";
}

std::string PadRight(const std::string& s, size_t width) {
  const size_t w = DisplayWidth(s);
  return w >= width ? s : s + std::string(width - w, ' ');
}

}  // namespace checkin
