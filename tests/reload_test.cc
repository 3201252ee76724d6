// SIGHUP reload, end to end: every key the config table marks reloadable
// is used after Daemon::SetConfig (what main.cc's Reload calls), shown by
// something a daemon does (a text's body, From, account or callback, a
// reply's meaning, an alert, a pause, a lease, a log line), with a real
// redis-server, the Twilio stand-in and a ManualClock. One case per key:
// the effect is observed with the `before` config, the config is reloaded
// with `after`, and the effect observed again. A guard fails when a key is
// marked reloadable but has no case here, so no new key skips the proof.
// The real binary's SIGHUP is in tests/service/service_test.cc.
#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>

#include "base/logging.h"
#include "config/config_table.h"
#include "daemon_fixture.h"
#include "store/job_record.h"
#include "twilio/twilio_client.h"

namespace checkin {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

// Config keys by path, each a YAML flow value; "$API", "$OTHER_API" and
// "$SID" stand for the stand-ins' base URLs and account SID.
using Keys = std::map<std::string, std::string>;

constexpr char kWrongSid[] = "AC00000000000000000000000000000002";
constexpr char kWorried[] = "I can't cope anymore, I don't want to be here";
constexpr char kContactA[] = "+447700900801";
constexpr char kContactB[] = "+447700900802";

// Nested YAML from dotted paths; std::map keeps each section's keys together.
std::string YamlOf(const Keys& keys) {
  std::string out;
  std::vector<std::string> open;  // the sections written above
  for (const auto& [path, value] : keys) {
    std::vector<std::string> parts;
    std::stringstream in(path);
    for (std::string part; std::getline(in, part, '.');) parts.push_back(part);
    size_t same = 0;
    while (same < open.size() && same + 1 < parts.size() && open[same] == parts[same]) ++same;
    open.resize(same);
    for (size_t i = same; i + 1 < parts.size(); ++i) {
      out += std::string(2 * i, ' ') + parts[i] + ":\n";
      open.push_back(parts[i]);
    }
    out += std::string(2 * (parts.size() - 1), ' ') + parts.back() + ": " + value + "\n";
  }
  return out;
}

std::string Rfc3339Utc(Instant t) {
  const std::time_t tt = t.time_since_epoch().count();
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string Replaced(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = 0; (at = text.find(from, at)) != std::string::npos; at += to.size()) text.replace(at, from.size(), to);
  return text;
}

// A new group, session and member(s), so that each observation has jobs
// of its own.
struct Fresh {
  std::string group, session;
  std::vector<std::string> members, phones;
  std::string phone() const { return phones.front(); }
};
struct FreshOptions {
  std::chrono::minutes starts_in{60};
  std::string phone;        // Default: a drama number of its own
  bool group_zone = true;   // false: the group has no timezone (reminders.timezone)
  std::string coordinator;  // coordinator_phone, or none
  int members = 1;
};

class ReloadTest : public DaemonFixture {
 protected:
  friend struct ReloadCases;  // the key cases use the helpers below

  // What a test's daemon texts with: every key it does not set is the
  // default, so a case's `before` and `after` are the whole difference.
  Keys Base() const {
    return {{"redis.url", "\"" + redis_->Url() + "\""},
            {"redis.prefix", "\"" + p_ + "\""},
            {"http.public_url", "\"https://reminders.example.org\""},
            {"twilio.account_sid", "\"$SID\""},
            {"twilio.from", "\"+447700900000\""},
            {"twilio.api_base", "\"$API\""},
            {"twilio.request_timeout_ms", "2000"},
            {"twilio.concurrency", "1"},
            {"twilio.max_per_second", "1000"},
            // Every session in the week ahead is due at once (overdue).
            {"reminders.send", "[{hours_before: 168}]"},
            {"reminders.quiet_hours", "null"},
            {"templates.en.reminder", "\"{day}|{date}|{time}\""},
            // No group files unless a case points here at some ($GROUPS: GroupsDir()).
            {"groups_dir", "\"$GROUPS/none\""}};
  }

  // A folder of this test's own for group files, made on first use.
  const std::string& GroupsDir() {
    if (groups_dir_.empty()) {
      char tmpl[] = "/tmp/checkin-reload-groups-XXXXXX";
      if (mkdtemp(tmpl) != nullptr) groups_dir_ = tmpl;
    }
    return groups_dir_;
  }
  void TearDown() override {
    if (!groups_dir_.empty()) std::filesystem::remove_all(groups_dir_);
    DaemonFixture::TearDown();
  }

