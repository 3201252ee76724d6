// Template lint: UCS-2 culprits and their replacements, placeholders with
// file lines, fallback kinds, segment and cost numbers worked out by hand,
// the JSON shape, the member census from a real Redis, `checkinctl lint`
// end to end (RunLintCommand), and the shipped config.
#include "ctl/template_lint.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "store/redis_client.h"
#include "redis_server.h"
#include "store/redis_store.h"
#include "test_util.h"

namespace checkin {
namespace {

using Severity = LintFinding::Severity;
using ::checkin::testing::IsOk;

const char* kTwilio =
    "twilio:\n"
    "  account_sid: \"AC0123456789abcdef0123456789abcdef\"\n"
    "  from: \"+447700900000\"\n";

std::string WriteConfig(const std::string& name, const std::string& yaml) {
  const std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path, std::ios::binary) << yaml;
  return path;
}

TemplateSource Source(const std::string& text, const std::string& language = "en",
                      TemplateKind kind = TemplateKind::kReminder) {
  return TemplateSource{language, kind, text, "t.yaml:7"};
}

std::vector<LintFinding> WithCode(const std::vector<LintFinding>& all, const std::string& code) {
  std::vector<LintFinding> out;
  std::copy_if(all.begin(), all.end(), std::back_inserter(out), [&](const LintFinding& f) { return f.code == code; });
  return out;
}

const LanguageLint& Language(const LintReport& r, const std::string& language) {
  for (const LanguageLint& l : r.languages) {
    if (l.language == language) return l;
  }
  throw std::runtime_error("no language " + language);
}

const KindEstimate& Kind(const LanguageLint& l, TemplateKind kind) {
  for (const KindEstimate& k : l.kinds) {
    if (k.kind == kind) return k;
  }
  throw std::runtime_error("no kind");
}

// ------------------------------------------------------------ characters

struct CulpritCase {
  const char* name;
  std::string culprit;          // put after "Hi {name}, see you " (19 characters)
  const char* code;
  std::optional<std::string> replacement;
  const char* codepoints;
  const char* unicode_name;
};

TEST(TemplateLint, EachUcs2CulpritIsNamedWithItsReplacement) {
  const CulpritCase cases[] = {
      {"left single quote", "\u2018", "ucs2_character", "'", "U+2018", "left single quotation mark"},
      {"right single quote", "\u2019", "ucs2_character", "'", "U+2019", "right single quotation mark"},
      {"left double quote", "\u201c", "ucs2_character", "\"", "U+201C", "left double quotation mark"},
      {"right double quote", "\u201d", "ucs2_character", "\"", "U+201D", "right double quotation mark"},
      {"polish low quote", "\u201e", "ucs2_character", "\"", "U+201E", "double low-9 quotation mark"},
      {"en dash", "\u2013", "ucs2_character", "-", "U+2013", "en dash"},
      {"em dash", "\u2014", "ucs2_character", "-", "U+2014", "em dash"},
      {"ellipsis", "\u2026", "ucs2_character", "...", "U+2026", "horizontal ellipsis"},
      {"no-break space", "\u00a0", "ucs2_character", " ", "U+00A0", "no-break space"},
      {"narrow no-break space", "\u202f", "ucs2_character", " ", "U+202F", "narrow no-break space"},
      {"zero width space", "\u200b", "ucs2_character", "", "U+200B", "zero width space"},
      {"backtick", "`", "ucs2_character", "'", "U+0060", "grave accent"},
      {"bullet", "\u2022", "ucs2_character", "-", "U+2022", "bullet"},
      {"emoji", "\U0001F44D", "emoji", std::nullopt, "U+1F44D", "thumbs up sign"},
      {"heart with vs16", "\u2764\ufe0f", "emoji", std::nullopt, "U+2764 U+FE0F", "heavy black heart"},
      {"tab", "\t", "no_gsm_replacement", std::nullopt, "U+0009", "<control-0009>"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const auto findings = CheckCharacters(Source("Hi {name}, see you " + c.culprit + " soon"));
    ASSERT_EQ(findings.size(), 1u);
    const LintFinding& f = findings[0];
    EXPECT_EQ(f.code, c.code);
    EXPECT_EQ(f.severity, Severity::kWarning);
    EXPECT_EQ(f.position, 20);
    EXPECT_EQ(f.replacement, c.replacement);
    EXPECT_EQ(f.codepoints, c.codepoints);
    EXPECT_EQ(f.name, c.unicode_name);
    EXPECT_EQ(f.character, c.culprit);
    EXPECT_EQ(f.language, "en");
    EXPECT_EQ(f.kind, "reminder");
    EXPECT_EQ(f.location, "t.yaml:7");
    EXPECT_NE(f.message.find("UCS-2 (70 characters per segment)"), std::string::npos) << f.message;
    if (f.code == "emoji") {
      EXPECT_NE(f.message.find("remove, or accept UCS-2"), std::string::npos) << f.message;
    }
  }
}

TEST(TemplateLint, GsmTextHasNoFindings) {
  EXPECT_TRUE(CheckCharacters(Source("Hi {name}, it's \u20ac3 [cash] {{only}} \u00e9t\u00e9 \u00a3 @ \u00bf?")).empty());
}

TEST(TemplateLint, EmojiSequenceIsOneFinding) {
  // Woman, ZWJ, woman, ZWJ, girl after "See you " (8 characters).
  const auto findings = CheckCharacters(Source("See you \U0001F469\u200d\U0001F469\u200d\U0001F467!"));
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].code, "emoji");
  EXPECT_EQ(findings[0].position, 9);
  EXPECT_EQ(findings[0].codepoints, "U+1F469 U+200D U+1F469 U+200D U+1F467");
}

