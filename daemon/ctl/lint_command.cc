// Template lint, `checkinctl lint` (see RunLintCommand in template_lint.h):
// reads the file, lints what loads (or what can be said of a file that does
// not), adds the member census unless offline, and prints the report.
#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

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

}  // namespace

int RunLintCommand(const std::string& config_path, bool json, bool strict, bool offline, std::ostream& out,
                   std::ostream& err) {
  std::ifstream in(config_path, std::ios::binary);
  if (!in) {
    err << "checkinctl lint: " << config_path << ": cannot read config file: " << std::strerror(errno) << "\n";
    return 1;
  }
  std::ostringstream text;
  text << in.rdbuf();
  const TemplateFile file = ReadTemplateFile(text.str(), config_path);
  // Lint needs no Twilio secret: coordinators run it without one.
  auto config = Config::Parse(text.str(), config_path, Config::SecretSource::Process(), /*resolve_secrets=*/false);
  LintReport report;
  if (!config.ok()) {
    report = LintUnloadable(config_path, file, config.status().message());
  } else {
    std::string redis_problem;
    const std::optional<MemberCensus> census = offline ? std::nullopt : TryReadCensus(*config, &redis_problem);
    report = LintConfig(*config, file, census);
    if (!redis_problem.empty()) {
      LintFinding note;
      note.code = "redis_unavailable";
      note.message = redis_problem;
      report.findings.insert(report.findings.begin(), note);
    }
  }
  out << (json ? FormatLintJson(report) + "\n" : FormatLintText(report));
  const bool failed = report.Count(Severity::kError) > 0 || (strict && report.Count(Severity::kWarning) > 0);
  return failed ? 1 : 0;
}

}  // namespace checkin
