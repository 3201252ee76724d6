// checkinctl for coordinators: the reports, cancel and preview in-process
// with a fixed "now", then the real binary (exit codes, --help, --json,
// Redis down) against the real redis-server with a temporary config file.
#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "ctl/ctl_attended.h"
#include "ctl/ctl_cancel.h"
#include "ctl/ctl_import.h"
#include "ctl/ctl_context.h"
#include "ctl/ctl_preview.h"
#include "ctl/ctl_reports.h"
#include <algorithm>

#include "daemon_fixture.h"
#include "store/reply_store.h"
#include "text/segments.h"

namespace checkin {
namespace {

using nlohmann::json;

class CtlTest : public DaemonFixture {
 protected:
  void SetUp() override {
    DaemonFixture::SetUp();
    config_ = MakeConfig(Yaml());
    store_ = OpenStore();
    ASSERT_TRUE(store_);
    replies_ = std::make_unique<RedisReplyStore>(*store_);
    AddGroup("g", {{"amy", "07700 900123"},
                   {"bea", "+447700900456"},
                   {"cat", "07700900789"},
                   {"dee", "07700900321"},
                   {"eve", "07700900654"}});
    Cli({"HSET", p_ + "member:eve", "opted_out", "1"});
    AddSession("s1", "g", "2026-12-01T10:00:00+00:00");
    Cli({"HSET", p_ + "session:s1:rsvp", "amy", "yes", "bea", "no", "cat", "maybe"});
  }

  std::unique_ptr<CtlContext> Ctx(const std::string& now, std::shared_ptr<const Config> config = nullptr) {
    if (config) config_ = config;
    return std::make_unique<CtlContext>(*store_, *replies_, *config_, T(now), log_.logger);
  }
  void AddSchedule(const std::string& id, const std::string& dtstart) {
    Cli({"HSET", p_ + "schedule:" + id, "group", "g", "rrule", "FREQ=WEEKLY;BYDAY=TU", "dtstart", dtstart, "timezone",
         "Europe/London"});
    Cli({"SADD", p_ + "schedules", id});
  }