TEST(TemplateLint, PolishLettersAndPunctuationAreInfoOnly) {
  // The letters need UCS-2 anyway, so a dash or an emoji costs nothing more:
  // named with its replacement, but not a warning (--strict passes).
  const auto findings = CheckCharacters(Source("Cze\u015b\u0107 {name} \u2013 do zobaczenia \U0001F60A", "pl"));
  const auto letters = WithCode(findings, "needs_ucs2_letters");
  ASSERT_EQ(letters.size(), 1u);
  EXPECT_EQ(letters[0].severity, Severity::kInfo);
  EXPECT_EQ(letters[0].position, 4);
  EXPECT_EQ(letters[0].character, "\u015b \u0107");
  EXPECT_NE(letters[0].message.find("Latin script"), std::string::npos) << letters[0].message;
  const auto dash = WithCode(findings, "ucs2_character");
  ASSERT_EQ(dash.size(), 1u);
  EXPECT_EQ(dash[0].severity, Severity::kInfo);
  EXPECT_EQ(dash[0].replacement, "-");
  EXPECT_EQ(dash[0].position, 14);
  EXPECT_NE(dash[0].message.find("costs nothing here"), std::string::npos) << dash[0].message;
  // An emoji in a text that is UCS-2 anyway only costs its two units.
  const auto emoji = WithCode(findings, "emoji");
  ASSERT_EQ(emoji.size(), 1u);
  EXPECT_EQ(emoji[0].severity, Severity::kInfo);
  EXPECT_EQ(findings.size(), 3u);
}

TEST(TemplateLint, UrduScriptIsInfoOnly) {
  // Arabic comma (script Common) and Urdu full stop belong to the text.
  const auto findings =
      CheckCharacters(Source("\u0634\u06a9\u0631\u06cc\u06c1 {name}\u060c \u0645\u0644\u062a\u06d2 \u06c1\u06cc\u06ba\u06d4", "ur"));
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].code, "needs_ucs2_letters");
  EXPECT_EQ(findings[0].severity, Severity::kInfo);
  EXPECT_NE(findings[0].message.find("Arabic script"), std::string::npos) << findings[0].message;
}

// ---------------------------------------------------------- placeholders

