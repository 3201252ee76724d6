// Config: checkin.yaml, validated.
//
// One table (daemon/config/config_table.cc) lists every key with its type, default,
// bounds, whether SIGHUP may change it, and a one-line doc. It drives parsing,
// --check-config, docs/configuration.md and the annotated
// config/checkin.yaml, so they cannot drift. Every error names the file, the
// line and the key, and says what is allowed. Unknown keys are errors.
//
// Secrets never come from the YAML: the Twilio auth token is read from the
// environment variable named by twilio.auth_token_env, or from the file named
// by twilio.auth_token_file (relative paths are looked up in
// $CREDENTIALS_DIRECTORY first, for systemd LoadCredential=).
//
// Thread-safety: a loaded Config is an immutable value; share it as
// std::shared_ptr<const Config>.
#ifndef CHECKIN_CONFIG_H_
#define CHECKIN_CONFIG_H_

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "checkin/status.h"

namespace checkin {

// The message kinds a template exists for (SPEC "Template kinds").
enum class TemplateKind {
  kReminder,
  kReplyYes,
  kReplyNo,
  kReplyMaybe,
  kReplyUnclear,
  kHelp,
  kCancelled,
  kDigest,
  kFollowUp,
  // Safeguarding (docs/safeguarding.md).
  kConcern,              // to a member whose text raised a concern: helplines
  kConcernAlert,         // to a safeguarding contact: who, her number, her words
  kConcernAcknowledged,  // to the contact who answered OK
  kConcernTaken,         // to the other contacts already alerted: who took it on
};
const char* TemplateKindName(TemplateKind kind);  // "reminder", "reply_yes", ...
std::optional<TemplateKind> TemplateKindFromName(const std::string& name);
const std::vector<TemplateKind>& AllTemplateKinds();

// One "when, before each session" rule.
struct SendRule {
  enum class Kind { kDayBeforeAt, kHoursBefore };
  Kind kind = Kind::kHoursBefore;
  int minute_of_day = 0;                  // kDayBeforeAt: "18:00" -> 1080
  std::chrono::minutes before{0};         // kHoursBefore: 2 -> 120 min (fractions allowed: 1.5)
};

// Local wall-clock interval [start, end), may wrap midnight.
struct QuietHours {
  int start_minute = 21 * 60;
  int end_minute = 8 * 60;
};

// Words used to render {day} and {date} in one language.
struct LanguageWords {
  std::string today = "today";
  std::string tomorrow = "tomorrow";
  std::vector<std::string> weekdays = {"Monday", "Tuesday", "Wednesday", "Thursday",
                                       "Friday", "Saturday", "Sunday"};  // Monday first
  std::vector<std::string> months = {"January", "February", "March",     "April",   "May",      "June",
                                     "July",    "August",   "September", "October", "November", "December"};
};

// Words and phrases that answer a reminder in one language: yes, no, maybe.
// Matched as whole words, ignoring case, accents and punctuation
// (daemon/replies/intent.cc). checkin ships lists for en, pl and ur; the file's
// `replies.<lang>` lists are added to them (or replace them).
struct ReplyWords {
  std::vector<std::string> yes, no, maybe;
};

struct Config {
  std::string source;  // file the config came from, for messages
  // Where each key is written in `source` (key path -> 1-based line), for
  // errors found after loading (CheckStartable, daemon/daemon.h). Keys left
  // at their default are absent.
  std::map<std::string, int> lines;
  // "SOURCE:LINE: key" for such an error: the line of `key`, else of its
  // nearest enclosing section written in the file, else "SOURCE: key".
  std::string Where(const std::string& key) const;

  std::string region = "GB";            // ISO 3166 region for national numbers
  std::string default_language = "en";  // for members without `language`

  struct Redis {
    std::string url = "redis://127.0.0.1:6379/0";  // redis://[:password@]host:port/db or unix:///path
    std::string prefix = "checkin:";
    std::chrono::milliseconds timeout{2000};  // connect and command timeout
  } redis;

