// Tests of config loading: defaults, the shipped example, the config table
// against the example and the docs, every error class (file, line, key),
// secrets, and template/word fallback.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <unistd.h>
#include <fstream>
#include <sstream>

#include "checkin/config.h"
#include "config/config_limits.h"
#include "config/config_table.h"
#include "config/reply_words.h"
#include "config/templates.h"
#include "test_util.h"
#include "text/edit_distance.h"

namespace checkin {
namespace {

const char* kSourceDir = CHECKIN_SOURCE_DIR;
const char* kToken = "test-token-not-real";

// A secret source that knows only the variables and files it is given.
Config::SecretSource FakeSecrets(std::map<std::string, std::string> env,
                                 std::map<std::string, std::string> files = {}) {
  Config::SecretSource s;
  s.getenv = [env](const std::string& name) -> std::optional<std::string> {
    auto it = env.find(name);
    return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
  s.read_file = [files](const std::string& path) -> Result<std::string> {
    auto it = files.find(path);
    if (it == files.end()) return Status::NotFound(path + ": No such file or directory");
    return it->second;
  };
  return s;
}

Config::SecretSource TokenInEnv() { return FakeSecrets({{"TWILIO_AUTH_TOKEN", kToken}}); }

const std::string kTwilio =
    "twilio:\n"
    "  account_sid: \"AC0123456789abcdef0123456789abcdef\"\n"
    "  from: \"+447700900000\"\n";

std::string ReadSourceFile(const std::string& relative) {
  std::ifstream in(std::string(kSourceDir) + "/" + relative);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

TEST(ConfigLoad, MinimalFileTakesDefaults) {
  auto c = Config::Parse(kTwilio, "test.yaml", TokenInEnv());
  ASSERT_OK(c);
  EXPECT_EQ(c->source, "test.yaml");
  EXPECT_EQ(c->region, "GB");
  EXPECT_EQ(c->default_language, "en");
  EXPECT_EQ(c->redis.url, "redis://127.0.0.1:6379/0");
  EXPECT_EQ(c->redis.prefix, "checkin:");
  EXPECT_EQ(c->http.listen, "127.0.0.1:8080");
  EXPECT_EQ(c->twilio.api_base, "https://api.twilio.com");
  EXPECT_EQ(c->twilio.auth_token, kToken);
  EXPECT_EQ(c->reminders.timezone, "Europe/London");
  ASSERT_EQ(c->reminders.send.size(), 2u);
  EXPECT_EQ(c->reminders.send[0].kind, SendRule::Kind::kDayBeforeAt);
  EXPECT_EQ(c->reminders.send[0].minute_of_day, 18 * 60);
  EXPECT_EQ(c->reminders.send[1].kind, SendRule::Kind::kHoursBefore);
  EXPECT_EQ(c->reminders.send[1].before, std::chrono::minutes(120));
  ASSERT_TRUE(c->reminders.quiet_hours.has_value());
  EXPECT_EQ(c->reminders.quiet_hours->start_minute, 21 * 60);
  EXPECT_EQ(c->reminders.quiet_hours->end_minute, 8 * 60);
  EXPECT_EQ(c->templates.at("en").size(), AllTemplateKinds().size());
  EXPECT_EQ(c->Words("en").tomorrow, "tomorrow");
  EXPECT_EQ(c->twilio.account_pause, std::chrono::seconds(60));
  EXPECT_EQ(c->twilio.account_pause_max, std::chrono::minutes(15));
}

TEST(ConfigLoad, AccountPauseAboveTheDefaultLongestDoesNotDouble) {
  auto c = Config::Parse(kTwilio + "  account_pause_seconds: 1800\n", "test.yaml", TokenInEnv());
  ASSERT_OK(c);
  EXPECT_EQ(c->twilio.account_pause, std::chrono::seconds(1800));
  EXPECT_EQ(c->twilio.account_pause_max, std::chrono::seconds(1800));
}

TEST(ConfigLoad, StructuredValuesAreRead) {
  auto c = Config::Parse("region: IE\nhttp:\n  public_url: \"https://x.example.org/\"\nreminders:\n  send:\n    - hours_before: 1.5\n    - day_before_at: \"9:05\"\n"
                         "  quiet_hours: null\n" + kTwilio,
                         "test.yaml", TokenInEnv());
  ASSERT_OK(c);
  ASSERT_EQ(c->reminders.send.size(), 2u);
  EXPECT_EQ(c->reminders.send[0].before, std::chrono::minutes(90));
  EXPECT_EQ(c->reminders.send[1].minute_of_day, 9 * 60 + 5);
  EXPECT_FALSE(c->reminders.quiet_hours.has_value());
  EXPECT_EQ(c->region, "IE");
  EXPECT_EQ(c->http.public_url, "https://x.example.org");  // trailing '/' dropped
}

TEST(ConfigLoad, NationalSenderIsReadInRegion) {
  auto c = Config::Parse("twilio:\n  account_sid: \"AC0123456789abcdef0123456789abcdef\"\n  from: \"07700 900123\"\n",
                         "test.yaml", TokenInEnv());
  ASSERT_OK(c);
  EXPECT_EQ(c->twilio.from, "+447700900123");
}

TEST(ConfigLoad, ShippedExampleLoads) {
  auto c = Config::Load(std::string(kSourceDir) + "/config/checkin.yaml", TokenInEnv());
  ASSERT_OK(c);
  EXPECT_EQ(c->twilio.from, "+447700900000");
  EXPECT_EQ(c->http.public_url, "https://reminders.example.org");
  for (const char* lang : {"pl", "ur"}) {
    SCOPED_TRACE(lang);
    for (TemplateKind k : {TemplateKind::kReminder, TemplateKind::kReplyYes, TemplateKind::kReplyNo,
                           TemplateKind::kReplyMaybe}) {
      EXPECT_NE(c->Template(lang, k), DefaultEnglishTemplates().at(k)) << TemplateKindName(k);
    }
    EXPECT_NE(c->Words(lang).tomorrow, "tomorrow");
    EXPECT_EQ(c->Words(lang).weekdays.size(), 7u);
  }
  EXPECT_EQ(c->Words("pl").months[11], "grudnia");
}

TEST(ConfigLoad, ShippedExampleHoldsNoSecret) {
  const std::string text = ReadSourceFile("config/checkin.yaml");
  ASSERT_FALSE(text.empty());
  YAML::Node root = YAML::Load(text);
  EXPECT_FALSE(root["twilio"]["auth_token"].IsDefined());
  EXPECT_EQ(root["twilio"]["auth_token_file"].Scalar(), "");
  EXPECT_EQ(root["twilio"]["account_sid"].Scalar(), "AC00000000000000000000000000000000");
}

TEST(ConfigLoad, ShippedExampleShowsTheShippedEnglishTemplates) {
  YAML::Node en = YAML::Load(ReadSourceFile("config/checkin.yaml"))["templates"]["en"];
  for (const auto& [kind, text] : DefaultEnglishTemplates()) {
    ASSERT_TRUE(en[TemplateKindName(kind)].IsDefined()) << TemplateKindName(kind);
    EXPECT_EQ(en[TemplateKindName(kind)].Scalar(), text) << TemplateKindName(kind);
  }
}

// Every table key is written in the example, each under a comment (or with
// one on its line), like redis.conf.
TEST(ConfigTable, EveryKeyIsDocumentedInTheExample) {
  const std::string text = ReadSourceFile("config/checkin.yaml");
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  const YAML::Node root = YAML::Load(text);
  for (const ConfigKey& key : ConfigTable()) {
    std::vector<std::string> paths;
    std::string p = key.path;
    if (size_t at = p.find("<lang>"); at != std::string::npos) p.replace(at, 6, "en");
    if (p.find("<kind>") != std::string::npos) {
      for (TemplateKind k : AllTemplateKinds()) paths.push_back(p.substr(0, p.find("<kind>")) + TemplateKindName(k));
    } else {
      paths.push_back(p);
    }
    for (const std::string& path : paths) {
      SCOPED_TRACE(path);
      YAML::Node node = root;  // rebound with reset(): operator= would write into root
      std::istringstream parts(path);
      int key_line = -1;
      for (std::string part; std::getline(parts, part, '.');) {
        ASSERT_TRUE(node.IsMap()) << "not in config/checkin.yaml";
        for (auto it = node.begin(); it != node.end(); ++it) {
          if (it->first.Scalar() == part) key_line = it->first.Mark().line;
        }
        node.reset(node[part]);
        ASSERT_TRUE(node.IsDefined()) << "not in config/checkin.yaml";
      }
      ASSERT_GE(key_line, 1);
      const bool comment_above = lines[key_line - 1].find_first_not_of(' ') != std::string::npos &&
                                 lines[key_line - 1][lines[key_line - 1].find_first_not_of(' ')] == '#';
      EXPECT_TRUE(comment_above || lines[key_line].find(" # ") != std::string::npos)
          << "no comment for line " << key_line + 1 << ": " << lines[key_line];
    }
  }
}

TEST(ConfigTable, DefaultsAreWhatAShortFileGets) {
  auto c = Config::Parse(kTwilio, "test.yaml", TokenInEnv());
  ASSERT_OK(c);
  for (const ConfigKey& key : ConfigTable()) {
    if (!key.get || !key.default_value || std::string(key.path) == "twilio.from") continue;
    EXPECT_EQ(key.get(*c), key.default_value) << key.path;
  }
}

TEST(ConfigTable, SuggestsTheNearestName) {
  struct Case {
    std::string typo;
    std::optional<std::string> want;
  } cases[] = {{"qiet_hours", "quiet_hours"}, {"tmezone", "timezone"}, {"Send", "send"}, {"xyzzy", std::nullopt}};
  const auto known = ConfigChildren("reminders");
  for (const Case& c : cases) EXPECT_EQ(NearestName(c.typo, known), c.want) << c.typo;
}

TEST(ConfigTable, RestartOnlyKeysAreReported) {
  auto a = Config::Parse(kTwilio, "a.yaml", TokenInEnv());
  auto b = Config::Parse("redis:\n  url: \"redis://10.0.0.2:6379/0\"\nreminders:\n  lease_seconds: 60\n" + kTwilio,
                         "b.yaml", TokenInEnv());
  ASSERT_OK(a);
  ASSERT_OK(b);
  EXPECT_EQ(ChangedRestartOnlyKeys(*a, *b), std::vector<std::string>{"redis.url"});
  EXPECT_TRUE(ChangedRestartOnlyKeys(*a, *a).empty());
}

// The text between "<!-- BEGIN GENERATED: `name` -->" and the next END
// marker of docs/configuration.md must be `wanted`; CHECKIN_UPDATE_DOCS=1
// rewrites it.
void ExpectGeneratedSection(const std::string& name, const std::string& wanted) {
  const std::string begin = "<!-- BEGIN GENERATED: " + name + " -->\n";
  const std::string end = "<!-- END GENERATED -->";
  const std::string path = std::string(kSourceDir) + "/docs/configuration.md";
  const std::string doc = ReadSourceFile("docs/configuration.md");
  const size_t b = doc.find(begin), e = b == std::string::npos ? b : doc.find(end, b);
  ASSERT_NE(b, std::string::npos) << path << " lacks " << begin;
  ASSERT_NE(e, std::string::npos) << path << " lacks " << end << " after " << begin;
  const std::string current = doc.substr(b + begin.size(), e - b - begin.size());
  const char* update = std::getenv("CHECKIN_UPDATE_DOCS");
  if (current != wanted && update && std::string(update) == "1") {
    std::ofstream(path) << doc.substr(0, b + begin.size()) << wanted << doc.substr(e);
    return;
  }
  EXPECT_EQ(current, wanted) << path << " is stale: run CHECKIN_UPDATE_DOCS=1 ./config_test";
}

TEST(ConfigDocs, LimitsAreUpToDate) { ExpectGeneratedSection("ConfigLimitsMarkdown()", ConfigLimitsMarkdown()); }

TEST(ConfigDocs, ReferenceIsUpToDate) { ExpectGeneratedSection("ConfigReferenceMarkdown()", ConfigReferenceMarkdown()); }

TEST(ConfigDocs, GroupFileReferenceIsUpToDate) {
  ExpectGeneratedSection("GroupFileReferenceMarkdown()", GroupFileReferenceMarkdown());
}

// One broken file per error class: the first error must name the file, the
// line and the key, and say what is allowed (`want`).
struct ErrorCase {
  const char* name;
  std::string yaml;  // kTwilio is appended unless `own_twilio`
  int line;          // 0: no line (nothing to point at)
  std::string key;
  std::string want;
  bool own_twilio = false;
};

const std::string kSid = "  account_sid: \"AC0123456789abcdef0123456789abcdef\"\n";

const ErrorCase kErrorCases[] = {
    {"typo in nested key", "reminders:\n  qiet_hours: null\n", 2, "reminders.qiet_hours", "did you mean 'quiet_hours'?"},
    {"typo at top level", "regoin: GB\n", 1, "regoin", "did you mean 'region'?"},
    {"unknown key, nothing near", "reminders:\n  xyzzy_plugh: 1\n", 2, "reminders.xyzzy_plugh", "known here: timezone, send"},
    {"duplicate key", "region: GB\nregion: IE\n", 2, "region", "duplicate key (first written at line 1)"},
    {"YAML syntax", "redis:\n  url: [a, b\nregion: GB\n", 3, "YAML syntax error", ""},
    {"YAML tab indent", "redis:\n\turl: x\n", 2, "YAML syntax error", ""},
    {"top level is a list", "- a\n- b\n", 1, "(top level)", "expected a map", true},
    {"section not a map", "redis: localhost\n", 1, "redis", "expected a map of url, prefix, timeout_ms"},
    {"integer is a word", "redis:\n  timeout_ms: fast\n", 2, "redis.timeout_ms", "whole number, 100 to 60000, got \"fast\""},
    {"integer has a fraction", "reminders:\n  lease_seconds: 1.5\n", 2, "reminders.lease_seconds", "whole number"},
    {"integer too big", "reminders:\n  lookahead_days: 400\n", 2, "reminders.lookahead_days", "1 to 60"},
    {"number out of range", "twilio:\n" + kSid + "  from: \"+447700900000\"\n  max_per_second: 0\n", 4,
     "twilio.max_per_second", "0.1 to 1000", true},
    {"string given a list", "log_level: [info]\n", 1, "log_level", "got a list"},
    {"log level unknown", "log_level: loud\n", 1, "log_level", "one of trace, debug, info, warn, error"},
    {"region lower case", "region: gb\n", 1, "region", "two-letter ISO 3166"},
    {"redis url scheme", "redis:\n  url: \"http://x\"\n", 2, "redis.url", "redis://"},
    {"redis port not a number", "redis:\n  url: \"redis://h:63x9/0\"\n", 2, "redis.url", "bad port"},
    {"redis db not a number", "redis:\n  url: \"redis://h:6379/zero\"\n", 2, "redis.url", "db is not a number"},
    {"redis url without host", "redis:\n  url: \"redis://:6379/0\"\n", 2, "redis.url", "no host"},
    {"redis unix socket relative", "redis:\n  url: \"unix://run/redis.sock\"\n", 2, "redis.url", "not absolute"},
    {"redis password not in the message", "redis:\n  url: \"redis://:pw@h:x/0\"\n", 2, "redis.url",
     "\"redis://:***@h:x/0\""},
    {"sentinel list with an empty entry", "redis:\n  url: \"redis-sentinel://h:26379,/m/0\"\n", 2, "redis.url",
     "bad sentinel address \"\""},
    {"sentinel port out of range", "redis:\n  url: \"redis-sentinel://h,h:99999/m\"\n", 2, "redis.url",
     "bad sentinel address \"h:99999\""},
    {"sentinel without master", "redis:\n  url: \"redis-sentinel://h:26379\"\n", 2, "redis.url", "no master name"},
    {"listen without port", "http:\n  listen: \"localhost\"\n", 2, "http.listen", "host:port"},
    {"listen port a word", "http:\n  listen: \"127.0.0.1:http\"\n", 2, "http.listen", "host:port"},
    {"listen port with a sign", "http:\n  listen: \"127.0.0.1:+80\"\n", 2, "http.listen", "host:port"},
    {"listen port 0", "http:\n  listen: \"127.0.0.1:0\"\n", 2, "http.listen", "1 to 65535"},
    {"listen port too big", "http:\n  listen: \"127.0.0.1:65536\"\n", 2, "http.listen", "host:port"},
    {"api_base not http", "twilio:\n" + kSid + "  from: \"+447700900000\"\n  api_base: \"ftp://x\"\n", 4,
     "twilio.api_base", "https://", true},
    {"unknown time zone", "reminders:\n  timezone: Europe/Londn\n", 2, "reminders.timezone", "IANA time zone"},
    {"bad HH:MM", "reminders:\n  send:\n    - day_before_at: \"25:00\"\n", 3, "reminders.send[0].day_before_at", "\"HH:MM\""},
    {"hours_before zero", "reminders:\n  send:\n    - hours_before: 0\n", 3, "reminders.send[0].hours_before", "0 < N <= 168"},
    {"hours_before too far", "reminders:\n  send:\n    - hours_before: 2\n    - hours_before: 169\n", 4,
     "reminders.send[1].hours_before", "0 < N <= 168"},
    {"send item with two rules", "reminders:\n  send:\n    - {day_before_at: \"18:00\", hours_before: 2}\n", 3,
     "reminders.send[0]", "exactly one of"},
    {"send item typo", "reminders:\n  send:\n    - hours_befor: 2\n", 3, "reminders.send[0].hours_befor",
     "did you mean 'hours_before'?"},
    {"send empty", "reminders:\n  send: []\n", 2, "reminders.send", "non-empty list"},
    {"quiet hours bad end", "reminders:\n  quiet_hours: {start: \"21:00\", end: \"8pm\"}\n", 2,
     "reminders.quiet_hours.end", "\"HH:MM\""},
    {"quiet hours missing end", "reminders:\n  quiet_hours:\n    start: \"21:00\"\n", 2, "reminders.quiet_hours",
     "needs both start and end"},
    {"quiet hours a string", "reminders:\n  quiet_hours: \"21-08\"\n", 2, "reminders.quiet_hours", "or null"},
    {"quiet hours empty interval", "reminders:\n  quiet_hours: {start: \"21:00\", end: \"21:00\"}\n", 2,
     "reminders.quiet_hours", "write null"},
    {"default language shape", "default_language: English\n", 1, "default_language", "language code"},
    {"template language shape", "templates:\n  English:\n    reminder: \"Hi\"\n", 2, "templates.English",
     "not a language code"},
    {"unknown template kind", "templates:\n  en:\n    remider: \"Hi\"\n", 3, "templates.en.remider",
     "unknown template kind (did you mean 'reminder'?)"},
    {"unknown placeholder", "templates:\n  pl:\n    reply_yes: \"Hi {nmae}\"\n", 3, "templates.pl.reply_yes",
     "unknown placeholder {nmae} at character 4"},
    {"digest placeholder in reminder", "templates:\n  en:\n    reminder: \"{coming} coming\"\n", 3,
     "templates.en.reminder", "{coming}"},
    {"unbalanced brace", "templates:\n  en:\n    help: \"Reply {Y\"\n", 3, "templates.en.help", "unbalanced '{'"},
    {"empty template", "templates:\n  en:\n    help: \"\"\n", 3, "templates.en.help", "expected message text"},
    {"six weekdays", "templates:\n  pl:\n    words:\n      weekdays: [a, b, c, d, e, f]\n", 4,
     "templates.pl.words.weekdays", "list of 7"},
    {"words typo", "templates:\n  pl:\n    words:\n      tommorow: jutro\n", 4, "templates.pl.words.tommorow",
     "did you mean 'tomorrow'?"},
    {"auth token in the file", "twilio:\n" + kSid + "  from: \"+447700900000\"\n  auth_token: \"s3cr3t\"\n", 4,
     "twilio.auth_token", "auth_token_env, or in a file named by twilio.auth_token_file", true},
    {"account sid shape", "twilio:\n  account_sid: \"AC123\"\n  from: \"+447700900000\"\n", 2, "twilio.account_sid",
     "\"AC\" followed by 32 hex digits", true},
    {"account sid missing", "twilio:\n  from: \"+447700900000\"\n", 1, "twilio.account_sid", "required", true},
    {"no twilio at all", "region: GB\n", 0, "twilio.account_sid", "required", true},
    {"no sender", "twilio:\n" + kSid, 1, "twilio.from", "messaging_service_sid", true},
    {"both senders", "twilio:\n" + kSid + "  from: \"+447700900000\"\n  messaging_service_sid: \"MG0123456789abcdef0123456789abcdef\"\n",
     3, "twilio.from", "not both", true},
    {"messaging service sid shape", "twilio:\n" + kSid + "  messaging_service_sid: \"MG12\"\n", 3,
     "twilio.messaging_service_sid", "\"MG\" followed by 32 hex digits", true},
    {"sender not a number", "twilio:\n" + kSid + "  from: \"12\"\n", 3, "twilio.from", "such as \"+447700900000\"", true},
    {"account pause longest below the first", "twilio:\n" + kSid +
     "  from: \"+447700900000\"\n  account_pause_seconds: 120\n  account_pause_max_seconds: 60\n",
     5, "twilio.account_pause_max_seconds", "at least twilio.account_pause_seconds (120), got 60", true},
    {"account pause zero", "twilio:\n" + kSid + "  from: \"+447700900000\"\n  account_pause_seconds: 0\n", 4,
     "twilio.account_pause_seconds", "1 to 3600", true},
    {"env var name shape", "twilio:\n" + kSid + "  from: \"+447700900000\"\n  auth_token_env: \"MY TOKEN\"\n", 4,
     "twilio.auth_token_env", "environment variable name", true},
    {"replies not a map", "replies: [yes]\n", 1, "replies", "expected a map of languages"},
    {"replies language shape", "replies:\n  Polish:\n    yes: [tak]\n", 2, "replies.Polish", "not a language code"},
    {"replies language not a map", "replies:\n  en: deffo\n", 2, "replies.en", "expected a map of replace, yes, no, maybe"},
    {"replies unknown key", "replies:\n  en:\n    yse: [deffo]\n", 3, "replies.en.yse", "did you mean 'yes'?"},
    {"replies unknown key, nothing near", "replies:\n  en:\n    words: [deffo]\n", 3, "replies.en.words",
     "known here: replace, yes, no, maybe"},
    {"replies list is one word", "replies:\n  en:\n    yes: deffo\n", 3, "replies.en.yes",
     "expected a list of words or phrases, e.g. [deffo, \"see you there\"], got \"deffo\""},
    {"replies list is a map", "replies:\n  en:\n    no: {a: b}\n", 3, "replies.en.no", "got a map"},
    {"replies empty entry", "replies:\n  pl:\n    no:\n      - jutro\n      - \"\"\n", 5, "replies.pl.no[1]",
     "expected a word or phrase"},
    {"replies entry is a list", "replies:\n  ur:\n    maybe: [[shayad]]\n", 3, "replies.ur.maybe[0]", "got a list"},
    {"replies entry only punctuation", "replies:\n  en:\n    yes: [\"!!!\"]\n", 3, "replies.en.yes[0]",
     "letters, digits or an emoji"},
    {"replies replace not a boolean", "replies:\n  en:\n    replace: sometimes\n", 3, "replies.en.replace",
     "expected true or false, got \"sometimes\""},
    {"replies phrase in two lists", "replies:\n  pl:\n    maybe: [zobaczę]\n    yes: [NIESTETY]\n", 4,
     "replies.pl.yes[0]", "\"NIESTETY\" is already a no phrase of pl"},
    {"replies duplicate language", "replies:\n  en:\n    yes: [a]\n  en:\n    no: [b]\n", 4, "replies.en",
     "duplicate key"},
    // The limits (config_limits.h, issue 13).
    {"reminder of 10,000 characters", "templates:\n  en:\n    reminder: \"" + std::string(10000, 'a') + "\"\n", 3,
     "templates.en.reminder", "too long: 10000 characters"},
    {"help one over Twilio's limit", "templates:\n  en:\n    help: \"" + std::string(1601, 'h') + "\"\n", 3,
     "templates.en.help", "a text may be at most 1600, Twilio's limit for one message"},
    {"placeholders count at their longest", "templates:\n  en:\n    reminder: \"{venue}" + std::string(1521, 'r') + "\"\n",
     3, "templates.en.reminder", "too long: 1601 characters, counting each placeholder at its longest ({name} 40"},
    {"UCS-2 text counted in characters", "templates:\n  pl:\n    help: \"" + [] {
       std::string t;
       for (int i = 0; i < 1601; ++i) t += "\u0105";  // ą, two bytes
       return t;
     }() + "\"\n", 3, "templates.pl.help", "too long: 1601 characters"},
    {"not UTF-8", "region: GB\ntemplates:\n  en:\n    help: \"caf\xE9 open\"\n", 4, "(file)",
     "not UTF-8: byte 0xE9 at character 15 of this line"},
    {"truncated UTF-8 sequence", "region: GB\n# \xF0\x9F", 2, "(file)", "not UTF-8: byte 0xF0 at character 3"},
    {"reply list over the limit", "replies:\n  en:\n    yes:\n" + [] {
       std::string t;
       for (int i = 0; i <= 1000; ++i) t += "      - w" + std::to_string(i) + "\n";
       return t;
     }(), 1004, "replies.en.yes[1000]", "too many entries: 1001; a list may hold at most 1000"},
    {"reply phrase over the limit", "replies:\n  en:\n    maybe:\n      - ok\n      - \"" + std::string(101, 'm') + "\"\n", 5,
     "replies.en.maybe[1]", "too long: 101 characters; a reply phrase may be at most 100"},
    {"concern phrase over the limit", "safeguarding:\n  phrases:\n    en: [\"" + std::string(1025, 'c') + "\"]\n", 3,
     "safeguarding.phrases.en[0]", "too long: 1025 bytes; a concern phrase may be at most 1024"},
    {"concern list over the limit", "safeguarding:\n  phrases:\n    pl: [" + [] {
       std::string t;
       for (int i = 0; i <= 1000; ++i) t += (i ? ", w" : "w") + std::to_string(i);
       return t;
     }() + "]\n", 3, "safeguarding.phrases.pl[1000]", "at most 1000"},
    {"word over the limit", "templates:\n  pl:\n    words:\n      today: \"" + std::string(31, 'd') + "\"\n", 4,
     "templates.pl.words.today", "a word may be at most 30"},
    {"weekday over the limit", "templates:\n  pl:\n    words:\n      weekdays:\n        - \"" + std::string(31, 'd') +
     "\"\n        - b\n        - c\n        - d\n        - e\n        - f\n        - g\n", 5,
     "templates.pl.words.weekdays[0]", "a word may be at most 30"},
};

TEST(ConfigErrors, NameFileLineKeyAndWhatIsAllowed) {
  for (const ErrorCase& c : kErrorCases) {
    SCOPED_TRACE(c.name);
    auto r = Config::Parse(c.own_twilio ? c.yaml : c.yaml + kTwilio, "config/checkin.yaml", TokenInEnv());
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.status().IsInvalidArgument());
    const std::string msg = r.status().message();
    const std::string first = msg.substr(0, msg.find('\n'));
    const std::string where = "config/checkin.yaml" + (c.line ? ":" + std::to_string(c.line) : "") + ": " + c.key + ": ";
    EXPECT_EQ(first.rfind(where, 0), 0u) << first;
    EXPECT_NE(first.find(c.want), std::string::npos) << first;
    EXPECT_EQ(msg.find("s3cr3t"), std::string::npos) << "secret echoed: " << msg;
  }
}

// The size limit is checked before YAML reads the file, so a file of any
// size is refused at once; the error names the line where it is crossed.
TEST(ConfigLimits, FileOverOneMebibyteIsRefusedWithTheLineWhereItCrosses) {
  std::string yaml = kTwilio;
  const std::string filler = "# " + std::string(98, '.') + "\n";  // 101 bytes a line
  while (yaml.size() <= kMaxConfigFileBytes) yaml += filler;
  const int line = 1 + static_cast<int>(std::count(yaml.begin(), yaml.begin() + kMaxConfigFileBytes, '\n'));
  auto r = Config::Parse(yaml, "big.yaml", TokenInEnv());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message().rfind("big.yaml:" + std::to_string(line) + ": (file): larger than 1024 KiB", 0), 0u)
      << r.status().message();

  yaml.resize(kMaxConfigFileBytes);  // exactly at the limit: fine
  yaml.back() = '\n';
  EXPECT_OK(Config::Parse(yaml, "big.yaml", TokenInEnv()));
}

TEST(ConfigLimits, LoadReadsNoMoreThanTheLimitOfAHugeFile) {
  char path[] = "/tmp/checkin-config-test-XXXXXX";
  const int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  close(fd);
  {
    std::ofstream out(path, std::ios::binary);
    out << kTwilio;
    const std::string line = "# " + std::string(1021, 'x') + "\n";
    for (int i = 0; i < 10 * 1024; ++i) out << line;  // 10 MiB: a pasted word list
  }
  auto r = Config::Load(path, TokenInEnv());
  std::remove(path);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find(std::string(path) + ":"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("larger than 1024 KiB"), std::string::npos) << r.status().message();
}

// Everything at its limit loads: a file just under 1 MiB holding a
// 1600-character template of every kind in 30 languages and full reply
// lists. (How long loading takes, for growing inputs, is in
// scripts/bench-config.sh and docs/performance.md, not timed here.)
TEST(ConfigLimits, EverythingAtItsLimitLoads) {
  std::string yaml = kTwilio + "templates:\n";
  int langs = 0;
  for (char a = 'a'; a <= 'z' && langs < 30; ++a) {
    for (char b = 'a'; b <= 'b' && langs < 30; ++b, ++langs) {
      yaml += std::string("  ") + a + b + "x:\n";
      for (TemplateKind kind : AllTemplateKinds()) {
        yaml += std::string("    ") + TemplateKindName(kind) + ": \"{name}" + std::string(kMaxMessageChars - 40, 'x') + "\"\n";
      }
    }
  }
  yaml += "replies:\n  en:\n";
  for (const char* list : {"yes", "no", "maybe"}) {
    yaml += std::string("    ") + list + ":\n";
    for (size_t i = 0; i < kMaxPhrasesPerList; ++i) {
      yaml += "      - \"" + std::string(list) + std::to_string(i) + std::string(80, 'p') + "\"\n";
    }
  }
  ASSERT_LE(yaml.size(), kMaxConfigFileBytes);
  ASSERT_GT(yaml.size(), kMaxConfigFileBytes * 3 / 4);
  auto c = Config::Parse(yaml, "full.yaml", TokenInEnv());
  ASSERT_OK(c);
  EXPECT_EQ(c->ReplyWordsFor("en").maybe.size(), DefaultReplyWords().at("en").maybe.size() + kMaxPhrasesPerList);
  EXPECT_EQ(CountedLength(c->Template("aax", TemplateKind::kHelp)), kMaxMessageChars);
}

// The template the issue found slow (300 KB) is refused with its line, and
// what CheckTemplate reports about a long text still names the character.
TEST(ConfigLimits, TemplateOf300KbIsRefusedWithItsLine) {
  const std::string yaml = "region: GB\ntemplates:\n  en:\n    reminder: \"" + std::string(300 * 1024, 'a') + "\"\n" + kTwilio;
  auto r = Config::Parse(yaml, "t.yaml", TokenInEnv());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message().rfind("t.yaml:4: templates.en.reminder: too long: 307200 characters", 0), 0u)
      << r.status().message().substr(0, 200);
  const std::string late_brace = std::string(1000, 'a') + "}";
  EXPECT_NE(CheckTemplate(late_brace, TemplateKind::kHelp).message().find("at character 1001"), std::string::npos);
}

TEST(ConfigLimits, CountedLengthCountsCharactersAndPlaceholderWidths) {
  EXPECT_EQ(CountedLength(""), 0u);
  EXPECT_EQ(CountedLength("abc"), 3u);
  EXPECT_EQ(CountedLength("{{x}}"), 3u);
  EXPECT_EQ(CountedLength("Hi {name}!"), 4u + 40u);
  EXPECT_EQ(CountedLength("\u0105\u0119"), 2u) << "characters, not bytes";
  EXPECT_EQ(CountedLength("{body}"), 603u);
  EXPECT_EQ(CountedLength("{day} {date}"), 63u + 1u + 33u);
  for (TemplateKind kind : AllTemplateKinds()) {
    for (const std::string& p : AllowedPlaceholders(kind)) EXPECT_GT(PlaceholderWidth(p), 0u) << p;
    EXPECT_OK(CheckTemplate(DefaultEnglishTemplates().at(kind), kind)) << TemplateKindName(kind);
  }
}

TEST(ConfigErrors, TypoInQuietHoursIsRefused) {
  auto r = Config::Parse("region: GB\nreminders:\n  qiet_hours: {start: \"22:00\", end: \"07:00\"}\n" + kTwilio,
                         "config/checkin.yaml", TokenInEnv());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "config/checkin.yaml:3: reminders.qiet_hours: unknown key (did you mean 'quiet_hours'?)");
}