TEST(TemplateLint, EveryUnknownPlaceholderWithPosition) {
  const auto findings = CheckPlaceholders(Source("Hi {nmae}, {titel} at {time} {zzz}"));
  ASSERT_EQ(findings.size(), 3u);
  EXPECT_EQ(findings[0].code, "unknown_placeholder");
  EXPECT_EQ(findings[0].severity, Severity::kError);
  EXPECT_EQ(findings[0].position, 4);
  EXPECT_EQ(findings[0].replacement, "{name}");
  EXPECT_EQ(findings[1].position, 12);
  EXPECT_EQ(findings[1].replacement, "{title}");
  EXPECT_EQ(findings[2].character, "{zzz}");
  EXPECT_EQ(findings[2].replacement, std::nullopt);
  EXPECT_TRUE(CheckPlaceholders(Source("{coming} coming", "en", TemplateKind::kDigest)).empty());
  const auto digest_only = CheckPlaceholders(Source("{coming} coming", "en", TemplateKind::kReminder));
  ASSERT_EQ(digest_only.size(), 1u);
  const auto brace = CheckPlaceholders(Source("Hi {name, see {{you}} {time}"));
  ASSERT_EQ(brace.size(), 1u);
  EXPECT_EQ(brace[0].code, "unbalanced_brace");
  EXPECT_EQ(brace[0].position, 4);
}

TEST(TemplateLint, TemplateFileGivesLines) {
  const std::string yaml = std::string(kTwilio) +   // lines 1-3
                           "templates:\n"           // 4
                           "  pl:\n"                // 5
                           "    reminder: \"Cze\u015b\u0107 {name}\"\n"  // 6
                           "    words:\n"           // 7
                           "      today: \"dzi\u015b\"\n"  // 8
                           "  en:\n"                // 9
                           "    help: \"Help\"\n";  // 10
  const TemplateFile file = ReadTemplateFile(yaml, "c.yaml");
  ASSERT_EQ(file.templates.size(), 2u);
  EXPECT_EQ(file.templates[0].language, "pl");
  EXPECT_EQ(file.templates[0].location, "c.yaml:6");
  EXPECT_EQ(file.templates[1].kind, TemplateKind::kHelp);
  EXPECT_EQ(file.templates[1].location, "c.yaml:10");
  EXPECT_EQ(file.words_given.at("pl"), std::vector<std::string>{"today"});
  EXPECT_TRUE(ReadTemplateFile("templates: [unclosed", "c.yaml").templates.empty());
}

TEST(TemplateLint, UnloadableConfigReportsAllTemplateProblemsAndTheLoaderError) {
  const std::string path = WriteConfig("bad.yaml", std::string(kTwilio) +  // 1-3
                                                       "reminders:\n"       // 4
                                                       "  qiet_hours: null\n"  // 5
                                                       "templates:\n"       // 6
                                                       "  en:\n"            // 7
                                                       "    reminder: \"Hi {nmae}, {titel} \u2013 {time}\"\n"  // 8
                                                       "    reply_yes: \"See you {dya}\"\n");  // 9
  std::ostringstream out, err;
  EXPECT_EQ(RunLintCommand(path, false, false, true, out, err), 1);
  const std::string text = out.str();
  EXPECT_NE(text.find(path + ":8: unknown placeholder {nmae} at character 4 (did you mean {name}?)"), std::string::npos) << text;
  EXPECT_NE(text.find(path + ":8: unknown placeholder {titel}"), std::string::npos) << text;
  EXPECT_NE(text.find(path + ":9: unknown placeholder {dya}"), std::string::npos) << text;
  EXPECT_NE(text.find("en dash"), std::string::npos) << text;
  // The loader's own error, once; its template lines are not repeated.
  EXPECT_NE(text.find(path + ":5: reminders.qiet_hours: unknown key"), std::string::npos) << text;
  EXPECT_EQ(text.find("unknown placeholder {nmae}"), text.rfind("unknown placeholder {nmae}")) << text;
  EXPECT_NE(text.find("does not load"), std::string::npos) << text;
}

