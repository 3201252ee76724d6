// Internal to the Twilio stand-in: the shared state behind TwilioStandIn
// (fault switches, records, counters) used by the HTTP handlers, and the
// status-callback sender.
//
// Thread-safety: every State member is guarded by `mu` except `in_flight`
// (atomic), `opt` (read-only after construction) and `callbacks` (safe for
// concurrent use on its own).
#ifndef CHECKIN_TESTS_TWILIO_STANDIN_STANDIN_INTERNAL_H_
#define CHECKIN_TESTS_TWILIO_STANDIN_STANDIN_INTERNAL_H_

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "standin.h"
#include "twilio/twilio_signature.h"

namespace httplib {
class Server;
}

namespace checkin::standin {

// Posts signed status callbacks ("sent", then "delivered") from one worker
// thread, so that a send's request thread never waits on the application.
// The queue is bounded (Options::callback_queue_limit); what does not fit
// is dropped and counted. Stop() drops what is still queued and joins.
//
// Thread-safety: every method may be called from any thread.
class CallbackSender {
 public:
  explicit CallbackSender(const Options& opt) : opt_(opt) {}
  ~CallbackSender() { Stop(); }
  CallbackSender(const CallbackSender&) = delete;
  CallbackSender& operator=(const CallbackSender&) = delete;

  // Starts the worker when Options::send_status_callbacks is set.
  void Start();
  void Stop();
  // Queues the callbacks for `m` when enabled and m.status_callback is set.
  void EnqueueFor(const RecordedMessage& m);
  // Adds the callback counters to `counts`.
  void AddCounts(RequestCounts& counts) const;

 private:
  struct Pending {
    std::string url;  // the StatusCallback as given: what is signed
    FormParams params;
  };
  void Run();
  bool Post(const Pending& p) const;

  const Options& opt_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::deque<Pending> queue_;
  bool running_ = false;
  bool stopping_ = false;
  int sent_ = 0, failed_ = 0, dropped_ = 0;
  std::thread worker_;
};

struct TwilioStandIn::State {
  explicit State(Options o);

  const Options opt;
  mutable std::mutex mu;
  std::condition_variable wake;  // notified by Stop(): ends hangs and latency waits
  bool stopping = false;
  Faults faults;
  std::vector<RecordedMessage> messages;
  RequestCounts counts;
  std::mt19937_64 rng;
  std::atomic<int> in_flight{0};
  CallbackSender callbacks{opt};

  // The fault this API request suffers, if any (consumes fail_next).
  std::optional<FailKind> TakeFault();
  // Consumes one accept_then_fail; the kind to fail with after recording.
  std::optional<FailKind> TakeAcceptThenFail();
  // Twilio error code forced for `to` (bare E.164), or 0.
  int ForcedError(const std::string& to) const;
  // Twilio error code forced for this From or MessagingServiceSid, or 0.
  int ForcedSenderError(const std::string& from, const std::string& messaging_service_sid) const;
  // Sleeps up to `d`; false when Stop() cut it short.
  bool WaitUnlessStopping(std::chrono::milliseconds d);
  std::string NewMessageSid();
  void Count(int RequestCounts::*field);
  Faults Snapshot() const;
  // How long the message being accepted stays queued (consumes hold_queued).
  std::chrono::milliseconds TakeQueuedFor();
  // `m` as of the stand-in's clock now: "sent" once it reached m.sent_at.
  RecordedMessage AsOfNow(RecordedMessage m) const;
};

// The admin routes (/_standin/...) of standin.h, on `http`.
void AddAdminRoutes(httplib::Server& http, TwilioStandIn& owner);

// "http://host:port" and "/path?query" of an absolute URL ("/" when the URL
// has no path); nullopt when it is not absolute.
struct SplitUrl {
  std::string scheme_host_port;
  std::string path_and_query;
};
std::optional<SplitUrl> SplitAbsoluteUrl(const std::string& url);

}  // namespace checkin::standin

#endif  // CHECKIN_TESTS_TWILIO_STANDIN_STANDIN_INTERNAL_H_
