// `checkinctl import`: CSV rows checked and written as schema v1 records,
// against a real redis-server (a key prefix per test).
#include "ctl/ctl_import.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "redis_server.h"
#include "test_util.h"

namespace checkin {
namespace {

using Hash = std::map<std::string, std::string>;

class ImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    redis_ = testing::RedisServer::Shared();
    p_ = testing::TestKeyPrefix();
    auto config = Config::Parse("region: GB\nredis:\n  url: \"" + redis_->Url() + "\"\n  prefix: \"" + p_ +
                                    "\"\ntwilio:\n  account_sid: \"AC00000000000000000000000000000000\"\n"
                                    "  from: \"+447700900000\"\nreminders:\n  timezone: Europe/London\n",
                                "test.yaml", Config::SecretSource::Process(), /*resolve_secrets=*/false);
    ASSERT_OK(config);
    config_ = std::make_unique<Config>(std::move(*config));
    RedisStoreOptions o;
    o.redis.url = redis_->Url();
    o.prefix = p_;
    auto store = RedisStore::Create(o);
    ASSERT_OK(store);
    store_ = std::move(*store);
    importer_ = std::make_unique<Importer>(*store_, *config_);
  }

  void Cli(const std::vector<std::string>& args) { redis_->Cli(args); }
  Hash HashAt(const std::string& key) {
    auto r = store_->client().Command({"HGETALL", p_ + key});
    EXPECT_OK(r);
    return r.ok() ? PairsToMap(*r) : Hash{};
  }
  static std::vector<std::string> Sorted(std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
  }

  std::vector<std::string> SetAt(const std::string& key) {
    auto r = store_->client().Command({"SMEMBERS", p_ + key});
    std::vector<std::string> out;
    if (r.ok()) {
      for (const auto& e : r->elements) out.push_back(e.str);
    }
    std::sort(out.begin(), out.end());
    return out;
  }
  // Every key under this test's prefix, without the prefix.
  std::vector<std::string> Keys() {
    auto r = store_->client().Command({"KEYS", p_ + "*"});  // test only: a handful of keys
    std::vector<std::string> out;
    if (r.ok()) {
      for (const auto& e : r->elements) out.push_back(e.str.substr(p_.size()));
    }
    std::sort(out.begin(), out.end());
    return out;
  }
  void AddGroup(const std::string& id, const std::string& timezone = "Europe/London") {
    Cli({"HSET", p_ + "group:" + id, "name", "Baby massage", "venue", "Walkerburn hall", "timezone", timezone});
  }
  ImportOptions File(const std::string& label, bool dry_run = false) { return ImportOptions{label, dry_run}; }

  testing::RedisServer* redis_ = nullptr;
  std::string p_;
  std::unique_ptr<Config> config_;
  std::unique_ptr<RedisStore> store_;
  std::unique_ptr<Importer> importer_;
};

// --- members ---

TEST_F(ImportTest, MembersWritesHashesAndTheGroupSet) {
  AddGroup("bm");
  const std::string csv =
      "\xEF\xBB\xBFphone,Name,language,channel\r\n"  // columns in any order, a BOM, CRLF
      "07700 900123,Amy,en,sms\r\n"
      "\"+44 7700 900456\",\"Bea, Jr\",PL,WhatsApp\r\n"
      "07700900789,Cat,,\r\n"
      "\r\n";
  auto report = importer_->Members(csv, "bm", File("members.csv"));
  ASSERT_OK(report);
  ASSERT_TRUE(report->errors.empty()) << report->errors.front();
  EXPECT_EQ(report->Summary(), "3 members imported into bm (3 new, 0 updated)");

  EXPECT_EQ(HashAt("member:" + MemberIdForPhone("+447700900123")),
            (Hash{{"name", "Amy"}, {"phone", "+447700900123"}, {"language", "en"}, {"channel", "sms"}}));
  EXPECT_EQ(HashAt("member:" + MemberIdForPhone("+447700900456")),
            (Hash{{"name", "Bea, Jr"}, {"phone", "+447700900456"}, {"language", "pl"}, {"channel", "whatsapp"}}));
  EXPECT_EQ(HashAt("member:" + MemberIdForPhone("+447700900789")), (Hash{{"name", "Cat"}, {"phone", "+447700900789"}}));
  EXPECT_EQ(SetAt("group:bm:members"),
            Sorted({MemberIdForPhone("+447700900123"), MemberIdForPhone("+447700900456"),
                    MemberIdForPhone("+447700900789")}));
  EXPECT_EQ(Keys(), Sorted({"group:bm", "group:bm:members", "member:" + MemberIdForPhone("+447700900123"),
                            "member:" + MemberIdForPhone("+447700900456"), "member:" + MemberIdForPhone("+447700900789")}));
}

