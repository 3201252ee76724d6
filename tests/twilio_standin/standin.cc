// Twilio stand-in: the HTTP side (routes, checks, faults) on cpp-httplib.
// See standin.h for the API; fault and record state lives in
// standin_state.cc, the admin routes in standin_admin.cc, and the webhooks
// the stand-in sends (inbound SMS, status callbacks) in standin_webhooks.cc.
#include <arpa/inet.h>
#include <dirent.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <ctime>
#include <thread>

#include "http/listen_backlog.h"
#include "text/segments.h"
#include "standin.h"
#include "standin_internal.h"

namespace checkin::standin {
namespace {

using httplib::Request;
using httplib::Response;
using nlohmann::json;

constexpr const char* kMessagesPath = R"(/2010-04-01/Accounts/([^/]+)/Messages\.json)";
constexpr const char* kMessagePath = R"(/2010-04-01/Accounts/([^/]+)/Messages/([^/]+)\.json)";
constexpr int kMaxBodyCharacters = 1600;

void WriteError(Response& res, int http_status, int code, const std::string& message) {
  json j = {{"code", code},
            {"message", message},
            {"more_info", "https://www.twilio.com/docs/errors/" + std::to_string(code)},
            {"status", http_status}};
  res.status = http_status;
  res.set_content(j.dump(), "application/json");
}

// The HTTP status Twilio answers a given error code with.
int HttpStatusForCode(int code) {
  switch (code) {
    case 20003: return 401;
    case 20005: return 401;
    case 20403: return 403;
    case 20404: return 404;
    case 20429: return 429;
    case 20500: return 500;
    case 20503: return 503;
    default: return 400;
  }
}

// Twilio's test credentials' magic 'To' numbers (SPEC.md "Twilio").
int MagicNumberError(const std::string& to) {
  if (to == "+15005550001") return 21211;
  if (to == "+15005550002") return 21612;
  if (to == "+15005550003") return 21408;
  if (to == "+15005550004") return 21610;
  if (to == "+15005550009") return 21614;
  return 0;
}

std::string StripWhatsapp(const std::string& s) {
  static const std::string kPrefix = "whatsapp:";
  return s.rfind(kPrefix, 0) == 0 ? s.substr(kPrefix.size()) : s;
}

bool IsE164(const std::string& s) {
  if (s.size() < 8 || s.size() > 16 || s[0] != '+' || s[1] < '1' || s[1] > '9') return false;
  for (size_t i = 1; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

// Closes the TCP connection `req` arrived on, so the client gets no answer
// at all. cpp-httplib 0.11.4 does not hand the socket to handlers, so it is
// found among this process's descriptors by its two port numbers.
void DropConnection(const Request& req) {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return;
  while (dirent* e = readdir(dir)) {
    const int fd = std::atoi(e->d_name);
    sockaddr_in local{}, peer{};
    socklen_t llen = sizeof(local), plen = sizeof(peer);
    if (fd <= 2 || getsockname(fd, reinterpret_cast<sockaddr*>(&local), &llen) != 0 ||
        local.sin_family != AF_INET || getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &plen) != 0) {
      continue;
    }
    if (ntohs(local.sin_port) == req.local_port && ntohs(peer.sin_port) == req.remote_port) {
      shutdown(fd, SHUT_RDWR);
      break;
    }
  }
  closedir(dir);
}

// "2026-12-01" for the UTC day of t; the day a filter value names.
std::string UtcDay(std::chrono::system_clock::time_point t) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[16];
  std::strftime(buf, sizeof(buf), "%Y-%m-%d", &tm);
  return buf;
}

// Twilio's list filters. The DateSent ones compare the UTC day of
// date_sent, so a message not sent yet (date_sent null) matches none of them.
struct ListFilter {
  std::string to, from, day_on, day_from, day_until;  // days as YYYY-MM-DD
  bool Matches(const RecordedMessage& m) const {
    if ((!to.empty() && m.to != to) || (!from.empty() && m.from != from)) return false;
    if (day_on.empty() && day_from.empty() && day_until.empty()) return true;
    if (m.status == "queued") return false;
    const std::string day = UtcDay(m.sent_at);
    return (day_on.empty() || day == day_on) && (day_from.empty() || day >= day_from) &&
           (day_until.empty() || day <= day_until);
  }
};

std::string DayParam(const Request& req, const char* name) {
  return req.get_param_value(name).substr(0, 10);
}

}  // namespace

class TwilioStandIn::Server {
 public:
  Server(TwilioStandIn& owner, State& st) : owner_(owner), st_(st) {}

