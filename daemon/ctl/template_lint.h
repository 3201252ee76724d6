// Template lint: what `checkinctl lint` checks in the message templates of
// a config file, and what the texts will cost.
//
//   - placeholders: every unknown {placeholder} and unbalanced brace, with
//     the file line and character (the loader stops at the first per text);
//   - characters that silently switch a text to UCS-2 (70 characters per
//     segment instead of 160): curly quotes, dashes, ellipsis, odd spaces,
//     emoji, each named with a GSM-7 replacement; a text whose letters need
//     UCS-2 anyway (Polish, Urdu) is noted, not warned about;
//   - missing languages: kinds of a language that fall back to English, and
//     (with a member census from Redis) languages members have that no
//     template covers;
//   - segments of every kind in every language rendered with long realistic
//     values (LintSamples), and the cost of one session per member, per
//     group of 12 and per real group.
//
// Everything but ReadMemberCensus and RunLintCommand is a pure function of
// its arguments, so tests need neither Redis nor files.
//
// One file per part: template_lint.cc (LintConfig, LintUnloadable: the
// checks put together, and the language checks), lint_yaml_sources.cc
// (ReadTemplateFile), lint_placeholders.cc, lint_characters.cc (with the
// table gsm_replacements.cc), lint_cost.cc (segments and cost),
// lint_census.cc (ReadMemberCensus), template_lint_report.cc (text and
// JSON) and lint_command.cc (RunLintCommand).
//
// Thread-safety: pure functions; RunLintCommand reads a file and Redis.
#ifndef CHECKIN_DAEMON_TEMPLATE_LINT_H_
#define CHECKIN_DAEMON_TEMPLATE_LINT_H_

#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "checkin/config.h"
#include "checkin/status.h"
#include "text/segments.h"

namespace checkin {

class RedisClient;
class RedisKeys;

// One template as written in the file (or shipped, for en).
struct TemplateSource {
  std::string language;
  TemplateKind kind = TemplateKind::kReminder;
  std::string text;
  std::string location;  // "checkin.yaml:154", or "" for a shipped default
};

// What the raw YAML says about templates, before (and even when failing)
// Config::Load.
struct TemplateFile {
  std::vector<TemplateSource> templates;  // in file order
  // words keys given per language: "today", "tomorrow", "weekdays", "months".
  std::map<std::string, std::vector<std::string>> words_given;
};

// Reads templates.<lang>.<kind> from YAML text; `source` names it in
// locations. Malformed parts are skipped (Config::Load reports them).
TemplateFile ReadTemplateFile(const std::string& yaml, const std::string& source);

struct LintFinding {
  enum class Severity { kInfo, kWarning, kError };
  Severity severity = Severity::kInfo;
  // unknown_placeholder, unbalanced_brace, ucs2_character, emoji,
  // no_gsm_replacement, needs_ucs2_letters, falls_back_to_en, words_missing,
  // language_without_templates, config_error, redis_unavailable
  std::string code;
  std::string language;  // "" when about the whole file
  std::string kind;      // template kind name, or "" when about the language
  std::string location;  // "checkin.yaml:154", "" when none
  int position = 0;      // 1-based character in the template text; 0: none
  std::string character;    // the character(s) found, UTF-8
  std::string codepoints;   // "U+2019", "U+1F469 U+200D U+1F467"
  std::string name;         // "right single quotation mark"
  std::optional<std::string> replacement;  // GSM-7 text to use ("" = delete)
  std::string message;      // one line for a coordinator
};
const char* SeverityName(LintFinding::Severity severity);  // "error", "warning", "info"

// Placeholder problems of one template: every unknown placeholder (with a
// "did you mean") and the first unbalanced brace.
std::vector<LintFinding> CheckPlaceholders(const TemplateSource& t);

// Characters of one template that make it UCS-2: each replaceable one or
// emoji as a warning with its replacement; when the text's letters need
// UCS-2 anyway, one info finding for them (replaceable punctuation is still
// flagged).
std::vector<LintFinding> CheckCharacters(const TemplateSource& t);

// The long realistic values templates are rendered with. {day} tries
// today, tomorrow and every weekday of the language, {date} "28 <month>"
// with every month: the longest result counts.
struct LintSamples {
  std::string name = "Aleksandra-Magdalena";
  std::string title = "Baby massage and sensory play";
  std::string group = "Walkerburn Mums and Tots";
  std::string venue = "Walkerburn Public Hall, Galashiels Road";
  std::string time = "10:00";
  std::string day_of_month = "28";
  std::string count = "12";  // {coming} {maybe} {not_coming} {no_answer}
  std::string phone = "+447700900123";  // {phone}, {taken_by} (safeguarding texts)
  // {body}: her words in an alert, at the length an alert quotes (600 bytes).
  std::string body = std::string(597, 'x') + "...";
};

// Members who get texts (not opted out), from Redis.
struct MemberCensus {
  struct GroupInfo {
    std::string id;
    std::string name;
    bool has_coordinator = false;
    std::map<std::string, int> members_by_language;
  };
  std::vector<GroupInfo> groups;
  std::map<std::string, int> members_by_language;  // each member once
};

// Members of every group under the store's prefix, by language (a member
// without one has `default_language`). Never reads a phone number (the
// coordinator's is only checked for presence, with HSTRLEN).
Result<MemberCensus> ReadMemberCensus(RedisClient& redis, const RedisKeys& keys, const std::string& default_language);

struct KindEstimate {
  TemplateKind kind = TemplateKind::kReminder;
  std::string text_language;  // language the text comes from (en when falling back)
  std::string location;       // of that text
  SegmentInfo rendered;       // the longest rendering
  std::string sample;         // that rendering
};

struct Cost {
  int segments = 0;
  double amount = 0;
};

// The group size of the cost example ("a group of 12").
constexpr int kSampleGroupSize = 12;

struct LanguageLint {
  std::string language;
  bool has_templates = false;          // any template in the file (en: always)
  std::optional<int> members;          // from the census
  std::vector<std::string> falls_back;  // member kinds that use the en text
  std::vector<KindEstimate> kinds;     // every kind but digest
  Cost per_member;                     // one session: reminders (+ follow-up)
  Cost group_of_12;                    // kSampleGroupSize members
};

struct LintReport {
  std::string config_path;
  bool config_loaded = false;
  std::vector<LintFinding> findings;  // all, grouped by language then kind
  // Cost model (config loaded only).
  int reminders_per_session = 0;  // reminders.send rules
  bool follow_up = false;         // reminders.follow_up_hours_before > 0
  double per_segment = 0;
  std::string currency;
  LintSamples samples;
  std::vector<LanguageLint> languages;
  std::optional<KindEstimate> digest;  // to the coordinator, default language; none when off
  Cost digest_cost;
  struct GroupCost {
    std::string id, name;
    int members = 0;
    Cost members_cost;  // every member's texts, one session
    Cost digest_cost;   // when the group has a coordinator_phone
  };
  bool census_checked = false;
  std::vector<GroupCost> groups;
  // A group file's report (LintGroupFile): the group's id; "" for the main file.
  std::string group;
  // The reports of the group files, after the main file's (RunLintCommand).
  std::vector<LintReport> group_files;

