// Retry policy: every code we know, HTTP classes, and the backoff bounds.
#include "dispatch/retry_policy.h"
#include "twilio/errors.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <set>
#include <string>

namespace checkin {
namespace {

using Kind = SendResult::Kind;

struct ClassifyCase {
  const char* name;
  int http_status;
  int error_code;
  Kind want;
};

TEST(RetryPolicy, ClassifiesEveryCode) {
  const ClassifyCase cases[] = {
      {"21211 invalid To", 400, 21211, Kind::kPermanent},
      {"21408 region not permitted", 400, 21408, Kind::kPermanent},
      {"21610 unsubscribed", 400, 21610, Kind::kPermanent},
      {"21612 unreachable", 400, 21612, Kind::kPermanent},
      {"21614 not mobile", 400, 21614, Kind::kPermanent},
      {"21617 body too long", 400, 21617, Kind::kPermanent},
      {"21608 unverified To (trial)", 400, 21608, Kind::kPermanent},
      {"20003 bad credentials", 401, 20003, Kind::kAccountError},
      {"20404 unknown account", 404, 20404, Kind::kAccountError},
      {"20005 account not active", 401, 20005, Kind::kAccountError},
      {"20403 account suspended", 403, 20403, Kind::kAccountError},
      {"21212 invalid From", 400, 21212, Kind::kAccountError},
      {"21603 no sender", 400, 21603, Kind::kAccountError},
      {"21606 From cannot send SMS", 400, 21606, Kind::kAccountError},
      {"21611 From queue full", 400, 21611, Kind::kAccountError},
      {"21660 From of another account", 400, 21660, Kind::kAccountError},
      {"21701 no such Messaging Service", 400, 21701, Kind::kAccountError},
      {"63007 no WhatsApp sender: WhatsApp members only", 400, 63007, Kind::kPermanent},
      {"401 without a code", 401, 0, Kind::kAccountError},
      {"403 without a code", 403, 0, Kind::kAccountError},
      {"404 without a code (wrong api_base path)", 404, 0, Kind::kAccountError},
      {"account code with a 5xx is Twilio's trouble", 503, 20003, Kind::kRetryable},
      {"20429 too many requests", 429, 20429, Kind::kRetryable},
      {"429 without a code", 429, 0, Kind::kRetryable},
      {"20429 with an odd status", 400, 20429, Kind::kRetryable},
      {"500", 500, 20500, Kind::kRetryable},
      {"502 from a proxy", 502, 0, Kind::kRetryable},
      {"503", 503, 20503, Kind::kRetryable},
      {"no answer (timeout, refused)", 0, 0, Kind::kRetryable},
      {"other 4xx", 400, 99999, Kind::kPermanent},
      {"413 without a code", 413, 0, Kind::kPermanent},
      {"unreadable 2xx is in doubt", 201, 0, Kind::kRetryable},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(ClassifyTwilioError(c.http_status, c.error_code), c.want);
  }
}

TEST(RetryPolicy, MeaningsNameTheCode) {
  for (int code : {20003, 20404, 20429, 21211, 21408, 21610, 21612, 21614, 21617, 30003, 30005,
                   30006, 30007, 30008}) {
    SCOPED_TRACE(code);
    std::string m = TwilioErrorMeaning(code);
    ASSERT_FALSE(m.empty());
    EXPECT_EQ(m.rfind(std::to_string(code) + " ", 0), 0u) << m;
  }
  EXPECT_EQ(TwilioErrorMeaning(21211), "21211 invalid 'To' phone number");
  EXPECT_EQ(TwilioErrorMeaning(12345), "");
}

// Every row of the one table names a meaning and the Twilio page it was
// read from; every account-level row pauses rather than fails.
TEST(RetryPolicy, ErrorTableRowsHaveMeaningsSourcesAndTheirKind) {
  std::set<int> seen;
  for (const TwilioErrorInfo& e : TwilioErrorTable()) {
    SCOPED_TRACE(e.code);
    EXPECT_TRUE(seen.insert(e.code).second) << "listed twice";
    EXPECT_NE(std::string(e.meaning), "");
    EXPECT_EQ(std::string(e.source), "https://www.twilio.com/docs/api/errors/" + std::to_string(e.code));
    const Kind kind = ClassifyTwilioError(400, e.code);
    switch (e.scope) {
      case TwilioErrorScope::kAccount: EXPECT_EQ(kind, Kind::kAccountError); break;
      case TwilioErrorScope::kMessage:
      case TwilioErrorScope::kDelivery: EXPECT_EQ(kind, Kind::kPermanent); break;
      case TwilioErrorScope::kTwilio: break;  // by their HTTP status
    }
  }
  for (int code : {20003, 20404, 21212, 21606}) EXPECT_TRUE(seen.count(code)) << code << " (issue 12)";
}

// docs/twilio.md shows the table between its GENERATED markers;
// CHECKIN_UPDATE_DOCS=1 ./twilio_test rewrites it.
TEST(TwilioErrorDocs, TableIsUpToDate) {
  const std::string begin = "<!-- BEGIN GENERATED: TwilioErrorTableMarkdown() -->\n";
  const std::string end = "<!-- END GENERATED -->";
  const std::string path = std::string(CHECKIN_SOURCE_DIR) + "/docs/twilio.md";
  std::ifstream in(path);
  const std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const size_t b = doc.find(begin), e = doc.find(end, b);
  ASSERT_NE(b, std::string::npos) << path << " lacks " << begin;
  ASSERT_NE(e, std::string::npos) << path << " lacks " << end;
  const std::string current = doc.substr(b + begin.size(), e - b - begin.size());
  const std::string wanted = TwilioErrorTableMarkdown();
  const char* update = std::getenv("CHECKIN_UPDATE_DOCS");
  if (current != wanted && update && std::string(update) == "1") {
    std::ofstream(path) << doc.substr(0, b + begin.size()) << wanted << doc.substr(e);
    return;
  }
  EXPECT_EQ(current, wanted) << path << " is stale: run CHECKIN_UPDATE_DOCS=1 ./twilio_test";
}

TEST(RetryPolicy, OnlyStopIsOptOut) {
  EXPECT_TRUE(IsOptOutError(21610));
  EXPECT_FALSE(IsOptOutError(21211));
  EXPECT_FALSE(IsOptOutError(0));
}

TEST(RetryPolicy, BackoffStaysWithinFullJitterBounds) {
  std::mt19937_64 rng(42);
  BackoffPolicy policy;  // 2 s base, 10 min cap
  const struct { int attempt; long long max_ms; } cases[] = {
      {1, 2000}, {2, 4000}, {3, 8000}, {9, 512000}, {10, 600000}, {50, 600000}, {1000, 600000}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.attempt);
    long long seen_max = 0;
    for (int i = 0; i < 200; ++i) {
      auto d = BackoffDelay(c.attempt, std::nullopt, policy, rng);
      ASSERT_GE(d.count(), 0);
      ASSERT_LE(d.count(), c.max_ms);
      seen_max = std::max(seen_max, static_cast<long long>(d.count()));
    }
    EXPECT_GT(seen_max, c.max_ms / 2) << "jitter should spread over the range";
  }
}

TEST(RetryPolicy, BackoffHonoursRetryAfter) {
  std::mt19937_64 rng(7);
  BackoffPolicy policy{std::chrono::milliseconds(100), std::chrono::milliseconds(1000)};
  for (int i = 0; i < 100; ++i) {
    auto d = BackoffDelay(1, std::chrono::seconds(30), policy, rng);
    EXPECT_EQ(d, std::chrono::milliseconds(30000)) << "Retry-After beats the cap";
  }
  auto d = BackoffDelay(3, std::chrono::seconds(0), policy, rng);
  EXPECT_LE(d.count(), 400);
}

}  // namespace
}  // namespace checkin