  std::shared_ptr<const Config> config_;
  std::unique_ptr<RedisStore> store_;
  std::unique_ptr<RedisReplyStore> replies_;
};

// --- sessions, session, inbox ---

TEST_F(CtlTest, SessionsListsHeadcountsAndMarksCancelled) {
  AddSession("s2", "g", "2026-12-03T10:00:00+00:00");
  Cli({"HSET", p_ + "session:s2", "status", "cancelled", "title", "Christmas party"});
  AddSession("later", "g", "2026-12-20T10:00:00+00:00");  // beyond 8 days
  auto ctx = Ctx("2026-11-30T12:00:00Z");
  std::ostringstream out;
  ASSERT_OK(ReportSessions(*ctx, 8, false, out));
  EXPECT_EQ(out.str(),
            "Tue 1 Dec 10:00  Baby massage, Walkerburn hall     1 coming, 1 maybe, 1 not coming, 1 no answer  [s1]\n"
            "Thu 3 Dec 10:00  Christmas party, Walkerburn hall  CANCELLED  [s2]\n");

  std::ostringstream js;
  ASSERT_OK(ReportSessions(*ctx, 8, true, js));
  const json j = json::parse(js.str());
  ASSERT_EQ(j.size(), 2u);
  EXPECT_EQ(j[0], json({{"id", "s1"}, {"group", "g"}, {"title", "Baby massage"}, {"venue", "Walkerburn hall"},
                        {"starts_at", "2026-12-01T10:00:00+00:00"}, {"status", "scheduled"}, {"coming", 1},
                        {"maybe", 1}, {"not_coming", 1}, {"no_answer", 1}}));
  EXPECT_EQ(j[1]["status"], "cancelled");

  std::ostringstream none;
  ASSERT_OK(ReportSessions(*Ctx("2026-12-10T12:00:00Z"), 2, false, none));
  EXPECT_EQ(none.str(), "No sessions in the next 2 days.\n");
}

TEST_F(CtlTest, SessionShowsWhoSaidWhatWithMaskedPhones) {
  auto ctx = Ctx("2026-11-30T12:00:00Z");
  std::ostringstream out;
  ASSERT_OK(ReportSession(*ctx, "s1", false, out));
  EXPECT_EQ(out.str(),
            "Tue 1 Dec 10:00  Baby massage, Walkerburn hall (group g)\n"
            "1 coming, 1 maybe, 1 not coming, 1 no answer\n"
            "  Mum amy  +44******0123  coming\n"
            "  Mum bea  +44******0456  not coming\n"
            "  Mum cat  +44******0789  maybe\n"
            "  Mum dee  +44******0321  no answer\n"
            "  Mum eve  +44******0654  opted out\n");

  std::ostringstream js;
  ASSERT_OK(ReportSession(*ctx, "s1", true, js));
  const json j = json::parse(js.str());
  EXPECT_EQ(j["coming"], 1);
  ASSERT_EQ(j["members"].size(), 5u);
  EXPECT_EQ(j["members"][0], json({{"id", "amy"}, {"name", "Mum amy"}, {"phone", "+447700900123"}, {"answer", "yes"}}));
  EXPECT_EQ(j["members"][3]["answer"], "none");
  EXPECT_EQ(j["members"][4]["answer"], "opted_out");

  std::ostringstream missing;
  Status s = ReportSession(*ctx, "nope", false, missing);
  EXPECT_TRUE(s.IsNotFound()) << s.ToString();
  EXPECT_EQ(s.message(), "no session nope (checkinctl sessions lists the upcoming ones)");
}

// Issue 13: keys of the wrong type are reported (once, by key) and left
// out; the report goes on with everyone else.
TEST_F(CtlTest, WrongTypeKeysAreReportedOnceAndTheReportGoesOn) {
  Cli({"DEL", p_ + "member:dee", p_ + "session:s1:rsvp"});
  Cli({"SET", p_ + "member:dee", "Dee"});
  Cli({"SET", p_ + "session:s1:rsvp", "amy=yes"});
  Cli({"SET", p_ + "schedules", "weekly"});
  Cli({"SET", p_ + "inbox", "not a stream"});
  auto ctx = Ctx("2026-11-30T12:00:00Z");
  std::ostringstream sessions, session;
  ASSERT_OK(ReportSessions(*ctx, 8, false, sessions));
  EXPECT_EQ(sessions.str(),
            "Tue 1 Dec 10:00  Baby massage, Walkerburn hall  0 coming, 0 maybe, 0 not coming, 3 no answer  [s1]\n"
            "  not read (wrong type, left out): " + p_ + "session:s1:rsvp, " + p_ + "member:dee\n");
  ASSERT_OK(ReportSession(*ctx, "s1", false, session));
  EXPECT_NE(session.str().find("  Mum cat  +44******0789  no answer\n"), std::string::npos) << session.str();
  EXPECT_EQ(session.str().find("Mum dee"), std::string::npos) << session.str();
  std::ostringstream js;
  ASSERT_OK(ReportSession(*ctx, "s1", true, js));
  EXPECT_EQ(json::parse(js.str())["unreadable"], json({p_ + "session:s1:rsvp", p_ + "member:dee"}));
  std::ostringstream inbox;
  Status s = ReportInbox(*ctx, 10, false, inbox);
  EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
  EXPECT_NE(s.message().find(p_ + "inbox holds a string, expected a stream"), std::string::npos) << s.ToString();
  const std::vector<std::string> warnings = log_.Lines(spdlog::level::warn);
  for (const std::string& key : {p_ + "member:dee", p_ + "session:s1:rsvp", p_ + "schedules"}) {
    const auto n = std::count_if(warnings.begin(), warnings.end(), [&](const std::string& line) {
      return line.find("skipping " + key + ": wrong type") != std::string::npos;
    });
    EXPECT_EQ(n, 1) << key << ":\n" << log_.Joined(spdlog::level::warn);
  }
}

TEST_F(CtlTest, InboxNewestFirstWithNamesOrMaskedNumbers) {
  ASSERT_OK(replies_->AppendInbox(
      {"", "amy", "g", "s1", "is there parking?", "+447700900123", "unclear", "2026-11-30T09:15:00Z"}));
  ASSERT_OK(replies_->AppendInbox(
      {"", "", "", "", "who's this?", "+447700900999", "unknown_sender", "2026-11-30T09:20:00Z"}));
  auto ctx = Ctx("2026-11-30T12:00:00Z");
  std::ostringstream out;
  ASSERT_OK(ReportInbox(*ctx, 20, false, out));
  EXPECT_EQ(out.str(),
            "Mon 30 Nov 09:20  +44******0999  (no session)  unknown_sender\n"
            "    \"who's this?\"\n"
            "Mon 30 Nov 09:15  Mum amy  session s1  unclear\n"
            "    \"is there parking?\"\n");

  std::ostringstream js;
  ASSERT_OK(ReportInbox(*ctx, 1, true, js));
  const json j = json::parse(js.str());
  ASSERT_EQ(j.size(), 1u);
  EXPECT_EQ(j[0]["from"], "+447700900999");
  EXPECT_EQ(j[0]["reason"], "unknown_sender");
  EXPECT_EQ(j[0]["body"], "who's this?");
}

// --- cancel ---

TEST_F(CtlTest, SessionsStartingBetweenIncludePastOnesAndOccurrences) {
  AddSchedule("tue", "2026-09-01T14:00");
  auto ctx = Ctx("2026-12-03T12:00:00Z");
  auto loaded = ctx->sessions.LoadStartingBetween(T("2026-11-24T14:00:00Z"), T("2026-12-01T14:00:00Z"));
  ASSERT_OK(loaded);
  std::vector<std::string> ids;
  for (const auto& ps : *loaded) ids.push_back(ps.session.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"s1", "tue@20261201T1400"})) << "(after, until]: 24 Nov is out, 1 Dec in";
  EXPECT_EQ(loaded->front().member_ids.size(), 4u) << "all but Eve, who opted out";
}

