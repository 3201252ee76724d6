// Group files (groups_dir/<group_id>.yaml): what a group file sets wins for
// that group, kind by kind and language by language, the rest comes from
// the main file; each file is checked like the main one, and a broken one
// fails the whole load naming its file and line.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "checkin/config.h"
#include "config/config_table.h"
#include "test_util.h"

namespace checkin {
namespace {

constexpr char kMain[] =
    "twilio:\n  account_sid: \"AC0123456789abcdef0123456789abcdef\"\n  from: \"+447700900000\"\n"
    "reminders:\n  send:\n    - hours_before: 2\n  quiet_hours: null\n  digest_hours_before: 3\n"
    "templates:\n  en:\n    reminder: \"Main: {name}\"\n    help: \"Main help\"\n  pl:\n    reminder: \"Główny: {name}\"\n";

// A folder of its own under /tmp with a main file in it, removed afterwards.
class GroupFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/checkin-groups-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& text) const {
    const std::string path = dir_ + "/" + name;
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream(path, std::ios::trunc) << text;
    return path;
  }
  Result<Config> LoadMain(const std::string& extra = "groups_dir: \"groups.d\"\n") const {
    return Config::Load(Write("checkin.yaml", kMain + extra), Config::SecretSource{}, /*resolve_secrets=*/false);
  }

  std::string dir_;
};

TEST_F(GroupFiles, WhatAGroupFileSetsWinsAndTheRestComesFromTheMainFile) {
  Write("groups.d/walk.yaml",
        "reminders:\n  send:\n    - hours_before: 1\n  quiet_hours: {start: \"22:00\", end: \"07:00\"}\n"
        "templates:\n  en:\n    reminder: \"Walk: {name}\"\n    words:\n      today: \"this very day\"\n");
  auto c = LoadMain();
  ASSERT_OK(c);
  ASSERT_EQ(c->GroupIds(), std::vector<std::string>{"walk"});
  const Config& walk = c->ForGroup("walk");
  EXPECT_EQ(walk.Template("en", TemplateKind::kReminder), "Walk: {name}");
  EXPECT_EQ(walk.Template("en", TemplateKind::kHelp), "Main help") << "kind by kind";
  EXPECT_EQ(walk.Template("pl", TemplateKind::kReminder), "Główny: {name}") << "language by language";
  EXPECT_EQ(walk.Words("en").today, "this very day");
  EXPECT_EQ(walk.Words("en").tomorrow, "tomorrow");
  EXPECT_EQ(FindConfigKey("reminders.send")->get(walk), "[{hours_before: 1}]");
  EXPECT_EQ(FindConfigKey("reminders.quiet_hours")->get(walk), "{start: \"22:00\", end: \"07:00\"}");
  EXPECT_EQ(FindConfigKey("reminders.digest_hours_before")->get(walk), "3") << "not set: the main file's";
  EXPECT_EQ(walk.source, dir_ + "/groups.d/walk.yaml");
  EXPECT_EQ(walk.Where("templates.en.reminder"), dir_ + "/groups.d/walk.yaml:7: templates.en.reminder");

  // A group without a file, and the main file itself, are unchanged.
  const Config& other = c->ForGroup("drop-in");
  EXPECT_EQ(&other, &*c);
  EXPECT_EQ(other.Template("en", TemplateKind::kReminder), "Main: {name}");
  EXPECT_EQ(FindConfigKey("reminders.send")->get(other), "[{hours_before: 2}]");
}

TEST_F(GroupFiles, AMissingFolderMeansNoGroupFiles) {
  auto c = LoadMain("groups_dir: \"/nonexistent/groups.d\"\n");
  ASSERT_OK(c);
  EXPECT_TRUE(c->groups.empty());
}

