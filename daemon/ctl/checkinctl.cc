// checkinctl: the admin command. Reads the same config as checkind (no
// Twilio secret needed) and talks to the same Redis.
//
//   checkinctl queue [--limit N] [--json]   jobs waiting and leased, next due first
//   checkinctl job JOB_ID [--json]          one job's record (state, sid, reason, ...)
//   checkinctl segments [--json]            encoding and SMS segment count of stdin
//   checkinctl forget PHONE [--json]        remove a member's data on request (privacy.h)
//
// For coordinators (docs/checkinctl.md):
//   checkinctl import members FILE.csv --group G [--dry-run]   (ctl_import.h)
//   checkinctl import sessions FILE.csv [--dry-run]
//   checkinctl import groups FILE.csv [--dry-run]
//   checkinctl sessions [--days N] [--json]  upcoming sessions and headcounts (ctl_reports.h)
//   checkinctl session ID [--json]           who said what
//   checkinctl inbox [--limit N] [--json]    replies that need a person
//   checkinctl concerns [ack ID] [--json]    safeguarding concerns, open first
//   checkinctl concerns test TEXT | --file F would a text raise a concern?
//   checkinctl cancel SESSION [--yes]        (ctl_cancel.h)
//   checkinctl attended SESSION MEMBER... [--remove]  the register by hand (ctl_attended.h)
//   checkinctl preview --member M --session S [--kind K] [--at TIME]  (ctl_preview.h)
//   checkinctl lint [--strict] [--offline] [--group G] [--json]  templates, UCS-2, segments, cost, per group file
//                                            (template_lint.h)
//   checkinctl group-config check FILE [--json]  a group file checked over the main file, no Redis
//
// Exit codes: 0 ok, 1 refused input or Redis error, 2 usage.
#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_sinks.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <functional>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>

#include "checkin/config.h"
#include "ctl/ctl_attended.h"
#include "ctl/ctl_cancel.h"
#include "ctl/ctl_concerns.h"
#include "ctl/ctl_context.h"
#include "ctl/ctl_import.h"
#include "ctl/ctl_preview.h"
#include "ctl/ctl_reports.h"
#include "base/phone.h"
#include "store/privacy.h"
#include "schema/records.h"
#include "store/redis_store.h"
#include "store/reply_store.h"
#include "text/segments.h"
#include "ctl/template_lint.h"

