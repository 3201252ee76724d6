// Config loading: walks the YAML tree against the config table
// (config_table.cc), parses the structured keys (send rules, quiet hours,
// templates; replies in config_replies.cc), applies defaults, checks the
// keys that depend on each other, and resolves the Twilio auth token from
// the environment or a file.
//
// yaml-cpp exceptions are caught in one place, Config::Parse; everything
// below it reports through ParseState as "file:line: key: what is allowed".
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "checkin/config.h"
#include "config/config_limits.h"
#include "config/config_parse.h"
#include "config/config_table.h"
#include "base/phone.h"
#include "config/reply_words.h"
#include "config/templates.h"
#include "text/edit_distance.h"
#include "text/utf8.h"

namespace checkin {

namespace {

using config_internal::Describe;
using config_internal::ForEachEntry;
using config_internal::Join;
using config_internal::ParseState;
using config_internal::PartialWords;
using config_internal::UnknownKeyMessage;

void ParseScalarKey(const ConfigKey& key, const YAML::Mark& mark, const YAML::Node& value, ParseState& st) {
  ScalarValue v;
  if (!value.IsScalar()) {
    st.Error(mark, key.path, std::string("expected ") + KeyTypeName(key.type) + " (" + key.allowed + "), got " + Describe(value));
    return;
  }
  v.text = value.Scalar();
  if (key.type == KeyType::kInteger || key.type == KeyType::kNumber) {
    long long whole = 0;
    const bool is_int = YAML::convert<long long>::decode(value, whole);
    const bool is_num = key.type == KeyType::kNumber ? YAML::convert<double>::decode(value, v.number) : is_int;
    if (key.type == KeyType::kInteger) v.number = static_cast<double>(whole);
    if (!is_num || !std::isfinite(v.number) || v.number < key.min || v.number > key.max) {
      const char* what = key.type == KeyType::kInteger ? "a whole number, " : "a number, ";
      st.Error(mark, key.path, std::string("expected ") + what + key.allowed + ", got " + Quoted(v.text));
      return;
    }
  }
  Status s = key.set(st.config, v);
  if (!s.ok()) st.Error(mark, key.path, s.message());
}

void ParseSendRule(const YAML::Node& item, const std::string& path, ParseState& st) {
  static const std::vector<std::string> kKinds = {"day_before_at", "hours_before"};
  const std::string allowed = "exactly one of day_before_at: \"HH:MM\" or hours_before: N";
  if (!item.IsMap() || item.size() != 1) {
    st.Error(item.Mark(), path, "expected " + allowed + ", got " + Describe(item));
    return;
  }
  ForEachEntry(item, path, st, [&](const std::string& name, const std::string& full, const YAML::Mark& mark,
                                   const YAML::Node& value) {
    SendRule rule;
    double hours = 0;
    if (name == "day_before_at") {
      auto minute = value.IsScalar() ? ParseHhMm(value.Scalar()) : std::nullopt;
      if (!minute) return st.Error(mark, full, "expected \"HH:MM\" (24-hour, e.g. \"18:00\"), got " + Describe(value));
      rule.kind = SendRule::Kind::kDayBeforeAt;
      rule.minute_of_day = *minute;
    } else if (name == "hours_before") {
      const bool ok = value.IsScalar() && YAML::convert<double>::decode(value, hours) && std::isfinite(hours);
      const long minutes = ok ? std::lround(hours * 60) : 0;
      if (!ok || hours <= 0 || hours > 168 || minutes < 1) {
        return st.Error(mark, full, "expected hours, 0 < N <= 168 (e.g. 2 or 1.5), got " + Describe(value));
      }
      rule.before = std::chrono::minutes(minutes);
    } else {
      return st.Error(mark, full, UnknownKeyMessage(name, kKinds) + "; each item is " + allowed);
    }
    st.config.reminders.send.push_back(rule);
  });
}

void ParseSendRules(const YAML::Mark& mark, const YAML::Node& value, ParseState& st) {
  st.config.reminders.send.clear();  // a group file's list replaces the main file's
  if (!value.IsSequence() || value.size() == 0) {
    st.Error(mark, "reminders.send",
             "expected a non-empty list, each item day_before_at: \"HH:MM\" or hours_before: N, got " + Describe(value));
    return;
  }
  for (size_t i = 0; i < value.size(); ++i) {
    ParseSendRule(value[i], "reminders.send[" + std::to_string(i) + "]", st);
  }
}

void ParseQuietHours(const YAML::Mark& mark, const YAML::Node& value, ParseState& st) {
  const std::string path = "reminders.quiet_hours";
  if (value.IsNull()) return st.config.reminders.quiet_hours.reset();
  if (!value.IsMap()) {
    return st.Error(mark, path, "expected {start: \"HH:MM\", end: \"HH:MM\"} or null (any hour), got " + Describe(value));
  }
  std::map<std::string, int> minutes;
  const size_t errors_before = st.errors.size();
  ForEachEntry(value, path, st, [&](const std::string& name, const std::string& full, const YAML::Mark& m,
                                    const YAML::Node& v) {
    if (name != "start" && name != "end") return st.Error(m, full, UnknownKeyMessage(name, {"start", "end"}));
    auto minute = v.IsScalar() ? ParseHhMm(v.Scalar()) : std::nullopt;
    if (!minute) return st.Error(m, full, "expected \"HH:MM\" (24-hour, e.g. \"21:00\"), got " + Describe(v));
    minutes[name] = *minute;
  });
  if (errors_before != st.errors.size()) return;
  if (minutes.size() != 2) {
    return st.Error(mark, path, "needs both start and end, e.g. {start: \"21:00\", end: \"08:00\"}");
  }
  if (minutes["start"] == minutes["end"]) {
    return st.Error(mark, path, "start and end are equal; write null for no quiet hours");
  }
  st.config.reminders.quiet_hours = QuietHours{minutes["start"], minutes["end"]};
}

Status CheckWordLength(const std::string& word) {
  const size_t chars = CodePointCount(word);
  if (chars <= kMaxWordChars) return Status::OK();
  return Status::InvalidArgument("too long: " + std::to_string(chars) + " characters; a word may be at most " +
                                 std::to_string(kMaxWordChars));
}

void ParseWordList(const std::string& full, const YAML::Mark& mark, const YAML::Node& v, size_t count,
                   std::optional<std::vector<std::string>>& out, ParseState& st) {
  std::vector<std::string> words;
  for (size_t i = 0; v.IsSequence() && i < v.size() && i < count; ++i) {
    if (!v[i].IsScalar() || v[i].Scalar().empty()) continue;
    if (Status s = CheckWordLength(v[i].Scalar()); !s.ok()) {
      return st.Error(v[i].Mark(), full + "[" + std::to_string(i) + "]", s.message());
    }
    words.push_back(v[i].Scalar());
  }
  if (!v.IsSequence() || v.size() != count || words.size() != count) {
    return st.Error(mark, full, "expected a list of " + std::to_string(count) + " non-empty words" +
                                    (count == 7 ? ", Monday first" : ", January first") + ", got " + Describe(v) +
                                    (v.IsSequence() ? " of " + std::to_string(v.size()) : ""));
  }
  out = words;
}

void ParseWords(const std::string& lang, const std::string& path, const YAML::Node& node, ParseState& st) {
  PartialWords& w = st.words[lang];
  if (!node.IsMap()) return st.Error(st.MarkOf(path), path, "expected a map of today, tomorrow, weekdays, months, got " + Describe(node));
  ForEachEntry(node, path, st, [&](const std::string& name, const std::string& full, const YAML::Mark& mark,
                                   const YAML::Node& v) {
    if (name == "weekdays") return ParseWordList(full, mark, v, 7, w.weekdays, st);
    if (name == "months") return ParseWordList(full, mark, v, 12, w.months, st);
    if (name != "today" && name != "tomorrow") {
      return st.Error(mark, full, UnknownKeyMessage(name, {"today", "tomorrow", "weekdays", "months"}));
    }
    if (!v.IsScalar() || v.Scalar().empty()) return st.Error(mark, full, "expected a non-empty word, got " + Describe(v));
    if (Status s = CheckWordLength(v.Scalar()); !s.ok()) return st.Error(v.Mark(), full, s.message());
    (name == "today" ? w.today : w.tomorrow) = v.Scalar();
  });
}

// The texts to safeguarding contacts (docs/safeguarding.md): the contacts
// serve every group, so only the main file words them.
bool IsSafeguardingContactKind(TemplateKind kind) {
  return kind == TemplateKind::kConcernAlert || kind == TemplateKind::kConcernAcknowledged ||
         kind == TemplateKind::kConcernTaken;
}

void ParseTemplateText(const std::string& lang, TemplateKind kind, const std::string& full, const YAML::Mark& mark,
                       const YAML::Node& v, ParseState& st) {
  if (!v.IsScalar() || v.Scalar().empty()) return st.Error(mark, full, "expected message text, got " + Describe(v));
  Status s = CheckTemplate(v.Scalar(), kind);
  if (!s.ok()) return st.Error(mark, full, s.message());
  st.config.templates[lang][kind] = v.Scalar();
}

void ParseLanguage(const std::string& lang, const std::string& path, const YAML::Node& node, ParseState& st) {
  if (node.IsNull()) return;
  if (!node.IsMap()) return st.Error(st.MarkOf(path), path, "expected a map of template kinds, got " + Describe(node));
  std::vector<std::string> kinds;
  for (TemplateKind k : AllTemplateKinds()) kinds.push_back(TemplateKindName(k));
  ForEachEntry(node, path, st, [&](const std::string& name, const std::string& full, const YAML::Mark& mark,
                                   const YAML::Node& v) {
    st.marks[full] = mark;
    if (name == "words") return ParseWords(lang, full, v, st);
    auto kind = TemplateKindFromName(name);
    if (!kind) {
      kinds.push_back("words");
      auto near = NearestName(name, kinds);
      kinds.pop_back();
      return st.Error(mark, full, "unknown template kind" + (near ? " (did you mean '" + *near + "'?)" : std::string()) +
                                      "; kinds: " + Join(kinds, ", ") + ", and words");
    }
    if (st.group_file && IsSafeguardingContactKind(*kind)) {
      return st.Error(mark, full, "allowed only in the main config file, not in a group file: it goes to the "
                                  "safeguarding contacts, whom every group shares");
    }
    ParseTemplateText(lang, *kind, full, mark, v, st);
  });
}

void ParseTemplates(const YAML::Mark& mark, const YAML::Node& node, ParseState& st) {
  if (node.IsNull()) return;
  if (!node.IsMap()) return st.Error(mark, "templates", "expected a map of languages (en, pl, ...), got " + Describe(node));
  ForEachEntry(node, "templates", st, [&](const std::string& lang, const std::string& full, const YAML::Mark& m,
                                          const YAML::Node& v) {
    if (!IsLanguageCode(lang)) return st.Error(m, full, "not a language code; expected e.g. en, pl, ur, pt-BR");
    st.marks[full] = m;
    ParseLanguage(lang, full, v, st);
  });
}

// What a group file may set, for its errors.
std::string GroupFileKeys() {
  std::vector<std::string> keys;
  for (const ConfigKey& k : ConfigTable()) {
    const std::string path = k.path;
    if (!k.group_file) continue;
    const std::string shown = path.rfind("templates.", 0) == 0 ? "templates" : path;
    if (std::find(keys.begin(), keys.end(), shown) == keys.end()) keys.push_back(shown);
  }
  return Join(keys, ", ");
}

// In a group file: refuses a key (or a whole section) that only the main
// file may set, saying so, rather than calling it unknown.
bool RefusedInGroupFile(const std::string& full, const YAML::Mark& mark, ParseState& st) {
  const ConfigKey* key = FindConfigKey(full);
  const bool main_only = key ? !key->group_file : IsConfigSection(full) && !IsConfigSection(full, /*group_file=*/true);
  if (!main_only) return false;
  st.Error(mark, full, "allowed only in the main config file, not in a group file (a group file may set " +
                           GroupFileKeys() + ")");
  return true;
}

// A map whose keys are table rows or sections below `path` ("" = top).
void ParseSection(const std::string& path, const YAML::Node& node, ParseState& st) {
  ForEachEntry(node, path, st, [&](const std::string& name, const std::string& full, const YAML::Mark& mark,
                                   const YAML::Node& value) {
    st.marks[full] = mark;
    if (st.group_file && RefusedInGroupFile(full, mark, st)) return;
    if (full == "twilio.auth_token") {
      return st.Error(mark, full, "secrets do not belong in the config file; put the token in the environment "
                                  "variable named by twilio.auth_token_env, or in a file named by twilio.auth_token_file");
    }
    if (full == "templates") return ParseTemplates(mark, value, st);
    if (full == "replies") return config_internal::ParseReplies(mark, value, st);
    if (full == "safeguarding.phrases") return config_internal::ParseConcernPhrases(mark, value, st);
    if (const ConfigKey* key = FindConfigKey(full)) {
      if (key->type == KeyType::kSendRules) return ParseSendRules(mark, value, st);
      if (key->type == KeyType::kQuietHours) return ParseQuietHours(mark, value, st);
      if (key->type == KeyType::kPhoneList) return config_internal::ParsePhoneList(full, mark, value, st);
      return ParseScalarKey(*key, mark, value, st);
    }
    if (IsConfigSection(full, st.group_file)) {
      if (value.IsNull()) return;
      if (!value.IsMap()) {
        return st.Error(mark, full, "expected a map of " + Join(ConfigChildren(full, st.group_file), ", ") + ", got " +
                                        Describe(value));
      }
      return ParseSection(full, value, st);
    }
    st.Error(mark, full, UnknownKeyMessage(name, ConfigChildren(path, st.group_file)));
  });
}

// `base` with what a file wrote for a language's words.
LanguageWords WithWords(LanguageWords base, const PartialWords& p) {
  if (p.today) base.today = *p.today;
  if (p.tomorrow) base.tomorrow = *p.tomorrow;
  if (p.weekdays) base.weekdays = *p.weekdays;
  if (p.months) base.months = *p.months;
  return base;
}

void ApplyDefaults(ParseState& st) {
  Config& c = st.config;
  if (!st.marks.count("reminders.send")) {
    c.reminders.send = {SendRule{SendRule::Kind::kDayBeforeAt, 18 * 60, {}},
                        SendRule{SendRule::Kind::kHoursBefore, 0, std::chrono::minutes(120)}};
  }
  if (!st.marks.count("reminders.quiet_hours")) c.reminders.quiet_hours = QuietHours{};
  auto& en = c.templates["en"];
  for (const auto& [kind, text] : DefaultEnglishTemplates()) en.emplace(kind, text);
  // en words first: the other languages fill their gaps from them.
  st.words["en"];
  std::vector<std::string> langs = {"en"};
  for (const auto& entry : st.words) {
    if (entry.first != "en") langs.push_back(entry.first);
  }
  for (const std::string& lang : langs) {
    c.words[lang] = WithWords(lang == "en" ? LanguageWords{} : c.words["en"], st.words[lang]);
  }
  config_internal::MergeReplyWords(st);
}

// A group file's words: over the main file's words of that language (or
// its en words for a language the main file has none for).
void ApplyGroupWords(const Config& main, ParseState& st) {
  for (const auto& [lang, partial] : st.words) st.config.words[lang] = WithWords(main.Words(lang), partial);
}

// Keys that depend on each other, checked once everything is read.
void CheckRequired(ParseState& st) {
  Config& c = st.config;
  if (c.twilio.account_sid.empty()) {
    st.Error(st.MarkOf("twilio.account_sid"), "twilio.account_sid", "required: your Twilio account SID, \"AC\" followed by 32 hex digits");
  }
  // A first pause above the default longest one, with no longest one written, does not double.
  if (!st.marks.count("twilio.account_pause_max_seconds")) {
    c.twilio.account_pause_max = std::max(c.twilio.account_pause_max, c.twilio.account_pause);
  }
  if (c.twilio.account_pause_max < c.twilio.account_pause) {
    st.Error(st.MarkOf("twilio.account_pause_max_seconds"), "twilio.account_pause_max_seconds",
             "expected at least twilio.account_pause_seconds (" + std::to_string(c.twilio.account_pause.count()) +
                 "), got " + std::to_string(c.twilio.account_pause_max.count()));
  }
  const bool has_from = !c.twilio.from.empty(), has_service = !c.twilio.messaging_service_sid.empty();
  if (!has_from && !has_service) {
    st.Error(st.MarkOf("twilio.from"), "twilio.from",
             "required: a sender phone number, or twilio.messaging_service_sid (\"MG\" + 32 hex digits)");
  } else if (has_from && has_service) {
    st.Error(st.MarkOf("twilio.from"), "twilio.from", "set either twilio.from or twilio.messaging_service_sid, not both");
  } else if (has_from) {
    auto phone = NormalizePhone(c.twilio.from, c.region);
    if (!phone.ok()) {
      st.Error(st.MarkOf("twilio.from"), "twilio.from",
               phone.status().message() + "; expected a number such as \"+447700900000\" (national numbers read in region " +
                   c.region + ")");
    } else {
      c.twilio.from = *phone;
    }
  }
}

std::string TrimRight(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  return s;
}

std::optional<std::string> GetEnv(const Config::SecretSource& secrets, const std::string& name) {
  return secrets.getenv ? secrets.getenv(name) : std::nullopt;
}

// The auth token, from twilio.auth_token_file or the env var; errors never
// contain the token, only where it was looked for.
void ResolveAuthToken(const Config::SecretSource& secrets, ParseState& st) {
  Config::Twilio& t = st.config.twilio;
  if (t.auth_token_file.empty()) {
    auto value = GetEnv(secrets, t.auth_token_env);
    if (value) t.auth_token = TrimRight(*value);
    if (t.auth_token.empty()) {
      st.Error(st.MarkOf("twilio.auth_token_env"), "twilio.auth_token_env",
               "environment variable " + t.auth_token_env + " is not set or empty; set it to the Twilio auth token, "
               "or name a file in twilio.auth_token_file");
    }
    return;
  }
  std::vector<std::string> tried;
  const auto dir = GetEnv(secrets, "CREDENTIALS_DIRECTORY");
  if (t.auth_token_file[0] != '/' && dir && !dir->empty()) tried.push_back(*dir + "/" + t.auth_token_file);
  tried.push_back(t.auth_token_file);
  std::string why;
  for (const std::string& path : tried) {
    auto content = secrets.read_file ? secrets.read_file(path) : Result<std::string>(Status::NotFound("no file reader"));
    if (content.ok() && !TrimRight(*content).empty()) {
      t.auth_token = TrimRight(*content);
      return;
    }
    why = content.ok() ? "file is empty" : content.status().message();
  }
  std::vector<std::string> quoted;
  for (const std::string& p : tried) quoted.push_back(Quoted(p));
  st.Error(st.MarkOf("twilio.auth_token_file"), "twilio.auth_token_file",
           "cannot read the auth token from " + Join(quoted, " or ") + " (" + why + ")");
}

// The dashboard password, when the dashboard is on (dashboard.user set).
void ResolveDashboardPassword(const Config::SecretSource& secrets, ParseState& st) {
  Config::Dashboard& d = st.config.dashboard;
  if (d.user.empty()) return;
  auto value = GetEnv(secrets, d.password_env);
  if (value) d.password = TrimRight(*value);
  if (d.password.empty()) {
    st.Error(st.MarkOf("dashboard.password_env"), "dashboard.password_env",
             "environment variable " + d.password_env + " is not set or empty; set it to the dashboard password, "
             "or set dashboard.user to \"\" to turn the dashboard off");
  }
}

Status ErrorsToStatus(const ParseState& st) { return Status::InvalidArgument(Join(st.errors, "\n")); }

// "FILE:LINE" of byte `pos` of `text`.
std::string LineOf(const std::string& source, const std::string& text, size_t pos) {
  const size_t line = 1 + static_cast<size_t>(std::count(text.begin(), text.begin() + static_cast<long>(pos), '\n'));
  return source + ":" + std::to_string(line);
}

// What is refused before YAML sees the file: more than kMaxConfigFileBytes,
// and bytes that are not UTF-8 (yaml-cpp would pass them into texts).
Status CheckFileShape(const std::string& yaml, const std::string& source) {
  if (yaml.size() > kMaxConfigFileBytes) {
    return Status::InvalidArgument(LineOf(source, yaml, kMaxConfigFileBytes) +
                                   ": (file): larger than " + std::to_string(kMaxConfigFileBytes / 1024) +
                                   " KiB, the most a config file may be; the limit is crossed on this line");
  }
  const size_t bad = FirstInvalidUtf8(yaml);
  if (bad != std::string::npos) {
    const size_t line_start = yaml.rfind('\n', bad == 0 ? 0 : bad - 1);
    const size_t column = CodePointCount(std::string_view(yaml).substr(line_start == std::string::npos ? 0 : line_start + 1),
                                         bad - (line_start == std::string::npos ? 0 : line_start + 1)) + 1;
    char byte[8];
    std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(yaml[bad]));
    return Status::InvalidArgument(LineOf(source, yaml, bad) + ": (file): not UTF-8: byte " + byte +
                                   " at character " + std::to_string(column) +
                                   " of this line; save the file as UTF-8");
  }
  return Status::OK();
}

}  // namespace

