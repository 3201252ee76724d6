// WebhookServer: checkind's one HTTP listener (cpp-httplib), http.listen.
//
//   POST /twilio/sms     inbound text: signed form -> ReplyHandler -> TwiML
//   POST /twilio/status  status callback: signed form -> ReplyHandler
//   GET  /healthz        200 while the process serves
//   GET  /readyz         200 when the config is loaded and Redis answers
//   GET  /metrics        Prometheus text (metrics.h)
//   GET  /dashboard      coordinators' page, HTTP basic auth (dashboard.h)
//
// Every Twilio request is checked before anything is read or written: the
// body must be a well-formed form (400 otherwise), X-Twilio-Signature valid
// over http.public_url + the request target (403 otherwise), and the form
// must carry what Twilio always sends, each SID in its shape
// (twilio/webhook_params.h; 400 otherwise). Connections are held by
// HttpListener (http_listener.h): a request reaches a handler only once it
// has been read whole, within its deadline and limits (bodies over 64 KiB
// get 413), so slow or idle clients never hold a handler thread, and memory
// stays bounded under any load.
//
// Thread-safety: Start/Stop from one thread; handlers run on the listener's
// worker threads.
#ifndef CHECKIN_DAEMON_WEBHOOK_SERVER_H_
#define CHECKIN_DAEMON_WEBHOOK_SERVER_H_

#include <spdlog/logger.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "checkin/config.h"
#include "checkin/status.h"
#include "checkin/store.h"
#include "http/dashboard.h"
#include "http/metrics.h"
#include "replies/reply_handler.h"

namespace checkin {

struct WebhookServerOptions {
  std::string listen = "127.0.0.1:8080";  // host:port; port 0 picks a free one
  int threads = 8;                         // requests handled at once
  size_t max_connections = 512;            // http.max_connections
  size_t max_connections_per_client = 256; // http.max_connections_per_client
  size_t max_body_bytes = 64 * 1024;
  std::chrono::milliseconds request_timeout{10000};  // http.request_timeout_ms
  std::chrono::milliseconds keep_alive_timeout{5000};
  std::chrono::milliseconds write_timeout{5000};
  std::shared_ptr<spdlog::logger> logger;  // Default: NullLogger()
};

// What the listener needs from the rest of the daemon.
struct WebhookDeps {
  std::function<std::shared_ptr<const Config>()> config;  // the current config (reloads)
  ReplyHandler* replies = nullptr;
  Store* store = nullptr;      // readiness (Ping) and queue depth
  Metrics* metrics = nullptr;
  DashboardReader dashboard;  // GET /dashboard's data; unset: 404
};

class WebhookServer {
 public:
  // Binds (InvalidArgument for a bad address, Unavailable when the port is
  // taken) and starts serving on its own thread.
  static Result<std::unique_ptr<WebhookServer>> Start(WebhookServerOptions options, WebhookDeps deps);
  ~WebhookServer();  // Stop()

  int port() const;
  // Stops accepting, finishes requests in progress, joins every thread.
  void Stop();

 private:
  struct Impl;
  explicit WebhookServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace checkin

#endif  // CHECKIN_DAEMON_WEBHOOK_SERVER_H_
