// Template lint, the checks put together (see template_lint.h): every
// template through the placeholder and character checks, each language
// through the coverage checks kept here (kinds falling back to English,
// missing {day}/{date} words, member languages without templates), the
// estimates of lint_cost.cc, and the findings sorted by language and kind.
//
// The other parts: lint_yaml_sources.cc (each template's file:line),
// lint_placeholders.cc, lint_characters.cc with gsm_replacements.cc,
// lint_cost.cc; the member census (lint_census.cc), the report as text and
// JSON (template_lint_report.cc) and `checkinctl lint` (lint_command.cc).
#include "ctl/template_lint.h"

#include <algorithm>
#include <set>
#include <sstream>
#include <tuple>

#include "config/templates.h"
#include "ctl/lint_cost.h"

namespace checkin {

namespace {

using Severity = LintFinding::Severity;

LintFinding LanguageFinding(const std::string& language, Severity severity, const std::string& code,
                            const std::string& message) {
  LintFinding f;
  f.severity = severity;
  f.code = code;
  f.language = language;
  f.message = message;
  return f;
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// The placeholder and character findings of every template the config has.
void CheckEveryTemplate(const Config& config, const TemplateLocations& where, std::vector<LintFinding>& out) {
  for (const auto& [language, kinds] : config.templates) {
    for (const auto& [kind, text] : kinds) {
      auto loc = where.find({language, kind});
      const TemplateSource t{language, kind, text, loc == where.end() ? "" : loc->second};
      for (auto* check : {&CheckPlaceholders, &CheckCharacters}) {
        for (LintFinding& f : (*check)(t)) out.push_back(std::move(f));
      }
    }
  }
}

// Kinds of `language` that use the English text, as findings: a warning
// for kinds its members get, a note for follow_up while follow-ups are off.
void CheckFallbacks(const Config& c, LanguageLint& lang, std::vector<LintFinding>& out) {
  std::vector<std::string> sent, unused;
  for (TemplateKind kind : AllTemplateKinds()) {
    // Coordinators' texts (the digest, safeguarding alerts) are in the default language.
    if (ForCoordinators(kind) && lang.language != c.default_language) continue;
    if (HasOwnTemplate(c, lang.language, kind)) continue;
    if (kind == TemplateKind::kConcern && DefaultConcernTexts().count(lang.language)) continue;  // shipped in it
    lang.falls_back.push_back(TemplateKindName(kind));
    const bool off = kind == TemplateKind::kFollowUp && c.reminders.follow_up_before.count() == 0;
    (off ? unused : sent).push_back(TemplateKindName(kind));
  }
  const std::string& l = lang.language;
  if (!sent.empty()) {
    out.push_back(LanguageFinding(l, Severity::kWarning, "falls_back_to_en",
                                  JoinNames(sent) + ": no templates." + l + " text, members with language " + l +
                                      " get the English one"));
  }
  if (!unused.empty()) {
    out.push_back(LanguageFinding(l, Severity::kInfo, "falls_back_to_en",
                                  JoinNames(unused) + ": no templates." + l +
                                      " text (English is used; not sent while reminders.follow_up_hours_before is 0)"));
  }
}

// {day} and {date} need the language's words; missing ones are English.
void CheckWords(const Config& c, const TemplateFile& file, const std::string& language, std::vector<LintFinding>& out) {
  bool day = false, date = false;
  for (const auto& [kind, text] : c.templates.at(language)) {
    day = day || text.find("{day}") != std::string::npos;
    date = date || text.find("{date}") != std::string::npos;
  }
  std::vector<std::string> needed;
  if (day) needed = {"today", "tomorrow", "weekdays"};
  if (date || (day && FarAheadPossible(c))) needed.push_back("months");
  auto given_it = file.words_given.find(language);
  const std::vector<std::string> given = given_it == file.words_given.end() ? std::vector<std::string>{} : given_it->second;
  std::vector<std::string> missing;
  for (const std::string& w : needed) {
    if (std::find(given.begin(), given.end(), w) == given.end()) missing.push_back(w);
  }
  if (missing.empty()) return;
  out.push_back(LanguageFinding(language, Severity::kWarning, "words_missing",
                                "templates." + language + ".words has no " + JoinNames(missing) +
                                    ": {day}/{date} will show the English words (e.g. \"" +
                                    c.Words("en").tomorrow + "\")"));
}

// The languages to lint: those with templates, and those members have.
std::set<std::string> LanguagesToLint(const Config& config, const std::optional<MemberCensus>& census) {
  std::set<std::string> languages;
  for (const auto& [language, kinds] : config.templates) languages.insert(language);
  if (census) {
    for (const auto& [language, count] : census->members_by_language) languages.insert(language);
  }
  return languages;
}

// `language` with its member count and its coverage findings (costs are
// added by EstimateLanguageCost).
LanguageLint LintLanguage(const Config& config, const TemplateFile& file, const std::optional<MemberCensus>& census,
                          const std::string& language, std::vector<LintFinding>& out) {
  LanguageLint lang;
  lang.language = language;
  lang.has_templates = config.templates.count(language) > 0;
  if (census) {
    auto it = census->members_by_language.find(language);
    lang.members = it == census->members_by_language.end() ? 0 : it->second;
  }
  if (lang.has_templates && language != "en") {
    CheckFallbacks(config, lang, out);
    CheckWords(config, file, language, out);
  } else if (!lang.has_templates) {
    out.push_back(LanguageFinding(language, Severity::kWarning, "language_without_templates",
                                  std::to_string(lang.members.value_or(0)) + " member(s) have language " + language +
                                      " but there are no templates." + language + ": they get every text in English"));
  }
  return lang;
}

int KindIndex(const std::string& kind) {
  if (kind.empty()) return -1;
  auto k = TemplateKindFromName(kind);
  return k ? static_cast<int>(*k) : 100;
}

void SortFindings(std::vector<LintFinding>& findings) {
  std::stable_sort(findings.begin(), findings.end(), [](const LintFinding& a, const LintFinding& b) {
    return std::make_tuple(a.language, KindIndex(a.kind), a.position) <
           std::make_tuple(b.language, KindIndex(b.kind), b.position);
  });
}

}  // namespace

const char* SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    default: return "info";
  }
}