// --- attended (the register by hand) ---

TEST_F(CtlTest, AttendedMarksAndRemovesMembersWithTheRetention) {
  auto ctx = Ctx("2026-12-01T12:00:00Z");
  std::ostringstream out;
  ASSERT_OK(MarkRegister(*ctx, "s1", {"amy", "cat"}, /*remove=*/false, out));
  EXPECT_EQ(redis_->Cli({"SCARD", p_ + "session:s1:attended"}), "2");
  EXPECT_EQ(redis_->Cli({"SISMEMBER", p_ + "session:s1:attended", "cat"}), "1");
  EXPECT_EQ(out.str(), "Marked as came: 2 of 2 changed, Baby massage, Tue 1 Dec 10:00, Walkerburn hall (group g)\n"
                       "Came: 2 (Mum amy and Mum cat)\n");
  // The register goes with the session's answers: its end plus the retention.
  auto ps = ctx->sessions.LoadSession("s1", T("2026-12-01T10:00:00Z"));
  ASSERT_OK(ps);
  const auto expire_at = (ps->session.ends_at + config_->retention).time_since_epoch().count();
  EXPECT_EQ(redis_->Cli({"EXPIRETIME", p_ + "session:s1:attended"}), std::to_string(expire_at));

  std::ostringstream again;
  ASSERT_OK(MarkRegister(*ctx, "s1", {"amy", "bea"}, false, again));
  EXPECT_EQ(again.str().rfind("Marked as came: 1 of 2 changed", 0), 0u) << again.str();
  std::ostringstream removed;
  ASSERT_OK(MarkRegister(*ctx, "s1", {"amy", "cat"}, /*remove=*/true, removed));
  EXPECT_EQ(redis_->Cli({"SMEMBERS", p_ + "session:s1:attended"}), "bea");
  EXPECT_NE(removed.str().find("Came: 1 (Mum bea)\n"), std::string::npos) << removed.str();
}

TEST_F(CtlTest, AttendedRefusesWithoutWritingAnything) {
  AddGroup("other", {{"zoe", "07700900999"}});
  std::ostringstream out;
  auto after = Ctx("2026-12-01T12:00:00Z");
  Status stranger = MarkRegister(*after, "s1", {"amy", "zoe"}, false, out);
  EXPECT_TRUE(stranger.IsInvalidArgument()) << stranger.ToString();
  EXPECT_NE(stranger.message().find("member zoe is not in group g"), std::string::npos) << stranger.ToString();
  EXPECT_TRUE(MarkRegister(*after, "nope", {"amy"}, false, out).IsNotFound());
  Status early = MarkRegister(*Ctx("2026-12-01T09:00:00Z"), "s1", {"amy"}, false, out);
  EXPECT_TRUE(early.IsInvalidArgument()) << early.ToString();
  Cli({"HSET", p_ + "session:s1", "status", "cancelled"});
  Status cancelled = MarkRegister(*after, "s1", {"amy"}, false, out);
  EXPECT_TRUE(cancelled.IsInvalidArgument()) << cancelled.ToString();
  EXPECT_EQ(redis_->Cli({"EXISTS", p_ + "session:s1:attended"}), "0");
}

