// Tests of message templates: kind names, placeholder checking, rendering,
// {day}/{time}/{date} in the session's zone (DST included) and language, and
// the shipped English set (GSM-7, one segment, Y/N, STOP).
#include <date/tz.h>

#include <string>

#include "checkin/config.h"
#include "schema/records.h"
#include "config/templates.h"
#include "test_util.h"

namespace checkin {
namespace {

Instant At(const std::string& rfc3339) {
  auto t = ParseRfc3339(rfc3339);
  EXPECT_TRUE(t.ok()) << rfc3339;
  return t.ok() ? *t : Instant{};
}

TEST(TemplateKinds, NamesRoundTrip) {
  EXPECT_EQ(AllTemplateKinds().size(), 13u);  // 9 attendance kinds, 4 safeguarding
  for (TemplateKind k : AllTemplateKinds()) {
    EXPECT_EQ(TemplateKindFromName(TemplateKindName(k)), k) << TemplateKindName(k);
  }
  EXPECT_EQ(TemplateKindFromName("reply_yes"), TemplateKind::kReplyYes);
  EXPECT_EQ(TemplateKindFromName("Reminder"), std::nullopt);
}

TEST(CheckTemplate, AcceptsKnownPlaceholdersAndRefusesTheRest) {
  struct Case {
    const char* name;
    std::string text;
    TemplateKind kind;
    std::string error;  // "" = OK; else a substring of the message
  } cases[] = {
      {"plain text", "See you soon", TemplateKind::kReminder, ""},
      {"every common placeholder", "{name} {title} {group} {venue} {day} {time} {date}", TemplateKind::kFollowUp, ""},
      {"digest counts", "{coming} {maybe} {not_coming} {no_answer}", TemplateKind::kDigest, ""},
      {"literal braces", "{{name}} is {name}, }} {{", TemplateKind::kHelp, ""},
      {"misspelt", "Hi {nmae}", TemplateKind::kReminder, "unknown placeholder {nmae} at character 4"},
      {"upper case", "Hi {Name}", TemplateKind::kReminder, "unknown placeholder {Name}"},
      {"empty braces", "Hi {}", TemplateKind::kReminder, "unknown placeholder {}"},
      {"counts outside digest", "{coming} coming", TemplateKind::kReminder, "reminder may use {name} {title}"},
      {"unclosed", "Reply {Y", TemplateKind::kHelp, "unbalanced '{' at character 7"},
      {"nested", "{na{me}}", TemplateKind::kHelp, "unbalanced '{' at character 1"},
      {"stray close", "Reply Y}", TemplateKind::kHelp, "unbalanced '}' at character 8"},
      {"offset counts characters", "Cześć {imie}", TemplateKind::kReminder, "{imie} at character 7"},
  };
  for (const Case& c : cases) {
    Status s = CheckTemplate(c.text, c.kind);
    if (c.error.empty()) {
      EXPECT_OK(s) << c.name;
    } else {
      ASSERT_FALSE(s.ok()) << c.name;
      EXPECT_NE(s.message().find(c.error), std::string::npos) << c.name << ": " << s.message();
    }
  }
}

TEST(RenderTemplate, SubstitutesAndUnescapes) {
  const std::map<std::string, std::string> vars = {{"name", "Amy"}, {"day", "tomorrow"}, {"brace", "{name}"}};
  struct Case {
    const char* name;
    std::string text, want;
  } cases[] = {
      {"one", "Hi {name}", "Hi Amy"},
      {"repeated", "{name}, {name}!", "Amy, Amy!"},
      {"literal braces", "{{name}} = {name}", "{name} = Amy"},
      {"unknown left as written", "Hi {nobody}", "Hi {nobody}"},
      {"value not re-expanded", "{brace}", "{name}"},
      {"unbalanced left as written", "Hi {name", "Hi {name"},
      {"no placeholders", "Plain", "Plain"},
      {"utf-8 around", "Cześć {name}, {day}.", "Cześć Amy, tomorrow."},
  };
  for (const Case& c : cases) EXPECT_EQ(RenderTemplate(c.text, vars), c.want) << c.name;
}

// {day}, {time} and {date} compare local calendar dates in the session's
// zone; the London rows straddle the end of BST (2026-10-25 01:00 UTC).
TEST(MessageVars, DayTimeAndDateInTheSessionsZone) {
  struct Case {
    const char* name;
    std::string now, starts_at;
    std::string day, time, date;
  } cases[] = {
      {"today", "2026-12-01T08:00:00Z", "2026-12-01T10:00:00Z", "today", "10:00", "1 December"},
      {"tomorrow", "2026-12-01T08:00:00Z", "2026-12-02T10:00:00Z", "tomorrow", "10:00", "2 December"},
      {"tomorrow, just after midnight", "2026-12-01T23:59:00Z", "2026-12-02T00:05:00Z", "tomorrow", "00:05", "2 December"},
      {"weekday in 3 days", "2026-12-01T08:00:00Z", "2026-12-04T18:30:00Z", "Friday", "18:30", "4 December"},
      {"weekday in 6 days", "2026-12-01T08:00:00Z", "2026-12-07T10:00:00Z", "Monday", "10:00", "7 December"},
      {"a week ahead", "2026-12-01T08:00:00Z", "2026-12-08T10:00:00Z", "Tuesday 8 December", "10:00", "8 December"},
      {"already past", "2026-12-01T08:00:00Z", "2026-11-30T10:00:00Z", "Monday 30 November", "10:00", "30 November"},
      {"BST summer time", "2026-10-20T08:00:00Z", "2026-10-24T09:00:00Z", "Saturday", "10:00", "24 October"},
      {"UTC dates differ, local today", "2026-10-24T23:30:00Z", "2026-10-25T09:00:00Z", "today", "09:00", "25 October"},
      {"local tomorrow across the change", "2026-10-24T22:30:00Z", "2026-10-25T09:00:00Z", "tomorrow", "09:00",
       "25 October"},
      {"first 01:30 (BST)", "2026-10-24T12:00:00Z", "2026-10-25T00:30:00Z", "tomorrow", "01:30", "25 October"},
      {"second 01:30 (GMT)", "2026-10-24T12:00:00Z", "2026-10-25T01:30:00Z", "tomorrow", "01:30", "25 October"},
      {"GMT after the change", "2026-10-24T12:00:00Z", "2026-10-26T10:00:00Z", "Monday", "10:00", "26 October"},
  };
  Config config;
  const date::time_zone* london = date::locate_zone("Europe/London");
  Member member{"m1", "Amy", "+447700900123", "en"};
  Group group{"g1", "Tweeddale mums", "Walkerburn hall", "Europe/London", "", ""};
  for (const Case& c : cases) {
    Session session{"s1", "g1", "Baby massage", "Walkerburn hall", At(c.starts_at), At(c.starts_at), false, ""};
    auto vars = MessageVars(config, member, session, group, london, At(c.now));
    EXPECT_EQ(vars["day"], c.day) << c.name;
    EXPECT_EQ(vars["time"], c.time) << c.name;
    EXPECT_EQ(vars["date"], c.date) << c.name;
  }
}

TEST(MessageVars, NamesComeFromMemberSessionAndGroup) {
  Config config;
  Member member{"m1", "Amy", "+447700900123", "en"};
  Group group{"g1", "Tweeddale mums", "Group hall", "Europe/London", "", ""};
  Session session{"s1", "g1", "Buggy walk", "Park gates", At("2026-12-02T10:00:00Z"), {}, false, ""};
  auto vars = MessageVars(config, member, session, group, date::locate_zone("Europe/London"), At("2026-12-01T08:00:00Z"));
  EXPECT_EQ(vars["name"], "Amy");
  EXPECT_EQ(vars["title"], "Buggy walk");
  EXPECT_EQ(vars["group"], "Tweeddale mums");
  EXPECT_EQ(vars["venue"], "Park gates");
  EXPECT_EQ(RenderTemplate(config.Template("en", TemplateKind::kReminder), vars),
            "Hi Amy, Buggy walk is tomorrow at 10:00, Park gates. We'd love to see you! Reply Y if you're coming, N if not.");
}

TEST(MessageVars, WordsFollowTheMembersLanguage) {
  Config config;
  LanguageWords pl;
  pl.today = "dziś";
  pl.tomorrow = "jutro";
  pl.weekdays = {"w poniedziałek", "we wtorek", "w środę", "w czwartek", "w piątek", "w sobotę", "w niedzielę"};
  pl.months = {"stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca",
               "lipca", "sierpnia", "września", "października", "listopada", "grudnia"};
  config.words["pl"] = pl;
  config.default_language = "pl";
  const date::time_zone* warsaw = date::locate_zone("Europe/Warsaw");
  Member member{"m1", "Ola", "+48500000000", ""};  // no language: config default
  Group group{"g1", "Mamy", "", "Europe/Warsaw", "", ""};
  Session far{"s1", "g1", "Spacer", "Park", At("2026-12-14T09:00:00Z"), {}, false, ""};
  auto vars = MessageVars(config, member, far, group, warsaw, At("2026-12-01T08:00:00Z"));
  EXPECT_EQ(vars["day"], "w poniedziałek 14 grudnia");
  EXPECT_EQ(vars["time"], "10:00");
  Session next{"s2", "g1", "Spacer", "Park", At("2026-12-02T09:00:00Z"), {}, false, ""};
  EXPECT_EQ(MessageVars(config, member, next, group, warsaw, At("2026-12-01T08:00:00Z"))["day"], "jutro");
  member.language = "ur";  // no words for ur: English
  EXPECT_EQ(MessageVars(config, member, next, group, warsaw, At("2026-12-01T08:00:00Z"))["day"], "tomorrow");
}

// GSM 03.38 basic characters that are ASCII; the extension table ({ } [ ] ~
// \ ^ |) costs two septets and backtick is not in GSM at all.
bool IsPlainGsm7(const std::string& s) {
  const std::string punctuation = " !\"#$%&'()*+,-./:;<=>?@_\n";
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && punctuation.find(c) == std::string::npos) return false;
  }
  return true;
}

