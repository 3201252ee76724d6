// Template lint, the outside (see template_lint.h): the member census from
// Redis, the report as text and JSON, and `checkinctl lint`.
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "config/config_table.h"
#include "store/redis_client.h"
#include "store/redis_store.h"
#include "ctl/template_lint.h"

namespace checkin {

using Severity = LintFinding::Severity;

// ------------------------------------------------------------------ census

Result<MemberCensus> ReadMemberCensus(RedisClient& redis, const RedisKeys& keys, const std::string& default_language) {
  const std::string head = keys.prefix() + "group:", tail = ":members";
  auto group_keys = ScanKeys(redis, KeyGlob(keys.GroupMembers(kAnyId)));
  if (!group_keys.ok()) return group_keys.status();
  MemberCensus census;
  std::map<std::string, std::string> language_of;  // member id -> language, each member once
  for (const std::string& key : *group_keys) {
    MemberCensus::GroupInfo group;
    group.id = key.substr(head.size(), key.size() - head.size() - tail.size());
    auto ids = redis.Command({"SMEMBERS", key});
    if (!ids.ok()) return ids.status().WithContext(key);
    // HSTRLEN: whether the group has a coordinator, without reading the number.
    std::vector<std::vector<std::string>> commands = {{"HGET", keys.Group(group.id), "name"},
                                                      {"HSTRLEN", keys.Group(group.id), "coordinator_phone"}};
    for (const RedisReply& id : ids->elements) {
      commands.push_back({"HMGET", keys.Member(id.str), "name", "language", "opted_out"});
    }
    auto replies = redis.Pipeline(commands);
    if (!replies.ok()) return replies.status().WithContext(key);
    group.name = (*replies)[0].str;
    group.has_coordinator = (*replies)[1].integer > 0;
    const auto field = [](const RedisReply& r, size_t i) { return i < r.elements.size() ? r.elements[i].str : ""; };
    for (size_t i = 2; i < replies->size(); ++i) {
      const RedisReply& m = (*replies)[i];
      // No such member (the daemon reports it), or opted out: no texts.
      if (m.elements.empty() || m.elements[0].is_nil() || field(m, 2) == "1") continue;
      std::string language = field(m, 1).empty() ? default_language : field(m, 1);
      ++group.members_by_language[language];
      language_of[ids->elements[i - 2].str] = language;
    }
    census.groups.push_back(group);
  }
  for (const auto& [id, language] : language_of) ++census.members_by_language[language];
  return census;
}

// ------------------------------------------------------------------ output

namespace {

std::string FormatAmount(double amount) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", amount);
  std::string s = buf;
  while (s.size() > 3 && s.back() == '0' && s[s.size() - 3] != '.') s.pop_back();
  return s;
}

std::string Segments(int n) { return std::to_string(n) + (n == 1 ? " segment" : " segments"); }

std::string Priced(const LintReport& r, const Cost& c) {
  return Segments(c.segments) + " = " + r.currency + " " + FormatAmount(c.amount);
}

void PrintFinding(std::ostream& out, const LintFinding& f, const char* indent) {
  out << indent << SeverityName(f.severity) << ": " << (f.location.empty() ? "" : f.location + ": ") << f.message
      << "\n";
}

// One row per kind; the "needs UCS-2 for its letters" note rides on it.
void PrintKindRow(std::ostream& out, const LanguageLint& lang, const KindEstimate& k, const LintFinding* letters) {
  char row[160];
  std::snprintf(row, sizeof row, "  %-14s %s %3d %-9s %4d characters", TemplateKindName(k.kind),
                EncodingName(k.rendered.encoding), k.rendered.segments, k.rendered.segments == 1 ? "segment" : "segments",
                k.rendered.characters);
  out << row;
  if (k.text_language != lang.language) out << "  (the " << k.text_language << " text)";
  out << (k.location.empty() ? "  shipped default" : "  " + k.location);
  if (letters) out << "  (needs UCS-2 for its letters: " << letters->character << ")";
  out << "\n";
}

void PrintLanguage(std::ostream& out, const LintReport& r, const std::string& language, const LanguageLint* lang) {
  out << "\n== " << language;
  if (lang) {
    out << (lang->has_templates ? "" : ": no templates");
    if (lang->members) out << (lang->has_templates ? ": " : ", ") << *lang->members << " member(s) in Redis";
  }
  out << " ==\n";
  for (const LintFinding& f : r.findings) {
    if (f.language == language && f.kind.empty()) PrintFinding(out, f, "  ");
  }
  for (TemplateKind kind : AllTemplateKinds()) {
    const std::string name = TemplateKindName(kind);
    const KindEstimate* estimate = nullptr;
    for (size_t i = 0; lang && i < lang->kinds.size(); ++i) {
      if (lang->kinds[i].kind == kind) estimate = &lang->kinds[i];
    }
    const LintFinding* letters = nullptr;
    for (const LintFinding& f : r.findings) {
      if (f.language == language && f.kind == name && f.code == "needs_ucs2_letters") letters = &f;
    }
    bool header = false;
    if (estimate) {
      PrintKindRow(out, *lang, *estimate, letters);
      header = true;
    }
    for (const LintFinding& f : r.findings) {
      if (f.language != language || f.kind != name || (estimate && &f == letters)) continue;
      if (!header) out << "  " << name << "\n";
      header = true;
      PrintFinding(out, f, "      ");
    }
  }
  if (lang && r.config_loaded) {
    out << "  One session: " << Priced(r, lang->per_member) << " per member; a group of " << kSampleGroupSize << ": "
        << Priced(r, lang->group_of_12) << "\n";
  }
}

}  // namespace