TEST_F(CtlTest, AttendedOfTheWrongTypeIsNamed) {
  Cli({"SET", p_ + "session:s1:attended", "amy"});
  std::ostringstream out;
  Status s = MarkRegister(*Ctx("2026-12-01T12:00:00Z"), "s1", {"amy"}, false, out);
  EXPECT_EQ(WrongTypeKey(s), p_ + "session:s1:attended") << s.ToString();
}

TEST_F(CtlTest, CancelOneOffSessionWritesItsStatus) {
  auto ctx = Ctx("2026-11-30T12:00:00Z");
  std::istringstream no_input;
  std::ostringstream out;
  ASSERT_OK(CancelSession(*ctx, "s1", /*yes=*/true, no_input, out));
  EXPECT_EQ(redis_->Cli({"HGET", p_ + "session:s1", "status"}), "cancelled");
  EXPECT_EQ(out.str().rfind("Cancelled: Baby massage, Tue 1 Dec 10:00, Walkerburn hall (group g)\n", 0), 0u)
      << out.str();

  std::ostringstream again;
  ASSERT_OK(CancelSession(*ctx, "s1", true, no_input, again));
  EXPECT_EQ(again.str(), "Already cancelled: Baby massage, Tue 1 Dec 10:00, Walkerburn hall (group g)\n");
}

TEST_F(CtlTest, CancelScheduleOccurrenceWritesAnOverrideOnly) {
  AddSchedule("tue", "2026-09-01T14:00");
  auto ctx = Ctx("2026-11-30T12:00:00Z");
  std::istringstream no_input;
  std::ostringstream out;
  ASSERT_OK(CancelSession(*ctx, "tue@20261201T1400", true, no_input, out));
  EXPECT_EQ(redis_->Cli({"HGETALL", p_ + "session:tue@20261201T1400"}), "status\ncancelled");
  EXPECT_NE(out.str().find("one occurrence of schedule tue"), std::string::npos) << out.str();

  auto cancelled = ctx->sessions.LoadSession("tue@20261201T1400", T("2026-12-01T14:00:00Z"));
  ASSERT_OK(cancelled);
  EXPECT_TRUE(cancelled->session.cancelled);
  auto next_week = ctx->sessions.LoadSession("tue@20261208T1400", T("2026-12-08T14:00:00Z"));
  ASSERT_OK(next_week);
  EXPECT_FALSE(next_week->session.cancelled);
}

TEST_F(CtlTest, CancelRefusesUnknownStartedAndUnconfirmed) {
  auto ctx = Ctx("2026-12-01T10:30:00Z");
  std::istringstream no_input;
  std::ostringstream out;
  Status unknown = CancelSession(*ctx, "nope", true, no_input, out);
  EXPECT_TRUE(unknown.IsNotFound()) << unknown.ToString();
  Status unknown_occurrence = CancelSession(*ctx, "tue@20261201T1500", true, no_input, out);
  EXPECT_TRUE(unknown_occurrence.IsNotFound()) << unknown_occurrence.ToString();
  Status started = CancelSession(*ctx, "s1", true, no_input, out);
  EXPECT_TRUE(started.IsInvalidArgument()) << started.ToString();

  auto before = Ctx("2026-11-30T12:00:00Z");
  std::istringstream declined("n\n");
  Status s = CancelSession(*before, "s1", /*yes=*/false, declined, out);
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(redis_->Cli({"HGET", p_ + "session:s1", "status"}), "scheduled");
  std::istringstream accepted(" Y \n");
  ASSERT_OK(CancelSession(*before, "s1", false, accepted, out));
  EXPECT_EQ(redis_->Cli({"HGET", p_ + "session:s1", "status"}), "cancelled");
}

// --- preview ---