TEST(TemplateLint, UnreadableFileIsAnError) {
  std::ostringstream out, err;
  EXPECT_EQ(RunLintCommand(::testing::TempDir() + "/no-such.yaml", false, false, true, out, err), 1);
  EXPECT_NE(err.str().find("cannot read config file"), std::string::npos) << err.str();
}

// ------------------------------------------------------ config-level lint

Config Load(const std::string& yaml) {
  auto c = Config::Parse(yaml, "c.yaml", Config::SecretSource{}, /*resolve_secrets=*/false);
  EXPECT_TRUE(IsOk(c));
  return c.ok() ? *c : Config{};
}

const char* kPolishWords =
    "    words:\n"
    "      today: \"dzi\u015b\"\n"
    "      tomorrow: \"jutro\"\n"
    "      weekdays: [\"w poniedzia\u0142ek\", \"we wtorek\", \"w \u015brod\u0119\", \"w czwartek\", \"w pi\u0105tek\","
    " \"w sobot\u0119\", \"w niedziel\u0119\"]\n"
    "      months: [stycznia, lutego, marca, kwietnia, maja, czerwca, lipca, sierpnia, wrze\u015bnia,"
    " pa\u017adziernika, listopada, grudnia]\n";

TEST(TemplateLint, FallbackKindsAreListed) {
  const std::string yaml = std::string(kTwilio) +
                           "templates:\n"
                           "  pl:\n"
                           "    reminder: \"Cze\u015b\u0107 {name}, {title} {day} o {time}.\"\n"
                           "    reply_yes: \"Dzi\u0119kujemy!\"\n" +
                           kPolishWords;
  const Config config = Load(yaml);
  const LintReport r = LintConfig(config, ReadTemplateFile(yaml, "c.yaml"), std::nullopt);
  const LanguageLint& pl = Language(r, "pl");
  // digest goes to the coordinator in the default language (en): not listed.
  EXPECT_EQ(pl.falls_back, (std::vector<std::string>{"reply_no", "reply_maybe", "reply_unclear", "help", "cancelled",
                                                     "follow_up"}));
  std::vector<LintFinding> fallbacks = WithCode(r.findings, "falls_back_to_en");
  ASSERT_EQ(fallbacks.size(), 2u);
  EXPECT_EQ(fallbacks[0].severity, Severity::kWarning);
  EXPECT_EQ(fallbacks[0].language, "pl");
  EXPECT_NE(fallbacks[0].message.find("reply_no, reply_maybe, reply_unclear, help, cancelled:"), std::string::npos)
      << fallbacks[0].message;
  // Follow-ups are off by default: a note, not a warning.
  EXPECT_EQ(fallbacks[1].severity, Severity::kInfo);
  EXPECT_NE(fallbacks[1].message.find("follow_up"), std::string::npos);
  EXPECT_TRUE(WithCode(r.findings, "words_missing").empty());
  EXPECT_EQ(Kind(pl, TemplateKind::kReplyNo).text_language, "en");
  EXPECT_EQ(Kind(pl, TemplateKind::kReminder).text_language, "pl");
  EXPECT_EQ(Kind(pl, TemplateKind::kReminder).location, "c.yaml:6");
  EXPECT_EQ(Kind(pl, TemplateKind::kReplyNo).location, "");  // the shipped English text
}

TEST(TemplateLint, LanguageWithoutWordsIsWarned) {
  const std::string yaml = std::string(kTwilio) +
                           "templates:\n"
                           "  de:\n"
                           "    reminder: \"Hallo {name}, {title} ist {day} um {time}.\"\n";
  const LintReport r = LintConfig(Load(yaml), ReadTemplateFile(yaml, "c.yaml"), std::nullopt);
  const auto words = WithCode(r.findings, "words_missing");
  ASSERT_EQ(words.size(), 1u);
  EXPECT_EQ(words[0].language, "de");
  EXPECT_NE(words[0].message.find("today, tomorrow, weekdays"), std::string::npos) << words[0].message;
}

