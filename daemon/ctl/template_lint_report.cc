// Template lint, the report (see FormatLintText and FormatLintJson in
// template_lint.h): for a coordinator, grouped by language then kind, with
// each kind's segments and each language's cost; and as JSON (the shape
// docs/templates.md describes).
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "config/config_table.h"
#include "ctl/template_lint.h"

namespace checkin {

namespace {

using Severity = LintFinding::Severity;

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

// What every text is rendered with and what a session sends, or why there
// are no estimates.
void PrintCostModel(std::ostream& out, const LintReport& r) {
  if (!r.config_loaded) {
    out << "\nThe config does not load; segments and cost are estimated once it does.\n";
    return;
  }
  const LintSamples& v = r.samples;
  out << "\nEach text is rendered with long values: {name} " << Quoted(v.name) << ", {title} " << Quoted(v.title)
      << ", {group} " << Quoted(v.group) << ", {venue} " << Quoted(v.venue) << ", {time} " << v.time
      << ", the longest {day} and {date} words of each language, digest counts " << v.count << ".\n"
      << "Per session each member gets " << r.reminders_per_session << " reminder(s) (reminders.send)"
      << (r.follow_up ? " and a follow-up if she has not answered" : " and no follow-up") << "; one segment costs "
      << r.currency << " " << FormatAmount(r.per_segment) << ". Replies to her answers are not counted.\n";
}

// Every language with estimates or findings, in order.
void PrintLanguages(std::ostream& out, const LintReport& r) {
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
}

// The coordinators' digest and, with a census, the cost of each real group.
void PrintDigestAndGroups(std::ostream& out, const LintReport& r) {
  if (r.config_loaded) {
    out << "\n== digest: to each group's coordinator, once per session ==\n";
    if (r.digest) {
      out << "  in " << r.digest->text_language << ": " << EncodingName(r.digest->rendered.encoding) << ", "
          << Priced(r, r.digest_cost) << " per group\n";
    } else {
      out << "  off (reminders.digest_hours_before is 0)\n";
    }
  }
  if (!r.census_checked) return;
  out << "\n== groups in Redis: one session ==\n";
  if (r.groups.empty()) out << "  none\n";
  for (const LintReport::GroupCost& g : r.groups) {
    out << "  " << g.id << (g.name.empty() ? "" : " " + Quoted(g.name)) << ": " << g.members << " member(s), "
        << Priced(r, g.members_cost);
    if (g.digest_cost.segments > 0) out << ", digest " << Priced(r, g.digest_cost);
    out << "\n";
  }
}

using json = nlohmann::ordered_json;  // keys in the documented order

json CostJson(const Cost& c) { return json{{"segments", c.segments}, {"cost", c.amount}}; }

json KindJson(const KindEstimate& k) {
  return json{{"kind", TemplateKindName(k.kind)}, {"text_language", k.text_language}, {"location", k.location},
              {"encoding", EncodingName(k.rendered.encoding)}, {"segments", k.rendered.segments},
              {"characters", k.rendered.characters}, {"units", k.rendered.units}, {"sample", k.sample}};
}

json FindingsJson(const std::vector<LintFinding>& findings) {
  json out = json::array();
  for (const LintFinding& f : findings) {
    out.push_back({{"severity", SeverityName(f.severity)}, {"code", f.code}, {"language", f.language},
                   {"kind", f.kind}, {"location", f.location}, {"position", f.position},
                   {"character", f.character}, {"codepoints", f.codepoints}, {"name", f.name},
                   {"replacement", f.replacement ? json(*f.replacement) : json(nullptr)}, {"message", f.message}});
  }
  return out;
}

json LanguagesJson(const std::vector<LanguageLint>& languages) {
  json out = json::array();
  for (const LanguageLint& l : languages) {
    json kinds = json::array();
    for (const KindEstimate& k : l.kinds) kinds.push_back(KindJson(k));
    out.push_back({{"language", l.language}, {"has_templates", l.has_templates},
                   {"members", l.members ? json(*l.members) : json(nullptr)}, {"falls_back", l.falls_back},
                   {"kinds", kinds}, {"per_member", CostJson(l.per_member)}, {"group_of_12", CostJson(l.group_of_12)}});
  }
  return out;
}

// The estimates of a loaded config, added to `out`.
void AddEstimatesJson(const LintReport& r, json& out) {
  const LintSamples& v = r.samples;
  out["pricing"] = {{"per_segment", r.per_segment}, {"currency", r.currency}};
  out["texts_per_member_per_session"] = {{"reminder", r.reminders_per_session}, {"follow_up", r.follow_up ? 1 : 0}};
  out["samples"] = {{"name", v.name}, {"title", v.title}, {"group", v.group}, {"venue", v.venue},
                    {"time", v.time}, {"day_of_month", v.day_of_month}, {"count", v.count}};
  out["languages"] = LanguagesJson(r.languages);
  out["digest"] = nullptr;
  if (r.digest) {
    out["digest"] = KindJson(*r.digest);
    out["digest"]["cost"] = r.digest_cost.amount;
  }
  out["groups"] = nullptr;
  if (r.census_checked) {
    out["groups"] = json::array();
    for (const LintReport::GroupCost& g : r.groups) {
      out["groups"].push_back({{"id", g.id}, {"name", g.name}, {"members", g.members},
                               {"members_cost", CostJson(g.members_cost)}, {"digest_cost", CostJson(g.digest_cost)}});
    }
  }
}

}  // namespace

std::string FormatLintText(const LintReport& r) {
  std::ostringstream out;
  out << "Template lint of " << r.config_path;
  if (!r.group.empty()) out << " (group " << r.group << ": this file over the main file)";
  out << "\n";
  PrintCostModel(out, r);
  for (const LintFinding& f : r.findings) {
    if (f.language.empty()) PrintFinding(out, f, "");
  }
  PrintLanguages(out, r);
  PrintDigestAndGroups(out, r);
  const int errors = r.Count(Severity::kError), warnings = r.Count(Severity::kWarning);
  out << "\n" << errors << (errors == 1 ? " error, " : " errors, ") << warnings
      << (warnings == 1 ? " warning, " : " warnings, ") << r.Count(Severity::kInfo) << " info\n";
  for (const LintReport& g : r.group_files) out << "\n" << FormatLintText(g);
  return out.str();
}

namespace {

// The report as JSON; a group file's report has "group", the main one its
// group files' reports in "group_files".
json LintJson(const LintReport& r) {
  json out = {{"config", r.config_path},
              {"loaded", r.config_loaded},
              {"summary",
               {{"errors", r.Count(Severity::kError)},
                {"warnings", r.Count(Severity::kWarning)},
                {"infos", r.Count(Severity::kInfo)}}}};
  out["findings"] = FindingsJson(r.findings);
  if (r.config_loaded) AddEstimatesJson(r, out);
  if (!r.group.empty()) out["group"] = r.group;
  if (!r.group_files.empty()) {
    out["group_files"] = json::array();
    for (const LintReport& g : r.group_files) out["group_files"].push_back(LintJson(g));
  }
  return out;
}

}  // namespace

std::string FormatLintJson(const LintReport& r) { return LintJson(r).dump(2); }

}  // namespace checkin