  struct Http {
    std::string listen = "127.0.0.1:8080";  // host:port
    std::string public_url;                 // e.g. https://reminders.example.org (no trailing /)
    int max_connections = 512;              // open at once
    int max_connections_per_client = 256;   // from one address (a reverse proxy is one address)
    std::chrono::milliseconds request_timeout{10000};  // to send one whole request, from its first byte
  } http;

  struct Twilio {
    std::string account_sid;            // required: AC + 32 hex
    std::string auth_token_env = "TWILIO_AUTH_TOKEN";
    std::string auth_token_file;        // used instead of the env var when set
    std::string from;                   // E.164 sender, or
    std::string messaging_service_sid;  // MG + 32 hex; one of the two is required
    std::string api_base = "https://api.twilio.com";
    double max_per_second = 10;         // shared by every running instance
    int concurrency = 4;                // requests in flight per daemon
    std::chrono::milliseconds connect_timeout{3000};
    std::chrono::milliseconds request_timeout{15000};
    int max_attempts = 8;               // before a retryable failure becomes final
    std::chrono::seconds reconcile_after{30};    // in doubt: look in Twilio's list this long after the attempt
    std::chrono::seconds unavailable_retry{15};  // Redis or Twilio's list unreachable: try the job again after
    // Twilio refused the account, sender or service: every daemon pauses this
    // long, doubling with each failed probe up to account_pause_max.
    std::chrono::seconds account_pause{60};
    std::chrono::seconds account_pause_max{900};
    std::string auth_token;             // resolved secret; never printed
  } twilio;

  struct Reminders {
    std::string timezone = "Europe/London";  // default for groups without one
    std::vector<SendRule> send;               // default: day_before_at 18:00, hours_before 2
    std::optional<QuietHours> quiet_hours;    // default 21:00-08:00; null: any hour
    std::chrono::hours lookahead{24 * 8};     // sessions planned this far ahead
    std::chrono::seconds plan_interval{30};   // how often the planner runs
    std::chrono::seconds lease{15};           // how long a claimed job is ours unless renewed
    // Headcount text to the group's coordinator_phone this long before each
    // session; 0: none.
    std::chrono::minutes digest_before{180};
    // A second text to members who have not answered, this long before each
    // session; 0: none.
    std::chrono::minutes follow_up_before{0};
  } reminders;

  // What one SMS segment costs, for `checkinctl lint` estimates.
  struct Pricing {
    double per_segment = 0.04;
    std::string currency = "GBP";
  } pricing;

  // A text that says its sender is not safe (docs/safeguarding.md).
  struct Safeguarding {
    std::vector<std::string> contacts;  // E.164, alerted in order after the group's safeguarding_phone
    std::chrono::minutes acknowledge_within{15};  // unacknowledged: the next contact is alerted
    // Phrases added to the shipped lists, per language (checked at load).
    std::map<std::string, std::vector<std::string>> phrases;
  } safeguarding;

  // GET /dashboard: HTTP basic auth; off while user is "".
  struct Dashboard {
    std::string user;
    std::string password_env = "CHECKIN_DASHBOARD_PASSWORD";
    std::string password;  // resolved secret; never printed
  } dashboard;

  std::string log_level = "info";  // trace, debug, info, warn, error
  // SIGTERM: how long the batch in hand may take before checkind exits
  // anyway (its jobs stay leased and come back when the lease ends).
  std::chrono::seconds shutdown_timeout{20};
  std::chrono::hours retention{24 * 90};  // privacy: how long answers, inbox and job history are kept

  // templates[language][kind]; always has every kind for "en" (shipped
  // defaults, overridable one kind at a time).
  std::map<std::string, std::map<TemplateKind, std::string>> templates;
  // words[language] from templates.<lang>.words; "en" always present.
  std::map<std::string, LanguageWords> words;
  // reply_words[language]: the shipped words (en, pl, ur) with the file's
  // replies.<lang> lists added, or only the file's with replace: true.
  std::map<std::string, ReplyWords> reply_words;

