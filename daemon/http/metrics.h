// Metrics: counters, gauges and a latency histogram for GET /metrics, in the
// Prometheus text exposition format (0.0.4), kept with prometheus-cpp.
//
//   checkin_sends_total{outcome}            sent, reconciled, skipped, failed, retried, deferred, paused
//   checkin_replies_total{intent}           yes, no, maybe, unclear, opt_out, opt_in,
//                                           help, unknown_sender, no_session, duplicate
//   checkin_delivery_status_total{status}   status callbacks by MessageStatus
//   checkin_webhook_requests_total{route,code}
//   checkin_webhook_duration_seconds{route} histogram (0.5 ms .. 1 s buckets)
//   checkin_queue_jobs{state}               due, leased (sampled at scrape)
//   checkin_redis_errors_total
//   checkin_twilio_errors_total{kind}       http_429, http_5xx, network, permanent, account, other
//   checkin_concerns_unacknowledged         open safeguarding concerns
//   checkin_twilio_paused                   1 while the Twilio account pause is on
//
// Label values are a fixed small set chosen by the caller (never a phone
// number or a message body), so series stay bounded.
//
// Thread-safety: every method may be called from any thread.
#ifndef CHECKIN_DAEMON_METRICS_H_
#define CHECKIN_DAEMON_METRICS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace checkin {

class Metrics {
 public:
  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  void CountSend(std::string_view outcome, int n = 1);
  void CountReply(std::string_view intent);
  void CountDeliveryStatus(std::string_view status);
  void ObserveWebhook(std::string_view route, int http_code, double seconds);
  void SetQueueDepth(int64_t due, int64_t leased);
  void SetConcernsUnacknowledged(int64_t open);
  void SetTwilioPaused(bool paused);
  void CountRedisError();
  void CountTwilioError(std::string_view kind, int n = 1);

  // The whole registry in Prometheus text format.
  std::string Render() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace checkin

#endif  // CHECKIN_DAEMON_METRICS_H_