// One known config, worked out by hand with LintSamples: name
// "Aleksandra-Magdalena" (20), title "Baby massage and sensory play" (29),
// venue "Walkerburn Public Hall, Galashiels Road" (39), time "10:00" (5).
const char* kCostConfig =
    "reminders:\n"
    "  follow_up_hours_before: 1\n"  // default send rules: 2 reminders
    "pricing:\n"
    "  per_segment: 0.05\n"
    "  currency: EUR\n"
    "templates:\n"
    "  en:\n"
    "    reminder: \"Hi {name}, {title} is {day} at {time}, {venue}. Reply Y if you're coming, N if not. See you there!\"\n"
    "    follow_up: \"{name}, are you coming {day}? Reply Y or N.\"\n"
    "  pl:\n"
    "    reminder: \"Cze\u015b\u0107 {name}, {title} {day} o {time}.\"\n";

TEST(TemplateLint, SegmentsAndCostOfAKnownConfig) {
  const std::string yaml = std::string(kTwilio) + kCostConfig + kPolishWords;
  const LintReport r = LintConfig(Load(yaml), ReadTemplateFile(yaml, "c.yaml"), std::nullopt);
  EXPECT_EQ(r.reminders_per_session, 2);
  EXPECT_TRUE(r.follow_up);
  EXPECT_EQ(r.currency, "EUR");

  // en reminder: "Hi " 3 + name 20 + ", " 2 + title 29 + " is " 4 + the
  // longest en {day} "Wednesday" 9 + " at " 4 + "10:00" 5 + ", " 2 + venue
  // 39 + ". Reply Y if you're coming, N if not." 37 + " See you there!"
  // 15 = 169 GSM-7 characters > 160: two segments (153 + 16).
  const LanguageLint& en = Language(r, "en");
  const KindEstimate& reminder = Kind(en, TemplateKind::kReminder);
  EXPECT_EQ(EncodingName(reminder.rendered.encoding), std::string("GSM-7"));
  EXPECT_EQ(reminder.rendered.characters, 169);
  EXPECT_EQ(reminder.rendered.segments, 2);
  EXPECT_NE(reminder.sample.find("is Wednesday at 10:00"), std::string::npos) << reminder.sample;
  // en follow_up: 20 + ", are you coming " 17 + 9 + "? Reply Y or N." 15 = 61: one.
  EXPECT_EQ(Kind(en, TemplateKind::kFollowUp).rendered.characters, 61);
  EXPECT_EQ(Kind(en, TemplateKind::kFollowUp).rendered.segments, 1);
  // Per member: 2 reminders x 2 + 1 follow-up = 5 segments x 0.05 = 0.25;
  // a group of 12: 60 segments = 3.00.
  EXPECT_EQ(en.per_member.segments, 5);
  EXPECT_DOUBLE_EQ(en.per_member.amount, 0.25);
  EXPECT_EQ(en.group_of_12.segments, 60);
  EXPECT_DOUBLE_EQ(en.group_of_12.amount, 3.0);

  // pl reminder: "Cześć " 6 + 20 + ", " 2 + 29 + " " 1 + "w poniedziałek"
  // 14 + " o " 3 + 5 + "." 1 = 81 UCS-2 characters > 70: two (67 + 14).
  const LanguageLint& pl = Language(r, "pl");
  EXPECT_EQ(EncodingName(Kind(pl, TemplateKind::kReminder).rendered.encoding), std::string("UCS-2"));
  EXPECT_EQ(Kind(pl, TemplateKind::kReminder).rendered.characters, 81);
  EXPECT_EQ(Kind(pl, TemplateKind::kReminder).rendered.segments, 2);
  // pl follow_up is the English text with the Polish {day}: 20 + 17 + 14 +
  // 15 = 66 characters, UCS-2 because of the ł: one segment.
  const KindEstimate& pl_follow_up = Kind(pl, TemplateKind::kFollowUp);
  EXPECT_EQ(pl_follow_up.text_language, "en");
  EXPECT_EQ(EncodingName(pl_follow_up.rendered.encoding), std::string("UCS-2"));
  EXPECT_EQ(pl_follow_up.rendered.characters, 66);
  EXPECT_EQ(pl_follow_up.rendered.segments, 1);
  EXPECT_EQ(pl.per_member.segments, 5);

  // Digest (shipped en text): title 29 + " " + "10:00" + ": " + "12" +
  // " coming, " 9 + "12" + " maybe, " 8 + "12" + " not coming, " 13 + "12" +
  // " no answer" 10 = 85: one segment, 0.05 per group and session.
  ASSERT_TRUE(r.digest.has_value());
  EXPECT_EQ(r.digest->rendered.characters, 85);
  EXPECT_EQ(r.digest_cost.segments, 1);
  EXPECT_DOUBLE_EQ(r.digest_cost.amount, 0.05);

  // With a census: a group of 3 en + 2 pl members and a coordinator costs
  // 5 x 5 = 25 segments = 1.25, plus the digest.
  MemberCensus census;
  census.groups.push_back({"g1", "Baby massage", true, {{"en", 3}, {"pl", 2}}});
  census.members_by_language = {{"en", 3}, {"pl", 2}};
  const LintReport with = LintConfig(Load(yaml), ReadTemplateFile(yaml, "c.yaml"), census);
  ASSERT_EQ(with.groups.size(), 1u);
  EXPECT_EQ(with.groups[0].members, 5);
  EXPECT_EQ(with.groups[0].members_cost.segments, 25);
  EXPECT_DOUBLE_EQ(with.groups[0].members_cost.amount, 1.25);
  EXPECT_EQ(with.groups[0].digest_cost.segments, 1);
  EXPECT_EQ(*Language(with, "pl").members, 2);

  const std::string text = FormatLintText(r);
  EXPECT_NE(text.find("One session: 5 segments = EUR 0.25 per member; a group of 12: 60 segments = EUR 3.00"),
            std::string::npos)
      << text;
}