  // The template for `language`, falling back to "en" (kConcern: to the
  // shipped text in `language` first, DefaultConcernTexts in templates.h).
  const std::string& Template(const std::string& language, TemplateKind kind) const;
  // The words for `language`, falling back to "en".
  const LanguageWords& Words(const std::string& language) const;
  // The reply words for exactly `language` (no fallback: the classifier
  // adds English itself); the shipped ones when the map has none (e.g. a
  // default-constructed Config), else empty lists.
  const ReplyWords& ReplyWordsFor(const std::string& language) const;

  // Per-group settings (docs/configuration.md "Group files"): one file per
  // group, <groups_dir>/<group_id>.yaml, holding templates and the
  // reminders.send, quiet_hours, digest_hours_before and
  // follow_up_hours_before keys. A relative groups_dir is read from the
  // folder of the main file; a missing folder means no group files.
  std::string groups_dir = "/etc/checkin/groups.d";
  // group id -> this config with that group's file applied over it (its
  // `source` and `lines` are the group file's; its own `groups` is empty).
  // Only groups that have a file are here.
  std::map<std::string, std::shared_ptr<const Config>> groups;
  // The settings for `group_id`: its entry in `groups`, else this config.
  const Config& ForGroup(const std::string& group_id) const;
  // Group ids of `groups`, in order, for messages and lint.
  std::vector<std::string> GroupIds() const;

  // Where secrets come from. Default: the process environment and files.
  struct SecretSource {
    std::function<std::optional<std::string>(const std::string&)> getenv;
    std::function<Result<std::string>(const std::string& path)> read_file;
    static SecretSource Process();
  };

  // Reads and validates `path` and every group file of its groups_dir
  // (LoadGroups): a broken group file fails the whole load, naming that
  // file. With resolve_secrets, the auth token must be found (env var or
  // file) and is stored in twilio.auth_token.
  static Result<Config> Load(const std::string& path, const SecretSource& secrets = SecretSource::Process(),
                             bool resolve_secrets = true);
  // Same for YAML text; `source` names it in errors. Group files are not
  // read (LoadGroups does): the result's `groups` is empty.
  static Result<Config> Parse(const std::string& yaml, const std::string& source,
                              const SecretSource& secrets = SecretSource::Process(),
                              bool resolve_secrets = true);
  // `main` with the group files of main.groups_dir read into `groups`, all
  // or none: InvalidArgument with every error of every broken file, each
  // "FILE:LINE: key: what". A file only the main file may set a key in
  // (redis, twilio, http, ...) is refused with that reason.
  static Result<Config> LoadGroups(Config main);
  // The text of a config file (main or group), read as Load reads it: at
  // most one byte past the size limit, enough for Parse to refuse it
  // without reading it all. InvalidArgument naming `path` when unreadable.
  static Result<std::string> ReadFile(const std::string& path);
  // The settings of one group: `yaml` (a group file, named `source` in
  // errors) applied over this config. For `checkinctl group-config check`.
  Result<Config> WithGroupFile(const std::string& yaml, const std::string& source) const;
};

// Markdown table of every config key (type, default, reloadable, doc), from
// the config table; docs/configuration.md is generated from it.
std::string ConfigReferenceMarkdown();
// The same for the keys a group file (groups_dir) may set.
std::string GroupFileReferenceMarkdown();

// Keys that SIGHUP cannot change (redis.*, http.listen) whose values differ
// between the running and the reloaded config, e.g. {"redis.url"}: the
// daemon keeps the running values for them and logs that a restart is needed.
std::vector<std::string> ChangedRestartOnlyKeys(const Config& running, const Config& reloaded);

}  // namespace checkin

#endif  // CHECKIN_CONFIG_H_
