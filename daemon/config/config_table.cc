// The config table (see config_table.h): one row per key of checkin.yaml,
// in the order of the annotated example file, and the lookups over them.
// The checks the scalar rows call are in config_validators.cc, the Markdown
// reference generated from the rows in config_reference.cc.
#include "config/config_table.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "config/config_validators.h"

namespace checkin {

namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using config_internal::SetAccountSid;
using config_internal::SetAuthTokenEnv;
using config_internal::SetCurrency;
using config_internal::SetDashboardUser;
using config_internal::SetDefaultLanguage;
using config_internal::SetEnvName;
using config_internal::SetHostPort;
using config_internal::SetLogLevel;
using config_internal::SetMessagingServiceSid;
using config_internal::SetRedisPrefix;
using config_internal::SetRedisUrl;
using config_internal::SetRegion;
using config_internal::SetTimeZone;
using config_internal::SetUrl;

std::string Quote(const std::string& s) { return Quoted(s); }

std::string FormatNumber(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

std::string SendRulesText(const Config& c) {
  std::string out = "[";
  for (const SendRule& r : c.reminders.send) {
    if (out.size() > 1) out += ", ";
    if (r.kind == SendRule::Kind::kDayBeforeAt) {
      out += "{day_before_at: " + Quote(FormatHhMm(r.minute_of_day)) + "}";
    } else {
      out += "{hours_before: " + FormatNumber(r.before.count() / 60.0) + "}";
    }
  }
  return out + "]";
}

std::string QuietHoursText(const Config& c) {
  if (!c.reminders.quiet_hours) return "null";
  return "{start: " + Quote(FormatHhMm(c.reminders.quiet_hours->start_minute)) +
         ", end: " + Quote(FormatHhMm(c.reminders.quiet_hours->end_minute)) + "}";
}

// Rows, in the order of config/checkin.yaml. Lambdas keep each key's setter
// next to its row; shared checks live above.
const std::vector<ConfigKey>& Rows() {
  static const std::vector<ConfigKey> kRows = {
      {"region", KeyType::kString, "\"GB\"", "ISO 3166 region, two capital letters", 0, 0, true,
       "Region for phone numbers written without a country code (07700 900123).", SetRegion,
       [](const Config& c) { return Quote(c.region); }},
      {"default_language", KeyType::kString, "\"en\"", "language code: en, pl, ur, pt-BR", 0, 0, true,
       "Language of members whose record has no `language`.", SetDefaultLanguage,
       [](const Config& c) { return Quote(c.default_language); }},
      {"log_level", KeyType::kString, "\"info\"", "trace, debug, info, warn, error", 0, 0, true,
       "Lowest level written to stderr.", SetLogLevel, [](const Config& c) { return Quote(c.log_level); }},
      {"shutdown_timeout_seconds", KeyType::kInteger, "20", "1 to 3600", 1, 3600, true,
       "SIGTERM: most seconds to finish the jobs in hand; then exit anyway (claimed jobs return when their lease ends).",
       [](Config& c, const ScalarValue& v) { c.shutdown_timeout = seconds(static_cast<long>(v.number)); return Status::OK(); },
       [](const Config& c) { return std::to_string(c.shutdown_timeout.count()); }},
      {"retention_days", KeyType::kInteger, "90", "1 to 3650", 1, 3650, false,
       "Answers, inbox entries, job history and reply context are deleted this many days after they stop being "
       "needed (answers: after their session ends).",
       [](Config& c, const ScalarValue& v) {
         c.retention = std::chrono::hours(24 * static_cast<long>(v.number));
         return Status::OK();
       },
       [](const Config& c) { return std::to_string(c.retention.count() / 24); }},
      {"groups_dir", KeyType::kString, "\"/etc/checkin/groups.d\"", "folder path; relative to the main file's folder", 0,
       0, true,
       "Folder of group files, <group_id>.yaml, each with that group's own templates and send times (below); "
       "a missing folder means none.",
       [](Config& c, const ScalarValue& v) {
         if (v.text.empty()) return Status::InvalidArgument("expected a folder path, got \"\"");
         c.groups_dir = v.text;
         return Status::OK();
       },
       [](const Config& c) { return Quote(c.groups_dir); }},
      {"redis.url", KeyType::kString, "\"redis://127.0.0.1:6379/0\"", "redis://[:password@]host:port/db, redis-sentinel://host:port,host:port/master/db, unix:///path",
       0, 0, false, "Where schedules, members and the job queue live.", SetRedisUrl,
       [](const Config& c) { return Quote(c.redis.url); }},
      {"redis.prefix", KeyType::kString, "\"checkin:\"", "non-empty, no spaces", 0, 0, false,
       "Prefix of every Redis key checkind reads or writes.", SetRedisPrefix,
       [](const Config& c) { return Quote(c.redis.prefix); }},
      {"redis.timeout_ms", KeyType::kInteger, "2000", "100 to 60000", 100, 60000, false,
       "Redis connect and command timeout, milliseconds.",
       [](Config& c, const ScalarValue& v) { c.redis.timeout = milliseconds(static_cast<long>(v.number)); return Status::OK(); },
       [](const Config& c) { return std::to_string(c.redis.timeout.count()); }},
      {"http.listen", KeyType::kString, "\"127.0.0.1:8080\"", "host:port", 0, 0, false,
       "Address of the webhook, health and metrics listener.",
       [](Config& c, const ScalarValue& v) { return SetHostPort(c.http.listen, v.text); },
       [](const Config& c) { return Quote(c.http.listen); }},
      {"http.public_url", KeyType::kString, "\"\"", "http(s):// URL, or \"\"", 0, 0, true,
       "Base URL Twilio calls (behind the proxy): webhook signatures and StatusCallback.",
       [](Config& c, const ScalarValue& v) { return SetUrl(c.http.public_url, v.text, true); },
       [](const Config& c) { return Quote(c.http.public_url); }},
      {"http.max_connections", KeyType::kInteger, "512", "16 to 900", 16, 900, false,
       "Connections the listener holds open at once; more wait in the kernel's backlog.",
       [](Config& c, const ScalarValue& v) { c.http.max_connections = static_cast<int>(v.number); return Status::OK(); },
       [](const Config& c) { return std::to_string(c.http.max_connections); }},
      {"http.max_connections_per_client", KeyType::kInteger, "256", "1 to 900", 1, 900, false,
       "Connections open at once from one address (a reverse proxy is one); more get 503.",
       [](Config& c, const ScalarValue& v) {
         c.http.max_connections_per_client = static_cast<int>(v.number);
         return Status::OK();
       },
       [](const Config& c) { return std::to_string(c.http.max_connections_per_client); }},
      {"http.request_timeout_ms", KeyType::kInteger, "10000", "100 to 60000", 100, 60000, false,
       "Time a client has to send a whole request (head and body) from its first byte; slower ones get 408.",
       [](Config& c, const ScalarValue& v) {
         c.http.request_timeout = milliseconds(static_cast<long>(v.number));
         return Status::OK();
       },
       [](const Config& c) { return std::to_string(c.http.request_timeout.count()); }},
      {"twilio.account_sid", KeyType::kString, nullptr, "\"AC\" + 32 hex digits", 0, 0, true,
       "Twilio account SID (not secret; the auth token is).", SetAccountSid,
       [](const Config& c) { return Quote(c.twilio.account_sid); }},
      {"twilio.auth_token_env", KeyType::kString, "\"TWILIO_AUTH_TOKEN\"", "environment variable name", 0, 0, true,
       "Environment variable holding the auth token (when auth_token_file is \"\").", SetAuthTokenEnv,
       [](const Config& c) { return Quote(c.twilio.auth_token_env); }},
      {"twilio.auth_token_file", KeyType::kString, "\"\"", "path, or \"\"; relative: $CREDENTIALS_DIRECTORY first", 0, 0,
       true, "File holding the auth token (systemd LoadCredential=); used instead of the env var when set.",
       [](Config& c, const ScalarValue& v) { c.twilio.auth_token_file = v.text; return Status::OK(); },
       [](const Config& c) { return Quote(c.twilio.auth_token_file); }},
      {"twilio.from", KeyType::kString, "\"\"", "phone number (read in `region`), or \"\"", 0, 0, true,
       "Sender number; one of from and messaging_service_sid is required.",
       [](Config& c, const ScalarValue& v) { c.twilio.from = v.text; return Status::OK(); },
       [](const Config& c) { return Quote(c.twilio.from); }},
      {"twilio.messaging_service_sid", KeyType::kString, "\"\"", "\"MG\" + 32 hex digits, or \"\"", 0, 0, true,
       "Messaging Service to send through, instead of `from`.", SetMessagingServiceSid,
       [](const Config& c) { return Quote(c.twilio.messaging_service_sid); }},
      {"twilio.api_base", KeyType::kString, "\"https://api.twilio.com\"", "http(s):// URL", 0, 0, true,
       "Twilio REST API base; point it at a local stand-in for tests and demos.",
       [](Config& c, const ScalarValue& v) { return SetUrl(c.twilio.api_base, v.text, false); },
       [](const Config& c) { return Quote(c.twilio.api_base); }},
      {"twilio.max_per_second", KeyType::kNumber, "10", "0.1 to 10000", 0.1, 10000, true,
       "SMS segments sent per second, shared by every running instance (a two-segment text counts twice).",
       [](Config& c, const ScalarValue& v) { c.twilio.max_per_second = v.number; return Status::OK(); },
       [](const Config& c) { return FormatNumber(c.twilio.max_per_second); }},
      {"twilio.concurrency", KeyType::kInteger, "4", "1 to 256", 1, 256, false,
       "Twilio requests in flight per daemon (worker threads, started once).",
       [](Config& c, const ScalarValue& v) { c.twilio.concurrency = static_cast<int>(v.number); return Status::OK(); },
       [](const Config& c) { return std::to_string(c.twilio.concurrency); }},
      {"twilio.connect_timeout_ms", KeyType::kInteger, "3000", "100 to 60000", 100, 60000, true,
       "Connect timeout of one Twilio request, milliseconds.",
       [](Config& c, const ScalarValue& v) { c.twilio.connect_timeout = milliseconds(static_cast<long>(v.number)); return Status::OK(); },
       [](const Config& c) { return std::to_string(c.twilio.connect_timeout.count()); }},
      {"twilio.request_timeout_ms", KeyType::kInteger, "15000", "1000 to 300000", 1000, 300000, true,
       "Whole-request timeout of one Twilio request, milliseconds.",
       [](Config& c, const ScalarValue& v) { c.twilio.request_timeout = milliseconds(static_cast<long>(v.number)); return Status::OK(); },
       [](const Config& c) { return std::to_string(c.twilio.request_timeout.count()); }},
      {"twilio.max_attempts", KeyType::kInteger, "8", "1 to 50", 1, 50, true,
       "Attempts before a retryable send failure becomes final.",
       [](Config& c, const ScalarValue& v) { c.twilio.max_attempts = static_cast<int>(v.number); return Status::OK(); },
       [](const Config& c) { return std::to_string(c.twilio.max_attempts); }},
      {"twilio.reconcile_after_seconds", KeyType::kInteger, "30", "1 to 3600", 1, 3600, true,
       "A send whose answer was lost is looked up in Twilio's list this long after the attempt, before any resend.",
       [](Config& c, const ScalarValue& v) {
         c.twilio.reconcile_after = std::chrono::seconds(static_cast<long>(v.number));
         return Status::OK();
       },
       [](const Config& c) { return std::to_string(c.twilio.reconcile_after.count()); }},
      {"twilio.unavailable_retry_seconds", KeyType::kInteger, "15", "1 to 3600", 1, 3600, true,
       "When Redis or Twilio's message list cannot be read for a job, it is tried again after this long.",
       [](Config& c, const ScalarValue& v) {
         c.twilio.unavailable_retry = std::chrono::seconds(static_cast<long>(v.number));
         return Status::OK();
       },
       [](const Config& c) { return std::to_string(c.twilio.unavailable_retry.count()); }},
      {"twilio.account_pause_seconds", KeyType::kInteger, "60", "1 to 3600", 1, 3600, true,
       "Twilio refused the account, sender or Messaging Service (wrong token, a From that cannot send): every "
       "instance stops sending this long, then one text probes; each failed probe doubles the pause.",
       [](Config& c, const ScalarValue& v) {
         c.twilio.account_pause = std::chrono::seconds(static_cast<long>(v.number));
         return Status::OK();
       },
       [](const Config& c) { return std::to_string(c.twilio.account_pause.count()); }},
      {"twilio.account_pause_max_seconds", KeyType::kInteger, "900", "1 to 86400, at least account_pause_seconds", 1,
       86400, true, "The longest the account pause grows to by doubling.",
       [](Config& c, const ScalarValue& v) {
         c.twilio.account_pause_max = std::chrono::seconds(static_cast<long>(v.number));
         return Status::OK();
       },
       [](const Config& c) { return std::to_string(c.twilio.account_pause_max.count()); }},
      {"reminders.timezone", KeyType::kString, "\"Europe/London\"", "IANA time zone", 0, 0, true,
       "Zone of groups whose record has no `timezone`.", SetTimeZone,
       [](const Config& c) { return Quote(c.reminders.timezone); }},
      {"reminders.send", KeyType::kSendRules, "[{day_before_at: \"18:00\"}, {hours_before: 2}]",
       "list; each item one of day_before_at: \"HH:MM\" or hours_before: N (0 < N <= 168)", 0, 0, true,
       "When to text, before each session (local time of the group).", nullptr, SendRulesText, true},
      {"reminders.quiet_hours", KeyType::kQuietHours, "{start: \"21:00\", end: \"08:00\"}",
       "{start: \"HH:MM\", end: \"HH:MM\"}, or null for any hour", 0, 0, true,
       "Local hours without texts; a reminder due inside waits for the end (or goes at the start).", nullptr,
       QuietHoursText, true},
      {"reminders.lookahead_days", KeyType::kInteger, "8", "1 to 60", 1, 60, true, "How far ahead sessions are planned.",
       [](Config& c, const ScalarValue& v) { c.reminders.lookahead = std::chrono::hours(24 * static_cast<long>(v.number)); return Status::OK(); },
       [](const Config& c) { return std::to_string(c.reminders.lookahead.count() / 24); }},
      {"reminders.plan_interval_seconds", KeyType::kInteger, "30", "1 to 3600", 1, 3600, true, "How often the planner runs.",
       [](Config& c, const ScalarValue& v) { c.reminders.plan_interval = seconds(static_cast<long>(v.number)); return Status::OK(); },
       [](const Config& c) { return std::to_string(c.reminders.plan_interval.count()); }},
      {"reminders.lease_seconds", KeyType::kInteger, "15", "5 to 3600", 5, 3600, true,
       "How long a claimed send job is ours before another instance may take it; renewed every third of it while "
       "we work on the job, so a killed instance's jobs come back within this time.",
       [](Config& c, const ScalarValue& v) { c.reminders.lease = seconds(static_cast<long>(v.number)); return Status::OK(); },
       [](const Config& c) { return std::to_string(c.reminders.lease.count()); }},
      {"reminders.digest_hours_before", KeyType::kNumber, "3", "0 to 48 (fractions allowed); 0: no digest", 0, 48, true,
       "Headcount text (template `digest`) to the group's coordinator_phone this long before each session.",
       [](Config& c, const ScalarValue& v) { c.reminders.digest_before = std::chrono::minutes(std::lround(v.number * 60)); return Status::OK(); },
       [](const Config& c) { return FormatNumber(c.reminders.digest_before.count() / 60.0); }, true},
      {"reminders.follow_up_hours_before", KeyType::kNumber, "0", "0 to 168 (fractions allowed); 0: no follow-up", 0, 168,
       true, "A second text (template `follow_up`) this long before each session, only to members who have not answered.",
       [](Config& c, const ScalarValue& v) { c.reminders.follow_up_before = std::chrono::minutes(std::lround(v.number * 60)); return Status::OK(); },
       [](const Config& c) { return FormatNumber(c.reminders.follow_up_before.count() / 60.0); }, true},
      {"pricing.per_segment", KeyType::kNumber, "0.04", "0 to 10", 0, 10, true,
       "Price of one SMS segment, for the cost estimates of `checkinctl lint`.",
       [](Config& c, const ScalarValue& v) { c.pricing.per_segment = v.number; return Status::OK(); },
       [](const Config& c) { return FormatNumber(c.pricing.per_segment); }},
      {"pricing.currency", KeyType::kString, "\"GBP\"", "three capital letters (ISO 4217)", 0, 0, true,
       "Currency of pricing.per_segment.", SetCurrency, [](const Config& c) { return Quote(c.pricing.currency); }},
      {"dashboard.user", KeyType::kString, "\"\"", "user name without ':', or \"\" (no dashboard)", 0, 0, true,
       "User name for GET /dashboard (HTTP basic auth); the page is off while this is \"\".", SetDashboardUser,
       [](const Config& c) { return Quote(c.dashboard.user); }},
      {"dashboard.password_env", KeyType::kString, "\"CHECKIN_DASHBOARD_PASSWORD\"", "environment variable name", 0, 0,
       true, "Environment variable holding the dashboard password (required when dashboard.user is set).",
       [](Config& c, const ScalarValue& v) { return SetEnvName(c.dashboard.password_env, v.text); },
       [](const Config& c) { return Quote(c.dashboard.password_env); }},
      {"safeguarding.contacts", KeyType::kPhoneList, "[]", "list of phone numbers (national ones read in `region`)",
       0, 0, true,
       "Who is alerted about a concern, in order, after the group's `safeguarding_phone` (docs/safeguarding.md); a "
       "group with neither falls back to its coordinator_phone.", nullptr,
       [](const Config& c) {
         std::string out;
         for (const std::string& p : c.safeguarding.contacts) out += (out.empty() ? "" : ", ") + Quote(p);
         return "[" + out + "]";
       }},
      {"safeguarding.acknowledge_within_minutes", KeyType::kInteger, "15", "1 to 1440", 1, 1440, true,
       "A concern nobody has acknowledged (replied OK) after this long is alerted to the next contact.",
       [](Config& c, const ScalarValue& v) { c.safeguarding.acknowledge_within = std::chrono::minutes(static_cast<long>(v.number)); return Status::OK(); },
       [](const Config& c) { return std::to_string(c.safeguarding.acknowledge_within.count()); }},
      {"safeguarding.phrases.<lang>", KeyType::kPhraseList, "[]",
       "list of phrases; \"...\" stands for up to three words in between", 0, 0, true,
       "Phrases that raise a concern, added to the shipped lists (daemon/safeguarding/concern_phrases.yaml)."},
      {"templates.<lang>.<kind>", KeyType::kTemplate, "shipped English set",
       "kinds: reminder, reply_yes, reply_no, reply_maybe, reply_unclear, help, cancelled, digest, follow_up, "
       "concern, concern_alert, concern_acknowledged, concern_taken; "
       "placeholders: {name} {title} {group} {venue} {day} {time} {date}, digest also {coming} {maybe} {not_coming} "
       "{no_answer}, the concern kinds also {phone} {body} (concern_taken also {taken_by}); {{ and }} are literal braces",
       0, 0, true, "Message text of one kind in one language; a missing one falls back to en.", nullptr, nullptr, true},
      {"templates.<lang>.words.today", KeyType::kWord, "\"today\"", "non-empty text", 0, 0, true, "{day} for a session today.",
       nullptr, nullptr, true},
      {"templates.<lang>.words.tomorrow", KeyType::kWord, "\"tomorrow\"", "non-empty text", 0, 0, true,
       "{day} for a session tomorrow.", nullptr, nullptr, true},
      {"templates.<lang>.words.weekdays", KeyType::kWordList, "[Monday, ..., Sunday]", "list of 7, Monday first", 0, 0, true,
       "{day} within the coming week, and before {date} further ahead.", nullptr, nullptr, true},
      {"templates.<lang>.words.months", KeyType::kWordList, "[January, ..., December]", "list of 12", 0, 0, true,
       "Month names in {date} (\"1 December\"); use the form that follows a day number.", nullptr, nullptr, true},
      {"replies.<lang>.replace", KeyType::kBoolean, "false", "true or false", 0, 0, true,
       "true: only this file's lists count for the language; false: they are added to the shipped words (en, pl, ur)."},
      {"replies.<lang>.yes", KeyType::kPhraseList, "[]", "list of words or phrases (an emoji is a word)", 0, 0, true,
       "Replies that mean coming, added to the shipped ones (\"see you there\", \"tak\", \"haan\", ...)."},
      {"replies.<lang>.no", KeyType::kPhraseList, "[]", "list of words or phrases", 0, 0, true,
       "Replies that mean not coming, added to the shipped ones."},
      {"replies.<lang>.maybe", KeyType::kPhraseList, "[]", "list of words or phrases", 0, 0, true,
       "Replies that mean perhaps, added to the shipped ones; they also make a yes after them a maybe."},
  };
  return kRows;
}

}  // namespace

const char* KeyTypeName(KeyType type) {
  switch (type) {
    case KeyType::kString: return "string";
    case KeyType::kInteger: return "integer";
    case KeyType::kNumber: return "number";
    case KeyType::kSendRules: return "list";
    case KeyType::kQuietHours: return "map or null";
    case KeyType::kTemplate: return "template";
    case KeyType::kWord: return "string";
    case KeyType::kWordList: return "list of strings";
    case KeyType::kBoolean: return "boolean";
    case KeyType::kPhraseList: return "list of strings";
    case KeyType::kPhoneList: return "list of phone numbers";
  }
  return "?";
}

const std::vector<ConfigKey>& ConfigTable() { return Rows(); }

const ConfigKey* FindConfigKey(const std::string& path) {
  for (const ConfigKey& k : Rows()) {
    if (path == k.path) return &k;
  }
  return nullptr;
}

bool IsConfigSection(const std::string& path, bool group_file) {
  const std::string prefix = path + ".";
  return std::any_of(Rows().begin(), Rows().end(), [&](const ConfigKey& k) {
    return (k.group_file || !group_file) && std::string(k.path).rfind(prefix, 0) == 0;
  });
}

std::vector<std::string> ConfigChildren(const std::string& path, bool group_file) {
  const std::string prefix = path.empty() ? "" : path + ".";
  std::vector<std::string> out;
  for (const ConfigKey& k : Rows()) {
    if (group_file && !k.group_file) continue;
    const std::string p = k.path;
    if (p.rfind(prefix, 0) != 0) continue;
    const std::string child = p.substr(prefix.size(), p.find('.', prefix.size()) - prefix.size());
    if (child.empty() || child[0] == '<') continue;
    if (std::find(out.begin(), out.end(), child) == out.end()) out.push_back(child);
  }
  return out;
}

std::vector<std::string> ChangedRestartOnlyKeys(const Config& running, const Config& reloaded) {
  std::vector<std::string> out;
  for (const ConfigKey& k : Rows()) {
    if (!k.reloadable && k.get && k.get(running) != k.get(reloaded)) out.push_back(k.path);
  }
  return out;
}

}  // namespace checkin
