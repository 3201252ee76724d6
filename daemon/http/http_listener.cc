// HttpListener: one poll thread owns every connection that is waiting for a
// request; a complete request moves with its connection to a worker, and
// back to the poll thread once answered. See http_listener.h for why and for
// the limits.
#include "http/http_listener.h"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "base/logging.h"

namespace checkin {
namespace {

using SteadyClock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// After a refusal the client may still be sending (a 65 KiB body): its bytes
// are read and dropped for a while, so that closing does not reset the
// connection before the client has read our answer.
constexpr milliseconds kLingerFor{2000};
constexpr size_t kLingerMaxBytes = 1024 * 1024;

struct Connection {
  int fd = -1;
  std::string client;  // the peer's address, for the per-client count
  int client_port = 0;
  std::string local;
  int local_port = 0;
  std::string in;           // read and not yet served
  size_t request_size = 0;  // with a worker: the request's bytes at the front of `in`
  bool started = false;     // the first byte of a request has arrived
  bool close = false;       // set by the worker: close, do not read another request
  bool lingering = false;   // refused: reading and dropping until closed
  size_t dropped = 0;
  size_t served = 0;
  SteadyClock::time_point deadline;  // idle, request or linger deadline
};

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Where one request ends in what was read so far. cpp-httplib parses the
// request again on the worker; this only finds its length (Content-Length)
// and refuses what it will not wait for.
struct Framing {
  enum Kind { kNeedMore, kComplete, kRefuse } kind = kNeedMore;
  int status = 0;          // kRefuse
  const char* reason = "";  // kRefuse, for the log
  size_t size = 0;         // head + body, once the head is complete
  size_t expect_begin = 0, expect_end = 0;  // "Expect: 100-continue\r\n", if sent
};

Framing Refusal(int status, const char* reason) {
  Framing f;
  f.kind = Framing::kRefuse;
  f.status = status;
  f.reason = reason;
  return f;
}

Framing Frame(const std::string& in, size_t max_head, size_t max_body) {
  const size_t end = in.find("\r\n\r\n");
  if (end == std::string::npos || end + 4 > max_head) {
    return in.size() > max_head ? Refusal(431, "head_too_large") : Framing{};
  }
  Framing f;
  std::optional<uint64_t> length;
  for (size_t line = in.find("\r\n") + 2; line < end + 2;) {  // past the request line
    const size_t eol = in.find("\r\n", line);
    const std::string_view header(in.data() + line, eol - line);
    const size_t colon = header.find(':');
    const std::string_view name = header.substr(0, colon);
    const std::string_view value = colon == std::string_view::npos ? "" : Trim(header.substr(colon + 1));
    if (EqualsIgnoreCase(name, "Transfer-Encoding")) return Refusal(411, "length_required");
    if (EqualsIgnoreCase(name, "Content-Length")) {
      const bool digits = !value.empty() && value.size() <= 18 &&
                          std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; });
      if (!digits) return Refusal(400, "bad_request");
      const uint64_t n = std::stoull(std::string(value));
      if (length && *length != n) return Refusal(400, "bad_request");  // which one would a proxy use?
      length = n;
    }
    if (EqualsIgnoreCase(name, "Expect") && EqualsIgnoreCase(value, "100-continue")) {
      f.expect_begin = line;
      f.expect_end = eol + 2;
    }
    line = eol + 2;
  }
  if (length.value_or(0) > max_body) return Refusal(413, "body_too_large");
  f.size = end + 4 + length.value_or(0);
  f.kind = in.size() >= f.size ? Framing::kComplete : Framing::kNeedMore;
  return f;
}

std::string CannedResponse(int status) {
  const char* text = status == 400   ? "Bad Request"
                     : status == 408 ? "Request Timeout"
                     : status == 411 ? "Length Required"
                     : status == 413 ? "Payload Too Large"
                     : status == 431 ? "Request Header Fields Too Large"
                                     : "Service Unavailable";
  const std::string body = std::string(text) + "\n";
  return "HTTP/1.1 " + std::to_string(status) + " " + text +
         "\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\n\r\n" + body;
}

// Numeric host and port of a socket address.
void Describe(const sockaddr_storage& addr, socklen_t len, std::string& host, int& port) {
  char h[NI_MAXHOST] = "", p[NI_MAXSERV] = "";
  if (::getnameinfo(reinterpret_cast<const sockaddr*>(&addr), len, h, sizeof(h), p, sizeof(p),
                    NI_NUMERICHOST | NI_NUMERICSERV) == 0) {
    host = h;
    port = std::atoi(p);
  }
}