TEST_F(GroupFiles, EachFileIsCheckedLikeTheMainOneWithFileLineAndKey) {
  struct Case {
    const char* name;
    std::string yaml;
    std::string want;  // after "<file>:"
  } cases[] = {
      {"typo", "reminders:\n  sned:\n    - hours_before: 1\n",
       "2: reminders.sned: unknown key (did you mean 'send'?)"},
      {"main-only section", "redis:\n  url: \"redis://elsewhere:6379/0\"\n",
       "1: redis: allowed only in the main config file, not in a group file (a group file may set reminders.send, "
       "reminders.quiet_hours, reminders.digest_hours_before, reminders.follow_up_hours_before, templates)"},
      {"main-only key", "reminders:\n  lookahead_days: 3\n",
       "2: reminders.lookahead_days: allowed only in the main config file, not in a group file"},
      {"twilio", "twilio:\n  from: \"+447700900001\"\n", "1: twilio: allowed only in the main config file"},
      {"http", "http:\n  listen: \"0.0.0.0:80\"\n", "1: http: allowed only in the main config file"},
      {"groups_dir", "groups_dir: \"/elsewhere\"\n", "1: groups_dir: allowed only in the main config file"},
      {"unknown top", "templats:\n  en: {}\n", "1: templats: unknown key (did you mean 'templates'?)"},
      {"bad template", "templates:\n  en:\n    reminder: \"Hi {nmae}\"\n", "3: templates.en.reminder: "},
      {"alert text", "templates:\n  en:\n    concern_alert: \"{phone}\"\n",
       "3: templates.en.concern_alert: allowed only in the main config file, not in a group file: it goes to the "
       "safeguarding contacts"},
      {"bad send", "reminders:\n  send: []\n", "2: reminders.send: expected a non-empty list"},
      {"syntax", "reminders: [\n", "2: YAML syntax error"},
  };
  auto main = Config::Parse(kMain, "checkin.yaml", Config::SecretSource{}, false);
  ASSERT_OK(main);
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto g = main->WithGroupFile(c.yaml, "walk.yaml");
    ASSERT_FALSE(g.ok());
    EXPECT_NE(g.status().message().find("walk.yaml:" + c.want), std::string::npos) << g.status().message();
  }
}

TEST_F(GroupFiles, ABrokenFileFailsTheWholeLoadNamingItsFileAndLine) {
  Write("groups.d/a-good.yaml", "templates:\n  en:\n    reminder: \"A: {name}\"\n");
  Write("groups.d/walk.yaml", "templates:\n  en:\n    remindr: \"Walk: {name}\"\n");
  auto c = LoadMain();
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find(dir_ + "/groups.d/walk.yaml:3: templates.en.remindr: unknown template kind "
                                              "(did you mean 'reminder'?)"),
            std::string::npos)
      << c.status().message();
}

TEST_F(GroupFiles, OnlyYamlFilesAreGroupFilesAndAYmlOneIsRefused) {
  Write("groups.d/walk.yaml~", "not: read\n");
  Write("groups.d/.walk.yaml.swp", "not: read\n");
  Write("groups.d/README", "not read either\n");
  auto c = LoadMain();
  ASSERT_OK(c);
  EXPECT_TRUE(c->groups.empty());
  Write("groups.d/walk.yml", "templates: {}\n");
  auto refused = LoadMain();
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("walk.yml: (file): group files are named <group_id>.yaml; rename it "
                                            "\"walk.yaml\""),
            std::string::npos)
      << refused.status().message();
}

TEST_F(GroupFiles, AnEmptyFileChangesNothing) {
  Write("groups.d/walk.yaml", "# nothing of its own yet\n");
  auto c = LoadMain();
  ASSERT_OK(c);
  EXPECT_EQ(c->ForGroup("walk").Template("en", TemplateKind::kReminder), "Main: {name}");
}

TEST(GroupFileExample, TheShippedExampleLoadsOverTheShippedMainFile) {
  const std::string source = CHECKIN_SOURCE_DIR;
  auto main = Config::Load(source + "/config/checkin.yaml", Config::SecretSource{}, /*resolve_secrets=*/false);
  ASSERT_OK(main);
  std::ifstream in(source + "/config/groups.d/example-buggy-walk.yaml");
  ASSERT_TRUE(in) << "config/groups.d/example-buggy-walk.yaml";
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto walk = main->WithGroupFile(text, "example-buggy-walk.yaml");
  ASSERT_OK(walk);
  EXPECT_NE(walk->Template("en", TemplateKind::kReminder), main->Template("en", TemplateKind::kReminder));
  EXPECT_NE(FindConfigKey("reminders.send")->get(*walk), FindConfigKey("reminders.send")->get(*main));
}

}  // namespace
}  // namespace checkin
