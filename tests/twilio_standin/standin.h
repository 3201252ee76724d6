// TwilioStandIn: a local HTTP server that speaks the part of Twilio's REST
// API (2010-04-01) that checkin uses, for tests and demos.
//
//   POST /2010-04-01/Accounts/{sid}/Messages.json         send (form, basic auth)
//   GET  /2010-04-01/Accounts/{sid}/Messages.json         list (To, From,
//        DateSent, DateSent>=, DateSent<=, PageSize, Page), newest first
//   GET  /2010-04-01/Accounts/{sid}/Messages/{sid}.json   fetch one
//   POST /_standin/faults                                  fault switches (JSON)
//   GET  /_standin/messages DELETE /_standin/messages      what was accepted
//        (each as Twilio's Message resource plus "status_callback" and
//        "received_at_us", Unix microseconds when it was accepted)
//   GET  /_standin/requests                                request counters
//   POST /_standin/inbound   {"url","from","to","body"}    a phone texts in:
//        PostInbound(url, ...), answered {"status": N, "twiml": "..."}
//        (502 {"error": ...} when the webhook cannot be reached)
//
// Like Twilio it also calls the application: PostInbound() delivers an
// incoming SMS to a webhook URL with Twilio's form parameters, and with
// Options::send_status_callbacks each accepted send that named a
// StatusCallback gets "sent" then "delivered" posted to it, from one
// background thread with a bounded queue. Both are signed with
// X-Twilio-Signature using the stand-in's auth token; see Options for the
// URL that is signed when the application sits behind a proxy.
//
// Like Twilio, an accepted message is "queued" with no date_sent at first,
// then "sent" with a date_sent: at once by default, or after
// Options::queued_for, or Faults::hold_queued_for for the next
// Faults::hold_queued messages. The DateSent filters compare the UTC day of
// date_sent, so they leave out messages not sent yet, as Twilio's do (they
// filter by the message's sent date, which Twilio leaves null until then).
// Time is Options::clock's, so tests move it by hand.
//
// It answers like Twilio: 201 with a Message resource, JSON errors
// {code, message, more_info, status}, and the magic test numbers of Twilio's
// test credentials (+15005550001 21211, ...0002 21612, ...0003 21408,
// ...0004 21610, ...0009 21614). A wrong account SID or auth token is
// refused as Twilio does (401 / 20003, 404 / 20404). Fault switches make it
// fail on purpose: the next N requests, a random share of them, per number,
// per sender (From or Messaging Service), slowly, beyond a
// concurrency limit, or "accept then fail" (the message is recorded but the
// answer is a 500 or a dropped connection, as when Twilio's answer is lost).
//
// Thread-safety: every public method may be called from any thread while
// the server runs; handlers run on the server's thread pool.
#ifndef CHECKIN_TESTS_TWILIO_STANDIN_STANDIN_H_
#define CHECKIN_TESTS_TWILIO_STANDIN_STANDIN_H_

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "checkin/clock.h"
#include "checkin/status.h"

namespace checkin::standin {

// How a faulted request fails.
enum class FailKind {
  kHttp500,  // 500, Twilio error 20500
  kHttp503,  // 503, Twilio error 20503
  kHttp429,  // 429, Twilio error 20429, with Retry-After
  kHang,     // no answer until Faults::hang_for passes (or Stop())
  kDrop,     // the connection is closed without an answer
};
// "500", "503", "429", "hang", "drop".
const char* FailKindName(FailKind kind);
Result<FailKind> ParseFailKind(const std::string& name);

// Every fault switch at once; TwilioStandIn::faults() returns a snapshot.
struct Faults {
  int fail_next = 0;                        // the next N API requests fail...
  FailKind fail_next_kind = FailKind::kHttp500;  // ...this way
  std::chrono::seconds retry_after{1};      // Retry-After on 429 answers
  double fail_rate = 0;                     // 0..1: share of requests failing at random...
  std::vector<FailKind> fail_rate_kinds{FailKind::kHttp500, FailKind::kHttp503,
                                        FailKind::kHttp429, FailKind::kHang};  // ...picked evenly
  std::map<std::string, int> number_errors;  // To (E.164) -> Twilio error code
  // From (as sent, "whatsapp:" prefix included) or MessagingServiceSid ->
  // Twilio error code (21606, 21212, 21705, ...): the sender is refused.
  std::map<std::string, int> sender_errors;
  std::chrono::milliseconds latency{0};      // added to every API request
  int max_concurrency = 0;                   // 0: unlimited; beyond it: 429
  int accept_then_fail = 0;                  // the next N sends are recorded, then...
  FailKind accept_then_fail_kind = FailKind::kHttp500;  // ...answered 500 or dropped
  std::chrono::milliseconds hang_for{30000};  // how long a hang lasts (bounded)
  int hold_queued = 0;                        // the next N accepted messages stay queued...
  std::chrono::milliseconds hold_queued_for{60000};  // ...this long (no date_sent meanwhile)
};

struct RecordedMessage {
  std::string sid;  // "SM" + 32 hex
  std::string account_sid;
  std::string to;    // as sent, "whatsapp:" prefix included
  std::string from;  // "" when only a messaging service was named
  std::string messaging_service_sid;
  std::string body;
  std::string status_callback;
  std::string status;  // "queued" until sent_at, then "sent"
  int num_segments = 0;
  std::chrono::system_clock::time_point created;
  std::chrono::system_clock::time_point sent_at;  // date_sent, once the clock reaches it
};

struct RequestCounts {
  int total = 0;     // API requests (admin routes excluded)
  int sends = 0;     // POST Messages.json
  int lists = 0;     // GET Messages.json
  int fetches = 0;   // GET Messages/{sid}.json
  int faulted = 0;   // failed on purpose by a fault switch
  int refused = 0;   // answered 4xx (auth, validation, magic numbers)
  int accepted = 0;  // messages recorded
  int callbacks_sent = 0;     // status callbacks answered 2xx
  int callbacks_failed = 0;   // status callbacks refused or unreachable
  int callbacks_dropped = 0;  // not queued: the callback queue was full
};

struct Options {
  std::string account_sid = "AC00000000000000000000000000000001";
  std::string auth_token = "standin-auth-token";
  std::string host = "127.0.0.1";
  int port = 0;  // 0: any free port
  std::chrono::milliseconds latency{0};
  double fail_rate = 0;
  int max_concurrency = 0;
  int threads = 32;  // server thread pool
  std::shared_ptr<const Clock> clock;  // date_created, date_sent. Default: Clock::Real()
  // How long every accepted message stays "queued" before it is "sent"
  // (Faults::hold_queued overrides it for some). Default: 0, sent at once.
  std::chrono::milliseconds queued_for{0};
  // Called (on a server thread, outside any lock) for each accepted message.
  std::function<void(const RecordedMessage&)> on_message;