std::string FormatLintText(const LintReport& r) {
  std::ostringstream out;
  out << "Template lint of " << r.config_path << "\n";
  if (!r.config_loaded) {
    out << "\nThe config does not load; segments and cost are estimated once it does.\n";
  } else {
    const LintSamples& v = r.samples;
    out << "\nEach text is rendered with long values: {name} " << Quoted(v.name) << ", {title} " << Quoted(v.title)
        << ", {group} " << Quoted(v.group) << ", {venue} " << Quoted(v.venue) << ", {time} " << v.time
        << ", the longest {day} and {date} words of each language, digest counts " << v.count << ".\n"
        << "Per session each member gets " << r.reminders_per_session << " reminder(s) (reminders.send)"
        << (r.follow_up ? " and a follow-up if she has not answered" : " and no follow-up") << "; one segment costs "
        << r.currency << " " << FormatAmount(r.per_segment) << ". Replies to her answers are not counted.\n";
  }
  for (const LintFinding& f : r.findings) {
    if (f.language.empty()) PrintFinding(out, f, "");
  }
  std::set<std::string> languages;
  for (const LanguageLint& l : r.languages) languages.insert(l.language);
  for (const LintFinding& f : r.findings) {
    if (!f.language.empty()) languages.insert(f.language);
  }
  for (const std::string& language : languages) {
    const LanguageLint* lang = nullptr;
    for (const LanguageLint& l : r.languages) {
      if (l.language == language) lang = &l;
    }
    PrintLanguage(out, r, language, lang);
  }
  if (r.config_loaded) {
    out << "\n== digest: to each group's coordinator, once per session ==\n";
    if (r.digest) {
      out << "  in " << r.digest->text_language << ": " << EncodingName(r.digest->rendered.encoding) << ", "
          << Priced(r, r.digest_cost) << " per group\n";
    } else {
      out << "  off (reminders.digest_hours_before is 0)\n";
    }
  }
  if (r.census_checked) {
    out << "\n== groups in Redis: one session ==\n";
    if (r.groups.empty()) out << "  none\n";
    for (const LintReport::GroupCost& g : r.groups) {
      out << "  " << g.id << (g.name.empty() ? "" : " " + Quoted(g.name)) << ": " << g.members << " member(s), "
          << Priced(r, g.members_cost);
      if (g.digest_cost.segments > 0) out << ", digest " << Priced(r, g.digest_cost);
      out << "\n";
    }
  }
  const int errors = r.Count(Severity::kError), warnings = r.Count(Severity::kWarning);
  out << "\n" << errors << (errors == 1 ? " error, " : " errors, ") << warnings
      << (warnings == 1 ? " warning, " : " warnings, ") << r.Count(Severity::kInfo) << " info\n";
  return out.str();
}

std::string FormatLintJson(const LintReport& r) {
  using json = nlohmann::ordered_json;  // keys in the documented order
  const auto cost = [](const Cost& c) { return json{{"segments", c.segments}, {"cost", c.amount}}; };
  const auto kind = [](const KindEstimate& k) {
    return json{{"kind", TemplateKindName(k.kind)}, {"text_language", k.text_language}, {"location", k.location},
                {"encoding", EncodingName(k.rendered.encoding)}, {"segments", k.rendered.segments},
                {"characters", k.rendered.characters}, {"units", k.rendered.units}, {"sample", k.sample}};
  };
  json out = {{"config", r.config_path},
              {"loaded", r.config_loaded},
              {"summary",
               {{"errors", r.Count(Severity::kError)},
                {"warnings", r.Count(Severity::kWarning)},
                {"infos", r.Count(Severity::kInfo)}}}};
  json findings = json::array();
  for (const LintFinding& f : r.findings) {
    findings.push_back({{"severity", SeverityName(f.severity)}, {"code", f.code}, {"language", f.language},
                        {"kind", f.kind}, {"location", f.location}, {"position", f.position},
                        {"character", f.character}, {"codepoints", f.codepoints}, {"name", f.name},
                        {"replacement", f.replacement ? json(*f.replacement) : json(nullptr)}, {"message", f.message}});
  }
  out["findings"] = findings;
  if (!r.config_loaded) return out.dump(2);
  const LintSamples& v = r.samples;
  out["pricing"] = {{"per_segment", r.per_segment}, {"currency", r.currency}};
  out["texts_per_member_per_session"] = {{"reminder", r.reminders_per_session}, {"follow_up", r.follow_up ? 1 : 0}};
  out["samples"] = {{"name", v.name}, {"title", v.title}, {"group", v.group}, {"venue", v.venue},
                    {"time", v.time}, {"day_of_month", v.day_of_month}, {"count", v.count}};
  json languages = json::array();
  for (const LanguageLint& l : r.languages) {
    json kinds = json::array();
    for (const KindEstimate& k : l.kinds) kinds.push_back(kind(k));
    languages.push_back({{"language", l.language}, {"has_templates", l.has_templates},
                         {"members", l.members ? json(*l.members) : json(nullptr)}, {"falls_back", l.falls_back},
                         {"kinds", kinds}, {"per_member", cost(l.per_member)}, {"group_of_12", cost(l.group_of_12)}});
  }
  out["languages"] = languages;
  out["digest"] = nullptr;
  if (r.digest) {
    out["digest"] = kind(*r.digest);
    out["digest"]["cost"] = r.digest_cost.amount;
  }
  out["groups"] = nullptr;
  if (r.census_checked) {
    out["groups"] = json::array();
    for (const LintReport::GroupCost& g : r.groups) {
      out["groups"].push_back({{"id", g.id}, {"name", g.name}, {"members", g.members},
                               {"members_cost", cost(g.members_cost)}, {"digest_cost", cost(g.digest_cost)}});
    }
  }
  return out.dump(2);
}

// ----------------------------------------------------------------- command

namespace {

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