TEST(ConfigErrors, EveryErrorIsReported) {
  auto r = Config::Parse("region: gb\nlog_level: loud\n" + kTwilio, "x.yaml", TokenInEnv());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("x.yaml:1: region:"), std::string::npos);
  EXPECT_NE(r.status().message().find("\nx.yaml:2: log_level:"), std::string::npos);
}

TEST(ConfigErrors, MissingFileIsNamed) {
  auto r = Config::Load("/nonexistent/checkin.yaml", TokenInEnv());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("/nonexistent/checkin.yaml: cannot read config file"), std::string::npos);
}

// Errors found after loading (CheckStartable in daemon.h) name the line
// too: the key's own, else its section's, else none.
TEST(ConfigErrors, WhereNamesTheLineOfAKeyAfterLoading) {
  auto c = Config::Parse("http:\n  listen: \"0.0.0.0:8080\"\n" + kTwilio, "x.yaml", TokenInEnv());
  ASSERT_OK(c);
  EXPECT_EQ(c->Where("http.listen"), "x.yaml:2: http.listen");
  EXPECT_EQ(c->Where("twilio.auth_token_env"), "x.yaml:3: twilio.auth_token_env") << "not written: its section";
  EXPECT_EQ(c->Where("safeguarding.phrases"), "x.yaml: safeguarding.phrases") << "nothing to point at";
}