  // Webhooks the stand-in sends. Behind a reverse proxy the application
  // listens on one address while Twilio calls (and signs) another. When
  // set, PostInbound signs public_url + the webhook URL's path and
  // query instead of the webhook URL itself. Default: "" (sign the URL used).
  std::string public_url;
  // Post "sent" then "delivered" to each accepted message's StatusCallback.
  bool send_status_callbacks = false;
  // When set ("http://127.0.0.1:8080"), status callbacks are posted here
  // instead of the StatusCallback's own scheme://host:port (its path and
  // query kept), still signed over the StatusCallback URL as given.
  std::string callback_rewrite_base;
  size_t callback_queue_limit = 1000;  // callbacks waiting; beyond: dropped
};

class TwilioStandIn {
 public:
  explicit TwilioStandIn(Options options = Options());
  ~TwilioStandIn();  // Stop()
  TwilioStandIn(const TwilioStandIn&) = delete;
  TwilioStandIn& operator=(const TwilioStandIn&) = delete;

  // Binds, listens on a thread, returns once the accept loop runs.
  Status Start();
  // Interrupts hangs and latency waits, stops the server, joins. Idempotent.
  void Stop();

  int port() const;
  std::string BaseUrl() const;  // "http://127.0.0.1:PORT"
  const std::string& account_sid() const;
  const std::string& auth_token() const;

  // Fault switches.
  void FailNext(int count, FailKind kind = FailKind::kHttp500,
                std::chrono::seconds retry_after = std::chrono::seconds(1));
  void SetFailRate(double rate, std::vector<FailKind> kinds = {});
  void ForceError(const std::string& to, int error_code);  // 0 clears
  // Sends from `sender` (a From or a MessagingServiceSid) get that error,
  // e.g. 21606 "From cannot send SMS"; 0 clears.
  void ForceSenderError(const std::string& sender, int error_code);
  void SetLatency(std::chrono::milliseconds latency);
  void SetMaxConcurrency(int max);
  void AcceptThenFail(int count, FailKind kind = FailKind::kHttp500);
  void SetHangFor(std::chrono::milliseconds hang_for);
  // The next `count` accepted messages stay "queued", out of DateSent
  // lists, for `hold_for` of the stand-in's clock.
  void HoldQueued(int count, std::chrono::milliseconds hold_for);
  void SetFaults(Faults faults);
  void ResetFaults();
  Faults faults() const;
  // Applies the JSON body of POST /_standin/faults (see docs/twilio.md).
  Status ApplyFaultsJson(const std::string& json);

  // Records, each with its status as of now ("queued" or "sent").
  std::vector<RecordedMessage> Messages() const;
  void ClearMessages();
  RequestCounts Requests() const;

  // A phone texts `to` (a number of ours) from `from`: POSTs Twilio's
  // incoming-message parameters (a fresh MessageSid each time) to
  // `webhook_url`, signed as described at Options::public_url. Returns the
  // HTTP status and fills `response_body` (the TwiML) when not null;
  // Unavailable when the webhook cannot be reached. Runs on the caller's
  // thread; logs nothing.
  Result<int> PostInbound(const std::string& webhook_url, const std::string& from, const std::string& to,
                          const std::string& body, std::string* response_body);

 private:
  struct State;
  class Server;
  std::unique_ptr<State> state_;
  std::unique_ptr<Server> server_;
};

// Twilio's Message resource for `m`, as JSON text: date_sent null while
// m.status is "queued".
std::string MessageJson(const RecordedMessage& m);

// "Fri, 04 Dec 2026 10:00:00 +0000".
std::string Rfc2822(std::chrono::system_clock::time_point t);

}  // namespace checkin::standin

#endif  // CHECKIN_TESTS_TWILIO_STANDIN_STANDIN_H_