  Status Start();
  void Stop();
  int port() const { return port_; }

 private:
  void AddRoutes();
  bool Admit(const Request& req, Response& res, bool* counted_fault);
  void AnswerFault(FailKind kind, const Request& req, Response& res);
  void HandleSend(const Request& req, Response& res);
  std::optional<RecordedMessage> CheckSend(const Request& req, Response& res);
  void HandleList(const Request& req, Response& res);
  void HandleFetch(const Request& req, Response& res);

  TwilioStandIn& owner_;
  State& st_;
  httplib::Server http_;
  std::thread thread_;
  int port_ = -1;
};

Status TwilioStandIn::Server::Start() {
  // A client that hangs up mid-answer must not kill the process.
  std::signal(SIGPIPE, SIG_IGN);
  const int threads = std::max(4, st_.opt.threads);
  http_.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  // Like Twilio's API, keep connections open (cpp-httplib's default closes
  // one after 5 requests) and take many new ones at once: Debian's build has
  // a listen backlog of 5 (listen_backlog.h). A connection holds a server
  // thread while open, so idle ones close after 2 s (give the stand-in more
  // threads than the client has connections).
  http_.set_keep_alive_max_count(1000);
  http_.set_keep_alive_timeout(2);
  http_.set_tcp_nodelay(true);
  http_.set_exception_handler([](const Request&, Response& res, std::exception_ptr) {
    WriteError(res, 500, 20500, "Internal Server Error (stand-in handler threw)");
  });
  AddRoutes();
  AddAdminRoutes(http_, owner_);
  ListenBacklog backlog(http_);
  if (st_.opt.port == 0) {
    port_ = http_.bind_to_any_port(st_.opt.host);
  } else {
    port_ = http_.bind_to_port(st_.opt.host, st_.opt.port) ? st_.opt.port : -1;
  }
  if (port_ <= 0) return Status::Unavailable("twilio stand-in: cannot bind " + st_.opt.host);
  backlog.Widen();
  thread_ = std::thread([this] { http_.listen_after_bind(); });
  // stop() is a no-op until the accept loop runs: wait for it (bounded).
  for (int i = 0; i < 5000 && !http_.is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (!http_.is_running()) return Status::Unavailable("twilio stand-in: listener did not start");
  return Status::OK();
}

void TwilioStandIn::Server::Stop() {
  {
    std::lock_guard<std::mutex> lock(st_.mu);
    st_.stopping = true;
  }
  st_.wake.notify_all();
  if (thread_.joinable()) {
    http_.stop();
    thread_.join();
  }
}

// Concurrency limit, latency, then the fault switches. False when the
// request was answered here.
bool TwilioStandIn::Server::Admit(const Request& req, Response& res, bool* counted_fault) {
  const Faults f = st_.Snapshot();
  if (f.max_concurrency > 0 && st_.in_flight.load() > f.max_concurrency) {
    st_.Count(&RequestCounts::faulted);
    res.set_header("Retry-After", std::to_string(f.retry_after.count()));
    WriteError(res, 429, 20429, "Too Many Requests");
    return false;
  }
  if (f.latency.count() > 0 && !st_.WaitUnlessStopping(f.latency)) {
    WriteError(res, 503, 20503, "Service Unavailable (stand-in stopping)");
    return false;
  }
  if (std::optional<FailKind> kind = st_.TakeFault()) {
    st_.Count(&RequestCounts::faulted);
    *counted_fault = true;
    AnswerFault(*kind, req, res);
    return false;
  }
  return true;
}

void TwilioStandIn::Server::AnswerFault(FailKind kind, const Request& req, Response& res) {
  switch (kind) {
    case FailKind::kHttp500: return WriteError(res, 500, 20500, "Internal Server Error");
    case FailKind::kHttp503: return WriteError(res, 503, 20503, "Service Unavailable");
    case FailKind::kHttp429:
      res.set_header("Retry-After", std::to_string(st_.Snapshot().retry_after.count()));
      return WriteError(res, 429, 20429, "Too Many Requests");
    case FailKind::kHang:
      st_.WaitUnlessStopping(st_.Snapshot().hang_for);
      return WriteError(res, 503, 20503, "Service Unavailable (after a hang)");
    case FailKind::kDrop:
      DropConnection(req);
      return WriteError(res, 500, 20500, "dropped");
  }
}

namespace {

// Counts a request as in flight for the concurrency limit.
struct InFlight {
  explicit InFlight(std::atomic<int>& n) : n_(n) { ++n_; }
  ~InFlight() { --n_; }
  std::atomic<int>& n_;
};

bool Authorized(const Request& req, const Options& opt) {
  auto expected = httplib::make_basic_authentication_header(opt.account_sid, opt.auth_token);
  return req.get_header_value("Authorization") == expected.second;
}

}  // namespace

void TwilioStandIn::Server::AddRoutes() {
  // Each API route: count, admit (limits, faults), authenticate, route.
  auto api = [this](int RequestCounts::*counter, void (Server::*handler)(const Request&, Response&)) {
    return [this, counter, handler](const Request& req, Response& res) {
      InFlight guard(st_.in_flight);
      st_.Count(&RequestCounts::total);
      st_.Count(counter);
      bool faulted = false;
      if (!Admit(req, res, &faulted)) return;
      if (!Authorized(req, st_.opt)) {
        st_.Count(&RequestCounts::refused);
        return WriteError(res, 401, 20003, "Authenticate");
      }
      if (req.matches[1] != st_.opt.account_sid) {
        st_.Count(&RequestCounts::refused);
        return WriteError(res, 404, 20404, "The requested resource was not found");
      }
      (this->*handler)(req, res);
    };
  };
  http_.Post(kMessagesPath, api(&RequestCounts::sends, &Server::HandleSend));
  http_.Get(kMessagesPath, api(&RequestCounts::lists, &Server::HandleList));
  http_.Get(kMessagePath, api(&RequestCounts::fetches, &Server::HandleFetch));
}

// Twilio's checks on a send, in Twilio's order. Answers and returns nullopt
// when the request is refused.
std::optional<RecordedMessage> TwilioStandIn::Server::CheckSend(const Request& req, Response& res) {
  RecordedMessage m;
  m.to = req.get_param_value("To");
  m.from = req.get_param_value("From");
  m.messaging_service_sid = req.get_param_value("MessagingServiceSid");
  m.body = req.get_param_value("Body");
  m.status_callback = req.get_param_value("StatusCallback");
  const std::string to = StripWhatsapp(m.to);
  int code = 0;
  std::string why;
  if (m.to.empty()) code = 21604, why = "A 'To' phone number is required.";
  else if (!IsE164(to)) code = 21211, why = "The 'To' number is not a valid phone number.";
  else if (m.from.empty() && m.messaging_service_sid.empty())
    code = 21603, why = "A 'From' or 'MessagingServiceSid' parameter is required.";
  else if (!m.from.empty() && !IsE164(StripWhatsapp(m.from)))
    code = 21212, why = "The 'From' number is not a valid phone number.";
  else if ((code = st_.ForcedSenderError(m.from, m.messaging_service_sid)) != 0)
    why = "Refused by the stand-in for this sender (Twilio error " + std::to_string(code) + ").";
  else if (m.body.empty()) code = 21602, why = "Message body is required.";
  else if (CountSegments(m.body).characters > kMaxBodyCharacters)
    code = 21617, why = "The concatenated message body exceeds the 1600 character limit.";
  else if ((code = MagicNumberError(to)) != 0 || (code = st_.ForcedError(to)) != 0)
    why = "Refused by the stand-in for this number (Twilio error " + std::to_string(code) + ").";
  if (code != 0) {
    st_.Count(&RequestCounts::refused);
    WriteError(res, HttpStatusForCode(code), code, why);
    return std::nullopt;
  }
  return m;
}

void TwilioStandIn::Server::HandleSend(const Request& req, Response& res) {
  std::optional<RecordedMessage> m = CheckSend(req, res);
  if (!m) return;
  m->sid = st_.NewMessageSid();
  m->account_sid = st_.opt.account_sid;
  m->status = "queued";
  m->num_segments = CountSegments(m->body).segments;
  m->created = st_.opt.clock->Now();
  m->sent_at = m->created + st_.TakeQueuedFor();
  {
    std::lock_guard<std::mutex> lock(st_.mu);
    st_.messages.push_back(*m);
    ++st_.counts.accepted;
  }
  if (st_.opt.on_message) st_.opt.on_message(*m);
  st_.callbacks.EnqueueFor(*m);
  if (std::optional<FailKind> kind = st_.TakeAcceptThenFail()) {
    st_.Count(&RequestCounts::faulted);
    return AnswerFault(*kind, req, res);
  }
  res.status = 201;
  res.set_content(MessageJson(*m), "application/json");
}

void TwilioStandIn::Server::HandleList(const Request& req, Response& res) {
  ListFilter filter{req.get_param_value("To"), req.get_param_value("From"),
                    DayParam(req, "DateSent"), DayParam(req, "DateSent>"), DayParam(req, "DateSent<")};
  const int page_size = std::clamp(std::atoi(req.get_param_value("PageSize").c_str()), 0, 1000);
  const int size = page_size > 0 ? page_size : 50;
  const int page = std::max(0, std::atoi(req.get_param_value("Page").c_str()));
  std::vector<RecordedMessage> matching;
  for (const auto& m : owner_.Messages()) {
    if (filter.Matches(m)) matching.push_back(m);
  }
  // Newest first. Twilio documents its order as by date_sent, newest first,
  // without placing unsent messages; here it is by date_created, which puts
  // a queued message where it was taken.
  std::reverse(matching.begin(), matching.end());
  json messages = json::array();
  const size_t start = static_cast<size_t>(page) * size;
  for (size_t i = start; i < matching.size() && i < start + size; ++i) {
    messages.push_back(json::parse(MessageJson(matching[i])));
  }
  std::string query;
  auto add = [&query](const char* name, const std::string& v) {
    if (!v.empty()) query += std::string(name) + "=" + httplib::detail::encode_query_param(v) + "&";
  };
  add("To", filter.to), add("From", filter.from), add("DateSent", filter.day_on);
  add("DateSent%3E", filter.day_from), add("DateSent%3C", filter.day_until);
  query += "PageSize=" + std::to_string(size);
  auto page_uri = [&](int p) { return req.path + "?" + query + "&Page=" + std::to_string(p); };
  const bool more = start + size < matching.size();
  json j = {{"messages", messages}, {"page", page}, {"page_size", size}, {"start", start},
            {"end", start + messages.size() == 0 ? 0 : start + messages.size() - 1},
            {"uri", page_uri(page)}, {"first_page_uri", page_uri(0)},
            {"next_page_uri", more ? json(page_uri(page + 1)) : json(nullptr)},
            {"previous_page_uri", page > 0 ? json(page_uri(page - 1)) : json(nullptr)}};
  res.status = 200;
  res.set_content(j.dump(), "application/json");
}

void TwilioStandIn::Server::HandleFetch(const Request& req, Response& res) {
  for (const auto& m : owner_.Messages()) {
    if (m.sid == req.matches[2]) {
      res.status = 200;
      return res.set_content(MessageJson(m), "application/json");
    }
  }
  WriteError(res, 404, 20404, "The requested resource was not found");
}

// --- TwilioStandIn ---

TwilioStandIn::TwilioStandIn(Options options)
    : state_(std::make_unique<State>(std::move(options))),
      server_(std::make_unique<Server>(*this, *state_)) {}

TwilioStandIn::~TwilioStandIn() { Stop(); }

Status TwilioStandIn::Start() {
  state_->callbacks.Start();  // before the first send can be accepted
  Status s = server_->Start();
  if (!s.ok()) state_->callbacks.Stop();
  return s;
}
// The server first, so that no send queues a callback behind the sender.
void TwilioStandIn::Stop() {
  server_->Stop();
  state_->callbacks.Stop();
}
int TwilioStandIn::port() const { return server_->port(); }
std::string TwilioStandIn::BaseUrl() const {
  return "http://" + state_->opt.host + ":" + std::to_string(port());
}
const std::string& TwilioStandIn::account_sid() const { return state_->opt.account_sid; }
const std::string& TwilioStandIn::auth_token() const { return state_->opt.auth_token; }

}  // namespace checkin::standin