  // Findings of this report only (not of group_files).
  int Count(LintFinding::Severity severity) const;
};

// Lints a loaded config. `file` gives locations (and the placeholder
// checks); `census` adds member languages and real group sizes.
LintReport LintConfig(const Config& config, const TemplateFile& file, const std::optional<MemberCensus>& census,
                      const LintSamples& samples = LintSamples());
// The report for a file that does not load: the template findings that
// can still be made, and the loader's error.
LintReport LintUnloadable(const std::string& config_path, const TemplateFile& file, const std::string& load_error);

// Lints one group's settings (`group`: Config::ForGroup of the group, its
// file over the main file). `group_file` and `main_file` are the raw YAML of
// both (locations; the group's texts win); `census` is narrowed to the
// group, so the costs are that group's with its own templates.
LintReport LintGroupFile(const std::string& group_id, const Config& group, const TemplateFile& group_file,
                         const TemplateFile& main_file, const std::optional<MemberCensus>& census,
                         const LintSamples& samples = LintSamples());

// Human-readable report, grouped by language then kind; each group file's
// report follows the main file's.
std::string FormatLintText(const LintReport& report);
// The same as JSON (docs/templates.md describes the shape).
std::string FormatLintJson(const LintReport& report);

// `checkinctl lint`: loads `config_path` and its group files (no Twilio
// secret needed), reads the member census from Redis unless `offline` (an
// unreachable Redis is noted, not an error), lints the main file and then
// every group file (only group `only_group`'s settings when it is not ""),
// prints the report to `out` and problems running it to `err`. Returns 1
// when a file does not load or, with `strict`, when there is any warning;
// else 0.
int RunLintCommand(const std::string& config_path, bool json, bool strict, bool offline, std::ostream& out,
                   std::ostream& err, const std::string& only_group = "");

// `checkinctl group-config check FILE`: FILE checked as checkind checks a
// group file, over the main file at `config_path` (Redis is not read), then
// its settings linted offline. Returns 1 when FILE (or the main file) is
// refused, else 0.
int RunGroupConfigCheck(const std::string& config_path, const std::string& group_file, bool json, std::ostream& out,
                        std::ostream& err);

}  // namespace checkin

#endif  // CHECKIN_DAEMON_TEMPLATE_LINT_H_
