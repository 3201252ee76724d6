#include "http/webhook_server.h"

#include <httplib.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "twilio/form_body.h"
#include "http/listen_backlog.h"
#include "base/listen_address.h"
#include "base/logging.h"
#include "twilio/twilio_signature.h"

namespace checkin {
namespace {

// cpp-httplib's ThreadPool (0.11.4) queues without bound; this one makes the
// accept loop wait when `max_queued` connections are already waiting.
class BoundedPool final : public httplib::TaskQueue {
 public:
  BoundedPool(size_t threads, size_t max_queued) : max_queued_(max_queued) {
    for (size_t i = 0; i < threads; ++i) workers_.emplace_back([this] { Work(); });
  }
  void enqueue(std::function<void()> fn) override {
    std::unique_lock<std::mutex> lock(mu_);
    not_full_.wait(lock, [&] { return queue_.size() < max_queued_ || stopping_; });
    queue_.push_back(std::move(fn));  // even when stopping: the task closes its socket
    not_empty_.notify_one();
  }
  void shutdown() override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    not_empty_.notify_all();
    not_full_.notify_all();
    for (auto& t : workers_) t.join();
  }

 private:
  void Work() {
    for (;;) {
      std::function<void()> fn;
      {
        std::unique_lock<std::mutex> lock(mu_);
        not_empty_.wait(lock, [&] { return !queue_.empty() || stopping_; });
        if (queue_.empty()) return;  // stopping and drained
        fn = std::move(queue_.front());
        queue_.pop_front();
        not_full_.notify_one();
      }
      fn();
    }
  }
  const size_t max_queued_;
  std::mutex mu_;
  std::condition_variable not_empty_, not_full_;
  std::deque<std::function<void()>> queue_;
  std::vector<std::thread> workers_;
  bool stopping_ = false;
};

void Reply(httplib::Response& res, int code, const std::string& body, const char* type = "text/plain") {
  res.status = code;
  res.set_content(body, type);
}

}  // namespace

struct WebhookServer::Impl {
  WebhookServerOptions options;
  WebhookDeps deps;
  std::shared_ptr<spdlog::logger> log;
  httplib::Server server;
  std::thread thread;
  int port = 0;
  bool stopped = false;
  std::atomic<bool> loop_ended{false};

  void Routes();
  // Checks form and signature; on failure answers and returns nullopt.
  std::optional<FormParams> Verified(const httplib::Request& req, httplib::Response& res, const Config& config);
  void OnSms(const httplib::Request& req, httplib::Response& res);
  void OnStatus(const httplib::Request& req, httplib::Response& res);
  void OnReady(httplib::Response& res);
  void OnMetrics(httplib::Response& res);
  void OnDashboard(const httplib::Request& req, httplib::Response& res);
  using Handler = std::function<void(const httplib::Request&, httplib::Response&)>;
  Handler Timed(const char* route, Handler fn);
};

WebhookServer::Impl::Handler WebhookServer::Impl::Timed(const char* route, Handler fn) {
  return [this, route, fn = std::move(fn)](const httplib::Request& req, httplib::Response& res) {
    const auto start = std::chrono::steady_clock::now();
    try {
      fn(req, res);
    } catch (const std::exception& e) {  // an edge: never let a handler take the server down
      log->error("{} {}: {}", req.method, route, e.what());
      Reply(res, 500, "internal error\n");
    }
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    if (deps.metrics) deps.metrics->ObserveWebhook(route, res.status, took.count());
  };
}

