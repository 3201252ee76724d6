// Reading Twilio's answers (twilio/message_json.h): dates, pages, and when
// a newest-first listing may stop.
#include "twilio/message_json.h"

#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace checkin {
namespace {

Instant At(long unix_seconds) { return Instant(std::chrono::seconds(unix_seconds)); }

constexpr long k20261201T10 = 1796119200;  // 2026-12-01T10:00:00Z

TEST(ParseRfc2822, ReadsTwiliosDatesAndRefusesOthers) {
  const struct { const char* text; std::optional<long> unix_seconds; } cases[] = {
      {"Tue, 01 Dec 2026 10:00:00 +0000", k20261201T10},
      {"Fri, 24 May 2019 17:44:46 +0000", 1558719886},  // the OpenAPI file's example page
      {"01 Dec 2026 10:00:00 +0000", k20261201T10},      // no day of the week
      {"Tue, 1 Dec 2026 10:00:00 GMT", k20261201T10},
      {"Tue, 01 Dec 2026 11:30:00 +0130", k20261201T10},
      {"Tue, 01 Dec 2026 05:00:00 -0500", k20261201T10},
      {"Tue, 01 Dec 2026 10:00 +0000", k20261201T10},   // seconds are optional
      {"Thu, 29 Feb 2024 00:00:00 +0000", 1709164800},
      {"", std::nullopt},
      {"2026-12-01T10:00:00Z", std::nullopt},
      {"Tue, 01 Dex 2026 10:00:00 +0000", std::nullopt},
      {"Tue, 01 Dec 2026 24:00:00 +0000", std::nullopt},
      {"Tue, 01 Dec 2026 10:00:00", std::nullopt},       // no zone
      {"Tue, 01 Dec 2026 10:00:00 +00", std::nullopt},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    const auto got = ParseRfc2822(c.text);
    ASSERT_EQ(got.has_value(), c.unix_seconds.has_value());
    if (got) {
      EXPECT_EQ(got->time_since_epoch().count(), *c.unix_seconds);
    }
  }
}

TEST(ParseMessagePage, ReadsMessagesAndTheNextPage) {
  auto page = ParseMessagePage(R"({"messages": [
      {"sid": "SM1", "to": "+447700900123", "body": "Hi", "status": "sent", "num_segments": "2",
       "date_created": "Tue, 01 Dec 2026 10:00:00 +0000", "date_sent": "Tue, 01 Dec 2026 10:00:01 +0000"},
      {"sid": "SM2", "to": "+447700900123", "body": "Hi again", "status": "queued", "num_segments": 1,
       "date_created": "Tue, 01 Dec 2026 10:00:05 +0000", "date_sent": null},
      "not a message"],
    "next_page_uri": "/2010-04-01/Accounts/AC1/Messages.json?Page=1"})");
  ASSERT_OK(page);
  ASSERT_EQ(page->messages.size(), 2u);
  EXPECT_EQ(page->messages[0].sid, "SM1");
  EXPECT_EQ(page->messages[0].segments, 2) << "Twilio writes counts as strings";
  EXPECT_EQ(page->messages[0].date_sent, "Tue, 01 Dec 2026 10:00:01 +0000");
  EXPECT_EQ(page->messages[1].status, "queued");
  EXPECT_EQ(page->messages[1].segments, 1);
  EXPECT_EQ(page->messages[1].date_sent, "") << "null until Twilio sends it";
  EXPECT_EQ(page->next_page_uri, "/2010-04-01/Accounts/AC1/Messages.json?Page=1");

  auto last = ParseMessagePage(R"({"messages": [], "next_page_uri": null})");
  ASSERT_OK(last);
  EXPECT_TRUE(last->messages.empty());
  EXPECT_EQ(last->next_page_uri, "");
}

TEST(ParseMessagePage, RefusesWhatIsNotAList) {
  for (const char* body : {"", "[]", "{}", R"({"messages": {}})", "<html>502</html>"}) {
    SCOPED_TRACE(body);
    auto page = ParseMessagePage(body);
    EXPECT_FALSE(page.ok());
  }
}

TEST(ParseMessage, NeedsASid) {
  auto m = ParseMessage(R"({"sid": "SM1", "status": "queued", "num_segments": "1"})");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->status, "queued");
  EXPECT_EQ(m->segments, 1);
  EXPECT_FALSE(ParseMessage(R"({"status": "queued"})").has_value());
  EXPECT_FALSE(ParseMessage("not json").has_value());
  EXPECT_EQ(ParseErrorCode(R"({"code": 21211, "message": "x", "status": 400})"), 21211);
  EXPECT_EQ(ParseErrorCode("<html>"), 0);
}

TEST(ListingRules, KeepWhatCanBeOursAndStopOnlyPastIt) {
  const Instant cutoff = At(k20261201T10);
  const std::string before = "Tue, 01 Dec 2026 09:59:59 +0000";
  const std::string at = "Tue, 01 Dec 2026 10:00:00 +0000";
  const struct {
    const char* name;
    std::string created, sent;
    bool kept, stops;
  } cases[] = {
      {"created and sent before", before, before, false, true},
      {"created before, sent at the cutoff", before, at, false, false},
      {"created before, still queued", before, "", false, false},
      {"created at the cutoff, queued", at, "", true, false},
      {"created at the cutoff, sent", at, at, true, false},
      {"undated", "", "", true, false},
      {"unreadable date", "yesterday", before, true, false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    SentMessage m;
    m.date_created = c.created;
    m.date_sent = c.sent;
    EXPECT_EQ(CreatedSince(m, cutoff), c.kept);
    EXPECT_EQ(ListingPassed(m, cutoff), c.stops);
  }
}

}  // namespace
}  // namespace checkin
