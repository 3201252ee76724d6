// Metrics kept in a prometheus-cpp registry (core only; the HTTP listener
// serves Render()'s text itself).
//
// Every label has a fixed value set, listed below; anything else a caller
// passes is counted under "other", so a bug or a hostile request can never
// create new series. The sets (the last entry of each is always "other"):
//
//   checkin_sends_total            outcome: sent reconciled skipped failed retried deferred
//                                           paused
//   checkin_replies_total          intent:  yes no maybe unclear opt_out opt_in help
//                                           unknown_sender no_session duplicate concern
//                                           concern_ack (a contact's OK)
//   checkin_delivery_status_total  status:  Twilio MessageStatus values (queued
//                                           sending sent delivered undelivered failed
//                                           accepted scheduled read canceled
//                                           partially_delivered receiving received)
//   checkin_webhook_requests_total route:   /twilio/sms /twilio/status /healthz
//                                           /readyz /metrics /dashboard
//                                  code:    the HTTP codes in kHttpCodes
//   checkin_webhook_duration_seconds route: as above
//   checkin_queue_jobs             state:   due leased (no "other": set by us)
//   checkin_concerns_unacknowledged          (no label) open safeguarding concerns
//   checkin_twilio_paused                    (no label) 1 while the account pause is on
//   checkin_twilio_errors_total    kind:    http_429 http_5xx network permanent account
//
// Hot paths: the single-label children are created in the constructor and
// found by a linear scan over at most 14 string_views (no lock, no
// allocation). The webhook series (route x code, 7 x 16) are created on
// first use: an atomic pointer per slot, filled by Family::Add, which is
// idempotent, so two threads racing on an empty slot store the same pointer.
// Counter and Gauge updates are lock-free atomics; Histogram::Observe takes
// the histogram's own mutex (prometheus-cpp 1.0.1).
#include "http/metrics.h"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <array>
#include <atomic>
#include <charconv>
#include <cstddef>
#include <iterator>
#include <string>
#include <vector>

namespace checkin {
namespace {

using prometheus::Counter;
using prometheus::Family;
using prometheus::Gauge;
using prometheus::Histogram;

constexpr std::string_view kOther = "other";

constexpr std::string_view kSendOutcomes[] = {"sent",    "reconciled", "skipped", "failed",
                                              "retried", "deferred",   "paused",  kOther};

constexpr std::string_view kReplyIntents[] = {
    "yes",        "no",        "maybe",     "unclear", "opt_out", "opt_in", "help", "unknown_sender",
    "no_session", "duplicate", "concern", "concern_ack", kOther};

constexpr std::string_view kDeliveryStatuses[] = {
    "queued",    "sending", "sent",     "delivered",           "undelivered", "failed",   "accepted",
    "scheduled", "read",    "canceled", "partially_delivered", "receiving",   "received", kOther};

constexpr std::string_view kTwilioErrorKinds[] = {"http_429", "http_5xx", "network", "permanent", "account", kOther};

constexpr std::string_view kRoutes[] = {"/twilio/sms", "/twilio/status", "/healthz", "/readyz", "/metrics",
                                        "/dashboard", kOther};

// What our handlers answer, plus what a proxy or cpp-httplib itself may
// produce. Any other code is "other".
constexpr std::string_view kHttpCodes[] = {"200", "204", "400", "401", "403", "404", "405", "408",
                                           "413", "415", "429", "500", "502", "503", "504", kOther};

template <size_t N>
constexpr bool EndsWithOther(const std::string_view (&values)[N]) {
  return values[N - 1] == kOther;
}
static_assert(EndsWithOther(kSendOutcomes) && EndsWithOther(kReplyIntents) && EndsWithOther(kDeliveryStatuses) &&
              EndsWithOther(kTwilioErrorKinds) && EndsWithOther(kRoutes) && EndsWithOther(kHttpCodes));

// Index of `value` in `values`, or of the trailing "other".
template <size_t N>
size_t IndexOrOther(const std::string_view (&values)[N], std::string_view value) {
  for (size_t i = 0; i + 1 < N; ++i) {
    if (values[i] == value) return i;
  }
  return N - 1;
}

size_t HttpCodeIndex(int code) {
  char buf[16];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, code);
  if (ec != std::errc()) return std::size(kHttpCodes) - 1;
  return IndexOrOther(kHttpCodes, std::string_view(buf, static_cast<size_t>(end - buf)));
}

// Upper bounds in seconds: 0.5 ms .. 1 s (a webhook answers from Redis).
const Histogram::BucketBoundaries& LatencyBuckets() {
  static const Histogram::BucketBoundaries kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                       0.05,   0.1,   0.25,   0.5,   1.0};
  return kBuckets;
}