TEST_F(CtlTest, PreviewIsWhatTheDaemonSends) {
  clock_->Set(std::chrono::system_clock::time_point(T("2026-11-30T18:00:00Z")));  // day_before_at 18:00
  auto daemon = StartDaemon("d", config_);
  daemon->scheduler().Tick();
  std::string sent;
  for (const auto& m : standin_.Messages()) {
    if (m.to == "+447700900321") sent = m.body;  // Dee: no answer yet, so reminded
  }
  ASSERT_FALSE(sent.empty()) << "the daemon sent Dee nothing";

  auto preview = Preview(*Ctx("2026-11-30T18:00:00Z"), "dee", "s1", TemplateKind::kReminder);
  ASSERT_OK(preview);
  EXPECT_EQ(preview->body, sent);
  EXPECT_EQ(preview->body,
            "Hi Mum dee, Baby massage is tomorrow at 10:00, Walkerburn hall. We'd love to see you! Reply Y if you're "
            "coming, N if not.");
  EXPECT_EQ(preview->segments.encoding, SegmentInfo::kGsm7);
  EXPECT_EQ(preview->segments.segments, 1);
  EXPECT_TRUE(preview->notes.empty()) << preview->notes.front();
}

TEST_F(CtlTest, PreviewOtherKindsLanguagesAndNotes) {
  auto ctx = Ctx("2026-11-30T18:00:00Z");
  auto follow_up = Preview(*ctx, "dee", "s1", TemplateKind::kFollowUp);
  ASSERT_OK(follow_up);
  EXPECT_EQ(follow_up->body,
            "Hi Mum dee, just checking: are you coming to Baby massage tomorrow at 10:00? Reply Y or N. No pressure, "
            "we'd just love to know.");
  auto cancelled = Preview(*ctx, "+447700900321", "s1", TemplateKind::kCancelled);  // by phone number
  ASSERT_FALSE(cancelled.ok()) << "dee's id is not derived from her number";
  auto by_id = Preview(*ctx, "dee", "s1", TemplateKind::kCancelled);
  ASSERT_OK(by_id);
  EXPECT_EQ(by_id->body, "Hi Mum dee, sorry, Baby massage tomorrow at 10:00 is cancelled. We hope to see you next time.");
  EXPECT_EQ(by_id->notes, std::vector<std::string>{"the session is not cancelled: this is what she would get if it were"});

  auto bea = Preview(*ctx, "bea", "s1", TemplateKind::kReminder);
  ASSERT_OK(bea);
  EXPECT_EQ(bea->notes,
            std::vector<std::string>{"Mum bea has already answered no: checkind sends her no more reminders for it"});

  // Her own language, with characters outside GSM-7.
  Cli({"HSET", p_ + "member:amy", "language", "pl"});
  auto pl = Ctx("2026-11-30T18:00:00Z",
                MakeConfig(Yaml() + "templates:\n  pl:\n    reminder: \"Cze\xC5\x9B\xC4\x87 {name}, {title} {day} o {time}.\"\n"));
  auto amy = Preview(*pl, "amy", "s1", TemplateKind::kReminder);
  ASSERT_OK(amy);
  EXPECT_EQ(amy->body, "Cze\xC5\x9B\xC4\x87 Mum amy, Baby massage tomorrow o 10:00.");
  EXPECT_EQ(amy->segments.encoding, SegmentInfo::kUcs2);

  Status unknown = Preview(*ctx, "nobody", "s1", TemplateKind::kReminder).status();
  EXPECT_TRUE(unknown.IsNotFound()) << unknown.ToString();
}

TEST_F(CtlTest, PreviewFindsAnImportedMemberByPhone) {
  Cli({"HSET", p_ + "member:" + MemberIdForPhone("+447700900111"), "name", "Fay", "phone", "+447700900111"});
  auto p = Preview(*Ctx("2026-11-30T18:00:00Z"), "07700 900111", "s1", TemplateKind::kReminder);
  ASSERT_OK(p);
  EXPECT_EQ(p->body.rfind("Hi Fay, ", 0), 0u) << p->body;
}

// --- the binary ---

struct Ran {
  int code = -1;
  std::string out, err;
};