std::optional<FormParams> WebhookServer::Impl::Verified(const httplib::Request& req, httplib::Response& res,
                                                        const Config& config) {
  auto params = ParseFormBody(req.body);
  if (!params.ok()) {
    log->warn("{} {}: malformed form body refused: {}", req.method, req.path, params.status().message());
    Reply(res, 400, "malformed form body\n");
    return std::nullopt;
  }
  // Behind a proxy Twilio signs the public URL, not ours: the config names it.
  const std::string base =
      config.http.public_url.empty() ? "http://" + req.get_header_value("Host") : config.http.public_url;
  const std::string signature = req.get_header_value("X-Twilio-Signature");
  if (!ValidTwilioSignature(config.twilio.auth_token, base + req.target, *params, signature)) {
    log->warn("{} {} from {}: {} signature; refused", req.method, req.path, req.remote_addr,
              signature.empty() ? "no" : "invalid");
    Reply(res, 403, "forbidden\n");
    return std::nullopt;
  }
  return std::move(*params);
}

void WebhookServer::Impl::OnSms(const httplib::Request& req, httplib::Response& res) {
  const auto config = deps.config();
  auto params = Verified(req, res, *config);
  if (!params) return;
  InboundSms sms;
  sms.message_sid = FormValue(*params, "MessageSid").value_or(FormValue(*params, "SmsSid").value_or(""));
  sms.from = FormValue(*params, "From").value_or("");
  sms.to = FormValue(*params, "To").value_or("");
  sms.body = FormValue(*params, "Body").value_or("");
  if (sms.message_sid.empty() || sms.from.empty()) return Reply(res, 400, "MessageSid and From are required\n");
  auto result = deps.replies->HandleSms(config, sms);
  if (!result.ok()) {
    log->warn("reply {}: not processed: {}", sms.message_sid, result.status().ToString());
    if (deps.metrics && result.status().IsUnavailable()) deps.metrics->CountRedisError();
    return Reply(res, 503, "try again later\n");
  }
  if (deps.metrics) deps.metrics->CountReply(result->label);
  Reply(res, 200, result->twiml, "application/xml");
}

void WebhookServer::Impl::OnStatus(const httplib::Request& req, httplib::Response& res) {
  const auto config = deps.config();
  auto params = Verified(req, res, *config);
  if (!params) return;
  const std::string sid = FormValue(*params, "MessageSid").value_or(FormValue(*params, "SmsSid").value_or(""));
  const std::string status =
      FormValue(*params, "MessageStatus").value_or(FormValue(*params, "SmsStatus").value_or(""));
  if (sid.empty() || status.empty()) return Reply(res, 400, "MessageSid and MessageStatus are required\n");
  int error_code = 0;
  try {
    error_code = std::stoi(FormValue(*params, "ErrorCode").value_or("0"));
  } catch (const std::exception&) {
    return Reply(res, 400, "ErrorCode is not a number\n");
  }
  auto recorded = deps.replies->HandleStatus(sid, status, error_code);
  if (!recorded.ok()) {
    if (deps.metrics) deps.metrics->CountRedisError();
    return Reply(res, 503, "try again later\n");
  }
  if (deps.metrics) deps.metrics->CountDeliveryStatus(status);
  res.status = 204;
}

void WebhookServer::Impl::OnReady(httplib::Response& res) {
  if (!deps.config()) return Reply(res, 503, "no config\n");
  Status redis = deps.store->Ping();
  if (!redis.ok()) {
    if (deps.metrics) deps.metrics->CountRedisError();
    return Reply(res, 503, "redis: " + redis.message() + "\n");
  }
  Reply(res, 200, "ready\n");
}

void WebhookServer::Impl::OnMetrics(httplib::Response& res) {
  if (auto stats = deps.store->Stats(); stats.ok()) {
    deps.metrics->SetQueueDepth(stats->due, stats->leased);
  } else {
    deps.metrics->CountRedisError();
  }
  Reply(res, 200, deps.metrics->Render(), "text/plain; version=0.0.4; charset=utf-8");
}

