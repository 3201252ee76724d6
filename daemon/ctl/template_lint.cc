// Template lint (see template_lint.h): the checks and the estimates. The
// report as text and JSON, the member census from Redis and the
// `checkinctl lint` entry point are in template_lint_report.cc.
//
// ICU does the Unicode work: grapheme clusters (an emoji sequence or a
// letter with its marks is one finding), character names, categories,
// scripts and emoji properties. The GSM-7 replacements are a short table
// of our own: ICU's Latin-ASCII transliterator was the candidate, but it
// turns Polish „ into ",," and leaves ` ´ and zero-width spaces as they are.
#include "ctl/template_lint.h"

#include <unicode/brkiter.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <set>
#include <sstream>
#include <tuple>

#include "config/config_table.h"
#include "config/templates.h"
#include "text/utf8.h"

namespace checkin {

namespace {

using Severity = LintFinding::Severity;

// ---------------------------------------------------------------- characters

// The GSM-7 text to write instead of `c`, for the characters that slip into
// texts from word processors and phones; nullopt when there is none.
std::optional<std::string> GsmReplacement(UChar32 c) {
  switch (c) {
    case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032: case 0x2035:
    case 0x2039: case 0x203A: case 0x0060: case 0x00B4: case 0x02BC:
      return "'";
    case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x2033: case 0x2036:
    case 0x00AB: case 0x00BB:
      return "\"";
    case 0x2026: return "...";
    case 0x2022: case 0x2043: case 0x2212: return "-";
    case 0x200B: case 0x00AD: case 0xFEFF: case 0x2060: return "";  // invisible: delete
    default: break;
  }
  switch (u_charType(c)) {
    case U_SPACE_SEPARATOR: return " ";   // no-break, thin, en, em ... spaces
    case U_DASH_PUNCTUATION: return "-";  // hyphen, en dash, em dash, ...
    default: return std::nullopt;
  }
}

bool IsEmojiPart(UChar32 c) {
  return u_hasBinaryProperty(c, UCHAR_EXTENDED_PICTOGRAPHIC) || u_hasBinaryProperty(c, UCHAR_EMOJI_PRESENTATION) ||
         u_hasBinaryProperty(c, UCHAR_REGIONAL_INDICATOR) || u_hasBinaryProperty(c, UCHAR_EMOJI_MODIFIER) ||
         c == 0x20E3 || c == 0xFE0F;
}

// A letter, mark or digit, or anything written in one script (Urdu's full
// stop): part of the language, not a typo.
bool IsLetterOfAScript(UChar32 c) {
  if (U_GET_GC_MASK(c) & (U_GC_L_MASK | U_GC_M_MASK | U_GC_N_MASK)) return true;
  UErrorCode e = U_ZERO_ERROR;
  const UScriptCode script = uscript_getScript(c, &e);
  return U_SUCCESS(e) && script != USCRIPT_COMMON && script != USCRIPT_INHERITED && script != USCRIPT_UNKNOWN;
}

std::string Utf8(const icu::UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  return out;
}

std::string CodePoints(const icu::UnicodeString& s) {
  std::string out;
  char buf[16];
  for (int32_t i = 0; i < s.length(); i = s.moveIndex32(i, 1)) {
    std::snprintf(buf, sizeof buf, "%sU+%04X", out.empty() ? "" : " ", static_cast<unsigned>(s.char32At(i)));
    out += buf;
  }
  return out;
}

std::string CharName(UChar32 c) {
  char buf[128];
  UErrorCode e = U_ZERO_ERROR;
  u_charName(c, U_EXTENDED_CHAR_NAME, buf, sizeof buf, &e);
  std::string name = U_SUCCESS(e) ? buf : "";
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char ch) { return std::tolower(ch); });
  return name;
}

std::string ScriptName(UChar32 c) {
  UErrorCode e = U_ZERO_ERROR;
  const UScriptCode script = uscript_getScript(c, &e);
  const char* name = U_SUCCESS(e) ? uscript_getName(script) : nullptr;
  return name ? name : "";
}