TEST(TemplateLint, NoDigestWhenOff) {
  const std::string yaml = std::string(kTwilio) + "reminders:\n  digest_hours_before: 0\n";
  const LintReport r = LintConfig(Load(yaml), ReadTemplateFile(yaml, "c.yaml"), std::nullopt);
  EXPECT_FALSE(r.digest.has_value());
  EXPECT_NE(FormatLintText(r).find("off (reminders.digest_hours_before is 0)"), std::string::npos);
}

TEST(TemplateLint, JsonShape) {
  const std::string yaml = std::string(kTwilio) + kCostConfig + kPolishWords +
                           "    reply_no: \"Szkoda \u2013 do zobaczenia\"\n";
  const nlohmann::json j = nlohmann::json::parse(FormatLintJson(
      LintConfig(Load(yaml), ReadTemplateFile(yaml, "c.yaml"), std::nullopt)));
  EXPECT_EQ(j["config"], "c.yaml");
  EXPECT_EQ(j["loaded"], true);
  EXPECT_TRUE(j["summary"]["warnings"].is_number_integer());
  EXPECT_EQ(j["pricing"]["currency"], "EUR");
  EXPECT_EQ(j["texts_per_member_per_session"]["reminder"], 2);
  EXPECT_EQ(j["texts_per_member_per_session"]["follow_up"], 1);
  EXPECT_EQ(j["samples"]["name"], "Aleksandra-Magdalena");
  ASSERT_TRUE(j["languages"].is_array());
  ASSERT_EQ(j["languages"].size(), 2u);
  const auto& en = j["languages"][0];
  EXPECT_EQ(en["language"], "en");
  EXPECT_TRUE(en["members"].is_null());
  EXPECT_EQ(en["kinds"].size(), AllTemplateKinds().size());  // the default language renders every kind
  EXPECT_EQ(en["kinds"][0]["kind"], "reminder");
  EXPECT_EQ(en["kinds"][0]["encoding"], "GSM-7");
  EXPECT_EQ(en["kinds"][0]["segments"], 2);
  EXPECT_EQ(en["per_member"]["segments"], 5);
  EXPECT_DOUBLE_EQ(en["per_member"]["cost"].get<double>(), 0.25);
  EXPECT_EQ(j["digest"]["segments"], 1);
  EXPECT_TRUE(j["groups"].is_null());
  bool dash = false;
  for (const auto& f : j["findings"]) {
    for (const char* key : {"severity", "code", "language", "kind", "location", "position", "character", "codepoints",
                            "name", "replacement", "message"}) {
      EXPECT_TRUE(f.contains(key)) << key << " in " << f.dump();
    }
    if (f["code"] == "ucs2_character") {
      dash = true;
      EXPECT_EQ(f["language"], "pl");
      EXPECT_EQ(f["kind"], "reply_no");
      EXPECT_EQ(f["replacement"], "-");
      EXPECT_EQ(f["codepoints"], "U+2013");
      EXPECT_EQ(f["position"], 8);
    }
  }
  EXPECT_TRUE(dash);
}

