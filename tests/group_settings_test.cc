// Group files end to end: two groups in one Redis, one with a group file
// (groups_dir/<group_id>.yaml) that changes its reminder text and send
// time. A real redis-server, the Twilio stand-in and a ManualClock: each
// member gets her group's text at her group's time, the other group is
// unchanged, and a changed group file re-plans that group only. The real
// binary's SIGHUP with a broken group file is in tests/service/service_test.cc.
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "daemon_fixture.h"

namespace checkin {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

constexpr char kAmy[] = "+447700900101";  // baby massage: no group file
constexpr char kBea[] = "+447700900102";  // buggy walk: its own file
constexpr char kStarts[] = "2026-12-02T12:00:00Z";  // both sessions; London is on UTC

class GroupSettings : public DaemonFixture {
 protected:
  void SetUp() override {
    DaemonFixture::SetUp();
    char tmpl[] = "/tmp/checkin-group-settings-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    std::filesystem::create_directory(dir_ + "/groups.d");
    AddGroup("massage", {{"amy", kAmy}});
    AddGroup("walk", {{"bea", kBea}});
    AddSession("s-massage", "massage", kStarts);
    AddSession("s-walk", "walk", kStarts);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void WriteGroupFile(const std::string& group, const std::string& yaml) const {
    std::ofstream(dir_ + "/groups.d/" + group + ".yaml", std::ios::trunc) << yaml;
  }

  // The main file (day before at 18:00 and 2 hours before, its own
  // reminder) with groups_dir "groups.d" beside it, loaded as checkind
  // loads it (Config::Load: main file and group files).
  std::shared_ptr<const Config> Load() {
    const std::string path = dir_ + "/checkin.yaml";
    std::ofstream(path, std::ios::trunc) << Yaml() << "groups_dir: \"groups.d\"\n"
                                         << "templates:\n  en:\n    reminder: \"Massage {time}, {name}\"\n";
    Config::SecretSource secrets;
    secrets.getenv = [token = standin_.auth_token()](const std::string& name) -> std::optional<std::string> {
      return name == "TWILIO_AUTH_TOKEN" ? std::optional<std::string>(token) : std::nullopt;
    };
    auto c = Config::Load(path, secrets);
    EXPECT_OK(c);
    return c.ok() ? std::make_shared<const Config>(std::move(*c)) : nullptr;
  }

  // Bodies texted to `phone`, in order.
  std::vector<std::string> BodiesTo(const std::string& phone) const {
    std::vector<std::string> out;
    for (const auto& m : standin_.Messages()) {
      if (m.to == phone) out.push_back(m.body);
    }
    return out;
  }

  // Moves the clock to `at` and runs one tick (plan, then send what is due).
  TickStats TickAt(const std::string& at) {
    clock_->Set(T(at));
    return daemon_->scheduler().Tick();
  }

  std::string dir_;
  std::unique_ptr<Daemon> daemon_;
};

TEST_F(GroupSettings, EachMemberGetsHerGroupsTextAtHerGroupsTime) {
  WriteGroupFile("walk", "reminders:\n  send:\n    - hours_before: 1\n"
                         "templates:\n  en:\n    reminder: \"Walk {time} if dry, {name}\"\n");
  daemon_ = StartDaemon("groups", Load());
  ASSERT_NE(daemon_, nullptr);
  using Bodies = std::vector<std::string>;

  TickAt("2026-12-01T06:00:00Z");
  EXPECT_TRUE(standin_.Messages().empty());
  // The main file's day-before text: massage only.
  TickAt("2026-12-01T18:00:00Z");
  EXPECT_EQ(BodiesTo(kAmy), Bodies{"Massage 12:00, Mum amy"});
  EXPECT_EQ(BodiesTo(kBea), Bodies{}) << "the walk's file replaces the send list";
  // Two hours before: massage again; the walk still waits.
  TickAt("2026-12-02T10:00:00Z");
  EXPECT_EQ(BodiesTo(kAmy), (Bodies{"Massage 12:00, Mum amy", "Massage 12:00, Mum amy"}));
  EXPECT_EQ(BodiesTo(kBea), Bodies{});
  // One hour before: the walk's own text, once.
  TickAt("2026-12-02T11:00:00Z");
  EXPECT_EQ(BodiesTo(kBea), Bodies{"Walk 12:00 if dry, Mum bea"});
  EXPECT_EQ(BodiesTo(kAmy).size(), 2u);
  EXPECT_EQ(JobState(*daemon_, "s-walk", "bea", kStarts, "2026-12-02T11:00:00Z"), "sent");
  EXPECT_EQ(JobState(*daemon_, "s-walk", "bea", kStarts, "2026-12-01T18:00:00Z"), "(none)");
  TickAt("2026-12-02T11:30:00Z");
  EXPECT_EQ(standin_.Messages().size(), 3u) << "nothing twice";
}

TEST_F(GroupSettings, AnAnswerIsInHerGroupsWordsAndTheOtherGroupKeepsTheMainFiles) {
  WriteGroupFile("walk", "reminders:\n  send:\n    - hours_before: 1\n"
                         "templates:\n  en:\n    reply_yes: \"Grand, {name}, bring a raincoat\"\n");
  daemon_ = StartDaemon("groups", Load());
  ASSERT_NE(daemon_, nullptr);
  TickAt("2026-12-02T11:00:00Z");  // both reminded (massage: the 10:00 text, overdue)
  ASSERT_EQ(BodiesTo(kBea).size(), 1u);
  ASSERT_EQ(BodiesTo(kAmy).size(), 1u);
  auto bea = daemon_->replies().HandleSms(daemon_->config(), {"SM" + std::string(32, '1'), kBea, "+447700900000", "yes"});
  auto amy = daemon_->replies().HandleSms(daemon_->config(), {"SM" + std::string(32, '2'), kAmy, "+447700900000", "yes"});
  ASSERT_OK(bea);
  ASSERT_OK(amy);
  EXPECT_NE(bea->twiml.find("Grand, Mum bea, bring a raincoat"), std::string::npos) << bea->twiml;
  EXPECT_NE(amy->twiml.find("Lovely, thanks Mum amy!"), std::string::npos) << amy->twiml;
}

TEST_F(GroupSettings, AChangedGroupFileReplansThatGroupOnly) {
  daemon_ = StartDaemon("groups", Load());
  ASSERT_NE(daemon_, nullptr);
  const TickStats first = TickAt("2026-12-01T06:00:00Z");
  ASSERT_TRUE(first.plan);
  EXPECT_EQ(first.plan->created, 4) << "two send times for each of the two members";

  // The walk's coordinator moves her texts to 3 hours before; SIGHUP.
  WriteGroupFile("walk", "reminders:\n  send:\n    - hours_before: 3\n");
  auto reloaded = Load();
  ASSERT_NE(reloaded, nullptr);
  daemon_->SetConfig(reloaded);
  const TickStats second = TickAt("2026-12-01T06:01:00Z");
  ASSERT_TRUE(second.plan);
  EXPECT_EQ(second.plan->created, 1) << "only bea's new 09:00 text; nothing new for the massage group";
  EXPECT_EQ(JobState(*daemon_, "s-walk", "bea", kStarts, "2026-12-02T09:00:00Z"), "pending");
  // As with a changed main file (docs/planning.md section 4), texts already
  // planned at the old times stay planned.
  EXPECT_EQ(JobState(*daemon_, "s-massage", "amy", kStarts, "2026-12-02T10:00:00Z"), "pending");
}

}  // namespace
}  // namespace checkin