namespace checkin {
namespace {

constexpr const char* kDefaultConfig = "/etc/checkin/checkin.yaml";

struct Opened {
  Config config;
  std::unique_ptr<RedisStore> store;
};

// The config (no Twilio secret needed) and its Redis, which must answer.
Result<Opened> Open(const std::string& config_path) {
  auto config = Config::Load(config_path, Config::SecretSource::Process(), /*resolve_secrets=*/false);
  if (!config.ok()) return config.status();
  RedisStoreOptions o;
  o.redis.url = config->redis.url;
  o.redis.timeout = config->redis.timeout;
  o.redis.pool_size = 1;
  o.prefix = config->redis.prefix;
  auto store = RedisStore::Create(o);
  if (!store.ok()) return store.status();
  Status ping = (*store)->Ping();
  if (!ping.ok()) {
    return ping.WithContext("cannot reach Redis at " + RedactRedisUrl(config->redis.url) + " (redis.url in " +
                            config_path + "); is it running?");
  }
  return Opened{std::move(*config), std::move(*store)};
}

Result<std::unique_ptr<RedisStore>> OpenStore(const std::string& config_path, std::string* region = nullptr) {
  auto opened = Open(config_path);
  if (!opened.ok()) return opened.status();
  if (region) *region = opened->config.region;
  return std::move(opened->store);
}

std::string Iso(Millis unix_ms) { return FormatRfc3339(Instant(std::chrono::seconds(unix_ms / 1000))); }

// A job record's Unix-ms field; as stored when it is not a number.
std::string Iso(const std::string& unix_ms) {
  if (unix_ms.empty()) return "";
  try {
    return Iso(static_cast<Millis>(std::stoll(unix_ms)));
  } catch (const std::exception&) {
    return unix_ms;
  }
}

int Fail(const Status& s) {
  std::cerr << "checkinctl: " << s.ToString() << "\n";
  return 1;
}

int Queue(const std::string& config_path, int limit, bool json) {
  auto store = OpenStore(config_path);
  if (!store.ok()) return Fail(store.status());
  Store& st = **store;
  auto stats = st.Stats();
  if (!stats.ok()) return Fail(stats.status());
  auto next = st.NextDueJobs(limit);
  if (!next.ok()) return Fail(next.status());
  nlohmann::json jobs = nlohmann::json::array();
  for (const WaitingJob& job : *next) {
    auto f = st.JobFields(job.id);
    if (!f.ok()) return Fail(f.status());
    jobs.push_back({{"id", job.id}, {"due", Iso(job.due)}, {"session", (*f)["session"]},
                    {"member", (*f)["member"]}, {"state", (*f)["state"]}, {"attempts", (*f)["attempts"]}});
  }
  if (json) {
    std::cout << nlohmann::json{{"due", stats->due}, {"leased", stats->leased}, {"next", jobs}}.dump(2) << "\n";
    return 0;
  }
  std::cout << "waiting: " << stats->due << "  leased: " << stats->leased << "\n";
  for (const auto& j : jobs) {
    std::cout << "  " << j["due"].get<std::string>() << "  " << j["id"].get<std::string>().substr(0, 12) << "  session "
              << j["session"].get<std::string>() << "  member " << j["member"].get<std::string>() << "  "
              << j["state"].get<std::string>() << "\n";
  }
  return 0;
}

int Job(const std::string& config_path, const std::string& id, bool json) {
  auto store = OpenStore(config_path);
  if (!store.ok()) return Fail(store.status());
  auto f = (*store)->JobFields(id);
  if (!f.ok()) return Fail(f.status());
  if (f->empty()) return Fail(Status::NotFound("no job " + id + " (finished jobs are kept for the retention period)"));
  for (const char* ms_field : {"lease_until", "first_sending_at", "sending_at", "finished_at", "created_at"}) {
    if (f->count(ms_field)) (*f)[ms_field] = Iso((*f)[ms_field]);
  }
  if (json) {
    std::cout << nlohmann::json(*f).dump(2) << "\n";
    return 0;
  }
  for (const auto& [k, v] : *f) std::cout << k << ": " << v << "\n";
  return 0;
}

int Forget(const std::string& config_path, const std::string& raw_phone, bool json) {
  std::string region;
  auto store = OpenStore(config_path, &region);
  if (!store.ok()) return Fail(store.status());
  auto phone = NormalizePhone(raw_phone, region);
  if (!phone.ok()) return Fail(phone.status());
  auto report = ForgetPhone(**store, *phone, region);
  if (!report.ok()) return Fail(report.status());
  if (json) {
    std::cout << nlohmann::json{{"phone", MaskPhone(*phone)},
                                {"members", report->members},
                                {"group_memberships", report->group_memberships},
                                {"answers", report->answers},
                                {"attended", report->attended},
                                {"jobs", report->jobs},
                                {"inbox_entries", report->inbox_entries},
                                {"other_keys", report->other_keys}}
                     .dump(2)
              << "\n";
    return 0;
  }
  std::cout << "forgot " << MaskPhone(*phone) << ": " << report->members.size() << " member record(s)";
  for (const auto& id : report->members) std::cout << " " << id;
  std::cout << ", " << report->group_memberships << " group membership(s), " << report->answers << " answer(s), "
            << report->attended << " register mark(s), "
            << report->jobs << " job(s), " << report->inbox_entries << " inbox entr"
            << (report->inbox_entries == 1 ? "y" : "ies") << ", " << report->other_keys << " other key(s)\n";
  return 0;
}

int Segments(bool json) {
  std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  const SegmentInfo info = CountSegments(text);
  if (json) {
    std::cout << nlohmann::json{{"encoding", EncodingName(info.encoding)}, {"segments", info.segments},
                                {"characters", info.characters}}
                     .dump()
              << "\n";
  } else {
    std::cout << EncodingName(info.encoding) << ", " << info.characters << " characters, " << info.segments
              << " segment" << (info.segments == 1 ? "" : "s") << "\n";
  }
  return 0;
}

// For the coordinators' commands: the message alone, except for Redis
// trouble, whose code (Unavailable) says what kind of trouble it is.
int Refuse(const Status& s) {
  std::cerr << "checkinctl: " << (s.IsUnavailable() ? s.ToString() : s.message()) << "\n";
  return 1;
}

// Records that break schema v1, met while reading sessions, are named on
// stderr (never with a full phone number: records.h).
std::shared_ptr<spdlog::logger> WarningLogger() {
  auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  sink->set_pattern("checkinctl: warning: %v");
  auto logger = std::make_shared<spdlog::logger>("checkinctl", sink);
  logger->set_level(spdlog::level::warn);
  return logger;
}

struct ImportArgs {
  std::string kind;  // members, sessions, groups
  std::string file;
  std::string group;
  bool dry_run = false;
};

int Import(const std::string& config_path, const ImportArgs& a) {
  std::ifstream in(a.file, std::ios::binary);
  if (!in) return Refuse(Status::InvalidArgument("cannot read " + a.file + ": " + std::strerror(errno)));
  std::ostringstream text;
  text << in.rdbuf();
  auto opened = Open(config_path);
  if (!opened.ok()) return Refuse(opened.status());
  Importer importer(*opened->store, opened->config);
  const ImportOptions o{a.file, a.dry_run};
  auto report = a.kind == "members"    ? importer.Members(text.str(), a.group, o)
                : a.kind == "sessions" ? importer.Sessions(text.str(), o)
                                       : importer.Groups(text.str(), o);
  if (!report.ok()) return Refuse(report.status());
  if (!report->ok()) {
    for (const auto& e : report->errors) std::cerr << e << "\n";
    std::cerr << "checkinctl: nothing imported: " << report->errors.size() << " problem"
              << (report->errors.size() == 1 ? "" : "s") << " in " << a.file << "\n";
    return 1;
  }
  std::cout << report->Summary() << "\n";
  return 0;
}

// Runs `body` on a CtlContext at `at` (default: now).
int WithContext(const std::string& config_path, const std::string& at,
                const std::function<Status(CtlContext&)>& body) {
  auto opened = Open(config_path);
  if (!opened.ok()) return Refuse(opened.status());
  const Instant now = at.empty() ? Clock::Real()->NowSeconds() : *ParseRfc3339(at);
  RedisReplyStore replies(*opened->store);
  CtlContext ctx(*opened->store, replies, opened->config, now, WarningLogger());
  Status s = body(ctx);
  return s.ok() ? 0 : Refuse(s);
}

Status PrintPreview(CtlContext& ctx, const std::string& member, const std::string& session, const std::string& kind) {
  auto p = Preview(ctx, member, session, *TemplateKindFromName(kind));
  if (!p.ok()) return p.status();
  std::cout << p->body << "\n"
            << EncodingName(p->segments.encoding) << ", " << p->segments.characters << " characters, "
            << p->segments.segments << " segment" << (p->segments.segments == 1 ? "" : "s") << "\n";  // as `segments`
  for (const auto& note : p->notes) std::cerr << "note: " << note << "\n";
  return Status::OK();
}

// The coordinators' subcommands and what they were given.
struct CoordinatorCommands {
  CLI::App* import = nullptr;
  ImportArgs import_args;
  CLI::App* sessions = nullptr;
  int days = 8;
  CLI::App* session = nullptr;
  CLI::App* inbox = nullptr;
  int inbox_limit = 20;
  CLI::App* cancel = nullptr;
  bool yes = false;
  CLI::App* attended = nullptr;
  std::vector<std::string> attended_members;
  bool remove = false;
  CLI::App* preview = nullptr;
  std::string member, kind = "reminder", at;
  CLI::App* concerns = nullptr;
  CLI::App* concerns_ack = nullptr;
  CLI::App* concerns_test = nullptr;
  int concerns_limit = 50;
  std::string concern_id, ack_by = "checkinctl";
  std::string test_text, test_language;
  std::vector<std::string> test_files;
  bool test_summary_only = false;
  std::string session_id;  // session, cancel, attended, preview
};

void AddImport(CLI::App& app, CoordinatorCommands& c) {
  c.import = app.add_subcommand("import", "check a spreadsheet (CSV) of members, sessions or groups and write it; "
                                          "one bad line and nothing is written");
  c.import->require_subcommand(1);
  const std::pair<const char*, const char*> kinds[] = {
      {"members", "members of one group: columns name,phone[,language,channel]"},
      {"sessions", "one-off sessions: columns group,starts_at[,title,venue]"},
      {"groups", "groups: columns id,name,venue[,timezone,coordinator_phone]"}};
  for (const auto& [name, help] : kinds) {
    auto* sub = c.import->add_subcommand(name, help);
    sub->add_option("FILE", c.import_args.file, "the CSV file; its first row names the columns")->required();
    sub->add_flag("--dry-run", c.import_args.dry_run, "check the file and say what would change; write nothing");
    if (std::string(name) == "members") {
      sub->add_option("-g,--group", c.import_args.group, "the group they belong to (must exist)")->required();
    }
    sub->callback([&c, kind = std::string(name)] { c.import_args.kind = kind; });
  }
}

void AddCoordinatorCommands(CLI::App& app, CoordinatorCommands& c, bool& json) {
  AddImport(app, c);

  c.sessions = app.add_subcommand("sessions", "upcoming sessions: coming / maybe / not coming / no answer");
  c.sessions->add_option("--days", c.days, "how many days ahead")->check(CLI::Range(1, 366))->capture_default_str();
  c.sessions->add_flag("--json", json, "print JSON");

  c.session = app.add_subcommand("session", "one session: who said what (phone numbers masked; full in --json)");
  c.session->add_option("ID", c.session_id, "session id (from checkinctl sessions)")->required();
  c.session->add_flag("--json", json, "print JSON");

  c.inbox = app.add_subcommand("inbox", "latest replies that were not a clear yes/no/maybe, newest first");
  c.inbox->add_option("--limit", c.inbox_limit, "how many")->check(CLI::Range(1, 1000))->capture_default_str();
  c.inbox->add_flag("--json", json, "print JSON");

  c.cancel = app.add_subcommand("cancel", "cancel one session (or one occurrence of a schedule: SCHEDULE@YYYYMMDDTHHMM); "
                                          "checkind tells members already reminded");
  c.cancel->add_option("SESSION", c.session_id, "session id (from checkinctl sessions)")->required();
  c.cancel->add_flag("-y,--yes", c.yes, "do not ask for confirmation");

  c.attended = app.add_subcommand("attended", "the register: mark members as having come to a session that has "
                                              "started (checkind also asks the coordinator by text)");
  c.attended->add_option("SESSION", c.session_id, "session id (from checkinctl sessions)")->required();
  c.attended->add_option("MEMBER", c.attended_members, "member ids (from checkinctl session SESSION)")->required();
  c.attended->add_flag("--remove", c.remove, "take them off the register instead");

  c.concerns = app.add_subcommand("concerns", "safeguarding concerns, open ones first (docs/safeguarding.md)");
  c.concerns->add_option("--limit", c.concerns_limit, "how many")->check(CLI::Range(1, 10000))->capture_default_str();
  c.concerns->add_flag("--json", json, "print JSON (full numbers)");
  c.concerns_ack = c.concerns->add_subcommand("ack", "take a concern on: nobody else is alerted, the others are told");
  c.concerns_ack->add_option("ID", c.concern_id, "concern id (from checkinctl concerns)")->required();
  c.concerns_ack->add_option("--by", c.ack_by, "who is taking it on (a name or number)")->capture_default_str();
  c.concerns_test = c.concerns->add_subcommand(
      "test", "would a text raise a concern? Uses the shipped phrases and the config's safeguarding.phrases; "
              "needs no Redis");
  auto* text = c.concerns_test->add_option("TEXT", c.test_text, "the text, as a member would send it");
  c.concerns_test->add_option("--lang", c.test_language, "the member's language (default: unknown, so every list)");
  auto* files = c.concerns_test->add_option(
      "--file", c.test_files,
      "score labelled cases instead: concern|ordinary<TAB>language<TAB>text per line, # comments; "
      "prints the wrong ones, then recall and false alarms; exit 1 if any was wrong");
  files->check(CLI::ExistingFile)->excludes(text);
  c.concerns_test->add_flag("--summary-only", c.test_summary_only,
                            "with --file: only the figures, not the texts (for a held-out set)")
      ->needs(files);

  c.preview = app.add_subcommand("preview", "the exact text a member would get, with its encoding and SMS segments");
  c.preview->add_option("-m,--member", c.member, "member id, or her phone number")->required();
  c.preview->add_option("-s,--session", c.session_id, "session id")->required();
  c.preview->add_option("--kind", c.kind, "which text")
      ->check(CLI::IsMember({"reminder", "follow_up", "cancelled"}))
      ->capture_default_str();
  c.preview->add_option("--at", c.at, "render as if sent at this time, RFC 3339 (default: now)")
      ->check([](const std::string& v) {
        return ParseRfc3339(v).ok() ? std::string() : "not an RFC 3339 time such as 2026-11-30T18:00:00+00:00";
      });
}

int RunConcernsTest(const std::string& config_path, const CoordinatorCommands& c) {
  if (c.test_text.empty() && c.test_files.empty()) {
    std::cerr << "checkinctl concerns test: give a TEXT or --file (see --help)\n";
    return 2;
  }
  auto config = Config::Load(config_path, Config::SecretSource::Process(), /*resolve_secrets=*/false);
  if (!config.ok()) return Refuse(config.status());
  auto classifier = ConcernClassifier::Create(config->safeguarding.phrases);
  if (!classifier.ok()) return Refuse(classifier.status());
  if (c.test_files.empty()) {
    TestConcernText(*classifier, c.test_text, c.test_language, std::cout);
    return 0;
  }
  bool all_right = false;
  Status s = TestConcernFiles(*classifier, c.test_files, c.test_summary_only, std::cout, &all_right);
  if (!s.ok()) return Refuse(s);
  return all_right ? 0 : 1;
}

int RunConcerns(const std::string& config_path, const CoordinatorCommands& c, bool json) {
  if (*c.concerns_test) return RunConcernsTest(config_path, c);
  auto opened = Open(config_path);
  if (!opened.ok()) return Refuse(opened.status());
  ConcernStore store(*opened->store);
  if (!*c.concerns_ack) {
    Status s = ReportConcerns(store, opened->config, c.concerns_limit, json, std::cout);
    return s.ok() ? 0 : Refuse(s);
  }
  Concerns concerns(*opened->store, store, {});
  Status s = AcknowledgeConcern(concerns, opened->config, c.concern_id, c.ack_by, Clock::Real()->NowSeconds(), std::cout);
  return s.ok() ? 0 : Refuse(s);
}

// -1 when none of them was chosen.
int RunCoordinatorCommand(const std::string& config, const CoordinatorCommands& c, bool json) {
  if (*c.import) return Import(config, c.import_args);
  if (*c.sessions) return WithContext(config, "", [&](CtlContext& ctx) { return ReportSessions(ctx, c.days, json, std::cout); });
  if (*c.session) {
    return WithContext(config, "", [&](CtlContext& ctx) { return ReportSession(ctx, c.session_id, json, std::cout); });
  }
  if (*c.inbox) return WithContext(config, "", [&](CtlContext& ctx) { return ReportInbox(ctx, c.inbox_limit, json, std::cout); });
  if (*c.cancel) {
    return WithContext(config, "", [&](CtlContext& ctx) { return CancelSession(ctx, c.session_id, c.yes, std::cin, std::cout); });
  }
  if (*c.attended) {
    return WithContext(config, "", [&](CtlContext& ctx) {
      return MarkRegister(ctx, c.session_id, c.attended_members, c.remove, std::cout);
    });
  }
  if (*c.concerns) return RunConcerns(config, c, json);
  if (*c.preview) {
    return WithContext(config, c.at, [&](CtlContext& ctx) { return PrintPreview(ctx, c.member, c.session_id, c.kind); });
  }
  return -1;
}

}  // namespace
}  // namespace checkin

