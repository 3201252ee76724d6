#include "http/dashboard.h"

#include <date/tz.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <spdlog/fmt/fmt.h>

#include <cctype>
#include <map>
#include <optional>
#include <set>

#include "base/sha256.h"
#include "base/phone.h"
#include "time/zone.h"

namespace checkin {
namespace {

// ---------------------------------------------------------------- auth ---

// Standard base64 (RFC 4648) with OpenSSL. EVP_DecodeBlock wants a multiple
// of 4 characters, counts '=' padding as zero bytes in its result (so the
// padding is subtracted here) and reads a '=' in the middle as zero bits
// (so that is refused here); it refuses any other character outside the
// alphabet.
std::optional<std::string> DecodeBase64(std::string_view text) {
  if (text.empty() || text.size() % 4 != 0 || text.size() > 4096) return std::nullopt;
  size_t pad = 0;
  while (pad < 2 && text[text.size() - 1 - pad] == '=') ++pad;
  if (text.substr(0, text.size() - pad).find('=') != std::string_view::npos) return std::nullopt;
  std::string out(text.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (n < 0 || static_cast<size_t>(n) < pad) return std::nullopt;
  out.resize(static_cast<size_t>(n) - pad);
  return out;
}

// Equal-length digests compared with CRYPTO_memcmp: the time taken depends
// on neither value nor on their lengths.
bool SameSecret(const std::string& a, const std::string& b) {
  const std::string da = Sha256Hex(a), db = Sha256Hex(b);
  return CRYPTO_memcmp(da.data(), db.data(), da.size()) == 0;
}

bool StartsWithNoCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  }
  return true;
}

// A user name as tried, safe for a log line: printable ASCII, at most 64.
std::string LoggableUser(const std::string& user) {
  std::string out;
  for (char c : user.substr(0, 64)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  return user.size() > 64 ? out + "..." : out;
}

// ----------------------------------------------------------------- read ---

// Member names for the inbox's member ids.
// A member's hash of the wrong type is reported once; her number is shown.
Result<std::map<std::string, std::string>> MemberNames(Store& store, SessionSource& sessions,
                                                       const std::vector<InboxEntry>& entries) {
  std::set<std::string> ids;
  for (const auto& e : entries) {
    if (!e.member.empty()) ids.insert(e.member);
  }
  std::map<std::string, std::string> names;
  if (ids.empty()) return names;
  auto fields = store.MembersFields({ids.begin(), ids.end()});
  if (!fields.ok()) return fields.status();
  for (const auto& [id, record] : *fields) {
    if (!record.ok()) {
      sessions.reporter().Report(sessions.key_prefix() + "member:" + id, record.status());
      continue;
    }
    const FieldMap& f = *record;
    auto it = f.find("name");
    if (it != f.end() && !it->second.empty()) names[id] = it->second;
  }
  return names;
}

// What an inbox row says about its session, and its group's zone.
struct SessionLabel {
  std::string title;
  Instant starts_at{};
  const date::time_zone* zone = nullptr;
};

class InboxLabeler {
 public:
  InboxLabeler(Store& store, SessionSource& sessions, const RecordDefaults& defaults,
               const std::vector<Attendance>& upcoming)
      : store_(store), sessions_(sessions), default_zone_(FindTimeZone(defaults.timezone)) {
    for (const auto& a : upcoming) sessions_seen_[a.session.id] = {a.session.title, a.session.starts_at, a.zone};
  }

  Status Label(InboxRow& row, Instant now) {
    row.zone = default_zone_;
    const InboxEntry& e = row.entry;
    if (!e.session.empty()) {
      auto received = ParseRfc3339(e.received_at);
      auto label = LabelFor(e.session, received.ok() ? *received : now);
      if (!label.ok()) return label.status();
      row.session_title = label->title;
      row.session_starts_at = label->starts_at;
      if (label->zone) row.zone = label->zone;
      return Status::OK();
    }
    if (e.group.empty()) return Status::OK();
    auto zone = GroupZone(e.group);
    if (!zone.ok()) return zone.status();
    if (*zone) row.zone = *zone;
    return Status::OK();
  }

 private:
  Result<SessionLabel> LabelFor(const std::string& id, Instant near) {
    if (auto it = sessions_seen_.find(id); it != sessions_seen_.end()) return it->second;
    auto ps = sessions_.LoadSession(id, near);
    SessionLabel label{id, {}, nullptr};  // deleted or broken: its id says what it was
    if (ps.ok()) {
      label = {ps->session.title, ps->session.starts_at, ps->zone};
    } else if (ps.status().IsUnavailable()) {
      return ps.status();
    }
    sessions_seen_[id] = label;
    return label;
  }

  Result<const date::time_zone*> GroupZone(const std::string& group_id) {
    if (auto it = zones_.find(group_id); it != zones_.end()) return it->second;
    auto fields = store_.GroupFields(group_id);
    if (!fields.ok() && fields.status().IsUnavailable()) return fields.status();
    if (!fields.ok()) sessions_.reporter().Report(sessions_.key_prefix() + "group:" + group_id, fields.status());
    const FieldMap no_fields;
    const FieldMap& f = fields.ok() ? *fields : no_fields;  // the wrong type: the default zone
    auto tz = f.find("timezone");
    const date::time_zone* zone = tz == f.end() ? nullptr : FindTimeZone(tz->second);
    zones_[group_id] = zone;
    return zone;
  }

  Store& store_;
  SessionSource& sessions_;
  const date::time_zone* default_zone_;
  std::map<std::string, SessionLabel> sessions_seen_;
  std::map<std::string, const date::time_zone*> zones_;
};

// --------------------------------------------------------------- render ---

constexpr const char* kStyle =
    "body{font:16px/1.4 system-ui,sans-serif;margin:0 auto;max-width:40em;padding:0 .8em;color:#222}"
    "h1{font-size:1.3em;margin:1em 0 .3em}h2{font-size:1.1em;margin:0}"
    "section,article{border:1px solid #ccc;border-radius:6px;padding:.6em;margin:.6em 0}"
    ".cancelled{background:#f4f4f4;color:#666}.cancelled h2{text-decoration:line-through}"
    ".tag{background:#b00;color:#fff;border-radius:3px;padding:0 .3em;font-size:.8em}"
    "h1.concern{color:#b00}article.concern{border:2px solid #b00;background:#fff4f4}"
    ".meta,.when{color:#555;font-size:.9em;margin:.2em 0}.counts{margin:.3em 0}"
    "ul{margin:.2em 0;padding-left:1.2em}.body{white-space:pre-wrap;margin:.3em 0 0}";

std::string ReasonText(const std::string& reason) {
  if (reason == "unclear") return "not a clear yes/no";
  if (reason == "no_session") return "no session to match";
  if (reason == "unknown_sender") return "unknown number";
  if (reason == "help") return "asked for help";
  return reason;
}

std::string Page(const std::string& title, const std::string& body) {
  return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         "<title>" + HtmlEscape(title) + "</title>\n<style>" + kStyle + "</style></head>\n<body>\n" + body +
         "</body></html>\n";
}

// "<li>Coming: Amy, Bea</li>" for the members whose answer is `answer`.
std::string WhoSaid(const Attendance& a, const std::string& answer, const char* label) {
  std::string names;
  for (const auto& m : a.members) {
    if (m.answer != answer) continue;
    names += (names.empty() ? "" : ", ") + HtmlEscape(m.name);
  }
  return names.empty() ? "" : "<li>" + std::string(label) + ": " + names + "</li>";
}

// "Could not be read: <keys>" for keys of the wrong type, else "".
std::string UnreadableHtml(const std::vector<std::string>& keys) {
  if (keys.empty()) return "";
  std::string names;
  for (const auto& k : keys) names += (names.empty() ? "" : ", ") + k;
  return "<p class=\"meta unreadable\">Not shown: " + HtmlEscape(names) +
         " could not be read (wrong type in Redis; the daemon's log says more).</p>";
}

std::string SessionHtml(const Attendance& a) {
  const Headcount& c = a.count;
  std::string html = a.session.cancelled ? "<section class=\"cancelled\">" : "<section>";
  html += "<h2>" + HtmlEscape(a.session.title) + "</h2>";
  if (a.session.cancelled) html += "<p><span class=\"tag\">CANCELLED</span></p>";
  html += "<p class=\"when\">" + HtmlEscape(ShortLocalTime(a.session.starts_at, a.zone)) + " &middot; " +
          HtmlEscape(a.session.venue) + " &middot; " + HtmlEscape(a.group.name) + "</p>";
  html += fmt::format("<p class=\"counts\"><b>{}</b> coming, <b>{}</b> maybe, <b>{}</b> not coming, "
                      "<b>{}</b> no answer</p>",
                      c.coming, c.maybe, c.not_coming, c.no_answer);
  const std::string who = WhoSaid(a, "yes", "Coming") + WhoSaid(a, "maybe", "Maybe") +
                          WhoSaid(a, "no", "Not coming") + WhoSaid(a, "", "No answer") +
                          WhoSaid(a, "opted out", "Opted out (not counted)");
  html += who.empty() ? "<p class=\"meta\">No members in this group.</p>" : "<ul>" + who + "</ul>";
  html += UnreadableHtml(a.unreadable);
  return html + "</section>\n";
}

std::string InboxHtml(const InboxRow& row) {
  const InboxEntry& e = row.entry;
  auto received = ParseRfc3339(e.received_at);
  std::string meta = received.ok() ? ShortLocalTime(*received, row.zone) : e.received_at;
  meta += " \u00b7 " + row.who;
  if (!row.session_title.empty()) {
    meta += " \u00b7 " + row.session_title;
    if (row.session_starts_at != Instant{}) meta += " (" + ShortLocalTime(row.session_starts_at, row.zone) + ")";
  }
  meta += " \u00b7 " + ReasonText(e.reason);
  return "<article><p class=\"meta\">" + HtmlEscape(meta) + "</p><p class=\"body\">" + HtmlEscape(e.body) +
         "</p></article>\n";
}

// An open concern: who (her full number, to call back), when, her words.
std::string ConcernHtml(const Concern& c, const date::time_zone* zone) {
  auto received = ParseRfc3339(c.received_at);
  std::string meta = received.ok() ? ShortLocalTime(*received, zone) : c.received_at;
  meta += " \u00b7 " + (c.name.empty() ? std::string("unknown number") : c.name) + " " + c.phone;
  if (!c.group.empty()) meta += " \u00b7 group " + c.group;
  meta += " \u00b7 " + (c.alerted.empty() ? std::string("nobody alerted (no safeguarding contact)")
                                           : std::to_string(c.alerted.size()) + " contact(s) alerted");
  return "<article class=\"concern\"><p class=\"meta\">" + HtmlEscape(meta) + " \u00b7 " + HtmlEscape(c.id) +
         "</p><p class=\"body\">" + HtmlEscape(c.body) + "</p></article>\n";
}

void SecurityHeaders(DashboardResponse& r) {
  r.headers = {{"Cache-Control", "no-store"},
               {"Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'"},
               {"X-Content-Type-Options", "nosniff"},
               {"Referrer-Policy", "no-referrer"}};
}

}  // namespace

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

DashboardAuth CheckDashboardAuth(std::string_view authorization, const Config::Dashboard& dashboard) {
  // No password means no way in, even if a Config was built by hand.
  if (dashboard.user.empty() || dashboard.password.empty()) return {DashboardAccess::kDisabled, ""};
  if (!StartsWithNoCase(authorization, "basic ")) return {DashboardAccess::kMissing, ""};
  std::string_view token = authorization.substr(6);
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  auto decoded = DecodeBase64(token);
  if (!decoded) return {DashboardAccess::kMalformed, ""};
  const auto colon = decoded->find(':');
  if (colon == std::string::npos) return {DashboardAccess::kMalformed, ""};
  std::string user = decoded->substr(0, colon);
  // Both compared, always: which one was wrong takes the same time.
  const bool user_ok = SameSecret(user, dashboard.user);
  const bool password_ok = SameSecret(decoded->substr(colon + 1), dashboard.password);
  return {user_ok && password_ok ? DashboardAccess::kGranted : DashboardAccess::kWrongCredentials, std::move(user)};
}

Result<DashboardData> ReadDashboard(Store& store, SessionSource& sessions, ReplyStore& replies,
                                    ConcernStore& concerns, const RecordDefaults& defaults, Instant now) {
  DashboardData data;
  data.now = now;
  data.zone = FindTimeZone(defaults.timezone);
  // A key of the wrong type is reported once and named on the page.
  auto unreadable = [&](const Status& s, const std::string& key) {
    sessions.reporter().Report(key, s);
    const std::string wrong = WrongTypeKey(s);
    data.unreadable.push_back(wrong.empty() ? key : wrong);
  };
  const std::string& p = sessions.key_prefix();
  auto open = concerns.Open(kDashboardConcerns);
  if (!open.ok() && open.status().IsUnavailable()) return open.status();
  if (open.ok()) {
    data.concerns = std::move(*open);
  } else {
    data.concerns_unreadable = true;
    unreadable(open.status(), p + "concerns");
  }
  AttendanceReader attendance(store, sessions, defaults);
  auto upcoming = attendance.Upcoming(now, kDashboardWindow);
  if (!upcoming.ok()) return upcoming.status();
  data.sessions = std::move(*upcoming);

  auto inbox = replies.RecentInbox(kDashboardInboxEntries);
  if (!inbox.ok() && inbox.status().IsUnavailable()) return inbox.status();
  if (!inbox.ok()) {
    data.inbox_unreadable = true;
    unreadable(inbox.status(), p + "inbox");
    inbox = std::vector<InboxEntry>{};
  }
  auto names = MemberNames(store, sessions, *inbox);
  if (!names.ok()) return names.status();
  InboxLabeler labeler(store, sessions, defaults, data.sessions);
  for (auto& entry : *inbox) {
    InboxRow row;
    auto name = names->find(entry.member);
    row.who = name != names->end() ? name->second : MaskPhone(entry.from);
    if (row.who.empty()) row.who = "unknown sender";
    row.entry = std::move(entry);
    CHECKIN_RETURN_IF_ERROR(labeler.Label(row, now));
    data.inbox.push_back(std::move(row));
  }
  return data;
}

std::string RenderDashboard(const DashboardData& data) {
  const std::string zone = data.zone ? std::string(data.zone->name()) : "UTC";
  std::string body;
  if (data.concerns_unreadable) {
    body += "<h1 class=\"concern\">Concerns could not be read</h1>\n<p class=\"meta\">The list of open "
            "safeguarding concerns is unreadable (wrong type in Redis): check the alerts sent to the "
            "safeguarding contacts, and tell whoever runs checkin.</p>\n";
  }
  if (!data.concerns.empty()) {
    body += "<h1 class=\"concern\">Needs a person now</h1>\n<p class=\"meta\">Someone wrote that she may not be "
            "safe. Call her; reply OK to the alert (or checkinctl concerns ack ID) when you take it on.</p>\n";
    for (const Concern& c : data.concerns) body += ConcernHtml(c, data.zone);
  }
  body += "<h1>Upcoming sessions</h1>\n<p class=\"meta\">Next 8 days, updated " +
                     HtmlEscape(ShortLocalTime(data.now, data.zone) + " (" + zone + ")") + "</p>\n";
  if (data.sessions.empty()) body += "<p>No sessions in the next 8 days.</p>\n";
  for (const auto& a : data.sessions) body += SessionHtml(a);
  body += fmt::format("<h1>Inbox</h1>\n<p class=\"meta\">Replies that were not a clear yes, no or maybe; "
                      "the latest {}, newest first.</p>\n",
                      kDashboardInboxEntries);
  if (data.inbox.empty() && !data.inbox_unreadable) body += "<p>The inbox is empty.</p>\n";
  for (const auto& row : data.inbox) body += InboxHtml(row);
  body += UnreadableHtml(data.unreadable);
  return Page("Check-in: who is coming", body);
}

std::string RenderDashboardUnauthorized() {
  return Page("Check-in: sign in", "<h1>Sign-in needed</h1>\n<p>This page needs the dashboard user name and "
                                   "password. Ask whoever runs checkin for them.</p>\n");
}

std::string RenderDashboardUnavailable() {
  return Page("Check-in: unavailable",
              "<h1>Dashboard unavailable</h1>\n<p>The dashboard cannot reach its database (Redis) right now, so "
              "it cannot show who is coming. Nothing is lost: answers are kept and shown again once the "
              "database is back. Try again in a minute.</p>\n");
}

namespace {

// Answers a request that may not see the page (404 or 401) and returns true;
// false when access is granted.
bool Refuse(const DashboardAuth& auth, const std::string& client, spdlog::logger& log, DashboardResponse& r) {
  switch (auth.access) {
    case DashboardAccess::kGranted:
      return false;
    case DashboardAccess::kDisabled:
      r.status = 404;
      r.content_type = "text/plain; charset=utf-8";
      r.body = "not found\n";
      return true;
    case DashboardAccess::kMalformed:
      log.warn("dashboard: refused {}: malformed Authorization header", client);
      break;
    case DashboardAccess::kWrongCredentials:
      log.warn("dashboard: refused {}: wrong user name or password (user '{}')", client, LoggableUser(auth.user));
      break;
    case DashboardAccess::kMissing:  // a browser's first request: not a failed login
      break;
  }
  r.status = 401;
  r.headers.emplace_back("WWW-Authenticate", "Basic realm=\"checkin\", charset=\"UTF-8\"");
  r.body = RenderDashboardUnauthorized();
  return true;
}

}  // namespace

DashboardResponse ServeDashboard(const Config& config, std::string_view authorization, const std::string& client,
                                 const DashboardReader& read, spdlog::logger& log) {
  DashboardResponse r;
  SecurityHeaders(r);
  const DashboardAuth auth = read ? CheckDashboardAuth(authorization, config.dashboard)
                                  : DashboardAuth{DashboardAccess::kDisabled, ""};
  if (Refuse(auth, client, log, r)) return r;
  auto data = read(config);
  if (data.ok()) {
    r.body = RenderDashboard(*data);
    return r;
  }
  log.warn("dashboard: cannot read: {}", data.status().ToString());
  if (data.status().IsUnavailable()) {
    r.status = 503;
    r.headers.emplace_back("Retry-After", "30");
    r.body = RenderDashboardUnavailable();
  } else {
    r.status = 500;
    r.body = Page("Check-in: error", "<h1>Dashboard error</h1>\n<p>The dashboard could not read its data. "
                                     "The daemon's log says why.</p>\n");
  }
  return r;
}

}  // namespace checkin