void WebhookServer::Impl::OnDashboard(const httplib::Request& req, httplib::Response& res) {
  const auto config = deps.config();
  if (!config) return Reply(res, 503, "no config\n");
  const DashboardResponse page =
      ServeDashboard(*config, req.get_header_value("Authorization"), req.remote_addr, deps.dashboard, *log);
  if (page.status == 503 && deps.metrics) deps.metrics->CountRedisError();
  for (const auto& [name, value] : page.headers) res.set_header(name.c_str(), value);
  Reply(res, page.status, page.body, page.content_type.c_str());
}

void WebhookServer::Impl::Routes() {
  server.Post("/twilio/sms", Timed("/twilio/sms", [this](const auto& req, auto& res) { OnSms(req, res); }));
  server.Post("/twilio/status", Timed("/twilio/status", [this](const auto& req, auto& res) { OnStatus(req, res); }));
  server.Get("/healthz", Timed("/healthz", [](const auto&, auto& res) { Reply(res, 200, "ok\n"); }));
  server.Get("/readyz", Timed("/readyz", [this](const auto&, auto& res) { OnReady(res); }));
  server.Get("/metrics", [this](const auto&, auto& res) { OnMetrics(res); });
  server.Get("/dashboard", Timed("/dashboard", [this](const auto& req, auto& res) { OnDashboard(req, res); }));
}

Result<std::unique_ptr<WebhookServer>> WebhookServer::Start(WebhookServerOptions options, WebhookDeps deps) {
  auto address = ParseListenAddress(options.listen);
  if (!address.ok()) return Status::InvalidArgument("http.listen: " + address.status().message());
  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  impl->deps = std::move(deps);
  impl->log = impl->options.logger ? impl->options.logger : NullLogger();
  Impl* raw = impl.get();
  raw->server.new_task_queue = [raw] {
    return new BoundedPool(static_cast<size_t>(std::max(1, raw->options.threads)), raw->options.queued_connections);
  };
  raw->server.set_payload_max_length(raw->options.max_body_bytes);
  // cpp-httplib writes headers and body in two sends: without TCP_NODELAY a
  // reused connection waits ~40 ms for the client's delayed ACK (measured:
  // 147 replies/s -> ~2,000/s with keep-alive). 5 requests per connection
  // (the default) makes proxies reconnect all the time; an open connection
  // holds one of the pool's threads, so idle ones close after 2 s and busy
  // ones after 100 requests, letting other clients in.
  raw->server.set_tcp_nodelay(true);
  raw->server.set_keep_alive_max_count(100);
  raw->server.set_keep_alive_timeout(2);
  raw->server.set_read_timeout(raw->options.read_timeout);
  raw->server.set_write_timeout(raw->options.write_timeout);
  raw->Routes();
  // A burst of replies (Twilio opens many connections at once) must not
  // overflow Debian cpp-httplib's listen backlog of 5 (listen_backlog.h).
  ListenBacklog backlog(raw->server);
  const auto& [host, port] = *address;
  raw->port = port == 0 ? raw->server.bind_to_any_port(host) : (raw->server.bind_to_port(host, port) ? port : -1);
  if (raw->port <= 0) return Status::Unavailable("cannot listen on " + raw->options.listen);
  if (!backlog.Widen()) raw->log->warn("listen backlog left at cpp-httplib's 5");
  raw->thread = std::thread([raw] {
    raw->server.listen_after_bind();
    raw->loop_ended = true;
  });
  raw->log->info("listening on {}:{}", host, raw->port);
  return std::unique_ptr<WebhookServer>(new WebhookServer(std::move(impl)));
}

WebhookServer::WebhookServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
WebhookServer::~WebhookServer() { Stop(); }
int WebhookServer::port() const { return impl_->port; }

void WebhookServer::Stop() {
  if (impl_->stopped) return;
  impl_->stopped = true;
  // stop() does nothing before the accept loop runs (cpp-httplib 0.11.4):
  // wait until it does, then stop and join.
  while (!impl_->server.is_running() && !impl_->loop_ended) std::this_thread::yield();
  impl_->server.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

}  // namespace checkin