// One child per value of a fixed set, all created up front; Get never locks.
template <typename T, size_t N>
class FixedChildren {
 public:
  FixedChildren(Family<T>& family, const char* label, const std::string_view (&values)[N]) : values_(values) {
    for (size_t i = 0; i < N; ++i) children_[i] = &family.Add({{label, std::string(values[i])}});
  }

  T& Get(std::string_view value) const { return *children_[IndexOrOther(values_, value)]; }

 private:
  const std::string_view (&values_)[N];
  std::array<T*, N> children_{};
};

// N children created on first use. A slot, once set, never changes.
template <typename T, size_t N>
class LazyChildren {
 public:
  LazyChildren() {
    for (auto& slot : slots_) slot.store(nullptr, std::memory_order_relaxed);
  }

  // `add` returns the family's child for slot `i` (Family::Add: idempotent).
  template <typename AddFn>
  T& Get(size_t i, AddFn&& add) {
    T* child = slots_[i].load(std::memory_order_acquire);
    if (child == nullptr) {
      child = &add();
      slots_[i].store(child, std::memory_order_release);
    }
    return *child;
  }

 private:
  std::array<std::atomic<T*>, N> slots_;
};

constexpr size_t kRouteCount = std::size(kRoutes);
constexpr size_t kCodeCount = std::size(kHttpCodes);

}  // namespace

struct Metrics::Impl {
  Impl()
      : sends_family(prometheus::BuildCounter()
                         .Name("checkin_sends_total")
                         .Help("Reminder jobs finished or rescheduled, by outcome.")
                         .Register(registry)),
        replies_family(prometheus::BuildCounter()
                           .Name("checkin_replies_total")
                           .Help("Inbound texts, by how they were understood.")
                           .Register(registry)),
        delivery_family(prometheus::BuildCounter()
                            .Name("checkin_delivery_status_total")
                            .Help("Twilio status callbacks received, by MessageStatus.")
                            .Register(registry)),
        queue_family(prometheus::BuildGauge()
                         .Name("checkin_queue_jobs")
                         .Help("Jobs in the Redis queue at the last sample: due (waiting) or leased (claimed).")
                         .Register(registry)),
        twilio_errors_family(prometheus::BuildCounter()
                                 .Name("checkin_twilio_errors_total")
                                 .Help("Failed Twilio API requests, by kind.")
                                 .Register(registry)),
        webhook_requests(prometheus::BuildCounter()
                             .Name("checkin_webhook_requests_total")
                             .Help("HTTP requests answered by the listener, by route and status code.")
                             .Register(registry)),
        webhook_duration(prometheus::BuildHistogram()
                             .Name("checkin_webhook_duration_seconds")
                             .Help("Time to answer an HTTP request, by route.")
                             .Register(registry)),
        redis_errors(prometheus::BuildCounter()
                         .Name("checkin_redis_errors_total")
                         .Help("Redis commands or connections that failed.")
                         .Register(registry)
                         .Add({})),
        sends(sends_family, "outcome", kSendOutcomes),
        replies(replies_family, "intent", kReplyIntents),
        delivery_statuses(delivery_family, "status", kDeliveryStatuses),
        twilio_errors(twilio_errors_family, "kind", kTwilioErrorKinds),
        queue_due(queue_family.Add({{"state", "due"}})),
        queue_leased(queue_family.Add({{"state", "leased"}})),
        concerns_open(prometheus::BuildGauge()
                          .Name("checkin_concerns_unacknowledged")
                          .Help("Safeguarding concerns nobody has acknowledged yet, at the last sample.")
                          .Register(registry)
                          .Add({})),
        twilio_paused(prometheus::BuildGauge()
                          .Name("checkin_twilio_paused")
                          .Help("1 while every instance has stopped sending because Twilio refused the account, "
                                "sender or Messaging Service (the warn log says why), else 0.")
                          .Register(registry)
                          .Add({})) {}