TEST(ConfigSecrets, TokenFromEnvironment) {
  auto c = Config::Parse("twilio:\n  auth_token_env: \"SMS_TOKEN\"\n" + kTwilio.substr(8), "t.yaml",
                         FakeSecrets({{"SMS_TOKEN", "abc123\n"}}));
  ASSERT_OK(c);
  EXPECT_EQ(c->twilio.auth_token, "abc123");
}

TEST(ConfigSecrets, TokenFromAbsoluteFile) {
  auto c = Config::Parse(kTwilio + "  auth_token_file: \"/etc/checkin/token\"\n", "t.yaml",
                         FakeSecrets({{"TWILIO_AUTH_TOKEN", "from-env"}}, {{"/etc/checkin/token", "from-file \n"}}));
  ASSERT_OK(c);
  EXPECT_EQ(c->twilio.auth_token, "from-file");
}

TEST(ConfigSecrets, RelativeFileIsLookedUpInCredentialsDirectoryFirst) {
  char dir_template[] = "/tmp/checkin-creds-XXXXXX";
  ASSERT_NE(mkdtemp(dir_template), nullptr);
  const std::string dir = dir_template;
  std::ofstream(dir + "/twilio_auth_token") << "systemd-credential\n";
  Config::SecretSource secrets = Config::SecretSource::Process();
  secrets.getenv = [dir](const std::string& name) -> std::optional<std::string> {
    if (name == "CREDENTIALS_DIRECTORY") return dir;
    return std::nullopt;
  };
  auto c = Config::Parse(kTwilio + "  auth_token_file: \"twilio_auth_token\"\n", "t.yaml", secrets);
  std::remove((dir + "/twilio_auth_token").c_str());
  rmdir(dir.c_str());
  ASSERT_OK(c);
  EXPECT_EQ(c->twilio.auth_token, "systemd-credential");
}