const std::string& Config::Template(const std::string& language, TemplateKind kind) const {
  for (const std::string& lang : {language, std::string("en")}) {
    auto l = templates.find(lang);
    if (l != templates.end()) {
      auto t = l->second.find(kind);
      if (t != l->second.end()) return t->second;
    }
    // The concern text is shipped in her language (helplines she can read).
    if (kind == TemplateKind::kConcern && DefaultConcernTexts().count(lang)) return DefaultConcernTexts().at(lang);
  }
  return DefaultEnglishTemplates().at(kind);
}

std::string Config::Where(const std::string& key) const {
  for (std::string path = key;;) {
    auto it = lines.find(path);
    if (it != lines.end()) return source + ":" + std::to_string(it->second) + ": " + key;
    const size_t dot = path.rfind('.');
    if (dot == std::string::npos) return source + ": " + key;
    path.resize(dot);
  }
}

const LanguageWords& Config::Words(const std::string& language) const {
  static const LanguageWords kEnglish;
  auto it = words.find(language);
  if (it == words.end()) it = words.find("en");
  return it == words.end() ? kEnglish : it->second;
}

const ReplyWords& Config::ReplyWordsFor(const std::string& language) const {
  static const ReplyWords kNone;
  auto it = reply_words.find(language);
  if (it != reply_words.end()) return it->second;
  it = DefaultReplyWords().find(language);
  return it != DefaultReplyWords().end() ? it->second : kNone;
}