  // The webhook series for kRoutes[r] and kHttpCodes[c], made on first use.
  Counter& Requests(size_t r, size_t c) {
    return request_slots.Get(r * kCodeCount + c, [&]() -> Counter& {
      return webhook_requests.Add({{"route", std::string(kRoutes[r])}, {"code", std::string(kHttpCodes[c])}});
    });
  }
  Histogram& Duration(size_t r) {
    return duration_slots.Get(r, [&]() -> Histogram& {
      return webhook_duration.Add({{"route", std::string(kRoutes[r])}}, LatencyBuckets());
    });
  }

  // Declaration order is initialisation order: the registry first.
  prometheus::Registry registry;
  Family<Counter>& sends_family;
  Family<Counter>& replies_family;
  Family<Counter>& delivery_family;
  Family<Gauge>& queue_family;
  Family<Counter>& twilio_errors_family;
  Family<Counter>& webhook_requests;
  Family<Histogram>& webhook_duration;
  Counter& redis_errors;

  FixedChildren<Counter, std::size(kSendOutcomes)> sends;
  FixedChildren<Counter, std::size(kReplyIntents)> replies;
  FixedChildren<Counter, std::size(kDeliveryStatuses)> delivery_statuses;
  FixedChildren<Counter, std::size(kTwilioErrorKinds)> twilio_errors;
  Gauge& queue_due;
  Gauge& queue_leased;
  Gauge& concerns_open;
  Gauge& twilio_paused;

  LazyChildren<Counter, kRouteCount * kCodeCount> request_slots;
  LazyChildren<Histogram, kRouteCount> duration_slots;
};

Metrics::Metrics() : impl_(std::make_unique<Impl>()) {}
Metrics::~Metrics() = default;

void Metrics::CountSend(std::string_view outcome, int n) {
  if (n > 0) impl_->sends.Get(outcome).Increment(n);
}

void Metrics::CountReply(std::string_view intent) { impl_->replies.Get(intent).Increment(); }

void Metrics::CountDeliveryStatus(std::string_view status) { impl_->delivery_statuses.Get(status).Increment(); }

void Metrics::ObserveWebhook(std::string_view route, int http_code, double seconds) {
  const size_t r = IndexOrOther(kRoutes, route);
  impl_->Requests(r, HttpCodeIndex(http_code)).Increment();
  // A steady clock never goes backwards, but a NaN would poison _sum forever.
  if (!(seconds >= 0)) seconds = 0;
  impl_->Duration(r).Observe(seconds);
}

void Metrics::SetQueueDepth(int64_t due, int64_t leased) {
  impl_->queue_due.Set(static_cast<double>(due));
  impl_->queue_leased.Set(static_cast<double>(leased));
}

void Metrics::SetConcernsUnacknowledged(int64_t open) { impl_->concerns_open.Set(static_cast<double>(open)); }

void Metrics::SetTwilioPaused(bool paused) { impl_->twilio_paused.Set(paused ? 1 : 0); }

void Metrics::CountRedisError() { impl_->redis_errors.Increment(); }

void Metrics::CountTwilioError(std::string_view kind, int n) {
  if (n > 0) impl_->twilio_errors.Get(kind).Increment(n);
}

std::string Metrics::Render() const { return prometheus::TextSerializer().Serialize(impl_->registry.Collect()); }

}  // namespace checkin