int LintReport::Count(Severity severity) const {
  return static_cast<int>(std::count_if(findings.begin(), findings.end(),
                                        [&](const LintFinding& f) { return f.severity == severity; }));
}

LintReport LintConfig(const Config& config, const TemplateFile& file, const std::optional<MemberCensus>& census,
                      const LintSamples& samples) {
  LintReport r;
  r.config_path = config.source;
  r.config_loaded = true;
  r.census_checked = census.has_value();
  SetCostModel(config, samples, r);
  const TemplateLocations where = LocationsOf(file);
  CheckEveryTemplate(config, where, r.findings);
  std::map<std::string, int> segments_per_member;
  for (const std::string& language : LanguagesToLint(config, census)) {
    LanguageLint lang = LintLanguage(config, file, census, language, r.findings);
    segments_per_member[language] = EstimateLanguageCost(config, where, r, lang);
    r.languages.push_back(std::move(lang));
  }
  EstimateDigestCost(config, where, r);
  if (census) EstimateGroupCosts(*census, segments_per_member, r);
  SortFindings(r.findings);
  return r;
}

LintReport LintGroupFile(const std::string& group_id, const Config& group, const TemplateFile& group_file,
                         const TemplateFile& main_file, const std::optional<MemberCensus>& census,
                         const LintSamples& samples) {
  // The group's texts first: LocationsOf keeps the first location of a text.
  TemplateFile both = group_file;
  both.templates.insert(both.templates.end(), main_file.templates.begin(), main_file.templates.end());
  for (const auto& [language, given] : main_file.words_given) {
    auto& words = both.words_given[language];
    words.insert(words.end(), given.begin(), given.end());
  }
  std::optional<MemberCensus> own;
  if (census) {
    own.emplace();
    for (const MemberCensus::GroupInfo& g : census->groups) {
      if (g.id != group_id) continue;
      own->groups.push_back(g);
      own->members_by_language = g.members_by_language;
    }
  }
  LintReport r = LintConfig(group, both, own, samples);
  r.group = group_id;
  return r;
}

LintReport LintUnloadable(const std::string& config_path, const TemplateFile& file, const std::string& load_error) {
  LintReport r;
  r.config_path = config_path;
  std::vector<std::string> reported;  // loader lines lint already explains
  for (const TemplateSource& t : file.templates) {
    std::vector<LintFinding> placeholders = CheckPlaceholders(t);
    if (!placeholders.empty()) {
      reported.push_back(t.location + ": templates." + t.language + "." + TemplateKindName(t.kind) + ": ");
    }
    for (auto& list : {placeholders, CheckCharacters(t)}) r.findings.insert(r.findings.end(), list.begin(), list.end());
  }
  std::istringstream lines(load_error);
  for (std::string line; std::getline(lines, line);) {
    const bool known = std::any_of(reported.begin(), reported.end(),
                                   [&](const std::string& prefix) { return line.rfind(prefix, 0) == 0; });
    if (known || line.empty()) continue;
    LintFinding f = LanguageFinding("", Severity::kError, "config_error", line);
    r.findings.push_back(f);
  }
  SortFindings(r.findings);
  return r;
}

}  // namespace checkin
