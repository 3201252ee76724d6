// Metrics: what GET /metrics would show after counting, read back from the
// rendered Prometheus text (HELP/TYPE lines, samples, histogram buckets,
// folding of unknown label values, exact totals under concurrency).
#include "http/metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace checkin {
namespace {

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The value of the sample named exactly `series` ("name{labels}"), if present.
std::optional<double> Sample(const std::string& text, const std::string& series) {
  const std::string prefix = series + " ";
  for (const std::string& line : Lines(text)) {
    if (line.rfind(prefix, 0) == 0) return std::stod(line.substr(prefix.size()));
  }
  return std::nullopt;
}

struct SampleCase {
  std::string series;
  double want;
};

void ExpectSamples(const std::string& text, const std::vector<SampleCase>& cases) {
  for (const auto& c : cases) {
    SCOPED_TRACE(c.series);
    std::optional<double> got = Sample(text, c.series);
    ASSERT_TRUE(got.has_value()) << "missing from:\n" << text;
    EXPECT_DOUBLE_EQ(*got, c.want);
  }
}

TEST(Metrics, RendersHelpAndTypeForEveryFamily) {
  Metrics metrics;
  metrics.ObserveWebhook("/twilio/sms", 200, 0.002);
  const std::string text = metrics.Render();
  const std::pair<const char*, const char*> families[] = {
      {"checkin_sends_total", "counter"},
      {"checkin_replies_total", "counter"},
      {"checkin_delivery_status_total", "counter"},
      {"checkin_webhook_requests_total", "counter"},
      {"checkin_webhook_duration_seconds", "histogram"},
      {"checkin_queue_jobs", "gauge"},
      {"checkin_redis_errors_total", "counter"},
      {"checkin_twilio_errors_total", "counter"},
      {"checkin_twilio_paused", "gauge"},
  };
  for (const auto& [name, type] : families) {
    SCOPED_TRACE(name);
    EXPECT_NE(text.find(std::string("# HELP ") + name + " "), std::string::npos) << text;
    EXPECT_NE(text.find(std::string("# TYPE ") + name + " " + type + "\n"), std::string::npos) << text;
  }
}

TEST(Metrics, CountsAppearAsSamples) {
  Metrics metrics;
  for (int i = 0; i < 3; ++i) metrics.CountSend("sent");
  metrics.CountSend("failed");
  metrics.CountReply("yes");
  metrics.CountReply("opt_out");
  metrics.CountDeliveryStatus("delivered");
  metrics.CountDeliveryStatus("undelivered");
  metrics.SetQueueDepth(7, 2);
  metrics.CountRedisError();
  metrics.CountRedisError();
  metrics.CountTwilioError("http_429");
  metrics.CountTwilioError("account", 2);
  metrics.CountSend("paused", 3);
  metrics.ObserveWebhook("/twilio/status", 204, 0.001);
  metrics.ObserveWebhook("/twilio/status", 403, 0.001);
  ExpectSamples(metrics.Render(),
                {
                    {R"(checkin_sends_total{outcome="sent"})", 3},
                    {R"(checkin_sends_total{outcome="failed"})", 1},
                    {R"(checkin_sends_total{outcome="retried"})", 0},
                    {R"(checkin_replies_total{intent="yes"})", 1},
                    {R"(checkin_replies_total{intent="opt_out"})", 1},
                    {R"(checkin_replies_total{intent="no"})", 0},
                    {R"(checkin_delivery_status_total{status="delivered"})", 1},
                    {R"(checkin_delivery_status_total{status="undelivered"})", 1},
                    {R"(checkin_queue_jobs{state="due"})", 7},
                    {R"(checkin_queue_jobs{state="leased"})", 2},
                    {"checkin_redis_errors_total", 2},
                    {R"(checkin_twilio_errors_total{kind="http_429"})", 1},
                    {R"(checkin_twilio_errors_total{kind="network"})", 0},
                    {R"(checkin_twilio_errors_total{kind="account"})", 2},
                    {R"(checkin_sends_total{outcome="paused"})", 3},
                    {"checkin_twilio_paused", 0},
                    {R"(checkin_webhook_requests_total{code="204",route="/twilio/status"})", 1},
                    {R"(checkin_webhook_requests_total{code="403",route="/twilio/status"})", 1},
                });
}

TEST(Metrics, TwilioPausedIsTheLastSample) {
  Metrics metrics;
  metrics.SetTwilioPaused(true);
  ExpectSamples(metrics.Render(), {{"checkin_twilio_paused", 1}});
  metrics.SetTwilioPaused(false);
  ExpectSamples(metrics.Render(), {{"checkin_twilio_paused", 0}});
}

TEST(Metrics, QueueDepthIsTheLastSample) {
  Metrics metrics;
  metrics.SetQueueDepth(100, 5);
  metrics.SetQueueDepth(3, 0);
  ExpectSamples(metrics.Render(), {{R"(checkin_queue_jobs{state="due"})", 3},
                                   {R"(checkin_queue_jobs{state="leased"})", 0}});
}

TEST(Metrics, HistogramBucketsAreCumulative) {
  Metrics metrics;
  for (double s : {0.0003, 0.003, 0.003, 0.2, 2.0}) metrics.ObserveWebhook("/twilio/sms", 200, s);
  const std::string b = R"(checkin_webhook_duration_seconds_bucket{route="/twilio/sms",le=)";
  ExpectSamples(metrics.Render(), {
                                      {(b + R"("0.0005"})"), 1},
                                      {(b + R"("0.001"})"), 1},
                                      {(b + R"("0.0025"})"), 1},
                                      {(b + R"("0.005"})"), 3},
                                      {(b + R"("0.01"})"), 3},
                                      {(b + R"("0.025"})"), 3},
                                      {(b + R"("0.05"})"), 3},
                                      {(b + R"("0.1"})"), 3},
                                      {(b + R"("0.25"})"), 4},
                                      {(b + R"("0.5"})"), 4},
                                      {(b + R"("1"})"), 4},
                                      {(b + R"("+Inf"})"), 5},
                                      {R"(checkin_webhook_duration_seconds_count{route="/twilio/sms"})", 5},
                                      {R"(checkin_webhook_requests_total{code="200",route="/twilio/sms"})", 5},
                                  });
  std::optional<double> sum = Sample(metrics.Render(), R"(checkin_webhook_duration_seconds_sum{route="/twilio/sms"})");
  ASSERT_TRUE(sum.has_value());
  EXPECT_NEAR(*sum, 0.0003 + 0.003 + 0.003 + 0.2 + 2.0, 1e-12);
}

TEST(Metrics, NegativeOrNanDurationsCountAsZero) {
  Metrics metrics;
  metrics.ObserveWebhook("/healthz", 200, -0.5);
  metrics.ObserveWebhook("/healthz", 200, std::numeric_limits<double>::quiet_NaN());
  const std::string text = metrics.Render();
  ExpectSamples(text, {{R"(checkin_webhook_duration_seconds_bucket{route="/healthz",le="0.0005"})", 2},
                       {R"(checkin_webhook_duration_seconds_sum{route="/healthz"})", 0}});
}

TEST(Metrics, UnknownLabelValuesFoldIntoOther) {
  struct Case {
    const char* name;
    void (*count)(Metrics&);
    const char* other_series;
  };
  const Case cases[] = {
      {"send outcome", [](Metrics& m) { m.CountSend("exploded"); }, R"(checkin_sends_total{outcome="other"})"},
      {"reply intent (a phone number by mistake)", [](Metrics& m) { m.CountReply("+447700900123"); },
       R"(checkin_replies_total{intent="other"})"},
      {"delivery status", [](Metrics& m) { m.CountDeliveryStatus("Delivered!"); },
       R"(checkin_delivery_status_total{status="other"})"},
      {"twilio error kind", [](Metrics& m) { m.CountTwilioError("http_418"); },
       R"(checkin_twilio_errors_total{kind="other"})"},
      {"empty value", [](Metrics& m) { m.CountSend(""); }, R"(checkin_sends_total{outcome="other"})"},
      {"unknown route, known code", [](Metrics& m) { m.ObserveWebhook("/wp-login.php", 404, 0.001); },
       R"(checkin_webhook_requests_total{code="404",route="other"})"},
      {"known route, unknown code", [](Metrics& m) { m.ObserveWebhook("/twilio/sms", 418, 0.001); },
       R"(checkin_webhook_requests_total{code="other",route="/twilio/sms"})"},
      {"nonsense code", [](Metrics& m) { m.ObserveWebhook("/metrics", -1, 0.001); },
       R"(checkin_webhook_requests_total{code="other",route="/metrics"})"},
      {"unknown route's latency", [](Metrics& m) { m.ObserveWebhook("/admin", 404, 0.001); },
       R"(checkin_webhook_duration_seconds_count{route="other"})"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Metrics metrics;
    c.count(metrics);
    c.count(metrics);
    const std::string text = metrics.Render();
    std::optional<double> got = Sample(text, c.other_series);
    ASSERT_TRUE(got.has_value()) << text;
    EXPECT_EQ(*got, 2);
    for (const char* raw : {"exploded", "447700900123", "Delivered!", "http_418", "wp-login", "418", "/admin"}) {
      EXPECT_EQ(text.find(raw), std::string::npos) << raw << " leaked into:\n" << text;
    }
  }
}

TEST(Metrics, ConcurrentCountsAreExact) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 10000;
  Metrics metrics;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&metrics, t] {
      for (int i = 0; i < kPerThread; ++i) {
        metrics.CountSend("sent");
        metrics.CountReply(i % 2 == 0 ? "yes" : "no");
        metrics.CountRedisError();
        // Every thread races to create the same lazily made series.
        metrics.ObserveWebhook("/twilio/status", 200, 0.001);
        metrics.SetQueueDepth(t, i);
        if (i % 1000 == 0) (void)metrics.Render();
      }
    });
  }
  for (auto& th : threads) th.join();
  constexpr double kTotal = kThreads * kPerThread;
  ExpectSamples(metrics.Render(),
                {
                    {R"(checkin_sends_total{outcome="sent"})", kTotal},
                    {R"(checkin_replies_total{intent="yes"})", kTotal / 2},
                    {R"(checkin_replies_total{intent="no"})", kTotal / 2},
                    {"checkin_redis_errors_total", kTotal},
                    {R"(checkin_webhook_requests_total{code="200",route="/twilio/status"})", kTotal},
                    {R"(checkin_webhook_duration_seconds_count{route="/twilio/status"})", kTotal},
                    {R"(checkin_webhook_duration_seconds_bucket{route="/twilio/status",le="0.001"})", kTotal},
                });
}