class CtlBinaryTest : public CtlTest {
 protected:
  void SetUp() override {
    CtlTest::SetUp();
    char tmpl[] = "/tmp/checkinctl_test.XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    config_path_ = Write("checkin.yaml", Yaml());
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  static std::string Read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }
  // Runs checkinctl --config <temp config> ARGS with `input` on stdin.
  Ran Ctl(const std::string& args, const std::string& input = "", const std::string& config = "") {
    Write("stdin", input);
    const std::string cmd = std::string(CHECKINCTL_BIN) + " --config " + (config.empty() ? config_path_ : config) +
                            " " + args + " <" + dir_ + "/stdin >" + dir_ + "/stdout 2>" + dir_ + "/stderr";
    const int status = std::system(cmd.c_str());
    Ran r;
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = Read(dir_ + "/stdout");
    r.err = Read(dir_ + "/stderr");
    return r;
  }
  // A session in the real future (the binary reads the real clock).
  std::string AddSessionTomorrow(const std::string& id) {
    const auto t = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()) +
                   std::chrono::hours(26);
    AddSession(id, "g", FormatRfc3339(t));
    return FormatRfc3339(t);
  }

  std::string dir_;
  std::string config_path_;
};

TEST_F(CtlBinaryTest, HelpOnEverySubcommand) {
  for (const char* sub : {"", "import", "import members", "import sessions", "import groups", "sessions", "session",
                          "inbox", "cancel", "preview", "segments", "forget", "queue", "job", "concerns", "concerns ack",
                          "concerns test"}) {
    const Ran r = Ctl(std::string(sub) + " --help");
    EXPECT_EQ(r.code, 0) << sub << ": " << r.err;
    EXPECT_NE(r.out.find("Usage:"), std::string::npos) << sub;
  }
}

TEST_F(CtlBinaryTest, UsageErrorsExitTwo) {
  for (const char* args : {"", "bogus", "import", "import members " /* no file */, "import members x.csv",
                           "sessions --days 0", "sessions --bogus", "session", "inbox --limit 0", "cancel",
                           "preview --member amy", "preview --member amy --session s1 --kind digest",
                           "preview --member amy --session s1 --at tomorrow", "concerns test",
                           "concerns test hello --summary-only"}) {
    const Ran r = Ctl(args);
    EXPECT_EQ(r.code, 2) << "checkinctl " << args << "\n" << r.err;
  }
}

TEST_F(CtlBinaryTest, RedisDownExitsOneWithAClearMessage) {
  const int port = testing::FreeLoopbackPort();
  std::string yaml = Yaml();
  const std::string url = redis_->Url();
  yaml.replace(yaml.find(url), url.size(), "redis://127.0.0.1:" + std::to_string(port) + "/0");
  const std::string down = Write("down.yaml", yaml);
  const std::string csv = Write("members.csv", "name,phone\nAmy,07700900123\n");
  for (const std::string& args : std::vector<std::string>{"sessions", "session s1", "inbox", "cancel s1 --yes",
                                 "preview --member amy --session s1", "import members " + csv + " --group g"}) {
    const Ran r = Ctl(args, "", down);
    EXPECT_EQ(r.code, 1) << args;
    EXPECT_NE(r.err.find("cannot reach Redis at redis://127.0.0.1:" + std::to_string(port) + "/0"), std::string::npos)
        << args << ": " << r.err;
  }
}