Config::SecretSource Config::SecretSource::Process() {
  SecretSource s;
  s.getenv = [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    return v ? std::optional<std::string>(v) : std::nullopt;
  };
  s.read_file = [](const std::string& path) -> Result<std::string> {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Status::NotFound(path + ": " + std::strerror(errno));
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
  };
  return s;
}

Result<std::string> Config::ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::InvalidArgument(path + ": cannot read config file: " + std::strerror(errno));
  std::string text(kMaxConfigFileBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  if (in.bad()) return Status::InvalidArgument(path + ": cannot read config file: " + std::strerror(errno));
  return text;
}

namespace {

// The tree of one file, walked with ParseSection; a refused shape or YAML
// syntax error is one more error in st.
void ParseFileText(const std::string& yaml, ParseState& st, const std::string& top_keys) {
  if (Status shape = CheckFileShape(yaml, st.source); !shape.ok()) return st.errors.push_back(shape.message());
  try {  // the one place yaml-cpp may throw: syntax errors while loading
    const YAML::Node root = YAML::Load(yaml);
    if (root.IsMap()) {
      ParseSection("", root, st);
    } else if (!root.IsNull()) {
      st.Error(root.Mark(), "(top level)", "expected a map of keys (" + top_keys + "), got " + Describe(root));
    }
  } catch (const YAML::Exception& e) {
    st.Error(e.mark, "YAML syntax error", e.msg);
  }
}

void RecordLines(ParseState& st) {
  for (const auto& [key, mark] : st.marks) {
    if (!mark.is_null()) st.config.lines[key] = mark.line + 1;
  }
}

// groups_dir as a path to open: a relative one is in the main file's folder.
std::filesystem::path GroupsDirPath(const Config& main) {
  const std::filesystem::path dir(main.groups_dir);
  if (dir.is_absolute()) return dir;
  return std::filesystem::path(main.source).parent_path() / dir;
}

// The group files of `dir`, sorted: `<group_id>.yaml`; hidden files and
// other names (an editor's backup, a README) are not read, but a `.yml` is
// refused so that a coordinator's file is never silently ignored.
Result<std::vector<std::filesystem::path>> GroupFilesIn(const std::filesystem::path& dir, const Config& main) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<fs::path> files;
  std::vector<std::string> errors;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path p = it->path();
    const std::string name = p.filename().string();
    if (name.empty() || name[0] == '.') continue;
    if (p.extension() == ".yml") {
      errors.push_back(p.string() + ": (file): group files are named <group_id>.yaml; rename it " +
                       Quoted(p.stem().string() + ".yaml"));
    } else if (p.extension() == ".yaml" && p.stem().string().size() > 0) {
      files.push_back(p);
    }
  }
  if (ec) return Status::InvalidArgument(main.Where("groups_dir") + ": cannot read the folder " + Quoted(dir.string()) +
                                         ": " + ec.message());
  if (files.size() > kMaxGroupFiles) {
    errors.push_back(main.Where("groups_dir") + ": " + std::to_string(files.size()) + " group files in " +
                     Quoted(dir.string()) + "; at most " + std::to_string(kMaxGroupFiles) + " are read");
  }
  if (!errors.empty()) return Status::InvalidArgument(Join(errors, "\n"));
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