// One request already read, for cpp-httplib to parse (read() gives its bytes,
// then end of stream); the answer goes straight to the socket, all of it
// within one deadline (a per-send timeout would let a client that reads a
// byte a second hold the worker).
class RequestStream final : public httplib::Stream {
 public:
  RequestStream(Connection& c, SteadyClock::time_point deadline) : c_(c), deadline_(deadline) {}

  bool is_readable() const override { return pos_ < c_.request_size; }
  bool is_writable() const override { return !failed_ && SteadyClock::now() < deadline_; }
  ssize_t read(char* ptr, size_t size) override {
    const size_t n = std::min(size, c_.request_size - pos_);
    std::memcpy(ptr, c_.in.data() + pos_, n);
    pos_ += n;
    return static_cast<ssize_t>(n);
  }
  ssize_t write(const char* ptr, size_t size) override {
    for (size_t done = 0; done < size;) {
      const ssize_t n = ::send(c_.fd, ptr + done, size - done, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n > 0) {
        done += static_cast<size_t>(n);
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else if (!(n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && WaitWritable())) {
        failed_ = true;
        return -1;
      }
    }
    return static_cast<ssize_t>(size);
  }
  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    ip = c_.client;
    port = c_.client_port;
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    ip = c_.local;
    port = c_.local_port;
  }
  socket_t socket() const override { return c_.fd; }  // cpp-httplib's, global on POSIX
  bool failed() const { return failed_; }

 private:
  bool WaitWritable() {
    const auto left = std::chrono::duration_cast<milliseconds>(deadline_ - SteadyClock::now()).count();
    pollfd p{c_.fd, POLLOUT, 0};
    return left > 0 && ::poll(&p, 1, static_cast<int>(left)) > 0 && (p.revents & POLLOUT);
  }

  Connection& c_;
  const SteadyClock::time_point deadline_;
  size_t pos_ = 0;
  bool failed_ = false;
};

}  // namespace

struct HttpListener::Impl {
  RouteTable* routes = nullptr;
  HttpListenerOptions o;
  std::shared_ptr<spdlog::logger> log;
  int listen_fd = -1;
  int wake_fd = -1;  // eventfd: a worker handed a connection back, or Stop()
  int port = 0;
  std::thread poller;
  std::vector<std::thread> workers;
  bool stopped = false;
  std::atomic<bool> stop_polling{false};
  std::atomic<bool> stopping{false};

  // The poll thread's alone.
  std::unordered_map<int, std::unique_ptr<Connection>> reading;
  std::unordered_map<std::string, size_t> per_client;
  size_t open = 0;  // every open connection, reading or with a worker
  SteadyClock::time_point accept_paused_until;

  // Shared with the workers.
  std::mutex mu;
  std::condition_variable work_ready;
  std::deque<std::unique_ptr<Connection>> work;      // a complete request each
  std::deque<std::unique_ptr<Connection>> returned;  // answered
  bool workers_stop = false;

  Status Bind(const std::string& host, int port);
  void Poll();
  void AcceptAll(SteadyClock::time_point now);
  void Read(Connection* c, SteadyClock::time_point now);
  void Advance(Connection* c);
  void Refuse(Connection* c, int status, const char* reason, SteadyClock::time_point now);
  void TakeReturned(SteadyClock::time_point now);
  void Expire(SteadyClock::time_point now);
  void Close(Connection* c);  // may delete *c
  void Work();
  void Serve(Connection& c);
  void Wake() const {
    const uint64_t one = 1;
    (void)!::write(wake_fd, &one, sizeof(one));
  }
};

Status HttpListener::Impl::Bind(const std::string& host, int wanted_port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  if (::getaddrinfo(host.c_str(), std::to_string(wanted_port).c_str(), &hints, &found) != 0) {
    return Status::Unavailable("cannot resolve " + host);
  }
  for (addrinfo* a = found; a != nullptr && listen_fd < 0; a = a->ai_next) {
    const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    const int yes = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));  // restarts reuse a TIME_WAIT port
    if (::bind(fd, a->ai_addr, a->ai_addrlen) == 0 && ::listen(fd, 1024) == 0) {
      listen_fd = fd;
    } else {
      ::close(fd);
    }
  }
  ::freeaddrinfo(found);
  if (listen_fd < 0) return Status::Unavailable("cannot listen on " + host + ":" + std::to_string(wanted_port));
  sockaddr_storage addr{};
  socklen_t len = sizeof(addr);
  ::getsockname(listen_fd, reinterpret_cast<sockaddr*>(&addr), &len);
  std::string bound;
  Describe(addr, len, bound, port);
  return Status::OK();
}

