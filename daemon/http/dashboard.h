// Dashboard: GET /dashboard, one plain page for coordinators (docs/dashboard.md).
//
//   - upcoming sessions (the next 8 days, cancelled ones marked) with
//     coming / maybe / not coming / no answer counts and who said what
//     (names only: no phone numbers on the page);
//   - the inbox: the latest 20 replies that were not a clear answer.
//
// Three separable steps, so each is tested on its own:
//   CheckDashboardAuth  the Authorization header against dashboard.user and
//                       the password (HTTP basic auth, constant-time compare);
//   ReadDashboard       what the page shows, read from Redis (AttendanceReader,
//                       ReplyStore::RecentInbox);
//   RenderDashboard     data -> HTML: a pure function, every value escaped,
//                       times in each group's zone, no script, no external
//                       asset (the Content-Security-Policy forbids both).
// ServeDashboard puts them together for the listener (webhook_server.cc).
//
// Thread-safety: pure functions, except ReadDashboard, which reads through
// thread-safe stores.
#ifndef CHECKIN_DAEMON_DASHBOARD_H_
#define CHECKIN_DAEMON_DASHBOARD_H_

#include <spdlog/logger.h>

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/concern_store.h"
#include "schema/attendance.h"
#include "checkin/config.h"
#include "checkin/reply_store.h"
#include "checkin/status.h"
#include "checkin/store.h"
#include "schema/records.h"
#include "schema/session_source.h"

namespace checkin {

constexpr std::chrono::hours kDashboardWindow{24 * 8};  // sessions shown ahead
constexpr int kDashboardInboxEntries = 20;
constexpr int kDashboardConcerns = 100;  // open concerns shown; all of them, in practice

// One inbox entry, with what the page shows for it.
struct InboxRow {
  InboxEntry entry;
  std::string who;            // the member's name, else the masked number
  std::string session_title;  // "" when no session was in context
  Instant session_starts_at{};                // when session_title is set
  const date::time_zone* zone = nullptr;      // the group's, else the default
};

struct DashboardData {
  Instant now{};
  const date::time_zone* zone = nullptr;  // the config's default zone ("updated at")
  std::vector<Attendance> sessions;       // by start time
  std::vector<InboxRow> inbox;            // newest first
  std::vector<Concern> concerns;          // open safeguarding concerns, shown above everything
  // Keys of the wrong type met outside a session (the inbox stream, the
  // concerns' keys, an inbox member's hash): reported once, named on the
  // page, what they hold left out. A session's own are in its Attendance.
  std::vector<std::string> unreadable;
  bool concerns_unreadable = false;       // the open concerns could not be listed
  bool inbox_unreadable = false;          // the inbox could not be read
};

// Reads the page's data as of `now`. Unavailable when Redis cannot be
// reached; a key of the wrong type is reported once (the SessionSource's
// BadRecordReporter) and shown as unreadable, never an error.
Result<DashboardData> ReadDashboard(Store& store, SessionSource& sessions, ReplyStore& replies,
                                    ConcernStore& concerns, const RecordDefaults& defaults, Instant now);

// The whole page (200).
std::string RenderDashboard(const DashboardData& data);
// The page's body for 401 and 503.
std::string RenderDashboardUnauthorized();
std::string RenderDashboardUnavailable();

// `text` with & < > " ' as character references.
std::string HtmlEscape(std::string_view text);

enum class DashboardAccess {
  kDisabled,     // dashboard.user is "" (or no password is known): 404
  kMissing,      // no Authorization header, or not "Basic": 401
  kMalformed,    // "Basic" with bad base64 or no ':': 401
  kWrongCredentials,  // 401
  kGranted,
};

struct DashboardAuth {
  DashboardAccess access = DashboardAccess::kMissing;
  std::string user;  // as presented (kWrongCredentials, kGranted): for logs; never the password
};

// Checks an Authorization header value ("Basic base64(user:password)", RFC
// 7617) against dashboard.user and dashboard.password. Both are compared
// whole and in constant time, so timing tells nothing about either.
DashboardAuth CheckDashboardAuth(std::string_view authorization, const Config::Dashboard& dashboard);

// What the listener sends back.
struct DashboardResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string content_type = "text/html; charset=utf-8";
  std::string body;
};

// Reads the page's data with the current config; unset: the route answers 404.
using DashboardReader = std::function<Result<DashboardData>(const Config&)>;

// GET /dashboard: auth, read, render. Failed logins are logged at warn with
// the client's address and the user name tried (never the password).
DashboardResponse ServeDashboard(const Config& config, std::string_view authorization, const std::string& client,
                                 const DashboardReader& read, spdlog::logger& log);

}  // namespace checkin

#endif  // CHECKIN_DAEMON_DASHBOARD_H_
