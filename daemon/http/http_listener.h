// HttpListener: the accept loop, connection limits and request framing in
// front of a cpp-httplib Server's routes.
//
// Why not Server::listen_after_bind: Debian's cpp-httplib 0.11.4 gives each
// connection a thread for as long as it is open, and its read timeout is per
// recv(), so a client sending its headers one byte a second holds a thread
// for as long as it likes; 8 such clients took every webhook and /healthz
// down (issue 13). cpp-httplib has no total header deadline and no hook on
// accepted sockets. So here one thread polls every open connection, reads
// each request whole (head and body) under one deadline, and only then hands
// it to a worker thread, which runs cpp-httplib's own parsing, routing and
// response writing over the bytes already read (RouteTable::Serve, through
// the protected Server::process_request). A slow or idle client costs a file
// descriptor and its buffer, never a thread.
//
// Limits (HttpListenerOptions), each answered before any handler runs:
//   max_connections open at once; beyond it new ones wait in the kernel's
//     backlog (1024) until one closes;
//   max_connections_per_client from one address: more get 503 and are closed;
//   a request head over max_head_bytes: 431; a Content-Length over
//     max_body_bytes: 413; Transfer-Encoding (chunked) bodies: 411 (Twilio,
//     curl and reverse proxies send Content-Length); two Content-Lengths: 400;
//   a request not read whole within request_timeout of its first byte: 408;
//   a connection idle for keep_alive_timeout (before its first request or
//     between two) is closed, and so is one after keep_alive_max_count requests;
//   a response not written whole within write_timeout: the connection closes.
// Refusals close the connection (Connection: close).
//
// Thread-safety: Start and Stop from one thread; the routes run on the
// worker threads, many at once.
#ifndef CHECKIN_DAEMON_HTTP_LISTENER_H_
#define CHECKIN_DAEMON_HTTP_LISTENER_H_

#include <httplib.h>
#include <spdlog/logger.h>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "checkin/status.h"

namespace checkin {

// A cpp-httplib Server used for its routes and request handling only; never
// listen() on it.
class RouteTable : public httplib::Server {
 public:
  // Reads one request from `stream`, routes it and writes the answer. False
  // when the answer could not be written.
  bool Serve(httplib::Stream& stream, bool close_connection, bool& connection_closed) {
    return process_request(stream, close_connection, connection_closed, nullptr);
  }
};

struct HttpListenerOptions {
  int threads = 8;  // requests handled at once
  // Debian's cpp-httplib answers 500 on a socket numbered FD_SETSIZE (1024)
  // or above (it was built for select()): keep this well below that.
  size_t max_connections = 512;
  size_t max_connections_per_client = 256;
  size_t max_head_bytes = 16 * 1024;  // request line and headers
  size_t max_body_bytes = 64 * 1024;
  std::chrono::milliseconds request_timeout{10000};
  std::chrono::milliseconds keep_alive_timeout{5000};
  size_t keep_alive_max_count = 100;
  std::chrono::milliseconds write_timeout{5000};
  std::shared_ptr<spdlog::logger> logger;  // Default: NullLogger(); refusals at debug
};

class HttpListener {
 public:
  // Binds host:port (port 0: a free one; the host resolved with getaddrinfo,
  // AI_PASSIVE, as cpp-httplib does) and starts serving `routes`, which must
  // outlive the listener. Unavailable when no address of the host binds.
  static Result<std::unique_ptr<HttpListener>> Start(const std::string& host, int port, RouteTable& routes,
                                                     HttpListenerOptions options);
  ~HttpListener();  // Stop()

  int port() const;
  // Stops accepting, finishes the requests already read, closes every
  // connection and joins every thread.
  void Stop();

 private:
  struct Impl;
  explicit HttpListener(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace checkin

#endif  // CHECKIN_DAEMON_HTTP_LISTENER_H_