TEST_F(ImportTest, MembersWithThreeBadRowsWritesNothingAndListsThem) {
  AddGroup("bm");
  const std::string csv =
      "name,phone,language,channel\n"
      "Amy,07700900123,en,sms\n"
      "Bea,0770090,en,sms\n"          // line 3: bad phone
      "Cat,07700900789,en,sms\n"
      "Dee,07700900321,english,sms\n"  // line 5: bad language
      "Eve,07700900654,en,pigeon\n"    // line 6: bad channel
      "Fay,07700900987,en,sms\n";
  auto report = importer_->Members(csv, "bm", File("members.csv"));
  ASSERT_OK(report);
  EXPECT_EQ(report->errors, (std::vector<std::string>{
                                "members.csv:3: phone \"0770090\" is not a valid number for GB",
                                "members.csv:5: language \"english\" is not a language code such as en, pl, ur, pt-BR",
                                "members.csv:6: channel \"pigeon\" is not one of sms, whatsapp, voice",
                            }));
  EXPECT_EQ(Keys(), std::vector<std::string>{"group:bm"}) << "nothing written";
  for (const auto& e : report->errors) {
    for (const char* good : {"900123", "900789", "900987"}) {
      EXPECT_EQ(e.find(good), std::string::npos) << "a good row's number printed: " << e;
    }
  }
}

TEST_F(ImportTest, MembersReimportUpdatesInsteadOfDuplicating) {
  AddGroup("bm");
  AddGroup("walks");
  const std::string csv = "name,phone\nAmy,07700900123\nBea,+447700900456\n";
  ASSERT_OK(importer_->Members(csv, "bm", File("m.csv")));
  Cli({"HSET", p_ + "member:" + MemberIdForPhone("+447700900123"), "opted_out", "1"});  // she texted STOP meanwhile
  const auto keys_before = Keys();

  auto again = importer_->Members("name,phone\nAmy,+44 7700 900123\nBea,07700900456\n", "bm", File("m.csv"));
  ASSERT_OK(again);
  ASSERT_TRUE(again->ok());
  EXPECT_EQ(again->Summary(), "2 members imported into bm (0 new, 2 updated)");
  EXPECT_EQ(Keys(), keys_before);
  EXPECT_EQ(HashAt("member:" + MemberIdForPhone("+447700900123")), (Hash{{"name", "Amy"}, {"phone", "+447700900123"}, {"opted_out", "1"}}))
      << "a re-import never undoes STOP";

  // Amy also joins the walks: same member, now in both groups.
  auto walks = importer_->Members("name,phone\nAmy,07700900123\n", "walks", File("w.csv"));
  ASSERT_OK(walks);
  EXPECT_EQ(walks->Summary(), "1 member imported into walks (0 new, 1 updated)");
  EXPECT_EQ(SetAt("group:walks:members"), std::vector<std::string>{MemberIdForPhone("+447700900123")});
  EXPECT_EQ(SetAt("group:bm:members"), Sorted({MemberIdForPhone("+447700900123"), MemberIdForPhone("+447700900456")}));
}

TEST_F(ImportTest, MembersEmptyOptionalCellClearsTheField) {
  AddGroup("bm");
  ASSERT_OK(importer_->Members("name,phone,language\nAmy,07700900123,pl\n", "bm", File("m.csv")));
  ASSERT_OK(importer_->Members("name,phone,language\nAmy,07700900123,\n", "bm", File("m.csv")));
  EXPECT_EQ(HashAt("member:" + MemberIdForPhone("+447700900123")), (Hash{{"name", "Amy"}, {"phone", "+447700900123"}}));
}

TEST_F(ImportTest, MembersIntoUnknownGroupIsRefused) {
  auto report = importer_->Members("name,phone\nAmy,07700900123\n", "nope", File("m.csv"));
  ASSERT_OK(report);
  ASSERT_EQ(report->errors.size(), 1u);
  EXPECT_NE(report->errors[0].find("group \"nope\" does not exist"), std::string::npos) << report->errors[0];
  EXPECT_TRUE(Keys().empty());
}