Result<Config> Config::Load(const std::string& path, const SecretSource& secrets, bool resolve_secrets) {
  auto text = ReadFile(path);
  if (!text.ok()) return text.status();
  auto config = Parse(*text, path, secrets, resolve_secrets);
  if (!config.ok()) return config;
  return LoadGroups(std::move(*config));
}

Result<Config> Config::Parse(const std::string& yaml, const std::string& source, const SecretSource& secrets,
                             bool resolve_secrets) {
  ParseState st;
  st.source = source;
  st.config.source = source;
  ParseFileText(yaml, st, "region, redis, twilio, ...");
  if (!st.errors.empty()) return ErrorsToStatus(st);
  ApplyDefaults(st);
  CheckRequired(st);
  config_internal::NormalizeSafeguardingContacts(st);
  if (st.errors.empty() && resolve_secrets) {
    ResolveAuthToken(secrets, st);
    ResolveDashboardPassword(secrets, st);
  }
  if (!st.errors.empty()) return ErrorsToStatus(st);
  RecordLines(st);
  return std::move(st.config);
}

Result<Config> Config::WithGroupFile(const std::string& yaml, const std::string& source) const {
  ParseState st;
  st.source = source;
  st.group_file = true;
  st.config = *this;
  st.config.groups.clear();
  st.config.source = source;
  st.config.lines.clear();
  ParseFileText(yaml, st, GroupFileKeys());
  if (!st.errors.empty()) return ErrorsToStatus(st);
  ApplyGroupWords(*this, st);
  RecordLines(st);
  return std::move(st.config);
}

