// Template lint, `checkinctl lint` and `checkinctl group-config check` (see
// RunLintCommand and RunGroupConfigCheck in template_lint.h): reads the
// file and its group files, lints what loads (or what can be said of a file
// that does not), adds the member census unless offline, and prints the
// report.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "ctl/template_lint.h"
#include "store/redis_client.h"
#include "store/redis_store.h"

namespace checkin {

namespace {

using Severity = LintFinding::Severity;

// The census, or nullopt and `problem` set when Redis cannot be read.
std::optional<MemberCensus> TryReadCensus(const Config& config, std::string* problem) {
  RedisOptions options;
  options.url = config.redis.url;
  options.timeout = config.redis.timeout;
  options.pool_size = 1;
  auto client = RedisClient::Connect(options);
  Result<MemberCensus> census = client.ok()
                                    ? ReadMemberCensus(**client, RedisKeys(config.redis.prefix), config.default_language)
                                    : Result<MemberCensus>(client.status());
  if (census.ok()) return std::move(*census);
  *problem = "member languages and group sizes not checked: Redis at " + RedactRedisUrl(config.redis.url) + ": " +
             census.status().ToString() + " (--offline skips Redis)";
  return std::nullopt;
}

// The text of `path` (Config::ReadFile), or nullopt with the reason written to `err`.
std::optional<std::string> ReadText(const std::string& path, std::ostream& err) {
  auto text = Config::ReadFile(path);
  if (!text.ok()) {
    err << "checkinctl: " << text.status().message() << "\n";
    return std::nullopt;
  }
  return *text;
}

// The census without the groups that have a group file: their costs are
// in their own reports, with their own templates.
std::optional<MemberCensus> WithoutGroupFiles(const std::optional<MemberCensus>& census, const Config& config) {
  if (!census) return census;
  MemberCensus out = *census;
  out.groups.clear();
  for (const MemberCensus::GroupInfo& g : census->groups) {
    if (!config.groups.count(g.id)) out.groups.push_back(g);
  }
  return out;
}

// The report of every group file (or of `only_group`), each over the main file.
std::vector<LintReport> LintGroups(const Config& config, const TemplateFile& main_file,
                                   const std::optional<MemberCensus>& census, const std::string& only_group,
                                   std::ostream& err) {
  std::vector<LintReport> reports;
  for (const auto& [id, group] : config.groups) {
    if (!only_group.empty() && id != only_group) continue;
    auto text = ReadText(group->source, err);
    const TemplateFile file = text ? ReadTemplateFile(*text, group->source) : TemplateFile{};
    reports.push_back(LintGroupFile(id, *group, file, main_file, census));
  }
  return reports;
}

int ExitCode(const LintReport& report, bool strict) {
  int errors = report.Count(Severity::kError), warnings = report.Count(Severity::kWarning);
  for (const LintReport& g : report.group_files) {
    errors += g.Count(Severity::kError);
    warnings += g.Count(Severity::kWarning);
  }
  return errors > 0 || (strict && warnings > 0) ? 1 : 0;
}

}  // namespace

int RunLintCommand(const std::string& config_path, bool json, bool strict, bool offline, std::ostream& out,
                   std::ostream& err, const std::string& only_group) {
  const auto text = ReadText(config_path, err);
  if (!text) return 1;
  const TemplateFile file = ReadTemplateFile(*text, config_path);
  // Lint needs no Twilio secret: coordinators run it without one.
  auto config = Config::Parse(*text, config_path, Config::SecretSource::Process(), /*resolve_secrets=*/false);
  if (config.ok()) config = Config::LoadGroups(std::move(*config));  // a broken group file is named like a main one
  LintReport report;
  if (!config.ok()) {
    report = LintUnloadable(config_path, file, config.status().message());
  } else {
    std::string redis_problem;
    const std::optional<MemberCensus> census = offline ? std::nullopt : TryReadCensus(*config, &redis_problem);
    if (only_group.empty()) {
      report = LintConfig(*config, file, WithoutGroupFiles(census, *config));
      report.group_files = LintGroups(*config, file, census, "", err);
    } else if (config->groups.count(only_group)) {
      report = std::move(LintGroups(*config, file, census, only_group, err).front());
    } else {
      // A group without a file has the main file's settings, for it alone.
      report = LintGroupFile(only_group, *config, TemplateFile{}, file, census);
    }
    if (!redis_problem.empty()) {
      LintFinding note;
      note.code = "redis_unavailable";
      note.message = redis_problem;
      report.findings.insert(report.findings.begin(), note);
    }
  }
  out << (json ? FormatLintJson(report) + "\n" : FormatLintText(report));
  return ExitCode(report, strict);
}

int RunGroupConfigCheck(const std::string& config_path, const std::string& group_file, bool json, std::ostream& out,
                        std::ostream& err) {
  const auto main_text = ReadText(config_path, err);
  const auto group_text = ReadText(group_file, err);
  if (!main_text || !group_text) return 1;
  auto config = Config::Parse(*main_text, config_path, Config::SecretSource::Process(), /*resolve_secrets=*/false);
  if (!config.ok()) {
    err << "checkinctl group-config check: the main file is refused, so the group file cannot be checked over it:\n"
        << config.status().message() << "\n";
    return 1;
  }
  auto group = config->WithGroupFile(*group_text, group_file);
  if (!group.ok()) {
    err << group.status().message() << "\n";
    return 1;
  }
  const std::string id = std::filesystem::path(group_file).stem().string();
  const LintReport report = LintGroupFile(id, *group, ReadTemplateFile(*group_text, group_file),
                                          ReadTemplateFile(*main_text, config_path), std::nullopt);
  out << (json ? FormatLintJson(report) + "\n" : FormatLintText(report) + group_file + ": OK\n");
  return ExitCode(report, /*strict=*/false);
}

}  // namespace checkin