TEST_F(ImportTest, MembersSamePhoneTwiceIsRefused) {
  AddGroup("bm");
  auto report = importer_->Members("name,phone\nAmy,07700900123\nAnn,+447700900123\n", "bm", File("m.csv"));
  ASSERT_OK(report);
  EXPECT_EQ(report->errors,
            std::vector<std::string>{"m.csv:3: same phone number as line 2 (one member per number)"});
}

TEST_F(ImportTest, DryRunChecksAndWritesNothing) {
  AddGroup("bm");
  auto report = importer_->Members("name,phone\nAmy,07700900123\n", "bm", File("m.csv", /*dry_run=*/true));
  ASSERT_OK(report);
  EXPECT_EQ(report->Summary(), "1 member checked for bm (1 new, 0 updated); nothing written (--dry-run)");
  EXPECT_EQ(Keys(), std::vector<std::string>{"group:bm"});
}

TEST_F(ImportTest, HeaderAndShapeProblemsAreNamed) {
  AddGroup("bm");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "m.csv: the file is empty"},
      {"name,phone\n", "m.csv: no rows below the header"},
      {"name,phon\nAmy,07700900123\n", "m.csv:1: unknown column \"phon\" (did you mean phone?)"},
      {"name\nAmy\n", "m.csv:1: missing column \"phone\""},
      {"name,phone,name\nA,07700900123,B\n", "m.csv:1: column \"name\" appears twice"},
      {"name,phone\nAmy,07700 900123,x\n", "m.csv:2: 3 values, but the header has 2 columns"},
      {"name,phone\nAmy\n", "m.csv:2: 1 values, but the header has 2 columns"},
      {"name,phone\n\"Amy,07700900123\n", "m.csv: line 2: a quoted field is never closed"},
      {"name,phone\nZo\xBF,07700900123\n", "m.csv:2: not UTF-8 text"},
      {"name,phone\n,07700900123\n", "m.csv:2: name is empty"},
  };
  for (const auto& [csv, want] : cases) {
    auto report = importer_->Members(csv, "bm", File("m.csv"));
    ASSERT_OK(report);
    ASSERT_EQ(report->errors.size(), 1u) << csv << "\nfirst: " << (report->errors.empty() ? "" : report->errors[0]);
    EXPECT_EQ(report->errors[0].rfind(want, 0), 0u) << "input: " << csv << "\ngot: " << report->errors[0];
  }
  EXPECT_EQ(Keys(), std::vector<std::string>{"group:bm"});
}

TEST_F(ImportTest, KeyOfTheWrongTypeStopsTheImportBeforeAnyWrite) {
  AddGroup("bm");
  Cli({"SET", p_ + "member:" + MemberIdForPhone("+447700900456"), "not a hash"});
  auto report = importer_->Members("name,phone\nAmy,07700900123\nBea,07700900456\n", "bm", File("m.csv"));
  ASSERT_OK(report);
  ASSERT_EQ(report->errors.size(), 1u);
  EXPECT_NE(report->errors[0].find("(+44******0456) is a string, not a hash"), std::string::npos)
      << report->errors[0];
  EXPECT_EQ(HashAt("member:" + MemberIdForPhone("+447700900123")), Hash{}) << "Amy was not written either";
}

TEST_F(ImportTest, RedisDownIsAnErrorNotAReport) {
  RedisStoreOptions o;
  o.redis.url = "redis://127.0.0.1:" + std::to_string(testing::FreeLoopbackPort()) + "/0";
  o.redis.timeout = std::chrono::milliseconds(300);
  o.prefix = p_;
  auto down = RedisStore::Create(o);
  ASSERT_OK(down);
  Importer importer(**down, *config_);
  auto report = importer.Members("name,phone\nAmy,07700900123\n", "bm", File("m.csv"));
  ASSERT_FALSE(report.ok());
  EXPECT_TRUE(report.status().IsUnavailable()) << report.status().ToString();
}

// --- sessions ---