// Coordinators check their own phrases before checkind reads them: no Redis
// needed (the config names one that is down).
TEST_F(CtlBinaryTest, ConcernsTestSaysWhatATextRaisesAndScoresACaseFile) {
  std::string yaml = Yaml() + "safeguarding:\n  phrases:\n    en: [\"feeling ... wobbly\"]\n";
  const std::string url = redis_->Url();
  yaml.replace(yaml.find(url), url.size(), "redis://127.0.0.1:" + std::to_string(testing::FreeLoopbackPort()) + "/0");
  const std::string config = Write("phrases.yaml", yaml);

  const Ran worried = Ctl("concerns test \"I can't cope anymore x\" --lang en", "", config);
  EXPECT_EQ(worried.code, 0) << worried.err;
  EXPECT_EQ(worried.out.rfind("concern (distress, phrase ", 0), 0u) << worried.out;
  const Ran added = Ctl("concerns test \"feeling really wobbly today\"", "", config);
  EXPECT_NE(added.out.find("of the en list in the config)"), std::string::npos) << added.out;
  EXPECT_EQ(Ctl("concerns test \"dying for a cuppa, see you at 10\" --lang en", "", config).out, "no concern\n");

  const std::string cases = Write("cases.tsv",
                                  "# a comment\n"
                                  "concern\ten\tfeeling a bit wobbly\n"
                                  "concern\ten\tthe sky is green\n"
                                  "ordinary\ten\tsee you at 10\n"
                                  "ordinary\ten\tI want to die, this hill!\n");
  const Ran scored = Ctl("concerns test --file " + cases, "", config);
  EXPECT_EQ(scored.code, 1) << scored.err;
  EXPECT_NE(scored.out.find(cases + ":3: missed (en): the sky is green\n"), std::string::npos) << scored.out;
  EXPECT_NE(scored.out.find(cases + ":5: false alarm (en, suicide, phrase "), std::string::npos) << scored.out;
  EXPECT_NE(scored.out.find("all: recall 1/2 = 50.0 %, ordinary flagged 1/2 = 50.0 %\n"), std::string::npos);
  const Ran summary = Ctl("concerns test --summary-only --file " + cases, "", config);
  EXPECT_EQ(summary.out, "en: recall 1/2 = 50.0 %, ordinary flagged 1/2 = 50.0 %\n"
                         "all: recall 1/2 = 50.0 %, ordinary flagged 1/2 = 50.0 %\n");

  const Ran broken = Ctl("concerns test --file " + Write("broken.tsv", "concern en no tabs\n"), "", config);
  EXPECT_EQ(broken.code, 1);
  EXPECT_NE(broken.err.find("broken.tsv:1: expected concern|ordinary<TAB>language<TAB>text"), std::string::npos)
      << broken.err;
}