  std::shared_ptr<const Config> ConfigOf(const Keys& over) {
    Keys keys = Base();
    for (const auto& [k, v] : over) keys[k] = v;
    std::string yaml = YamlOf(keys);
    yaml = Replaced(yaml, "$OTHER_API", other_ ? other_->BaseUrl() : "http://127.0.0.1:1");
    yaml = Replaced(Replaced(yaml, "$API", standin_.BaseUrl()), "$SID", standin_.account_sid());
    yaml = Replaced(yaml, "$GROUPS", GroupsDir());
    Config::SecretSource secrets;
    secrets.getenv = [env = env_](const std::string& name) -> std::optional<std::string> {
      auto it = env.find(name);
      return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
    secrets.read_file = [files = files_](const std::string& path) -> Result<std::string> {
      auto it = files.find(path);
      if (it == files.end()) return Status::NotFound(path);
      return it->second;
    };
    auto c = Config::Parse(yaml, "test.yaml", secrets);
    if (c.ok()) c = Config::LoadGroups(std::move(*c));  // as Config::Load does
    EXPECT_OK(c) << yaml;
    return c.ok() ? std::make_shared<const Config>(std::move(*c)) : nullptr;
  }

  // Wraps the daemon's senders: which TwilioOptions sent each text, and a
  // hook run while a job is being sent (its lease is held).
  class RecordingSender final : public SmsSender {
   public:
    RecordingSender(std::unique_ptr<SmsSender> inner, TwilioOptions options, ReloadTest& test)
        : inner_(std::move(inner)), options_(std::move(options)), test_(test) {}
    SendResult Send(const OutgoingMessage& msg) override {
      if (test_.during_send_) test_.during_send_(msg);
      SendResult r = inner_->Send(msg);
      std::lock_guard<std::mutex> lock(test_.mu_);
      test_.sent_with_[msg.to] = options_;
      return r;
    }
    Result<std::vector<SentMessage>> ListSentTo(const std::string& to, Channel channel, Instant since) override {
      return inner_->ListSentTo(to, channel, since);
    }

   private:
    std::unique_ptr<SmsSender> inner_;
    TwilioOptions options_;
    ReloadTest& test_;
  };

  std::unique_ptr<Daemon> Start(std::shared_ptr<const Config> config) {
    DaemonOptions o;
    o.clock = clock_;
    o.logger = log_.logger;
    o.instance_id = "reload";
    o.listen = "127.0.0.1:0";
    o.make_sender = [this](const Config& c) -> std::unique_ptr<SmsSender> {
      TwilioOptions options = TwilioOptionsFrom(c, NullLogger());
      auto client = TwilioClient::Create(options);
      if (!client.ok()) return nullptr;
      return std::make_unique<RecordingSender>(std::move(*client), options, *this);
    };
    auto d = Daemon::Create(std::move(config), o);
    EXPECT_OK(d);
    return d.ok() ? std::move(*d) : nullptr;
  }

  Fresh AddFresh(const FreshOptions& o) {
    const std::string n = std::to_string(++fresh_);
    Fresh f{"g" + n, "s" + n, {}, {}};
    Cli({"HSET", p_ + "group:" + f.group, "name", "Group " + n, "venue", "Hall"});
    if (o.group_zone) Cli({"HSET", p_ + "group:" + f.group, "timezone", "Europe/London"});
    if (!o.coordinator.empty()) Cli({"HSET", p_ + "group:" + f.group, "coordinator_phone", o.coordinator});
    for (int i = 0; i < o.members; ++i) {
      const std::string phone = "+447700900" + std::to_string(100 + 10 * fresh_ + i);  // up to 89 fresh
      f.members.push_back("m" + n + "_" + std::to_string(i));
      f.phones.push_back(o.phone.empty() ? phone : o.phone);
      Cli({"HSET", p_ + "member:" + f.members.back(), "name", "Mum", "phone", f.phones.back()});
      Cli({"SADD", p_ + "group:" + f.group + ":members", f.members.back()});
    }
    const Instant starts = clock_->NowSeconds() + o.starts_in;
    Cli({"HSET", p_ + "session:" + f.session, "group", f.group, "starts_at", Rfc3339Utc(starts), "status",
         "scheduled"});
    Cli({"ZADD", p_ + "sessions", std::to_string(starts.time_since_epoch().count()), f.session});
    return f;
  }

  // The last text to `to`, or null.
  std::optional<standin::RecordedMessage> LastTo(const std::string& to, const standin::TwilioStandIn& where) const {
    std::optional<standin::RecordedMessage> last;
    for (const auto& m : where.Messages()) {
      if (m.to == to) last = m;
    }
    return last;
  }
  std::optional<standin::RecordedMessage> LastTo(const std::string& to) const { return LastTo(to, standin_); }
  int CountTo(const std::string& to) const {
    const auto all = standin_.Messages();
    return static_cast<int>(std::count_if(all.begin(), all.end(), [&](const auto& m) { return m.to == to; }));
  }

  // A fresh member's reminder: ticks, then `field` of the text she got.
  std::string Texted(Daemon& d, std::function<std::string(const standin::RecordedMessage&)> field,
                     const FreshOptions& o = {}) {
    const Fresh f = AddFresh(o);
    d.scheduler().Tick();
    auto m = LastTo(f.phone());
    return m ? field(*m) : "(none)";
  }
  std::string TextedBody(Daemon& d, const FreshOptions& o = {}) {
    return Texted(d, [](const auto& m) { return m.body; }, o);
  }

  // The job of `member` (there is one per fresh member).
  std::string JobIdOf(const std::string& member) {
    std::stringstream ids(redis_->Cli({"KEYS", p_ + "{jobs}:job:*"}));
    for (std::string key; std::getline(ids, key);) {
      if (redis_->Cli({"HGET", key, "member"}) == member) return key.substr((p_ + "{jobs}:job:").size());
    }
    return "";
  }
  FieldMap JobOf(Daemon& d, const std::string& member) {
    auto f = d.store().JobFields(JobIdOf(member));
    return f.ok() ? *f : FieldMap{};
  }
  // Seconds from now until the member's job is due again.
  std::string DueInSeconds(const std::string& member) {
    const std::string due = redis_->Cli({"ZSCORE", p_ + "{jobs}:due", JobIdOf(member)});
    if (due.empty()) return "(not queued)";
    return std::to_string((std::stoll(due) - UnixMillis(clock_->Now())) / 1000);
  }

  // A fresh member texted her reminder, then replying `body`.
  Result<ReplyResult> Reply(Daemon& d, const std::string& body) {
    const Fresh f = AddFresh({});
    d.scheduler().Tick();
    InboundSms sms{"SM" + std::to_string(1000 + fresh_) + std::string(28, '0'), f.phone(), "+447700900000", body};
    return d.replies().HandleSms(d.config(), sms);
  }
  std::string ReplyLabel(Daemon& d, const std::string& body) {
    auto r = Reply(d, body);
    return r.ok() ? r->label : r.status().ToString();
  }

  int DashboardStatus(Daemon& d, const std::string& user, const std::string& password) {
    httplib::Client http("127.0.0.1", d.listener_port());
    http.set_basic_auth(user.c_str(), password.c_str());
    auto r = http.Get("/dashboard");
    return r ? r->status : 0;
  }

  int DebugLines() const {
    return static_cast<int>(log_.Lines(spdlog::level::trace).size() - log_.Lines(spdlog::level::info).size());
  }

  std::map<std::string, std::string> env_{{"TWILIO_AUTH_TOKEN", "standin-auth-token"},
                                          {"WRONG_TOKEN", "rotated-away-token"},
                                          {"CHECKIN_DASHBOARD_PASSWORD", "pw"},
                                          {"PW_A", "password-a"},
                                          {"PW_B", "password-b"}};
  std::map<std::string, std::string> files_{{"/run/credentials/twilio-token", "standin-auth-token\n"}};
  std::unique_ptr<standin::TwilioStandIn> other_;  // a second Twilio (twilio.api_base)
  std::function<void(const OutgoingMessage&)> during_send_;
  std::mutex mu_;
  std::map<std::string, TwilioOptions> sent_with_;  // by To
  int fresh_ = 0;
  std::string groups_dir_;  // GroupsDir()
};

TEST_F(ReloadTest, AJobInHandFinishesWithItsSenderAndTheNextJobsUseTheNewOne) {
  AddGroup("g", {{"amy", "+447700900001"}, {"bea", "+447700900002"}, {"cat", "+447700900003"}});
  AddSession("s1", "g", "2026-12-01T10:00:00+00:00");
  auto d = Start(ConfigOf({}));
  ASSERT_NE(d, nullptr);
  // The reload lands while the first text is in flight (twilio.concurrency 1).
  int sends = 0;
  during_send_ = [&](const OutgoingMessage&) {
    if (++sends == 1) d->SetConfig(ConfigOf({{"twilio.from", "\"+447700900009\""}}));
  };
  TickStats t = d->scheduler().Tick();
  during_send_ = nullptr;
  EXPECT_EQ(t.dispatch.sent, 3);
  EXPECT_EQ(t.dispatch.failed + t.dispatch.lost + t.dispatch.retried, 0);
  auto sent = standin_.Messages();
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(sent[0].from, "+447700900000") << "the job in hand keeps its sender";
  EXPECT_EQ(sent[1].from, "+447700900009");
  EXPECT_EQ(sent[2].from, "+447700900009");
  EXPECT_EQ(TextsByNumber().size(), 3u) << "each member once";
}

TEST_F(ReloadTest, ASenderThatCannotBeMadeKeepsThePreviousOne) {
  AddGroup("g", {{"amy", "+447700900001"}});
  AddSession("s1", "g", "2026-12-01T10:00:00+00:00");
  auto d = Start(ConfigOf({}));
  ASSERT_NE(d, nullptr);
  // CheckStartable refuses such a file at SIGHUP; a Config built by hand
  // can still reach SetConfig.
  Config broken = *ConfigOf({});
  broken.twilio.account_sid = "not-a-sid";
  d->SetConfig(std::make_shared<const Config>(broken));
  d->scheduler().Tick();
  EXPECT_EQ(TextsByNumber()["+447700900001"], 1);
  EXPECT_NE(log_.Joined(spdlog::level::err).find("keeps sending with the previous one"), std::string::npos)
      << log_.Joined();
}

// One reloadable key: its value before and after the reload, and what a
// daemon does that shows which one is in use.
struct ReloadCase {
  using Observe = std::function<std::string(ReloadTest&, Daemon&)>;
  using Arrange = std::function<void(ReloadTest&, Daemon&)>;
  ReloadCase(const char* key, Keys before, Keys after, std::string want_before, std::string want_after,
             Observe observe, Arrange arrange = nullptr)
      : key(key), before(std::move(before)), after(std::move(after)), want_before(std::move(want_before)),
        want_after(std::move(want_after)), observe(std::move(observe)), arrange(std::move(arrange)) {}