TEST(ConfigSecrets, MissingTokenSaysWhereItLooked) {
  struct Case {
    const char* name;
    std::string extra;
    Config::SecretSource secrets;
    int line;
    std::string key, want;
  } cases[] = {
      {"env var unset", "", FakeSecrets({}), 1, "twilio.auth_token_env", "TWILIO_AUTH_TOKEN is not set"},
      {"env var empty", "  auth_token_env: \"TOK\"\n", FakeSecrets({{"TOK", "  \n"}}), 4, "twilio.auth_token_env",
       "TOK is not set or empty"},
      {"file missing", "  auth_token_file: \"tok\"\n", FakeSecrets({{"CREDENTIALS_DIRECTORY", "/run/creds"}}), 4,
       "twilio.auth_token_file", "\"/run/creds/tok\" or \"tok\""},
      {"file empty", "  auth_token_file: \"/t\"\n", FakeSecrets({}, {{"/t", "\n"}}), 4, "twilio.auth_token_file",
       "file is empty"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = Config::Parse(kTwilio + c.extra, "t.yaml", c.secrets);
    ASSERT_FALSE(r.ok());
    const std::string where = "t.yaml:" + std::to_string(c.line) + ": " + c.key + ": ";
    EXPECT_EQ(r.status().message().rfind(where, 0), 0u) << r.status().message();
    EXPECT_NE(r.status().message().find(c.want), std::string::npos) << r.status().message();
  }
}

TEST(ConfigSecrets, NotResolvedWhenNotAsked) {
  auto c = Config::Parse(kTwilio, "t.yaml", FakeSecrets({}), /*resolve_secrets=*/false);
  ASSERT_OK(c);
  EXPECT_TRUE(c->twilio.auth_token.empty());
}

TEST(ConfigTemplates, FallBackToEnglishOneKindAtATime) {
  auto c = Config::Parse("templates:\n  en:\n    reminder: \"Hi {name}, {title} {day}.\"\n"
                         "  pl:\n    reply_yes: \"Dzięki, {name}!\"\n    words:\n      today: \"dziś\"\n" + kTwilio,
                         "t.yaml", TokenInEnv());
  ASSERT_OK(c);
  EXPECT_EQ(c->Template("en", TemplateKind::kReminder), "Hi {name}, {title} {day}.");
  EXPECT_EQ(c->Template("en", TemplateKind::kReplyYes), DefaultEnglishTemplates().at(TemplateKind::kReplyYes));
  EXPECT_EQ(c->Template("pl", TemplateKind::kReplyYes), "Dzięki, {name}!");
  EXPECT_EQ(c->Template("pl", TemplateKind::kReminder), "Hi {name}, {title} {day}.");
  EXPECT_EQ(c->Template("xx", TemplateKind::kHelp), DefaultEnglishTemplates().at(TemplateKind::kHelp));
  EXPECT_EQ(c->Words("pl").today, "dziś");
  EXPECT_EQ(c->Words("pl").tomorrow, "tomorrow");  // missing words come from en
  EXPECT_EQ(c->Words("xx").months[0], "January");
}

TEST(ConfigTemplates, DefaultConstructedConfigStillHasEnglish) {
  Config c;
  EXPECT_EQ(c.Template("pl", TemplateKind::kDigest), DefaultEnglishTemplates().at(TemplateKind::kDigest));
  EXPECT_EQ(c.Words("pl").today, "today");
}

bool Contains(const std::vector<std::string>& list, const std::string& s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

TEST(ConfigReplies, ShortFileGetsTheShippedWords) {
  auto c = Config::Parse(kTwilio, "t.yaml", TokenInEnv());
  ASSERT_OK(c);
  for (const char* lang : {"en", "pl", "ur"}) {
    SCOPED_TRACE(lang);
    ASSERT_EQ(c->reply_words.count(lang), 1u);
    EXPECT_FALSE(c->reply_words.at(lang).yes.empty());
    EXPECT_FALSE(c->reply_words.at(lang).no.empty());
    EXPECT_FALSE(c->reply_words.at(lang).maybe.empty());
  }
  EXPECT_TRUE(Contains(c->ReplyWordsFor("en").yes, "yes"));
  EXPECT_TRUE(Contains(c->ReplyWordsFor("pl").yes, "tak"));
  EXPECT_TRUE(Contains(c->ReplyWordsFor("ur").yes, "haan"));
  EXPECT_TRUE(Contains(c->ReplyWordsFor("ur").maybe, "شاید"));
  EXPECT_TRUE(c->ReplyWordsFor("fr").yes.empty());
}

TEST(ConfigReplies, ListsAreAddedToTheShippedWords) {
  auto c = Config::Parse("replies:\n  en:\n    yes: [deffo, \"on my way\"]\n    maybe: [tbc]\n  pl:\n    no:\n"
                         "      - nie tym razem\n" + kTwilio,
                         "t.yaml", TokenInEnv());
  ASSERT_OK(c);
  const ReplyWords& en = c->ReplyWordsFor("en");
  EXPECT_TRUE(Contains(en.yes, "deffo"));
  EXPECT_TRUE(Contains(en.yes, "on my way"));
  EXPECT_TRUE(Contains(en.yes, "yes"));  // shipped words stay
  EXPECT_EQ(std::count(en.maybe.begin(), en.maybe.end(), "tbc"), 1);  // already shipped: not doubled
  EXPECT_TRUE(Contains(c->ReplyWordsFor("pl").no, "nie tym razem"));
  EXPECT_TRUE(Contains(c->ReplyWordsFor("pl").yes, "tak"));
}

TEST(ConfigReplies, ReplaceUsesOnlyTheFilesLists) {
  auto c = Config::Parse("replies:\n  en:\n    replace: true\n    yes: [aye]\n  ur:\n    replace: false\n" + kTwilio,
                         "t.yaml", TokenInEnv());
  ASSERT_OK(c);
  EXPECT_EQ(c->ReplyWordsFor("en").yes, std::vector<std::string>{"aye"});
  EXPECT_TRUE(c->ReplyWordsFor("en").no.empty());
  EXPECT_TRUE(Contains(c->ReplyWordsFor("ur").yes, "haan"));
}

TEST(ConfigReplies, AnyLanguageMayHaveWords) {
  auto c = Config::Parse("replies:\n  pt-BR:\n    yes: [sim, \"👍\"]\n    no: [não]\n" + kTwilio, "t.yaml", TokenInEnv());
  ASSERT_OK(c);
  EXPECT_EQ(c->ReplyWordsFor("pt-BR").yes, (std::vector<std::string>{"sim", "👍"}));
  EXPECT_EQ(c->ReplyWordsFor("pt-BR").no, std::vector<std::string>{"não"});
  EXPECT_TRUE(c->ReplyWordsFor("pt-BR").maybe.empty());
}

TEST(ConfigReplies, DefaultConstructedConfigHasTheShippedWords) {
  Config c;
  EXPECT_TRUE(Contains(c.ReplyWordsFor("pl").no, "niestety"));
  EXPECT_TRUE(c.ReplyWordsFor("xx").yes.empty());
}

}  // namespace
}  // namespace checkin