// One grapheme cluster that is not all GSM-7.
struct Cluster {
  enum Class { kReplaceable, kEmoji, kLetter, kOther };
  Class cls = kOther;
  icu::UnicodeString text;
  int position = 0;  // 1-based code point
  std::optional<std::string> replacement;
};

Cluster::Class Classify(const icu::UnicodeString& g, std::optional<std::string>* replacement) {
  if (g.countChar32() == 1) {
    *replacement = GsmReplacement(g.char32At(0));
    if (*replacement) return Cluster::kReplaceable;
  }
  bool letter = false;
  for (int32_t i = 0; i < g.length(); i = g.moveIndex32(i, 1)) {
    if (IsEmojiPart(g.char32At(i))) return Cluster::kEmoji;
    letter = letter || (!IsGsm7Character(static_cast<char32_t>(g.char32At(i))) && IsLetterOfAScript(g.char32At(i)));
  }
  return letter ? Cluster::kLetter : Cluster::kOther;
}

std::vector<Cluster> NonGsmClusters(const std::string& utf8) {
  std::vector<Cluster> out;
  const icu::UnicodeString text = icu::UnicodeString::fromUTF8(utf8);
  UErrorCode e = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> it(icu::BreakIterator::createCharacterInstance(icu::Locale::getRoot(), e));
  if (U_FAILURE(e)) return out;
  it->setText(text);
  int position = 1;
  for (int32_t start = it->first(), end = it->next(); end != icu::BreakIterator::DONE; start = end, end = it->next()) {
    const icu::UnicodeString g = text.tempSubStringBetween(start, end);
    bool gsm = true;
    for (int32_t i = 0; i < g.length(); i = g.moveIndex32(i, 1)) gsm = gsm && IsGsm7Character(g.char32At(i));
    if (!gsm) {
      Cluster c;
      c.text = g;
      c.position = position;
      c.cls = Classify(g, &c.replacement);
      out.push_back(c);
    }
    position += g.countChar32();
  }
  return out;
}

LintFinding FindingAt(const TemplateSource& t, Severity severity, const std::string& code) {
  LintFinding f;
  f.severity = severity;
  f.code = code;
  f.language = t.language;
  f.kind = TemplateKindName(t.kind);
  f.location = t.location;
  return f;
}

LintFinding CharacterFinding(const TemplateSource& t, const Cluster& c, bool ucs2_anyway) {
  static const std::string kUcs2 = "UCS-2 (70 characters per segment)";
  const bool emoji = c.cls == Cluster::kEmoji;
  // In a text whose letters need UCS-2 anyway (Polish, Urdu) a curly quote or
  // an emoji costs nothing extra: worth knowing, nothing to fix.
  const Severity severity = ucs2_anyway ? Severity::kInfo : Severity::kWarning;
  LintFinding f = FindingAt(t, severity, emoji ? "emoji" : c.replacement ? "ucs2_character" : "no_gsm_replacement");
  f.position = c.position;
  f.character = Utf8(c.text);
  f.codepoints = CodePoints(c.text);
  f.name = CharName(c.text.char32At(0));
  f.replacement = c.replacement;
  std::string what = Quoted(f.character) + " " + (emoji ? "emoji " : "") + f.name + " (" + f.codepoints +
                     ") at character " + std::to_string(c.position);
  if (emoji) {
    what += ucs2_anyway ? ": costs 2 characters of 70" : " switches the text to UCS-2: remove, or accept " + kUcs2;
  } else if (c.replacement) {
    const std::string use = c.replacement->empty() ? "delete it (it is invisible)" : "use " + Quoted(*c.replacement);
    what += ucs2_anyway ? ": " + use + " (costs nothing here: the letters need UCS-2 anyway)"
                        : " switches the text to " + kUcs2 + ": " + use;
  } else {
    what += " switches the text to " + kUcs2 + " and has no GSM-7 equivalent: remove it, or accept UCS-2";
  }
  f.message = what;
  return f;
}

// Code point index of byte `pos`, 1-based.
int CharacterAt(const std::string& text, size_t pos) { return static_cast<int>(CodePointCount(text, pos)) + 1; }

}  // namespace