Result<Config> Config::LoadGroups(Config main) {
  main.groups.clear();
  const std::filesystem::path dir = GroupsDirPath(main);
  std::error_code ec;
  if (!std::filesystem::exists(dir, ec)) return main;  // no folder: no group files
  if (!std::filesystem::is_directory(dir, ec)) {
    return Status::InvalidArgument(main.Where("groups_dir") + ": " + Quoted(dir.string()) + " is not a folder");
  }
  auto files = GroupFilesIn(dir, main);
  if (!files.ok()) return files.status();
  std::vector<std::string> errors;
  std::map<std::string, std::shared_ptr<const Config>> groups;
  for (const std::filesystem::path& file : *files) {
    auto text = ReadFile(file.string());
    auto group = text.ok() ? main.WithGroupFile(*text, file.string()) : Result<Config>(text.status());
    if (!group.ok()) {
      errors.push_back(group.status().message());
      continue;
    }
    groups.emplace(file.stem().string(), std::make_shared<const Config>(std::move(*group)));
  }
  if (!errors.empty()) return Status::InvalidArgument(Join(errors, "\n"));
  main.groups = std::move(groups);
  return main;
}

const Config& Config::ForGroup(const std::string& group_id) const {
  auto it = groups.find(group_id);
  return it == groups.end() ? *this : *it->second;
}

std::vector<std::string> Config::GroupIds() const {
  std::vector<std::string> ids;
  for (const auto& entry : groups) ids.push_back(entry.first);
  return ids;
}

}  // namespace checkin