TEST(DefaultEnglishTemplates, AreOneGsm7SegmentWithRealisticValues) {
  const std::map<std::string, std::string> vars = {
      {"name", "Charlotte"},       {"title", "Baby massage"},    {"group", "Tweeddale mums"},
      {"venue", "Walkerburn Community Hall"}, {"day", "Wednesday 10 December"}, {"time", "10:00"},
      {"date", "10 December"},     {"coming", "12"},              {"maybe", "3"},
      {"not_coming", "4"},         {"no_answer", "9"},            {"phone", "+447700900123"},
      {"body", "I can't cope anymore, I don't want to be here"},    {"taken_by", "+447700900555"}};
  ASSERT_EQ(DefaultEnglishTemplates().size(), AllTemplateKinds().size());
  for (const auto& [kind, text] : DefaultEnglishTemplates()) {
    const std::string name = TemplateKindName(kind);
    EXPECT_OK(CheckTemplate(text, kind)) << name;
    const std::string rendered = RenderTemplate(text, vars);
    EXPECT_TRUE(IsPlainGsm7(rendered)) << name << ": " << rendered;
    // The safeguarding texts carry helplines or her words: up to 3 segments.
    const bool safeguarding = kind >= TemplateKind::kConcern;
    EXPECT_LE(rendered.size(), safeguarding ? 3 * 153u : 160u) << name << ": " << rendered;
  }
}

