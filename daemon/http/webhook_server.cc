#include "http/webhook_server.h"

#include <httplib.h>

#include "base/listen_address.h"
#include "base/logging.h"
#include "http/http_listener.h"
#include "twilio/form_body.h"
#include "twilio/twilio_signature.h"
#include "twilio/webhook_params.h"

namespace checkin {
namespace {

void Reply(httplib::Response& res, int code, const std::string& body, const char* type = "text/plain") {
  res.status = code;
  res.set_content(body, type);
}

}  // namespace

struct WebhookServer::Impl {
  WebhookServerOptions options;
  WebhookDeps deps;
  std::shared_ptr<spdlog::logger> log;
  RouteTable server;
  std::unique_ptr<HttpListener> listener;

  void Routes();
  // Checks the form, the signature and that the form holds what Twilio
  // sends on this route (`shape`); on failure answers and returns nullopt.
  using ShapeCheck = Status (*)(const FormParams&);
  std::optional<FormParams> Verified(const httplib::Request& req, const std::string& body, httplib::Response& res,
                                     const Config& config, ShapeCheck shape);
  using BodyHandler = void (Impl::*)(const httplib::Request&, const std::string&, httplib::Response&);
  void PostForm(const char* route, BodyHandler on);
  void OnSms(const httplib::Request& req, const std::string& body, httplib::Response& res);
  void OnStatus(const httplib::Request& req, const std::string& body, httplib::Response& res);
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

// The body comes through a content reader, not req.body: there cpp-httplib
// refuses form bodies over 8 KiB with 413
// (CPPHTTPLIB_FORM_URL_ENCODED_PAYLOAD_MAX_LENGTH is compiled into Debian's
// libcpp-httplib, so defining it in our code would change nothing), while
// the listener allows max_body_bytes (64 KiB). The listener has read and
// bounded the body already; this copies it.
void WebhookServer::Impl::PostForm(const char* route, BodyHandler on) {
  server.Post(route, [this, route, on](const httplib::Request& req, httplib::Response& res,
                                       const httplib::ContentReader& read) {
    Timed(route, [&](const httplib::Request& r, httplib::Response& s) {
      // A multipart reader would need receivers we do not have; Twilio sends forms.
      if (r.is_multipart_form_data()) return Reply(s, 415, "application/x-www-form-urlencoded only\n");
      std::string body;
      if (!read([&](const char* data, size_t n) { body.append(data, n); return true; })) {
        return Reply(s, 400, "body not read\n");
      }
      (this->*on)(r, body, s);
    })(req, res);
  });
}

std::optional<FormParams> WebhookServer::Impl::Verified(const httplib::Request& req, const std::string& body,
                                                        httplib::Response& res, const Config& config,
                                                        ShapeCheck shape) {
  auto params = ParseFormBody(body);
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
  // Signed, but is it what Twilio sends? A replay with a name/value boundary
  // moved signs the same (webhook_params.h).
  const Status shaped = shape(*params);
  if (!shaped.ok()) {
    log->warn("{} {} from {}: signed, but not as Twilio sends it ({}); refused", req.method, req.path,
              req.remote_addr, shaped.message());
    Reply(res, 400, shaped.message() + "\n");
    return std::nullopt;
  }
  return std::move(*params);
}

void WebhookServer::Impl::OnSms(const httplib::Request& req, const std::string& body, httplib::Response& res) {
  const auto config = deps.config();
  auto params = Verified(req, body, res, *config, CheckInboundMessageParams);
  if (!params) return;
  InboundSms sms;  // every one of these is there (CheckInboundMessageParams)
  sms.message_sid = *FormValue(*params, "MessageSid");
  sms.from = *FormValue(*params, "From");
  sms.to = *FormValue(*params, "To");
  sms.body = *FormValue(*params, "Body");
  if (sms.from.empty()) return Reply(res, 400, "From is empty\n");
  auto result = deps.replies->HandleSms(config, sms);
  if (!result.ok()) {
    log->warn("reply {}: not processed: {}", sms.message_sid, result.status().ToString());
    if (deps.metrics && result.status().IsUnavailable()) deps.metrics->CountRedisError();
    return Reply(res, 503, "try again later\n");
  }
  if (deps.metrics) deps.metrics->CountReply(result->label);
  Reply(res, 200, result->twiml, "application/xml");
}

void WebhookServer::Impl::OnStatus(const httplib::Request& req, const std::string& body, httplib::Response& res) {
  const auto config = deps.config();
  auto params = Verified(req, body, res, *config, CheckStatusCallbackParams);
  if (!params) return;
  const std::string sid = *FormValue(*params, "MessageSid");  // CheckStatusCallbackParams
  const std::string status = *FormValue(*params, "MessageStatus");
  if (status.empty()) return Reply(res, 400, "MessageStatus is empty\n");
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
  PostForm("/twilio/sms", &Impl::OnSms);
  PostForm("/twilio/status", &Impl::OnStatus);
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
  impl->server.set_payload_max_length(impl->options.max_body_bytes);  // the listener checks first
  impl->Routes();
  HttpListenerOptions listener;
  listener.threads = impl->options.threads;
  listener.max_connections = impl->options.max_connections;
  listener.max_connections_per_client = impl->options.max_connections_per_client;
  listener.max_body_bytes = impl->options.max_body_bytes;
  listener.request_timeout = impl->options.request_timeout;
  listener.keep_alive_timeout = impl->options.keep_alive_timeout;
  listener.write_timeout = impl->options.write_timeout;
  listener.logger = impl->log;
  const auto& [host, port] = *address;
  auto started = HttpListener::Start(host, port, impl->server, std::move(listener));
  if (!started.ok()) return started.status();
  impl->listener = std::move(*started);
  impl->log->info("listening on {}:{}", host, impl->listener->port());
  return std::unique_ptr<WebhookServer>(new WebhookServer(std::move(impl)));
}

WebhookServer::WebhookServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
WebhookServer::~WebhookServer() { Stop(); }
int WebhookServer::port() const { return impl_->listener->port(); }

void WebhookServer::Stop() { impl_->listener->Stop(); }

}  // namespace checkin