// ------------------------------------------------------- Redis and the CLI

class LintWithRedis : public ::testing::Test {
 protected:
  void SetUp() override {
    redis_ = testing::RedisServer::Shared();
    prefix_ = testing::TestKeyPrefix();
  }
  void Member(const std::string& group, const std::string& id, const std::string& language, bool opted_out = false) {
    std::vector<std::string> args = {"HSET", prefix_ + "member:" + id, "name", "Amy", "phone", "+447700900123"};
    if (!language.empty()) args.insert(args.end(), {"language", language});
    if (opted_out) args.insert(args.end(), {"opted_out", "1"});
    redis_->Cli(args);
    redis_->Cli({"SADD", prefix_ + "group:" + group + ":members", id});
  }
  std::string ConfigFile(const std::string& templates) {
    return WriteConfig("lint-redis.yaml", std::string(kTwilio) + "redis:\n  url: \"" + redis_->Url() +
                                              "\"\n  prefix: \"" + prefix_ + "\"\n" + templates);
  }
  testing::RedisServer* redis_ = nullptr;
  std::string prefix_;
};

TEST_F(LintWithRedis, CensusCountsMembersByLanguageWithoutPhones) {
  redis_->Cli({"HSET", prefix_ + "group:g1", "name", "Baby massage", "coordinator_phone", "+447700900999"});
  redis_->Cli({"HSET", prefix_ + "group:g2", "name", "Buggy walk"});
  Member("g1", "m1", "");  // default language
  Member("g1", "m2", "pl");
  Member("g1", "m3", "fr");
  Member("g1", "m4", "fr", /*opted_out=*/true);
  Member("g2", "m2", "pl");  // in both groups: counted once per language
  Member("g2", "m5", "fr");
  redis_->Cli({"SADD", prefix_ + "group:g2:members", "ghost"});  // no hash: skipped

  RedisOptions options;
  options.url = redis_->Url();
  auto client = RedisClient::Connect(options);
  ASSERT_TRUE(IsOk(client));
  auto census = ReadMemberCensus(**client, RedisKeys(prefix_), "en");
  ASSERT_TRUE(IsOk(census));
  EXPECT_EQ(census->members_by_language, (std::map<std::string, int>{{"en", 1}, {"fr", 2}, {"pl", 1}}));
  ASSERT_EQ(census->groups.size(), 2u);
  EXPECT_EQ(census->groups[0].id, "g1");
  EXPECT_EQ(census->groups[0].name, "Baby massage");
  EXPECT_TRUE(census->groups[0].has_coordinator);
  EXPECT_EQ(census->groups[0].members_by_language, (std::map<std::string, int>{{"en", 1}, {"fr", 1}, {"pl", 1}}));
  EXPECT_FALSE(census->groups[1].has_coordinator);

  std::ostringstream out, err;
  const std::string path = ConfigFile("templates:\n  pl:\n    reminder: \"Cze\u015b\u0107 {name}\"\n");
  EXPECT_EQ(RunLintCommand(path, false, false, false, out, err), 0) << err.str();
  const std::string text = out.str();
  EXPECT_NE(text.find("2 member(s) have language fr but there are no templates.fr"), std::string::npos) << text;
  EXPECT_NE(text.find("g1 \"Baby massage\": 3 member(s)"), std::string::npos) << text;
  EXPECT_EQ(text.find("+4477"), std::string::npos) << text;
  EXPECT_EQ(text.find("7700900"), std::string::npos) << text;
  // A warning (fr, pl fallbacks) fails only with --strict.
  std::ostringstream strict_out;
  EXPECT_EQ(RunLintCommand(path, true, true, false, strict_out, err), 1);
  const nlohmann::json j = nlohmann::json::parse(strict_out.str());
  ASSERT_TRUE(j["groups"].is_array());
  EXPECT_EQ(j["groups"].size(), 2u);
}