void HttpListener::Impl::Poll() {
  std::vector<pollfd> fds;
  std::vector<Connection*> polled;
  while (!stop_polling) {
    auto now = SteadyClock::now();
    const bool accepting = open < o.max_connections && now >= accept_paused_until;
    fds.assign({{wake_fd, POLLIN, 0}, {accepting ? listen_fd : -1, POLLIN, 0}});
    polled.clear();
    auto next = now + std::chrono::seconds(1);
    if (!accepting && open < o.max_connections) next = std::min(next, accept_paused_until);
    for (auto& [fd, c] : reading) {
      fds.push_back({fd, POLLIN, 0});
      polled.push_back(c.get());
      next = std::min(next, c->deadline);
    }
    const auto wait = std::chrono::ceil<milliseconds>(next - now).count();
    if (::poll(fds.data(), fds.size(), static_cast<int>(std::max<int64_t>(0, wait))) < 0 && errno != EINTR) {
      log->error("listener: poll: {}", std::strerror(errno));
      break;
    }
    now = SteadyClock::now();
    if (fds[0].revents != 0) {
      uint64_t n;
      (void)!::read(wake_fd, &n, sizeof(n));
      TakeReturned(now);
    }
    if (fds[1].revents != 0) AcceptAll(now);
    for (size_t i = 0; i < polled.size(); ++i) {
      if (fds[i + 2].revents != 0) Read(polled[i], now);  // may close it; not touched again
    }
    Expire(now);
  }
  while (!reading.empty()) Close(reading.begin()->second.get());
}

void HttpListener::Impl::AcceptAll(SteadyClock::time_point now) {
  for (int i = 0; i < 64 && open < o.max_connections; ++i) {
    sockaddr_storage addr{};
    socklen_t len = sizeof(addr);
    const int fd = ::accept4(listen_fd, reinterpret_cast<sockaddr*>(&addr), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
        log->warn("listener: cannot accept ({}); trying again in 100 ms", std::strerror(errno));
        accept_paused_until = now + milliseconds(100);
      }
      return;
    }
    auto c = std::make_unique<Connection>();
    c->fd = fd;
    Describe(addr, len, c->client, c->client_port);
    sockaddr_storage local{};
    socklen_t local_len = sizeof(local);
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_len) == 0) {
      Describe(local, local_len, c->local, c->local_port);
    }
    // cpp-httplib writes headers and body in two sends: without TCP_NODELAY
    // a reused connection waits ~40 ms for the client's delayed ACK.
    const int yes = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof(yes));
    ++open;
    Connection* raw = c.get();
    raw->deadline = now + o.keep_alive_timeout;
    reading.emplace(fd, std::move(c));
    if (++per_client[raw->client] > o.max_connections_per_client) Refuse(raw, 503, "too_many_from_client", now);
  }
}