TEST_F(ImportTest, SessionsWritesHashScoreAndStatus) {
  AddGroup("bm");
  const std::string csv =
      "group,starts_at,title,venue\n"
      "bm,2026-12-01 10:00,,\n"                           // local, GMT
      "bm,2026-07-01T10:00,Summer massage,The park\n"     // local, BST
      "bm,2026-12-08T10:00:00Z,Christmas special,\n";     // RFC 3339
  auto report = importer_->Sessions(csv, File("sessions.csv"));
  ASSERT_OK(report);
  ASSERT_TRUE(report->ok()) << report->errors.front();
  EXPECT_EQ(report->Summary(), "3 sessions imported (3 new, 0 updated)");

  EXPECT_EQ(HashAt("session:bm-20261201T1000"),
            (Hash{{"group", "bm"}, {"starts_at", "2026-12-01T10:00:00+00:00"}, {"status", "scheduled"}}));
  EXPECT_EQ(HashAt("session:bm-20260701T1000"),
            (Hash{{"group", "bm"}, {"starts_at", "2026-07-01T10:00:00+01:00"}, {"title", "Summer massage"},
                  {"venue", "The park"}, {"status", "scheduled"}}));
  EXPECT_EQ(HashAt("session:bm-20261208T1000"),
            (Hash{{"group", "bm"}, {"starts_at", "2026-12-08T10:00:00+00:00"}, {"title", "Christmas special"},
                  {"status", "scheduled"}}));
  auto scores = store_->client().Command({"ZRANGE", p_ + "sessions", "0", "-1", "WITHSCORES"});
  ASSERT_OK(scores);
  std::vector<std::string> flat;
  for (const auto& e : scores->elements) flat.push_back(e.str);
  EXPECT_EQ(flat, (std::vector<std::string>{"bm-20260701T1000", "1782896400", "bm-20261201T1000", "1796119200",
                                            "bm-20261208T1000", "1796724000"}));
}

TEST_F(ImportTest, SessionsInTheGroupsOwnZone) {
  AddGroup("ny", "America/New_York");
  auto report = importer_->Sessions("group,starts_at\nny,2026-12-01 10:00\n", File("s.csv"));
  ASSERT_OK(report);
  ASSERT_TRUE(report->ok()) << report->errors.front();
  EXPECT_EQ(HashAt("session:ny-20261201T1000")["starts_at"], "2026-12-01T10:00:00-05:00");
  EXPECT_EQ(redis_->Cli({"ZSCORE", p_ + "sessions", "ny-20261201T1000"}), "1796137200");
}

TEST_F(ImportTest, SessionsReimportKeepsACancelledSessionCancelled) {
  AddGroup("bm");
  const std::string csv = "group,starts_at,title\nbm,2026-12-01 10:00,Massage\n";
  ASSERT_OK(importer_->Sessions(csv, File("s.csv")));
  Cli({"HSET", p_ + "session:bm-20261201T1000", "status", "cancelled"});
  auto again = importer_->Sessions(csv, File("s.csv"));
  ASSERT_OK(again);
  EXPECT_EQ(again->Summary(), "1 session imported (0 new, 1 updated)");
  EXPECT_EQ(HashAt("session:bm-20261201T1000")["status"], "cancelled");
  EXPECT_EQ(Keys(), (std::vector<std::string>{"group:bm", "session:bm-20261201T1000", "sessions"}));
}

TEST_F(ImportTest, SessionsBadRowsWriteNothing) {
  AddGroup("bm");
  const std::string csv =
      "group,starts_at\n"
      "bm,2026-12-01 10:00\n"
      "nope,2026-12-01 10:00\n"          // 3: unknown group
      "bm,2026-03-29 01:30\n"            // 4: no such local time (clocks go forward)
      "bm,2026-10-25 01:30\n"            // 5: twice (clocks go back)
      "bm,1 December\n"                  // 6: not a time
      "bm,2026-12-01T10:00:00+00:00\n";  // 7: same as line 2
  auto report = importer_->Sessions(csv, File("s.csv"));
  ASSERT_OK(report);
  EXPECT_EQ(report->errors,
            (std::vector<std::string>{
                "s.csv:3: group \"nope\" does not exist (add it first: checkinctl import groups FILE.csv)",
                "s.csv:4: starts_at \"2026-03-29 01:30\" does not exist in Europe/London (the clocks go forward then)",
                "s.csv:5: starts_at \"2026-10-25 01:30\" happens twice in Europe/London (the clocks go back then): "
                "write it with its offset, e.g. 2026-10-25T01:30:00+01:00",
                "s.csv:6: starts_at \"1 December\" is not a time: write 2026-12-01 10:00 (the group's local time) or "
                "2026-12-01T10:00:00+00:00",
                "s.csv:7: same group and start as line 2",
            }));
  EXPECT_EQ(Keys(), std::vector<std::string>{"group:bm"});
}