const char* SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    default: return "info";
  }
}

std::vector<LintFinding> CheckPlaceholders(const TemplateSource& t) {
  std::vector<LintFinding> out;
  const std::string& s = t.text;
  const auto& allowed = AllowedPlaceholders(t.kind);
  for (size_t i = 0; i < s.size(); ++i) {
    if ((s[i] == '{' || s[i] == '}') && i + 1 < s.size() && s[i + 1] == s[i]) {
      ++i;
      continue;
    }
    if (s[i] != '{' && s[i] != '}') continue;
    const size_t close = s[i] == '{' ? s.find_first_of("{}", i + 1) : std::string::npos;
    if (s[i] == '}' || close == std::string::npos || s[close] == '{') {
      LintFinding f = FindingAt(t, Severity::kError, "unbalanced_brace");
      f.position = CharacterAt(s, i);
      f.character = std::string(1, s[i]);
      f.message = "unbalanced '" + f.character + "' at character " + std::to_string(f.position) + " (write " +
                  f.character + f.character + " for a literal brace)";
      out.push_back(f);
      return out;
    }
    const std::string name = s.substr(i + 1, close - i - 1);
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      LintFinding f = FindingAt(t, Severity::kError, "unknown_placeholder");
      f.position = CharacterAt(s, i);
      f.character = "{" + name + "}";
      const auto near = NearestName(name, allowed);
      f.replacement = near ? std::optional<std::string>("{" + *near + "}") : std::nullopt;
      f.message = "unknown placeholder {" + name + "} at character " + std::to_string(f.position) +
                  (near ? " (did you mean {" + *near + "}?)" : std::string()) + "; " + f.kind + " may use " +
                  AllowedList(t.kind);
      out.push_back(f);
    }
    i = close;
  }
  return out;
}

std::vector<LintFinding> CheckCharacters(const TemplateSource& t) {
  const std::vector<Cluster> clusters = NonGsmClusters(t.text);
  std::vector<std::string> letters;
  std::set<std::string> scripts;
  int first_letter = 0;
  for (const Cluster& c : clusters) {
    if (c.cls != Cluster::kLetter) continue;
    const std::string letter = Utf8(c.text);
    if (std::find(letters.begin(), letters.end(), letter) == letters.end()) letters.push_back(letter);
    const std::string script = ScriptName(c.text.char32At(0));
    if (!script.empty() && script != "Common" && script != "Inherited") scripts.insert(script);
    if (first_letter == 0) first_letter = c.position;
  }
  const bool ucs2_anyway = !letters.empty();
  std::vector<LintFinding> out;
  if (ucs2_anyway) {
    LintFinding f = FindingAt(t, Severity::kInfo, "needs_ucs2_letters");
    f.position = first_letter;
    std::string shown;
    for (size_t i = 0; i < letters.size() && i < 8; ++i) shown += (i ? " " : "") + letters[i];
    if (letters.size() > 8) shown += " ...";
    std::string script_list;
    for (const std::string& s : scripts) script_list += (script_list.empty() ? "" : ", ") + s;
    f.character = shown;
    f.message = "needs UCS-2 for its letters (" + shown + (script_list.empty() ? "" : "; " + script_list + " script") +
                "): 70 characters per segment";
    out.push_back(f);
  }
  for (const Cluster& c : clusters) {
    if (c.cls == Cluster::kLetter || (c.cls == Cluster::kOther && ucs2_anyway)) continue;
    out.push_back(CharacterFinding(t, c, ucs2_anyway));
  }
  return out;
}