TEST_F(LintWithRedis, UnreachableRedisIsANoteNotAFailure) {
  const std::string path = WriteConfig(
      "lint-down.yaml", std::string(kTwilio) + "redis:\n  url: \"redis://127.0.0.1:" +
                            std::to_string(testing::FreeLoopbackPort()) + "/0\"\n  timeout_ms: 500\n");
  std::ostringstream out, err;
  EXPECT_EQ(RunLintCommand(path, false, true, false, out, err), 0) << out.str();
  EXPECT_NE(out.str().find("info: member languages and group sizes not checked"), std::string::npos) << out.str();
  std::ostringstream offline;
  EXPECT_EQ(RunLintCommand(path, false, true, true, offline, err), 0);
  EXPECT_EQ(offline.str().find("not checked"), std::string::npos) << offline.str();
}

// ------------------------------------------------------------ shipped file

TEST(TemplateLint, ShippedConfigLintsCleanOfWarnings) {
  const std::string path = std::string(CHECKIN_SOURCE_DIR) + "/config/checkin.yaml";
  std::ostringstream out, err;
  const int code = RunLintCommand(path, false, /*strict=*/true, /*offline=*/true, out, err);
  EXPECT_EQ(code, 0) << out.str() << err.str();
  EXPECT_EQ(out.str().find("warning:"), std::string::npos) << out.str();
  EXPECT_EQ(out.str().find("error:"), std::string::npos) << out.str();
}

// A group file's report: its own texts located in its file, the main
// file's texts in theirs, its own send times in the cost, and the census
// narrowed to that group.
TEST(TemplateLint, AGroupFileIsLintedOverTheMainFileWithItsOwnSizeAndSendTimes) {
  const std::string main_yaml = std::string(kTwilio) + "templates:\n  en:\n    help: \"Main help\"\n";
  const std::string group_yaml = "reminders:\n  send:\n    - hours_before: 1\n"
                                 "templates:\n  en:\n    reminder: \"Walk {time} \u2013 {name}\"\n";
  const Config main = Load(main_yaml);
  auto walk = main.WithGroupFile(group_yaml, "walk.yaml");
  ASSERT_TRUE(IsOk(walk));
  MemberCensus census;
  census.groups = {{"walk", "Buggy walk", false, {{"en", 3}}}, {"massage", "Baby massage", false, {{"en", 9}}}};
  census.members_by_language = {{"en", 12}};
  const LintReport r = LintGroupFile("walk", *walk, ReadTemplateFile(group_yaml, "walk.yaml"),
                                     ReadTemplateFile(main_yaml, "c.yaml"), census);
  EXPECT_EQ(r.group, "walk");
  EXPECT_EQ(r.reminders_per_session, 1) << "the group's send list";
  const LanguageLint& en = Language(r, "en");
  EXPECT_EQ(Kind(en, TemplateKind::kReminder).location, "walk.yaml:6");
  EXPECT_EQ(Kind(en, TemplateKind::kHelp).location, "c.yaml:6");
  ASSERT_EQ(WithCode(r.findings, "ucs2_character").size(), 1u);
  EXPECT_EQ(WithCode(r.findings, "ucs2_character")[0].location, "walk.yaml:6");
  ASSERT_EQ(r.groups.size(), 1u);
  EXPECT_EQ(r.groups[0].id, "walk");
  EXPECT_EQ(r.groups[0].members, 3);
  EXPECT_EQ(en.members, std::optional<int>(3));
}

}  // namespace
}  // namespace checkin