TEST(Metrics, OutputParsesAsPrometheusText) {
  Metrics metrics;
  metrics.CountSend("sent");
  metrics.CountReply("maybe");
  metrics.CountDeliveryStatus("failed");
  metrics.SetQueueDepth(1, 1);
  metrics.CountRedisError();
  metrics.CountTwilioError("permanent");
  metrics.ObserveWebhook("/twilio/sms", 200, 0.004);
  metrics.ObserveWebhook("/readyz", 503, 0.7);
  const std::string text = metrics.Render();
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');

  const std::regex sample(R"(^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})? [-+0-9.eEInfa]+$)");
  const std::regex help(R"(^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .+$)");
  const std::regex type(R"(^# TYPE [a-zA-Z_:][a-zA-Z0-9_:]* (counter|gauge|histogram)$)");
  int samples = 0;
  for (const std::string& line : Lines(text)) {
    SCOPED_TRACE(line);
    if (line.rfind("# HELP ", 0) == 0) {
      EXPECT_TRUE(std::regex_match(line, help));
    } else if (line.rfind("# TYPE ", 0) == 0) {
      EXPECT_TRUE(std::regex_match(line, type));
    } else {
      EXPECT_TRUE(std::regex_match(line, sample));
      ++samples;
    }
  }
  EXPECT_GT(samples, 50);
}

}  // namespace
}  // namespace checkin