TemplateFile ReadTemplateFile(const std::string& yaml, const std::string& source) {
  TemplateFile file;
  YAML::Node root;
  try {  // a syntax error: Config::Load names it
    root = YAML::Load(yaml);
  } catch (const YAML::Exception&) {
    return file;
  }
  const YAML::Node templates = root.IsMap() ? root["templates"] : YAML::Node();
  if (!templates.IsMap()) return file;
  for (auto lang = templates.begin(); lang != templates.end(); ++lang) {
    if (!lang->first.IsScalar() || !lang->second.IsMap()) continue;
    const std::string language = lang->first.Scalar();
    for (auto entry = lang->second.begin(); entry != lang->second.end(); ++entry) {
      if (!entry->first.IsScalar()) continue;
      const std::string key = entry->first.Scalar();
      if (key == "words" && entry->second.IsMap()) {
        for (auto w = entry->second.begin(); w != entry->second.end(); ++w) {
          if (w->first.IsScalar()) file.words_given[language].push_back(w->first.Scalar());
        }
        continue;
      }
      const auto kind = TemplateKindFromName(key);
      if (!kind || !entry->second.IsScalar()) continue;
      file.templates.push_back({language, *kind, entry->second.Scalar(),
                                source + ":" + std::to_string(entry->first.Mark().line + 1)});
    }
  }
  return file;
}

// --------------------------------------------------------------- estimates

