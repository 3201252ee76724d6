#include "ctl/ctl_context.h"

#include <date/date.h>
#include <date/tz.h>

#include <cstdio>

#include "config/templates.h"
#include "text/utf8.h"
#include "time/zone.h"

namespace checkin {

CtlContext::CtlContext(RedisStore& store_in, const Config& config_in, Instant now_in,
                       std::shared_ptr<spdlog::logger> logger)
    : store(store_in),
      config(config_in),
      now(now_in),
      defaults(RecordDefaultsOf(config_in)),
      sessions(store_in, store_in.keys().prefix(), defaults, std::make_shared<BadRecordReporter>(std::move(logger))),
      attendance(store_in, sessions, defaults) {}

Instant CtlContext::NearFor(const std::string& session_id) const {
  const size_t at = session_id.rfind('@');
  if (at == std::string::npos) return now;
  // The local start read as UTC is within a day of the real one; the
  // session source searches three days either side.
  int y = 0;
  unsigned m = 0, d = 0, hh = 0, mm = 0;
  char tail = 0;
  if (std::sscanf(session_id.c_str() + at + 1, "%4d%2u%2uT%2u%2u%c", &y, &m, &d, &hh, &mm, &tail) != 5) return now;
  const date::year_month_day ymd{date::year{y}, date::month{m}, date::day{d}};
  if (!ymd.ok()) return now;
  return date::sys_days{ymd} + std::chrono::hours(hh) + std::chrono::minutes(mm);
}

Result<PlannableSession> CtlContext::FindSession(const std::string& session_id) {
  auto ps = sessions.LoadSession(session_id, NearFor(session_id));
  if (ps.ok() || ps.status().IsUnavailable()) return ps;
  if (ps.status().IsNotFound()) {
    return Status::NotFound("no session " + session_id + " (checkinctl sessions lists the upcoming ones)");
  }
  return Status::InvalidArgument("session " + session_id + " cannot be read: " + ps.status().message());
}

size_t DisplayWidth(const std::string& s) { return CodePointCount(s); }

std::string PadRight(const std::string& s, size_t width) {
  const size_t w = DisplayWidth(s);
  return w >= width ? s : s + std::string(width - w, ' ');
}

}  // namespace checkin
