// GET /dashboard: the page rendered from data (escaping, counts, cancelled
// sessions, empty states, local times), the basic-auth check as a table, and
// the route over HTTP against a real checkind Daemon and redis-server with
// members, sessions, answers and inbox entries written as other systems
// write them. The browser test is tests/e2e/run_dashboard_e2e.sh.
#include "http/dashboard.h"

#include <date/tz.h>
#include <gmock/gmock.h>
#include <httplib.h>
#include <openssl/evp.h>

#include <algorithm>

#include "daemon_fixture.h"
#include "time/zone.h"

namespace checkin {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string Base64(const std::string& text) {
  std::string out(4 * ((text.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::string Basic(const std::string& user, const std::string& password) {
  return "Basic " + Base64(user + ":" + password);
}

// ------------------------------------------------------------- rendering ---

Attendance MakeAttendance(const std::string& id, const std::string& title, const char* starts_at,
                          const char* zone = "Europe/London") {
  Attendance a;
  a.session.id = id;
  a.session.group_id = "g";
  a.session.title = title;
  a.session.venue = "Walkerburn hall";
  a.session.starts_at = T(starts_at);
  a.group.id = "g";
  a.group.name = "Baby massage";
  a.zone = FindTimeZone(zone);
  return a;
}

void AddAnswer(Attendance& a, const std::string& name, const std::string& answer) {
  a.members.push_back({name, name, "+447700900123", answer});
  if (answer == "yes") a.count.coming++;
  else if (answer == "maybe") a.count.maybe++;
  else if (answer == "no") a.count.not_coming++;
  else if (answer.empty()) a.count.no_answer++;
}

DashboardData MakeData() {
  DashboardData d;
  d.now = T("2026-12-01T06:00:00Z");
  d.zone = FindTimeZone("Europe/London");
  return d;
}

TEST(DashboardRender, ShowsCountsAndWhoSaidWhat) {
  DashboardData d = MakeData();
  Attendance a = MakeAttendance("s1", "Baby massage", "2026-12-01T10:00:00Z");
  AddAnswer(a, "Amy", "yes");
  AddAnswer(a, "Bea", "yes");
  AddAnswer(a, "Chloe", "maybe");
  AddAnswer(a, "Dee", "no");
  AddAnswer(a, "Eve", "");
  AddAnswer(a, "Fay", "opted out");
  d.sessions.push_back(a);
  const std::string html = RenderDashboard(d);
  EXPECT_THAT(html, HasSubstr("<b>2</b> coming, <b>1</b> maybe, <b>1</b> not coming, <b>1</b> no answer"));
  EXPECT_THAT(html, HasSubstr("<li>Coming: Amy, Bea</li>"));
  EXPECT_THAT(html, HasSubstr("<li>Maybe: Chloe</li>"));
  EXPECT_THAT(html, HasSubstr("<li>Not coming: Dee</li>"));
  EXPECT_THAT(html, HasSubstr("<li>No answer: Eve</li>"));
  EXPECT_THAT(html, HasSubstr("<li>Opted out (not counted): Fay</li>"));
  EXPECT_THAT(html, HasSubstr("Tue 1 Dec 10:00 &middot; Walkerburn hall"));
  EXPECT_THAT(html, Not(HasSubstr("CANCELLED")));
  EXPECT_THAT(html, Not(HasSubstr("900123"))) << "no phone numbers on the page";
}

TEST(DashboardRender, OpenConcernsComeAboveEverythingWithHerNumberAndWords) {
  DashboardData d = MakeData();
  d.sessions.push_back(MakeAttendance("s1", "Baby massage", "2026-12-01T10:00:00Z"));
  Concern c;
  c.id = "2a8f754d86255b75";
  c.name = "Chloe";
  c.phone = "+447700900789";
  c.group = "g";
  c.body = "I can't cope <anymore>";
  c.received_at = "2026-12-01T03:10:00Z";
  c.alerted = {"+447700900555"};
  d.concerns.push_back(c);
  const std::string html = RenderDashboard(d);
  const size_t concern = html.find("Needs a person now"), sessions = html.find("Upcoming sessions");
  ASSERT_NE(concern, std::string::npos) << html;
  EXPECT_LT(concern, sessions) << "open concerns come first";
  EXPECT_NE(html.find("Chloe +447700900789"), std::string::npos) << "her full number, to call her back";
  EXPECT_NE(html.find("I can&#39;t cope &lt;anymore&gt;"), std::string::npos) << "her words, escaped";
  EXPECT_NE(html.find("1 contact(s) alerted"), std::string::npos);
  EXPECT_EQ(RenderDashboard(MakeData()).find("Needs a person now"), std::string::npos) << "nothing when none is open";
}

TEST(DashboardRender, PageIsPlainAndReadableOnAPhone) {
  const std::string html = RenderDashboard(MakeData());
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_THAT(html, HasSubstr("<meta charset=\"utf-8\">"));
  EXPECT_THAT(html, HasSubstr("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"));
  EXPECT_THAT(html, HasSubstr("<style>"));
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, Not(HasSubstr("http")));  // no external asset, no link out
}

TEST(DashboardRender, EscapesEveryValue) {
  DashboardData d = MakeData();
  Attendance a = MakeAttendance("s1", "Tea & <i>cake</i>", "2026-12-01T10:00:00Z");
  a.session.venue = "St \"Mary's\" hall";
  a.group.name = "<b>group</b>";
  AddAnswer(a, "<script>alert(1)</script>", "yes");
  d.sessions.push_back(a);
  InboxRow row;
  row.entry.body = "<img src=x onerror=alert(2)> & 'quotes'";
  row.entry.reason = "unclear";
  row.entry.received_at = "2026-12-01T05:30:00Z";
  row.who = "<u>Amy</u>";
  row.session_title = "<s>title</s>";
  row.session_starts_at = T("2026-12-01T10:00:00Z");
  row.zone = FindTimeZone("Europe/London");
  d.inbox.push_back(row);
  const std::string html = RenderDashboard(d);
  EXPECT_THAT(html, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_THAT(html, HasSubstr("Tea &amp; &lt;i&gt;cake&lt;/i&gt;"));
  EXPECT_THAT(html, HasSubstr("St &quot;Mary&#39;s&quot; hall"));
  EXPECT_THAT(html, HasSubstr("&lt;b&gt;group&lt;/b&gt;"));
  EXPECT_THAT(html, HasSubstr("&lt;img src=x onerror=alert(2)&gt; &amp; &#39;quotes&#39;"));
  EXPECT_THAT(html, HasSubstr("&lt;u&gt;Amy&lt;/u&gt;"));
  EXPECT_THAT(html, HasSubstr("&lt;s&gt;title&lt;/s&gt;"));
  for (const char* raw : {"<script", "<i>", "<img", "<u>", "<s>", "<b>group"}) {
    EXPECT_THAT(html, Not(HasSubstr(raw))) << raw;
  }
}

TEST(DashboardRender, MarksCancelledSessions) {
  DashboardData d = MakeData();
  Attendance a = MakeAttendance("s1", "Buggy walk", "2026-12-02T10:00:00Z");
  a.session.cancelled = true;
  AddAnswer(a, "Amy", "yes");
  d.sessions.push_back(a);
  d.sessions.push_back(MakeAttendance("s2", "Drop-in", "2026-12-03T10:00:00Z"));
  const std::string html = RenderDashboard(d);
  EXPECT_THAT(html, HasSubstr("<section class=\"cancelled\"><h2>Buggy walk</h2><p><span class=\"tag\">CANCELLED"));
  EXPECT_THAT(html, HasSubstr("<section><h2>Drop-in</h2>"));
  EXPECT_EQ(html.find("CANCELLED"), html.rfind("CANCELLED")) << "only the cancelled one is marked";
}

TEST(DashboardRender, EmptyStates) {
  const std::string html = RenderDashboard(MakeData());
  EXPECT_THAT(html, HasSubstr("No sessions in the next 8 days."));
  EXPECT_THAT(html, HasSubstr("The inbox is empty."));
  EXPECT_THAT(html, HasSubstr("updated Tue 1 Dec 06:00 (Europe/London)"));

  DashboardData d = MakeData();
  d.sessions.push_back(MakeAttendance("s1", "Empty group", "2026-12-01T10:00:00Z"));
  EXPECT_THAT(RenderDashboard(d), HasSubstr("No members in this group."));
}

TEST(DashboardRender, TimesInEachGroupsZone) {
  DashboardData d = MakeData();
  d.sessions.push_back(MakeAttendance("s1", "Summer", "2026-07-01T09:00:00Z", "Europe/London"));  // BST
  d.sessions.push_back(MakeAttendance("s2", "New York", "2026-12-01T15:00:00Z", "America/New_York"));
  InboxRow row;
  row.entry.received_at = "2026-12-01T23:30:00Z";
  row.entry.reason = "no_session";
  row.who = "Amy";
  row.zone = FindTimeZone("Asia/Karachi");  // +05:00
  d.inbox.push_back(row);
  const std::string html = RenderDashboard(d);
  EXPECT_THAT(html, HasSubstr("Wed 1 Jul 10:00"));
  EXPECT_THAT(html, HasSubstr("Tue 1 Dec 10:00"));
  EXPECT_THAT(html, HasSubstr("Wed 2 Dec 04:30 \u00b7 Amy \u00b7 no session to match"));
}

TEST(DashboardRender, InboxRowSaysWhenWhoSessionReasonAndBody) {
  DashboardData d = MakeData();
  InboxRow row;
  row.entry.body = "is there parking?";
  row.entry.reason = "unclear";
  row.entry.received_at = "2026-12-01T05:30:00Z";
  row.who = "Amy";
  row.session_title = "Baby massage";
  row.session_starts_at = T("2026-12-01T10:00:00Z");
  row.zone = FindTimeZone("Europe/London");
  d.inbox.push_back(row);
  EXPECT_THAT(RenderDashboard(d),
              HasSubstr("<article><p class=\"meta\">Tue 1 Dec 05:30 \u00b7 Amy \u00b7 Baby massage (Tue 1 Dec 10:00) "
                        "\u00b7 not a clear yes/no</p><p class=\"body\">is there parking?</p></article>"));
}

TEST(DashboardRender, HtmlEscapeTable) {
  const std::pair<std::string, std::string> cases[] = {
      {"", ""}, {"plain", "plain"}, {"a&b", "a&amp;b"}, {"<>", "&lt;&gt;"},
      {"\"'", "&quot;&#39;"}, {"Zo\u00eb \U0001F60A", "Zo\u00eb \U0001F60A"}, {"&amp;", "&amp;amp;"},
  };
  for (const auto& [in, want] : cases) EXPECT_EQ(HtmlEscape(in), want) << "input: " << in;
}

// ------------------------------------------------------------------ auth ---

TEST(DashboardAuthCheck, Table) {
  Config::Dashboard on;
  on.user = "coord";
  on.password = "pa:ss w\u00f6rd";
  struct Case {
    const char* name;
    std::string header;
    DashboardAccess want;
  };
  const Case cases[] = {
      {"no header", "", DashboardAccess::kMissing},
      {"other scheme", "Bearer abc", DashboardAccess::kMissing},
      {"scheme only", "Basic", DashboardAccess::kMissing},
      {"empty token", "Basic ", DashboardAccess::kMalformed},
      {"not base64", "Basic !!!!", DashboardAccess::kMalformed},
      {"length not x4", "Basic " + Base64("coord:pa:ss w\u00f6rd") + "A", DashboardAccess::kMalformed},
      {"padding inside", "Basic Y2=vcmQ6eA==", DashboardAccess::kMalformed},
      {"space inside", "Basic Y29y ZDp4", DashboardAccess::kMalformed},
      {"no colon", "Basic " + Base64("coordpass"), DashboardAccess::kMalformed},
      {"wrong user", Basic("coordx", "pa:ss w\u00f6rd"), DashboardAccess::kWrongCredentials},
      {"user prefix", Basic("coo", "pa:ss w\u00f6rd"), DashboardAccess::kWrongCredentials},
      {"wrong password", Basic("coord", "pa:ss word"), DashboardAccess::kWrongCredentials},
      {"password prefix", Basic("coord", "pa:ss"), DashboardAccess::kWrongCredentials},
      {"empty password", Basic("coord", ""), DashboardAccess::kWrongCredentials},
      {"right", Basic("coord", "pa:ss w\u00f6rd"), DashboardAccess::kGranted},
      {"scheme any case", "bAsIc " + Base64("coord:pa:ss w\u00f6rd"), DashboardAccess::kGranted},
      {"two spaces", "Basic  " + Base64("coord:pa:ss w\u00f6rd"), DashboardAccess::kGranted},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(static_cast<int>(CheckDashboardAuth(c.header, on).access), static_cast<int>(c.want)) << c.name;
  }
  EXPECT_EQ(CheckDashboardAuth(Basic("coordx", "x"), on).user, "coordx");

  Config::Dashboard off;  // user ""
  EXPECT_EQ(CheckDashboardAuth(Basic("", ""), off).access, DashboardAccess::kDisabled);
  Config::Dashboard no_password;
  no_password.user = "coord";
  EXPECT_EQ(CheckDashboardAuth(Basic("coord", ""), no_password).access, DashboardAccess::kDisabled);
}

// ------------------------------------------------------------- over HTTP ---

constexpr const char* kUser = "coord";
constexpr const char* kPassword = "correct horse battery staple";

class DashboardHttpTest : public DaemonFixture {
 protected:
  void SetUp() override {
    DaemonFixture::SetUp();
    AddGroup("g", {{"amy", "+447700900123"}, {"bea", "+447700900456"}, {"cat", "+447700900789"},
                   {"dee", "+447700900111"}, {"eve", "+447700900222"}});
    Cli({"HSET", p_ + "member:amy", "name", "Amy"});
    Cli({"HSET", p_ + "member:bea", "name", "<script>alert(1)</script>"});
    AddSession("s1", "g", "2026-12-01T10:00:00+00:00");
    Cli({"HSET", p_ + "session:s1", "title", "Baby massage"});
    Cli({"HSET", p_ + "session:s1:rsvp", "amy", "yes", "bea", "yes", "cat", "maybe", "dee", "no"});
    AddSession("s2", "g", "2026-12-03T10:00:00+00:00");
    Cli({"HSET", p_ + "session:s2", "title", "Buggy walk", "status", "cancelled"});
    AddSession("later", "g", "2026-12-20T10:00:00+00:00");  // beyond 8 days
    Cli({"HSET", p_ + "session:later", "title", "Christmas party"});
    AddSession("past", "g", "2026-11-30T10:00:00+00:00");
    Cli({"HSET", p_ + "session:past", "title", "Last week"});
    Cli({"XADD", p_ + "inbox", "*", "member", "amy", "group", "g", "session", "s1", "body", "is there parking?",
         "received_at", "2026-12-01T05:30:00Z", "from", "+447700900123", "reason", "unclear"});
    Cli({"XADD", p_ + "inbox", "*", "member", "", "group", "", "session", "", "body", "who is this?",
         "received_at", "2026-12-01T05:40:00Z", "from", "+447700900999", "reason", "unknown_sender"});
    daemon_ = Start(WithDashboard(kUser));
  }

  std::shared_ptr<const Config> WithDashboard(const std::string& user, const std::string& password = kPassword,
                                              const std::string& redis_url = "") {
    std::string yaml = Yaml();
    if (!redis_url.empty()) {
      const std::string from = "url: \"" + redis_->Url() + "\"";
      yaml.replace(yaml.find(from), from.size(), "url: \"" + redis_url + "\"");
    }
    if (!user.empty()) yaml += "dashboard:\n  user: \"" + user + "\"\n  password_env: \"DASH_PASSWORD\"\n";
    Config::SecretSource secrets;
    secrets.getenv = [token = standin_.auth_token(), password](const std::string& name) -> std::optional<std::string> {
      if (name == "TWILIO_AUTH_TOKEN") return token;
      if (name == "DASH_PASSWORD") return password;
      return std::nullopt;
    };
    secrets.read_file = [](const std::string& path) -> Result<std::string> { return Status::NotFound(path); };
    auto c = Config::Parse(yaml, "test.yaml", secrets);
    EXPECT_OK(c);
    return std::make_shared<const Config>(std::move(*c));
  }

  std::unique_ptr<Daemon> Start(std::shared_ptr<const Config> config) {
    DaemonOptions o;
    o.clock = clock_;
    o.logger = log_.logger;
    o.instance_id = "d1";
    o.listen = "127.0.0.1:0";
    auto d = Daemon::Create(std::move(config), o);
    EXPECT_OK(d);
    EXPECT_OK((*d)->StartListener());
    return std::move(*d);
  }

  httplib::Result Get(Daemon& d, const std::string& authorization = "") {
    httplib::Client http("127.0.0.1", d.listener_port());
    httplib::Headers headers;
    if (!authorization.empty()) headers.emplace("Authorization", authorization);
    return http.Get("/dashboard", headers);
  }

  static void ExpectSecurityHeaders(const httplib::Response& res) {
    EXPECT_EQ(res.get_header_value("Cache-Control"), "no-store");
    EXPECT_EQ(res.get_header_value("Content-Security-Policy"), "default-src 'none'; style-src 'unsafe-inline'");
    EXPECT_EQ(res.get_header_value("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(res.get_header_value("Referrer-Policy"), "no-referrer");
  }

  std::unique_ptr<Daemon> daemon_;
};

TEST_F(DashboardHttpTest, WithoutCredentialsAsksForThem) {
  auto res = Get(*daemon_);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
  EXPECT_EQ(res->get_header_value("WWW-Authenticate"), "Basic realm=\"checkin\", charset=\"UTF-8\"");
  EXPECT_THAT(res->body, HasSubstr("Sign-in needed"));
  EXPECT_THAT(res->body, Not(HasSubstr("Baby massage")));
  ExpectSecurityHeaders(*res);
}

TEST_F(DashboardHttpTest, WrongCredentialsRefusedAndLoggedWithoutThePassword) {
  const std::pair<const char*, std::string> cases[] = {
      {"wrong user", Basic("admin", kPassword)},
      {"wrong password", Basic(kUser, "guess-that-is-secret")},
      {"malformed base64", "Basic Y29y*ZDp4"},
  };
  for (const auto& [name, header] : cases) {
    auto res = Get(*daemon_, header);
    ASSERT_TRUE(res) << name;
    EXPECT_EQ(res->status, 401) << name;
    EXPECT_EQ(res->get_header_value("WWW-Authenticate"), "Basic realm=\"checkin\", charset=\"UTF-8\"") << name;
    EXPECT_THAT(res->body, Not(HasSubstr("Baby massage"))) << name;
  }
  const std::string warnings = log_.Joined(spdlog::level::warn);
  EXPECT_THAT(warnings, HasSubstr("dashboard: refused 127.0.0.1: wrong user name or password (user 'admin')"));
  EXPECT_THAT(warnings, HasSubstr("dashboard: refused 127.0.0.1: wrong user name or password (user 'coord')"));
  EXPECT_THAT(warnings, HasSubstr("dashboard: refused 127.0.0.1: malformed Authorization header"));
  EXPECT_THAT(log_.Joined(), Not(HasSubstr("guess-that-is-secret")));
  EXPECT_THAT(log_.Joined(), Not(HasSubstr(kPassword)));
}

TEST_F(DashboardHttpTest, ShowsWhatACoordinatorNeeds) {
  auto res = Get(*daemon_, Basic(kUser, kPassword));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(res->get_header_value("Content-Type"), "text/html; charset=utf-8");
  ExpectSecurityHeaders(*res);
  const std::string& html = res->body;
  // s1: Amy and Bea yes, Cat maybe, Dee no, Eve no answer.
  EXPECT_THAT(html, HasSubstr("<h2>Baby massage</h2>"));
  EXPECT_THAT(html, HasSubstr("<b>2</b> coming, <b>1</b> maybe, <b>1</b> not coming, <b>1</b> no answer"));
  EXPECT_THAT(html, HasSubstr("<li>Coming: &lt;script&gt;alert(1)&lt;/script&gt;, Amy</li>"));
  EXPECT_THAT(html, HasSubstr("<li>No answer: Mum eve</li>"));
  EXPECT_THAT(html, Not(HasSubstr("<script>")));
  // s2 is cancelled; later and past sessions are not shown.
  EXPECT_THAT(html, HasSubstr("<section class=\"cancelled\"><h2>Buggy walk</h2>"));
  EXPECT_THAT(html, Not(HasSubstr("Christmas party")));
  EXPECT_THAT(html, Not(HasSubstr("Last week")));
  EXPECT_LT(html.find("Baby massage"), html.find("Buggy walk"));
  // The inbox, newest first: an unknown number masked, Amy's question with its session.
  EXPECT_THAT(html, HasSubstr("Tue 1 Dec 05:40 \u00b7 +44******0999 \u00b7 unknown number"));
  EXPECT_THAT(html, HasSubstr("Tue 1 Dec 05:30 \u00b7 Amy \u00b7 Baby massage (Tue 1 Dec 10:00) \u00b7 not a clear"));
  EXPECT_LT(html.find("who is this?"), html.find("is there parking?"));
  for (const char* phone : {"900123", "900456", "900789", "900999"}) {
    EXPECT_THAT(html, Not(HasSubstr(phone))) << "no phone numbers on the page";
  }
}

// Issue 13: a key of the wrong type anywhere the page reads (a group's
// members, a member's hash, a session's answers, the inbox, the open
// concerns) is shown as unreadable and reported once; the page is still 200.
TEST_F(DashboardHttpTest, KeysOfTheWrongTypeAreShownUnreadableNotA500) {
  Cli({"HSET", p_ + "group:h", "name", "Buggy walk group", "timezone", "Europe/London"});
  Cli({"SET", p_ + "group:h:members", "amy,bea"});
  AddSession("s3", "h", "2026-12-02T10:00:00+00:00");
  Cli({"HSET", p_ + "session:s3", "title", "Walk in the park"});
  Cli({"DEL", p_ + "session:s1:rsvp"});
  Cli({"SET", p_ + "session:s1:rsvp", "amy=yes"});
  Cli({"DEL", p_ + "member:eve"});
  Cli({"LPUSH", p_ + "member:eve", "Eve"});
  Cli({"DEL", p_ + "inbox"});
  Cli({"SET", p_ + "inbox", "not a stream"});
  Cli({"SET", p_ + "concerns:open", "not a sorted set"});
  const std::vector<std::string> bad = {p_ + "group:h:members", p_ + "session:s1:rsvp", p_ + "member:eve",
                                        p_ + "inbox", p_ + "concerns:open"};
  for (int pass = 0; pass < 3; ++pass) {
    auto res = Get(*daemon_, Basic(kUser, kPassword));
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
    const std::string& html = res->body;
    EXPECT_THAT(html, HasSubstr("<h2>Baby massage</h2>"));
    EXPECT_THAT(html, HasSubstr("<h2>Walk in the park</h2>")) << "the session of the bad members set is still shown";
    EXPECT_THAT(html, HasSubstr("<li>No answer: ")) << "answers unreadable: nobody's answer is known";
    EXPECT_THAT(html, Not(HasSubstr("Mum eve")));
    EXPECT_THAT(html, HasSubstr("Concerns could not be read"));
    for (const auto& key : bad) EXPECT_THAT(html, HasSubstr(key)) << "named on the page as unreadable";
  }
  const std::vector<std::string> warnings = log_.Lines(spdlog::level::warn);
  for (const auto& key : bad) {
    const auto n = std::count_if(warnings.begin(), warnings.end(), [&](const std::string& line) {
      return line.find("skipping " + key + ": wrong type") != std::string::npos;
    });
    EXPECT_EQ(n, 1) << key << " reported once over three page loads:\n" << log_.Joined(spdlog::level::warn);
  }
  EXPECT_THAT(log_.Joined(spdlog::level::warn), Not(HasSubstr("dashboard: cannot read")));
  EXPECT_THAT(log_.Joined(spdlog::level::info), Not(HasSubstr("7700900"))) << "no phone numbers logged";
}

TEST_F(DashboardHttpTest, ShowsTheInboxLimitedToTwenty) {
  for (int i = 0; i < 25; ++i) {
    Cli({"XADD", p_ + "inbox", "*", "member", "amy", "group", "g", "session", "", "body",
         "question " + std::to_string(i) + ".", "received_at", "2026-12-01T05:50:00Z", "from", "+447700900123",
         "reason", "no_session"});
  }
  auto res = Get(*daemon_, Basic(kUser, kPassword));
  ASSERT_TRUE(res);
  EXPECT_THAT(res->body, HasSubstr("question 24."));
  EXPECT_THAT(res->body, HasSubstr("question 5."));
  EXPECT_THAT(res->body, Not(HasSubstr("question 4.")));
  EXPECT_THAT(res->body, Not(HasSubstr("is there parking?")));
}

TEST_F(DashboardHttpTest, OffWhileUserIsEmptyAndFollowsReloads) {
  auto off = Start(WithDashboard(""));
  auto res = Get(*off, Basic(kUser, kPassword));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);

  // SIGHUP reloads: the running daemon reads the config per request.
  daemon_->SetConfig(WithDashboard(""));
  res = Get(*daemon_, Basic(kUser, kPassword));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
  daemon_->SetConfig(WithDashboard("lead", "new password"));
  res = Get(*daemon_, Basic(kUser, kPassword));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
  res = Get(*daemon_, Basic("lead", "new password"));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
}

TEST_F(DashboardHttpTest, RedisDownGives503WithAClearText) {
  const std::string dead = "redis://127.0.0.1:" + std::to_string(testing::FreeLoopbackPort()) + "/0";
  auto down = Start(WithDashboard(kUser, kPassword, dead));
  auto res = Get(*down, Basic(kUser, kPassword));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 503);
  EXPECT_THAT(res->body, HasSubstr("cannot reach its database (Redis)"));
  ExpectSecurityHeaders(*res);
  // Without credentials it still asks for them first: nothing is read.
  res = Get(*down);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
}

TEST_F(DashboardHttpTest, CountedInMetricsUnderItsRoute) {
  ASSERT_TRUE(Get(*daemon_));
  ASSERT_TRUE(Get(*daemon_, Basic(kUser, kPassword)));
  const std::string metrics = daemon_->metrics().Render();
  EXPECT_THAT(metrics, HasSubstr(R"(checkin_webhook_requests_total{code="401",route="/dashboard"} 1)"));
  EXPECT_THAT(metrics, HasSubstr(R"(checkin_webhook_requests_total{code="200",route="/dashboard"} 1)"));
}

}  // namespace
}  // namespace checkin