namespace {

bool Longer(const SegmentInfo& a, const SegmentInfo& b) {
  return a.segments != b.segments ? a.segments > b.segments : a.units > b.units;
}

// Whether a text can be sent a week or more ahead, when {day} reads
// "<weekday> <date>" (templates.h).
bool FarAheadPossible(const Config& c) {
  std::chrono::minutes lead = std::max(c.reminders.follow_up_before, c.reminders.digest_before);
  for (const SendRule& r : c.reminders.send) lead = std::max(lead, r.before);
  return lead > std::chrono::hours(6 * 24);
}

// The longest rendering of `text` over every {day} and {date} the language
// can produce.
std::pair<SegmentInfo, std::string> LongestRendering(const std::string& text, const LanguageWords& words,
                                                     const LintSamples& v, bool far_ahead) {
  std::map<std::string, std::string> vars = {{"name", v.name},       {"title", v.title},  {"group", v.group},
                                             {"venue", v.venue},     {"time", v.time},    {"coming", v.count},
                                             {"maybe", v.count},     {"not_coming", v.count}, {"no_answer", v.count}};
  const bool uses_words = text.find("{day}") != std::string::npos || text.find("{date}") != std::string::npos;
  const std::vector<std::string> months = uses_words ? words.months : std::vector<std::string>{""};
  std::pair<SegmentInfo, std::string> best;
  bool first = true;
  for (const std::string& month : months) {
    vars["date"] = v.day_of_month + " " + month;
    std::vector<std::string> days = {words.today, words.tomorrow};
    for (const std::string& weekday : words.weekdays) {
      days.push_back(weekday);
      if (far_ahead) days.push_back(weekday + " " + vars["date"]);
    }
    if (!uses_words) days = {""};
    for (const std::string& day : days) {
      vars["day"] = day;
      std::string rendered = RenderTemplate(text, vars);
      SegmentInfo info = CountSegments(rendered);
      if (first || Longer(info, best.first)) best = {info, std::move(rendered)};
      first = false;
    }
  }
  return best;
}

using Locations = std::map<std::pair<std::string, TemplateKind>, std::string>;

bool HasOwn(const Config& c, const std::string& language, TemplateKind kind) {
  auto it = c.templates.find(language);
  return it != c.templates.end() && it->second.count(kind) > 0;
}

KindEstimate Estimate(const Config& c, const std::string& language, TemplateKind kind, const Locations& where,
                      const LintSamples& samples) {
  KindEstimate e;
  e.kind = kind;
  e.text_language = HasOwn(c, language, kind) ? language : "en";
  auto loc = where.find({e.text_language, kind});
  e.location = loc == where.end() ? "" : loc->second;
  auto longest = LongestRendering(c.Template(language, kind), c.Words(language), samples, FarAheadPossible(c));
  e.rendered = longest.first;
  e.sample = longest.second;
  return e;
}

Cost CostOf(int segments, double per_segment) { return Cost{segments, segments * per_segment}; }

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

// Kinds of `language` that use the English text, as findings: a warning
// for kinds its members get, a note for follow_up while follow-ups are off.
void CheckFallbacks(const Config& c, LanguageLint& lang, std::vector<LintFinding>& out) {
  std::vector<std::string> sent, unused;
  for (TemplateKind kind : AllTemplateKinds()) {
    // The digest goes to the coordinator, in the default language.
    if (kind == TemplateKind::kDigest && lang.language != c.default_language) continue;
    if (HasOwn(c, lang.language, kind)) continue;
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

int LintReport::Count(Severity severity) const {
  return static_cast<int>(std::count_if(findings.begin(), findings.end(),
                                        [&](const LintFinding& f) { return f.severity == severity; }));
}

LintReport LintConfig(const Config& config, const TemplateFile& file, const std::optional<MemberCensus>& census,
                      const LintSamples& samples) {
  LintReport r;
  r.config_path = config.source;
  r.config_loaded = true;
  r.reminders_per_session = static_cast<int>(config.reminders.send.size());
  r.follow_up = config.reminders.follow_up_before.count() > 0;
  r.per_segment = config.pricing.per_segment;
  r.currency = config.pricing.currency;
  r.samples = samples;
  r.census_checked = census.has_value();

  Locations where;
  for (const TemplateSource& t : file.templates) where.emplace(std::make_pair(t.language, t.kind), t.location);
  std::set<std::string> languages;
  for (const auto& [language, kinds] : config.templates) {
    languages.insert(language);
    for (const auto& [kind, text] : kinds) {
      auto loc = where.find({language, kind});
      const TemplateSource t{language, kind, text, loc == where.end() ? "" : loc->second};
      for (auto* check : {&CheckPlaceholders, &CheckCharacters}) {
        for (LintFinding& f : (*check)(t)) r.findings.push_back(std::move(f));
      }
    }
  }
  if (census) {
    for (const auto& [language, count] : census->members_by_language) languages.insert(language);
  }

  std::map<std::string, int> per_member_segments;
  for (const std::string& language : languages) {
    LanguageLint lang;
    lang.language = language;
    lang.has_templates = config.templates.count(language) > 0;
    if (census) {
      auto it = census->members_by_language.find(language);
      lang.members = it == census->members_by_language.end() ? 0 : it->second;
    }
    if (lang.has_templates && language != "en") {
      CheckFallbacks(config, lang, r.findings);
      CheckWords(config, file, language, r.findings);
    } else if (!lang.has_templates) {
      r.findings.push_back(LanguageFinding(language, Severity::kWarning, "language_without_templates",
                                           std::to_string(lang.members.value_or(0)) + " member(s) have language " +
                                               language + " but there are no templates." + language +
                                               ": they get every text in English"));
    }
    int segments = 0;
    for (TemplateKind kind : AllTemplateKinds()) {
      // The digest goes to the coordinator, in the default language only.
      if (kind == TemplateKind::kDigest && language != config.default_language) continue;
      lang.kinds.push_back(Estimate(config, language, kind, where, samples));
      const int s = lang.kinds.back().rendered.segments;
      if (kind == TemplateKind::kReminder) segments += r.reminders_per_session * s;
      if (kind == TemplateKind::kFollowUp && r.follow_up) segments += s;
    }
    per_member_segments[language] = segments;
    lang.per_member = CostOf(segments, r.per_segment);
    lang.group_of_12 = CostOf(segments * kSampleGroupSize, r.per_segment);
    r.languages.push_back(std::move(lang));
  }

  if (config.reminders.digest_before.count() > 0) {
    r.digest = Estimate(config, config.default_language, TemplateKind::kDigest, where, samples);
    r.digest_cost = CostOf(r.digest->rendered.segments, r.per_segment);
  }
  if (census) {
    for (const MemberCensus::GroupInfo& g : census->groups) {
      LintReport::GroupCost cost;
      cost.id = g.id;
      cost.name = g.name;
      int segments = 0;
      for (const auto& [language, count] : g.members_by_language) {
        cost.members += count;
        segments += count * per_member_segments[language];
      }
      cost.members_cost = CostOf(segments, r.per_segment);
      if (r.digest && g.has_coordinator) cost.digest_cost = r.digest_cost;
      r.groups.push_back(cost);
    }
  }
  SortFindings(r.findings);
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