TEST_F(CtlBinaryTest, ImportGroupsThenMembersThenSessions) {
  const Ran groups = Ctl("import groups " + Write("groups.csv", "id,name,venue\nh,Buggy walk,The park\n"));
  EXPECT_EQ(groups.code, 0) << groups.err;
  EXPECT_EQ(groups.out, "1 group imported (1 new, 0 updated)\n");

  const std::string bad = Write("members.csv",
                                "name,phone\nAmy,07700900123\nBob,0770090\nCat,07700900789\n,07700900111\n"
                                "Dee,+99 123\n");
  const Ran refused = Ctl("import members " + bad + " --group h");
  EXPECT_EQ(refused.code, 1);
  EXPECT_EQ(refused.out, "");
  EXPECT_NE(refused.err.find("members.csv:3: phone \"0770090\""), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("members.csv:5: name is empty"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("members.csv:6: phone \"+99 123\""), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("nothing imported: 3 problems"), std::string::npos) << refused.err;
  EXPECT_EQ(refused.err.find("900123"), std::string::npos) << "a good row's number printed";
  EXPECT_EQ(redis_->Cli({"EXISTS", p_ + "group:h:members"}), "0");

  const std::string good = Write("good.csv", "name,phone\nAmy,07700900123\nCat,07700900789\n");
  const Ran dry = Ctl("import members " + good + " --group h --dry-run");
  EXPECT_EQ(dry.code, 0) << dry.err;
  EXPECT_EQ(redis_->Cli({"EXISTS", p_ + "group:h:members"}), "0");
  const Ran ok = Ctl("import members " + good + " --group h");
  EXPECT_EQ(ok.code, 0) << ok.err;
  EXPECT_EQ(ok.out, "2 members imported into h (2 new, 0 updated)\n");
  EXPECT_EQ(Ctl("import members " + good + " --group h").out, "2 members imported into h (0 new, 2 updated)\n");

  const Ran sessions = Ctl("import sessions " + Write("s.csv", "group,starts_at\nh,2026-12-01 10:00\n"));
  EXPECT_EQ(sessions.code, 0) << sessions.err;
  EXPECT_EQ(redis_->Cli({"HGET", p_ + "session:h-20261201T1000", "starts_at"}), "2026-12-01T10:00:00+00:00");

  const Ran unknown = Ctl("import members " + good + " --group nope");
  EXPECT_EQ(unknown.code, 1);
  EXPECT_NE(unknown.err.find("group \"nope\" does not exist"), std::string::npos) << unknown.err;
  const Ran missing = Ctl("import members " + dir_ + "/no-such.csv --group h");
  EXPECT_EQ(missing.code, 1);
  EXPECT_NE(missing.err.find("cannot read"), std::string::npos) << missing.err;
}

TEST_F(CtlBinaryTest, ReportsAndCancelThroughTheBinary) {
  AddSessionTomorrow("soon");
  Cli({"HSET", p_ + "session:soon:rsvp", "amy", "yes", "bea", "maybe"});

  // s1 (1 December) may be in the window too, depending on today's date.
  const Ran list = Ctl("sessions --json --days 2");
  ASSERT_EQ(list.code, 0) << list.err;
  const json sessions = json::parse(list.out);
  ASSERT_FALSE(sessions.empty()) << list.out;
  EXPECT_EQ(sessions[0]["id"], "soon");
  EXPECT_EQ(sessions[0]["coming"], 1);
  EXPECT_EQ(sessions[0]["maybe"], 1);
  EXPECT_EQ(sessions[0]["no_answer"], 2);
  const Ran text = Ctl("sessions --days 2");
  EXPECT_NE(text.out.find("1 coming, 1 maybe, 0 not coming, 2 no answer  [soon]"), std::string::npos) << text.out;

  const Ran who = Ctl("session soon");
  ASSERT_EQ(who.code, 0) << who.err;
  EXPECT_NE(who.out.find("Mum amy  +44******0123  coming"), std::string::npos) << who.out;
  EXPECT_EQ(who.out.find("+447700900123"), std::string::npos) << "full number in the table";
  const Ran who_json = Ctl("session soon --json");
  EXPECT_EQ(json::parse(who_json.out)["members"][0]["phone"], "+447700900123");

  ASSERT_OK(replies_->AppendInbox({"", "amy", "g", "soon", "can I bring my sister?", "+447700900123", "unclear",
                                   "2026-11-30T09:15:00Z"}));
  const Ran inbox = Ctl("inbox --json --limit 5");
  ASSERT_EQ(inbox.code, 0) << inbox.err;
  EXPECT_EQ(json::parse(inbox.out)[0]["name"], "Mum amy");
  EXPECT_NE(Ctl("inbox").out.find("Mum amy  session soon  unclear"), std::string::npos);

  const Ran declined = Ctl("cancel soon", "n\n");
  EXPECT_EQ(declined.code, 1);
  EXPECT_EQ(redis_->Cli({"HGET", p_ + "session:soon", "status"}), "scheduled");
  const Ran cancelled = Ctl("cancel soon --yes");
  EXPECT_EQ(cancelled.code, 0) << cancelled.err;
  EXPECT_EQ(cancelled.out.rfind("Cancelled: Baby massage, ", 0), 0u) << cancelled.out;
  EXPECT_EQ(redis_->Cli({"HGET", p_ + "session:soon", "status"}), "cancelled");
  EXPECT_NE(Ctl("sessions --days 2").out.find("CANCELLED  [soon]"), std::string::npos);

  const Ran unknown = Ctl("cancel nope --yes");
  EXPECT_EQ(unknown.code, 1);
  EXPECT_EQ(unknown.err, "checkinctl: no session nope (checkinctl sessions lists the upcoming ones)\n");
}

TEST_F(CtlBinaryTest, PreviewPrintsTheTextThenItsEncoding) {
  const Ran r = Ctl("preview --member dee --session s1 --at 2026-11-30T18:00:00Z");
  ASSERT_EQ(r.code, 0) << r.err;
  auto expected = Preview(*Ctx("2026-11-30T18:00:00Z"), "dee", "s1", TemplateKind::kReminder);
  ASSERT_OK(expected);
  const SegmentInfo info = CountSegments(expected->body);
  EXPECT_EQ(r.out, expected->body + "\nGSM-7, " + std::to_string(info.characters) + " characters, 1 segment\n");

  const Ran cancelled = Ctl("preview --member dee --session s1 --kind cancelled --at 2026-11-30T18:00:00Z");
  EXPECT_EQ(cancelled.code, 0);
  EXPECT_NE(cancelled.out.find("is cancelled"), std::string::npos) << cancelled.out;
  EXPECT_NE(cancelled.err.find("note: the session is not cancelled"), std::string::npos) << cancelled.err;

  const Ran unknown = Ctl("preview --member nobody --session s1");
  EXPECT_EQ(unknown.code, 1);
  EXPECT_NE(unknown.err.find("no member nobody"), std::string::npos) << unknown.err;
}

}  // namespace
}  // namespace checkin