TEST(DefaultConcernTexts, NameTheHelplinesInEveryShippedLanguage) {
  for (const std::string lang : {"en", "pl", "ur"}) {
    const std::string& text = DefaultConcernTexts().at(lang);
    for (const char* helpline : {"116 123", "SHOUT", "85258", "111", "999"}) {
      EXPECT_NE(text.find(helpline), std::string::npos) << lang << " lacks " << helpline;
    }
    EXPECT_EQ(text.find("Reply Y"), std::string::npos) << lang << ": a concern never asks for Y/N";
  }
  EXPECT_EQ(DefaultConcernTexts().at("en"), DefaultEnglishTemplates().at(TemplateKind::kConcern));
}

TEST(DefaultEnglishTemplates, AskForYNAndMentionStop) {
  const auto& t = DefaultEnglishTemplates();
  EXPECT_NE(t.at(TemplateKind::kReminder).find("Reply Y"), std::string::npos);
  EXPECT_EQ(t.at(TemplateKind::kReminder).find("YES"), std::string::npos);
  EXPECT_NE(t.at(TemplateKind::kHelp).find("STOP"), std::string::npos);
  EXPECT_EQ(t.at(TemplateKind::kDigest),
            "{title} {time}: {coming} coming, {maybe} maybe, {not_coming} not coming, {no_answer} no answer");
}

}  // namespace
}  // namespace checkin