void HttpListener::Impl::Read(Connection* c, SteadyClock::time_point now) {
  char buf[16 * 1024];
  const size_t most = o.max_head_bytes + o.max_body_bytes;
  while (c->lingering || c->in.size() <= most) {
    const ssize_t n = ::recv(c->fd, buf, sizeof(buf), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    if (n <= 0) return Close(c);  // the client closed, or the connection failed
    if (c->lingering) {
      c->dropped += static_cast<size_t>(n);
      if (c->dropped > kLingerMaxBytes) return Close(c);
      continue;
    }
    if (!c->started) {
      c->started = true;
      c->deadline = now + o.request_timeout;
    }
    c->in.append(buf, static_cast<size_t>(n));
  }
  if (!c->lingering) Advance(c);
}

void HttpListener::Impl::Advance(Connection* c) {
  Framing f = Frame(c->in, o.max_head_bytes, o.max_body_bytes);
  if (f.kind == Framing::kRefuse) return Refuse(c, f.status, f.reason, SteadyClock::now());
  if (f.kind == Framing::kNeedMore) {
    if (f.expect_end > 0) {
      // The client waits for this before it sends the body. Said here, so
      // the header goes: cpp-httplib would say it again on the worker.
      static const char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
      (void)::send(c->fd, kContinue, sizeof(kContinue) - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
      c->in.erase(f.expect_begin, f.expect_end - f.expect_begin);
    }
    return;
  }
  c->request_size = f.size;
  auto it = reading.find(c->fd);
  std::unique_ptr<Connection> owned = std::move(it->second);
  reading.erase(it);
  {
    std::lock_guard<std::mutex> lock(mu);
    work.push_back(std::move(owned));
  }
  work_ready.notify_one();
}

void HttpListener::Impl::Refuse(Connection* c, int status, const char* reason, SteadyClock::time_point now) {
  const std::string answer = CannedResponse(status);
  (void)::send(c->fd, answer.data(), answer.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  ::shutdown(c->fd, SHUT_WR);
  log->debug("listener: {} from {}: {}", status, c->client, reason);
  c->lingering = true;
  c->in.clear();
  c->in.shrink_to_fit();
  c->deadline = now + kLingerFor;
}

void HttpListener::Impl::TakeReturned(SteadyClock::time_point now) {
  std::deque<std::unique_ptr<Connection>> back;
  {
    std::lock_guard<std::mutex> lock(mu);
    back.swap(returned);
  }
  for (auto& c : back) {
    if (c->close || stopping) {
      Close(c.get());
      continue;
    }
    Connection* raw = c.get();
    raw->started = !raw->in.empty();  // the next request, sent early (pipelined)
    raw->deadline = now + (raw->started ? o.request_timeout : o.keep_alive_timeout);
    reading.emplace(raw->fd, std::move(c));
    if (raw->started) Advance(raw);
  }
}

void HttpListener::Impl::Expire(SteadyClock::time_point now) {
  std::vector<Connection*> due;
  for (auto& [fd, c] : reading) {
    if (c->deadline <= now) due.push_back(c.get());
  }
  for (Connection* c : due) {
    if (c->started && !c->lingering) {
      Refuse(c, 408, "request_timeout", now);
    } else {
      Close(c);  // idle, or done lingering
    }
  }
}

void HttpListener::Impl::Close(Connection* c) {
  ::close(c->fd);
  --open;
  auto count = per_client.find(c->client);
  if (count != per_client.end() && --count->second == 0) per_client.erase(count);
  auto it = reading.find(c->fd);
  if (it != reading.end() && it->second.get() == c) reading.erase(it);
}

void HttpListener::Impl::Work() {
  for (;;) {
    std::unique_ptr<Connection> c;
    {
      std::unique_lock<std::mutex> lock(mu);
      work_ready.wait(lock, [&] { return !work.empty() || workers_stop; });
      if (work.empty()) return;  // stopping and drained
      c = std::move(work.front());
      work.pop_front();
    }
    Serve(*c);
    {
      std::lock_guard<std::mutex> lock(mu);
      returned.push_back(std::move(c));
    }
    Wake();
  }
}

void HttpListener::Impl::Serve(Connection& c) {
  const bool last = ++c.served >= o.keep_alive_max_count || stopping;
  RequestStream stream(c, SteadyClock::now() + o.write_timeout);
  bool closed = false;
  bool written = false;
  try {
    written = routes->Serve(stream, last, closed);
  } catch (const std::exception& e) {  // an edge: a request never takes the listener down
    log->error("listener: request from {} failed: {}", c.client, e.what());
  }
  c.in.erase(0, c.request_size);
  c.request_size = 0;
  c.close = !written || closed || last || stream.failed();
}

Result<std::unique_ptr<HttpListener>> HttpListener::Start(const std::string& host, int port, RouteTable& routes,
                                                         HttpListenerOptions options) {
  auto impl = std::make_unique<Impl>();
  impl->routes = &routes;
  impl->o = std::move(options);
  impl->log = impl->o.logger ? impl->o.logger : NullLogger();
  impl->wake_fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (impl->wake_fd < 0) return Status::Unavailable(std::string("eventfd: ") + std::strerror(errno));
  Status bound = impl->Bind(host, port);
  if (!bound.ok()) {
    ::close(impl->wake_fd);
    return bound;
  }
  Impl* raw = impl.get();
  for (int i = 0; i < std::max(1, raw->o.threads); ++i) raw->workers.emplace_back([raw] { raw->Work(); });
  raw->poller = std::thread([raw] { raw->Poll(); });
  return std::unique_ptr<HttpListener>(new HttpListener(std::move(impl)));
}

HttpListener::HttpListener(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpListener::~HttpListener() { Stop(); }
int HttpListener::port() const { return impl_->port; }

void HttpListener::Stop() {
  Impl& i = *impl_;
  if (i.stopped) return;
  i.stopped = true;
  i.stopping = true;
  i.stop_polling = true;
  i.Wake();
  if (i.poller.joinable()) i.poller.join();  // closes the connections it held
  {
    std::lock_guard<std::mutex> lock(i.mu);
    i.workers_stop = true;
  }
  i.work_ready.notify_all();
  for (auto& t : i.workers) t.join();  // the requests already read are answered first
  for (auto& c : i.returned) ::close(c->fd);
  i.returned.clear();
  ::close(i.listen_fd);
  ::close(i.wake_fd);
}

}  // namespace checkin