// Times cut short or with letters for seconds are refused, never half-read
// (date::parse read an uninitialised value there; UBSan, issue 13 fuzzing).
TEST_F(ImportTest, SessionsTimesWithoutTheirFullShapeAreRefused) {
  AddGroup("bm");
  const std::string csv =
      "group,starts_at\n"
      "bm,2026-12-01 10:00:xx\n"
      "bm,2026-12-01 10:0\n"
      "bm,2026-12-01T10:00+00:00\n"
      "bm,2026-12-01 10:00:30\n";
  auto report = importer_->Sessions(csv, File("s.csv"));
  ASSERT_OK(report);
  ASSERT_EQ(report->errors.size(), 3u) << ::testing::PrintToString(report->errors);
  EXPECT_NE(report->errors[0].find("s.csv:2: starts_at \"2026-12-01 10:00:xx\" is not a time"), std::string::npos);
  EXPECT_NE(report->errors[1].find("s.csv:3: starts_at \"2026-12-01 10:0\" is not a time"), std::string::npos);
  EXPECT_NE(report->errors[2].find("s.csv:4: starts_at \"2026-12-01T10:00+00:00\" is not a time"),
            std::string::npos);
  EXPECT_EQ(Keys(), std::vector<std::string>{"group:bm"});
}

// --- groups ---

TEST_F(ImportTest, GroupsWritesHashesAndReimportUpdates) {
  const std::string csv =
      "id,name,venue,timezone,coordinator_phone\n"
      "bm,Baby massage,Walkerburn hall,Europe/London,07700900001\n"
      "walks,Buggy walk,\"The park, north gate\",,\n";
  auto report = importer_->Groups(csv, File("groups.csv"));
  ASSERT_OK(report);
  ASSERT_TRUE(report->ok()) << report->errors.front();
  EXPECT_EQ(report->Summary(), "2 groups imported (2 new, 0 updated)");
  EXPECT_EQ(HashAt("group:bm"), (Hash{{"name", "Baby massage"}, {"venue", "Walkerburn hall"},
                                      {"timezone", "Europe/London"}, {"coordinator_phone", "+447700900001"}}));
  EXPECT_EQ(HashAt("group:walks"), (Hash{{"name", "Buggy walk"}, {"venue", "The park, north gate"}}));

  auto again = importer_->Groups(csv, File("groups.csv"));
  ASSERT_OK(again);
  EXPECT_EQ(again->Summary(), "2 groups imported (0 new, 2 updated)");
  EXPECT_EQ(Keys(), (std::vector<std::string>{"group:bm", "group:walks"}));
}

TEST_F(ImportTest, GroupsBadRowsWriteNothing) {
  const std::string csv =
      "id,name,venue,timezone,coordinator_phone\n"
      "bm,Baby massage,Walkerburn hall,Europe/London,\n"
      "bad id,Walks,Park,,\n"
      "walks,Walks,Park,Europe/Londres,\n"
      "tots,Tots,Hall,,12345\n"
      "bm,Again,Hall,,\n";
  auto report = importer_->Groups(csv, File("g.csv"));
  ASSERT_OK(report);
  EXPECT_EQ(report->errors,
            (std::vector<std::string>{
                "g.csv:3: id \"bad id\" may only have letters, digits, - _ and . (64 at most)",
                "g.csv:4: timezone \"Europe/Londres\" is not an IANA zone such as Europe/London",
                "g.csv:5: coordinator_phone \"12345\" is not a valid number for GB",
                "g.csv:6: id \"bm\" is also on line 2",
            }));
  EXPECT_TRUE(Keys().empty());
}

TEST(MemberId, IsStableAndDoesNotShowTheNumber) {
  const std::string amy = MemberIdForPhone("+447700900123");
  EXPECT_EQ(amy, MemberIdForPhone("+447700900123")) << "a re-import finds the same member";
  EXPECT_NE(amy, MemberIdForPhone("+447700900124"));
  ASSERT_EQ(amy.size(), 18u);
  EXPECT_EQ(amy.rfind("m-", 0), 0u);
  EXPECT_EQ(amy.find_first_not_of("0123456789abcdef", 2), std::string::npos) << amy;
  EXPECT_EQ(amy.find("900123"), std::string::npos) << amy;
}

}  // namespace
}  // namespace checkin