  const char* key;     // the row's path in ConfigTable()
  Keys before, after;  // over ReloadTest::Base()
  std::string want_before, want_after;
  Observe observe;
  Arrange arrange;  // after the daemon starts; may be empty
};

// Failures name the key, not the bytes of the case.
void PrintTo(const ReloadCase& c, std::ostream* os) { *os << c.key; }

class ReloadKeyTest : public ReloadTest, public ::testing::WithParamInterface<ReloadCase> {};

// The cases, in a friend of the fixture so that they can use its helpers.
struct ReloadCases {
  using T = ReloadTest;
  static FreshOptions StartsIn(std::chrono::minutes m) {
    FreshOptions o;
    o.starts_in = m;
    return o;
  }
  static std::vector<ReloadCase> All();
  static std::string Body(T& t, Daemon& d, FreshOptions o = {}) { return t.TextedBody(d, o); }
  static std::string To(T& t, Daemon& d, FreshOptions o = {}) {
    return t.Texted(d, [](const auto& m) { return m.to; }, o);
  }
  static std::string Sent(T& t, Daemon& d) { return t.Texted(d, [](const auto&) { return std::string("sent"); }); }
};

// The clock starts at 2026-12-01T06:00:00Z (a Tuesday; London is on UTC);
// fresh sessions start an hour after now unless a case says otherwise.
std::vector<ReloadCase> ReloadCases::All() {
  return {
      // A national number read in the region: not a GB one, a US one.
      {"region", {{"region", "GB"}}, {{"region", "US"}}, "texted 0", "texted 1",
       [](T& t, Daemon& d) {
         FreshOptions o;
         o.phone = "(650) 253-0000";
         t.AddFresh(o);
         d.scheduler().Tick();
         return "texted " + std::to_string(t.CountTo("+16502530000"));
       }},
      {"default_language", {{"templates.pl.reminder", "\"pl\""}},
       {{"templates.pl.reminder", "\"pl\""}, {"default_language", "pl"}}, "today|1 December|07:00", "pl",
       [](T& t, Daemon& d) { return Body(t, d); }},
      {"log_level", {{"log_level", "info"}}, {{"log_level", "debug"}}, "no debug lines", "debug lines",
       [](T& t, Daemon& d) {
         const int before = t.DebugLines();
         Sent(t, d);
         return t.DebugLines() > before ? "debug lines" : "no debug lines";
       },
       [](T& t, Daemon&) { SetFamilyLevel(t.log_.logger, spdlog::level::info); }},
      // main.cc reads it from Daemon::config() when SIGTERM comes; the
      // service test sees it in the stopping line of a real checkind.
      {"shutdown_timeout_seconds", {}, {{"shutdown_timeout_seconds", "3"}}, "20", "3",
       [](T&, Daemon& d) { return std::to_string(d.config()->shutdown_timeout.count()); }},
      {"http.public_url", {}, {{"http.public_url", "\"https://new.example.org\""}},
       "https://reminders.example.org/twilio/status", "https://new.example.org/twilio/status",
       [](T& t, Daemon& d) { return t.Texted(d, [](const auto& m) { return m.status_callback; }); }},
      {"twilio.account_sid", {{"twilio.account_sid", std::string("\"") + kWrongSid + "\""}}, {}, "(none)",
       "AC00000000000000000000000000000001",
       [](T& t, Daemon& d) { return t.Texted(d, [](const auto& m) { return m.account_sid; }); }},
      {"twilio.auth_token_env", {{"twilio.auth_token_env", "WRONG_TOKEN"}}, {}, "(none)", "sent", Sent},
      {"twilio.auth_token_file", {{"twilio.auth_token_env", "WRONG_TOKEN"}},
       {{"twilio.auth_token_env", "WRONG_TOKEN"}, {"twilio.auth_token_file", "\"/run/credentials/twilio-token\""}},
       "(none)", "sent", Sent},
      {"twilio.from", {}, {{"twilio.from", "\"+447700900009\""}}, "+447700900000", "+447700900009",
       [](T& t, Daemon& d) { return t.Texted(d, [](const auto& m) { return m.from; }); }},
      {"twilio.messaging_service_sid", {},
       {{"twilio.from", "\"\""}, {"twilio.messaging_service_sid", "\"MG0123456789abcdef0123456789abcdef\""}},
       "from +447700900000", "service MG0123456789abcdef0123456789abcdef",
       [](T& t, Daemon& d) {
         return t.Texted(d, [](const auto& m) {
           return m.messaging_service_sid.empty() ? "from " + m.from : "service " + m.messaging_service_sid;
         });
       }},
      {"twilio.api_base", {}, {{"twilio.api_base", "\"$OTHER_API\""}}, "first Twilio", "second Twilio",
       [](T& t, Daemon& d) {
         const Fresh f = t.AddFresh({});
         d.scheduler().Tick();
         if (t.LastTo(f.phone(), *t.other_)) return "second Twilio";
         return t.LastTo(f.phone()) ? "first Twilio" : "(none)";
       },
       [](T& t, Daemon&) {
         t.other_ = std::make_unique<standin::TwilioStandIn>();
         ASSERT_OK(t.other_->Start());
       }},
      // The shared bucket holds one second of sends: 3 at 1000/s, 1 at 0.5/s.
      {"twilio.max_per_second", {}, {{"twilio.max_per_second", "0.5"}}, "3 of 3", "1 of 3",
       [](T& t, Daemon& d) {
         const Fresh f = t.AddFresh([] { FreshOptions o; o.members = 3; return o; }());
         d.scheduler().Tick();
         int n = 0;
         for (const auto& p : f.phones) n += t.CountTo(p);
         return std::to_string(n) + " of 3";
       }},
      {"twilio.connect_timeout_ms", {}, {{"twilio.connect_timeout_ms", "1500"}}, "3000", "1500",
       [](T& t, Daemon& d) {
         const std::string to = To(t, d);
         std::lock_guard<std::mutex> lock(t.mu_);
         return t.sent_with_.count(to) ? std::to_string(t.sent_with_[to].connect_timeout.count()) : "(none)";
       }},
      {"twilio.request_timeout_ms", {}, {{"twilio.request_timeout_ms", "4000"}}, "2000", "4000",
       [](T& t, Daemon& d) {
         const std::string to = To(t, d);
         std::lock_guard<std::mutex> lock(t.mu_);
         return t.sent_with_.count(to) ? std::to_string(t.sent_with_[to].request_timeout.count()) : "(none)";
       }},
      {"twilio.max_attempts", {}, {{"twilio.max_attempts", "1"}}, "pending", "failed",
       [](T& t, Daemon& d) {
         const Fresh f = t.AddFresh({});
         t.standin_.FailNext(1, standin::FailKind::kHttp500);
         d.scheduler().Tick();
         return t.JobOf(d, f.members[0])["state"];
       }},
      // A send whose answer was lost is looked up in Twilio's list this long after.
      {"twilio.reconcile_after_seconds", {{"twilio.reconcile_after_seconds", "3600"}},
       {{"twilio.reconcile_after_seconds", "5"}}, "pending, texted 1", "sent, texted 1",
       [](T& t, Daemon& d) {
         const Fresh f = t.AddFresh({});
         t.standin_.AcceptThenFail(1, standin::FailKind::kHttp500);
         d.scheduler().Tick();
         t.clock_->Advance(seconds(10));  // past the backoff (at most 2 s) and the new 5 s
         d.scheduler().Tick();
         return t.JobOf(d, f.members[0])["state"] + ", texted " + std::to_string(t.CountTo(f.phone()));
       }},
      {"twilio.unavailable_retry_seconds", {}, {{"twilio.unavailable_retry_seconds", "600"}}, "15", "600",
       [](T& t, Daemon& d) {
         const Fresh f = t.AddFresh({});
         t.standin_.AcceptThenFail(1, standin::FailKind::kHttp500);
         d.scheduler().Tick();
         t.clock_->Advance(seconds(40));  // past reconcile_after_seconds (30)
         t.standin_.FailNext(1, standin::FailKind::kHttp500);  // Twilio's list cannot be read
         d.scheduler().Tick();
         return t.DueInSeconds(f.members[0]);
       }},
      {"twilio.account_pause_seconds", {}, {{"twilio.account_pause_seconds", "300"}}, "60", "300",
       [](T& t, Daemon& d) {
         t.standin_.ForceSenderError("+447700900000", 21606);
         Sent(t, d);
         t.standin_.ForceSenderError("+447700900000", 0);
         auto p = d.store().CurrentAccountPause();
         return p.ok() && *p ? std::to_string((*p)->length / 1000) : "(no pause)";
       }},
      // The pause doubles after a failed probe, up to the cap.
      {"twilio.account_pause_max_seconds", {}, {{"twilio.account_pause_max_seconds", "90"}}, "120", "90",
       [](T& t, Daemon& d) {
         t.standin_.ForceSenderError("+447700900000", 21606);
         Sent(t, d);
         t.clock_->Advance(seconds(60));
         d.scheduler().Tick();  // the probe, refused again
         t.standin_.ForceSenderError("+447700900000", 0);
         auto p = d.store().CurrentAccountPause();
         return p.ok() && *p ? std::to_string((*p)->length / 1000) : "(no pause)";
       }},
      {"reminders.timezone", {}, {{"reminders.timezone", "America/New_York"}}, "today|1 December|07:00",
       "today|1 December|03:00", [](T& t, Daemon& d) { return Body(t, d, [] { FreshOptions o; o.group_zone = false; return o; }()); }},
      {"reminders.send", {}, {{"reminders.send", "[{hours_before: 1}]"}}, "today|1 December|09:00", "(none)",
       [](T& t, Daemon& d) { return Body(t, d, StartsIn(hours(3))); }},
      {"reminders.quiet_hours", {}, {{"reminders.quiet_hours", "{start: \"07:00\", end: \"12:00\"}"}},
       "today|1 December|12:00", "(none)", [](T& t, Daemon& d) { return Body(t, d, StartsIn(hours(6))); }},
      {"reminders.lookahead_days", {}, {{"reminders.lookahead_days", "2"}}, "Friday|4 December|06:00", "(none)",
       [](T& t, Daemon& d) { return Body(t, d, StartsIn(hours(72))); }},
      {"reminders.plan_interval_seconds", {{"reminders.plan_interval_seconds", "1"}},
       {{"reminders.plan_interval_seconds", "3600"}}, "planned", "not planned yet",
       [](T& t, Daemon& d) {
         d.scheduler().Tick();  // plans now
         const Fresh f = t.AddFresh({});
         t.clock_->Advance(seconds(2));
         d.scheduler().Tick();
         return t.CountTo(f.phone()) ? "planned" : "not planned yet";
       }},
      {"reminders.lease_seconds", {}, {{"reminders.lease_seconds", "30"}}, "15", "30",
       [](T& t, Daemon& d) {
         const Fresh f = t.AddFresh({});
         std::string lease = "(not sent)";
         t.during_send_ = [&](const OutgoingMessage& m) {
           if (m.to != f.phone()) return;
           const int64_t until = FieldInt(t.JobOf(d, f.members[0]), "lease_until");
           lease = std::to_string((until - UnixMillis(t.clock_->Now())) / 1000);
         };
         d.scheduler().Tick();
         t.during_send_ = nullptr;
         return lease;
       }},
      {"reminders.digest_hours_before", {}, {{"reminders.digest_hours_before", "0"}}, "1 digest", "0 digest",
       [](T& t, Daemon& d) {
         const std::string coordinator = "+447700900888";
         const int before = t.CountTo(coordinator);
         t.AddFresh([&] { FreshOptions o; o.coordinator = coordinator; return o; }());
         d.scheduler().Tick();
         return std::to_string(t.CountTo(coordinator) - before) + " digest";
       }},
      {"reminders.follow_up_hours_before", {{"templates.en.follow_up", "\"follow-up\""}},
       {{"templates.en.follow_up", "\"follow-up\""}, {"reminders.follow_up_hours_before", "0.5"}},
       "today|1 December|07:00", "today|1 December|08:31 + follow-up",
       [](T& t, Daemon& d) {
         const Fresh f = t.AddFresh({});
         d.scheduler().Tick();
         t.clock_->Advance(minutes(31));
         d.scheduler().Tick();
         std::string out;
         for (const auto& m : t.standin_.Messages()) {
           if (m.to == f.phone()) out += (out.empty() ? "" : " + ") + m.body;
         }
         return out;
       }},
      // checkind itself prices nothing: `checkinctl lint` reads the file each
      // run. After a reload the running config holds the new value.
      {"pricing.per_segment", {}, {{"pricing.per_segment", "0.05"}}, "0.04", "0.05",
       [](T&, Daemon& d) {
         std::ostringstream out;
         out << d.config()->pricing.per_segment;
         return out.str();
       }},
      {"pricing.currency", {}, {{"pricing.currency", "EUR"}}, "GBP", "EUR",
       [](T&, Daemon& d) { return d.config()->pricing.currency; }},
      {"dashboard.user", {{"dashboard.user", "coord"}}, {{"dashboard.user", "lead"}}, "200", "401",
       [](T& t, Daemon& d) { return std::to_string(t.DashboardStatus(d, "coord", "pw")); },
       [](T&, Daemon& d) { ASSERT_OK(d.StartListener()); }},
      {"dashboard.password_env", {{"dashboard.user", "coord"}, {"dashboard.password_env", "PW_A"}},
       {{"dashboard.user", "coord"}, {"dashboard.password_env", "PW_B"}}, "200", "401",
       [](T& t, Daemon& d) { return std::to_string(t.DashboardStatus(d, "coord", "password-a")); },
       [](T&, Daemon& d) { ASSERT_OK(d.StartListener()); }},
      {"safeguarding.contacts", {{"safeguarding.contacts", std::string("[\"") + kContactA + "\"]"}},
       {{"safeguarding.contacts", std::string("[\"") + kContactB + "\"]"}}, "alerted A", "alerted B",
       [](T& t, Daemon& d) {
         const int a = t.CountTo(kContactA), b = t.CountTo(kContactB);
         EXPECT_OK(t.Reply(d, kWorried));
         d.scheduler().Tick();
         return std::string(t.CountTo(kContactA) > a ? "alerted A" : "") + (t.CountTo(kContactB) > b ? "alerted B" : "");
       }},
      // The next contact is alerted when nobody acknowledged within this long.
      {"safeguarding.acknowledge_within_minutes",
       {{"safeguarding.contacts", std::string("[\"") + kContactA + "\", \"" + kContactB + "\"]"}},
       {{"safeguarding.contacts", std::string("[\"") + kContactA + "\", \"" + kContactB + "\"]"},
        {"safeguarding.acknowledge_within_minutes", "1"}},
       "B not yet", "B alerted",
       [](T& t, Daemon& d) {
         const int b = t.CountTo(kContactB);
         EXPECT_OK(t.Reply(d, kWorried));
         d.scheduler().Tick();
         t.clock_->Advance(minutes(2));
         d.scheduler().Tick();
         return t.CountTo(kContactB) > b ? "B alerted" : "B not yet";
       }},
      {"safeguarding.phrases.<lang>", {{"safeguarding.contacts", std::string("[\"") + kContactA + "\"]"}},
       {{"safeguarding.contacts", std::string("[\"") + kContactA + "\"]"},
        {"safeguarding.phrases.en", "[\"purple elephant\"]"}},
       "no alert", "alerted",
       [](T& t, Daemon& d) {
         const int a = t.CountTo(kContactA);
         EXPECT_OK(t.Reply(d, "there is a purple elephant in the room"));
         d.scheduler().Tick();
         return t.CountTo(kContactA) > a ? "alerted" : "no alert";
       }},
      // The fresh groups g1, g2, ... each get a group file in $GROUPS with
      // their own reminder; before the reload groups_dir names no folder.
      {"groups_dir", {}, {{"groups_dir", "\"$GROUPS\""}}, "today|1 December|07:00", "from her group's file",
       [](T& t, Daemon& d) { return Body(t, d); },
       [](T& t, Daemon&) {
         for (int n = 1; n <= 40; ++n) {
           std::ofstream(t.GroupsDir() + "/g" + std::to_string(n) + ".yaml")
               << "templates:\n  en:\n    reminder: \"from her group's file\"\n";
         }
       }},
      {"templates.<lang>.<kind>", {}, {{"templates.en.reminder", "\"See you {day}\""}}, "today|1 December|07:00",
       "See you today", [](T& t, Daemon& d) { return Body(t, d); }},
      {"templates.<lang>.words.today", {}, {{"templates.en.words.today", "\"this very day\""}},
       "today|1 December|07:00", "this very day|1 December|08:00", [](T& t, Daemon& d) { return Body(t, d); }},
      {"templates.<lang>.words.tomorrow", {}, {{"templates.en.words.tomorrow", "\"the morrow\""}},
       "tomorrow|2 December|06:00", "the morrow|2 December|07:00",
       [](T& t, Daemon& d) { return Body(t, d, StartsIn(hours(24))); }},
      {"templates.<lang>.words.weekdays", {},
       {{"templates.en.words.weekdays", "[Mon, Tue, Wed, Thu, Fri, Sat, Sun]"}}, "Friday|4 December|06:00",
       "Fri|4 December|07:00", [](T& t, Daemon& d) { return Body(t, d, StartsIn(hours(72))); }},
      {"templates.<lang>.words.months", {},
       {{"templates.en.words.months", "[Jan, Feb, Mar, Apr, May, Jun, Jul, Aug, Sep, Oct, Nov, Dec]"}},
       "today|1 December|07:00", "today|1 Dec|08:00", [](T& t, Daemon& d) { return Body(t, d); }},
      {"replies.<lang>.replace", {{"replies.en.yes", "[yeppers]"}},
       {{"replies.en.yes", "[yeppers]"}, {"replies.en.replace", "true"}}, "yes", "unclear",
       [](T& t, Daemon& d) { return t.ReplyLabel(d, "see you there"); }},
      {"replies.<lang>.yes", {}, {{"replies.en.yes", "[yeppers]"}}, "unclear", "yes",
       [](T& t, Daemon& d) { return t.ReplyLabel(d, "yeppers"); }},
      {"replies.<lang>.no", {}, {{"replies.en.no", "[nopers]"}}, "unclear", "no",
       [](T& t, Daemon& d) { return t.ReplyLabel(d, "nopers"); }},
      {"replies.<lang>.maybe", {}, {{"replies.en.maybe", "[perhapsy]"}}, "unclear", "maybe",
       [](T& t, Daemon& d) { return t.ReplyLabel(d, "perhapsy"); }},
  };
}

TEST_P(ReloadKeyTest, TheNewValueIsUsedAfterAReload) {
  const ReloadCase& c = GetParam();
  SCOPED_TRACE(c.key);
  auto d = Start(ConfigOf(c.before));
  ASSERT_NE(d, nullptr);
  if (c.arrange) c.arrange(*this, *d);
  EXPECT_EQ(c.observe(*this, *d), c.want_before) << "before the reload\n" << log_.Joined();
  // What the observation left behind (retries, pauses) settles first, so
  // the next one starts clean: an hour in ten-minute steps, which is why a
  // want_after's session times are an hour later than its want_before's.
  for (int i = 0; i < 6; ++i) {
    clock_->Advance(minutes(10));
    d->scheduler().Tick();
  }
  auto after = ConfigOf(c.after);
  ASSERT_NE(after, nullptr);
  d->SetConfig(after);  // what SIGHUP does (main.cc Reload)
  EXPECT_EQ(c.observe(*this, *d), c.want_after) << "after the reload\n" << log_.Joined();
}

std::string CaseName(const ::testing::TestParamInfo<ReloadCase>& info) {
  std::string name;
  for (const char* p = info.param.key; *p; ++p) {
    if (std::isalnum(static_cast<unsigned char>(*p))) name += *p;
    else if (!name.empty() && name.back() != '_') name += '_';
  }
  while (!name.empty() && name.back() == '_') name.pop_back();
  return name;
}

INSTANTIATE_TEST_SUITE_P(EveryReloadableKey, ReloadKeyTest, ::testing::ValuesIn(ReloadCases::All()), CaseName);

// A key marked reloadable must have its case above, and a case must be a
// reloadable key, so the table, the docs and this test cannot drift.
TEST(ReloadCoverage, EveryReloadableKeyHasACase) {
  std::set<std::string> cases;
  for (const ReloadCase& c : ReloadCases::All()) EXPECT_TRUE(cases.insert(c.key).second) << "two cases for " << c.key;
  for (const ConfigKey& k : ConfigTable()) {
    if (k.reloadable) {
      EXPECT_TRUE(cases.count(k.path)) << k.path << " is marked reloadable but no case in reload_test.cc shows it "
                                        << "reloaded; add one, or mark it restart-only";
    } else {
      EXPECT_FALSE(cases.count(k.path)) << k.path << " is restart-only but has a reload case";
    }
  }
}

}  // namespace
}  // namespace checkin