int main(int argc, char** argv) {
  CLI::App app{"checkinctl: import members, sessions and groups, see who is coming, read the inbox, cancel a "
               "session, take the register, preview and check message texts, look at the reminder queue, forget a member on request."};
  app.require_subcommand(1);
  std::string config = checkin::kDefaultConfig;
  bool json = false;
  app.add_option("-c,--config", config, "config file (Redis URL and key prefix)")->default_str(config);
  app.add_flag("--json", json, "print JSON");

  int limit = 20;
  auto* queue = app.add_subcommand("queue", "jobs waiting and leased, next due first");
  queue->add_option("--limit", limit, "how many upcoming jobs to list")->check(CLI::Range(1, 10000));
  queue->add_flag("--json", json, "print JSON");

  std::string job_id;
  auto* job = app.add_subcommand("job", "one job's record: state, attempts, sid, reason");
  job->add_option("JOB_ID", job_id, "job id (from checkinctl queue)")->required();
  job->add_flag("--json", json, "print JSON");

  auto* segments = app.add_subcommand("segments", "encoding (GSM-7 or UCS-2) and SMS segments of the text on stdin");
  segments->add_flag("--json", json, "print JSON");

  std::string forget_phone;
  auto* forget = app.add_subcommand(
      "forget", "remove everything checkin holds about the member(s) with this phone number (privacy request)");
  forget->add_option("PHONE", forget_phone, "the number, E.164 or national (read in the config's region)")->required();
  forget->add_flag("--json", json, "print JSON");

  checkin::CoordinatorCommands coordinator;
  checkin::AddCoordinatorCommands(app, coordinator, json);

  bool lint_strict = false, lint_offline = false;
  auto* lint = app.add_subcommand(
      "lint", "check every template in every language: placeholders, missing languages, characters that switch a "
              "text to UCS-2, segments and cost per session (docs/templates.md)");
  lint->add_flag("--json", json, "print JSON");
  lint->add_flag("--strict", lint_strict, "exit 1 on warnings too, not only on errors");
  lint->add_flag("--offline", lint_offline, "do not read member languages and group sizes from Redis");
  std::string lint_group;
  lint->add_option("--group", lint_group, "lint only this group's settings (its group file over the main file)");

  std::string group_file;
  auto* group_config = app.add_subcommand("group-config", "a group's own settings file (groups_dir, docs/configuration.md)");
  group_config->require_subcommand(1);
  auto* group_check = group_config->add_subcommand(
      "check", "check a group file as checkind would, over the main file, and lint its texts (Redis is not read)");
  group_check->add_option("FILE", group_file, "the group file, e.g. /etc/checkin/groups.d/buggy-walk.yaml")->required();
  group_check->add_flag("--json", json, "print the lint as JSON");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  try {
    if (*queue) return checkin::Queue(config, limit, json);
    if (*job) return checkin::Job(config, job_id, json);
    if (*segments) return checkin::Segments(json);
    if (*forget) return checkin::Forget(config, forget_phone, json);
    if (*lint) return checkin::RunLintCommand(config, json, lint_strict, lint_offline, std::cout, std::cerr, lint_group);
    if (*group_check) return checkin::RunGroupConfigCheck(config, group_file, json, std::cout, std::cerr);
    const int rc = checkin::RunCoordinatorCommand(config, coordinator, json);
    if (rc >= 0) return rc;
  } catch (const std::exception& e) {
    std::cerr << "checkinctl: fatal: " << e.what() << "\n";
    return 1;
  }
  return 2;
}
