// A deeper listen backlog for cpp-httplib servers.
//
// Debian 12's libcpp-httplib0.11 is a compiled library built with
// CPPHTTPLIB_LISTEN_BACKLOG 5, and the header's macro cannot change it. When
// many clients connect at once (Twilio delivering a burst of replies, 100
// senders opening connections to the stand-in), connections beyond 5 wait
// for SYN retries (1 s, 3 s) and senders time out. cpp-httplib has no
// setting for it, so: remember the listening socket through
// set_socket_options (which runs just before bind) and, once bound, call
// listen() again, which on Linux only updates the backlog of a listening
// socket.
//
// Usage: ListenBacklog backlog(server); ... server.bind_to_port(...);
//        backlog.Widen();   (before listen_after_bind)
// Thread-safety: use from the thread that binds the server.
#ifndef CHECKIN_DAEMON_LISTEN_BACKLOG_H_
#define CHECKIN_DAEMON_LISTEN_BACKLOG_H_

#include <httplib.h>
#include <sys/socket.h>

#include <memory>

namespace checkin {

class ListenBacklog {
 public:
  explicit ListenBacklog(httplib::Server& server) : socket_(std::make_shared<int>(-1)) {
    server.set_socket_options([socket = socket_](int sock) {
      httplib::default_socket_options(sock);  // SO_REUSEADDR, as without this hook
      *socket = sock;
    });
  }

  // Raises the bound socket's backlog (capped by net.core.somaxconn).
  // False when nothing was bound or listen() failed.
  bool Widen(int backlog = 1024) const { return *socket_ >= 0 && ::listen(*socket_, backlog) == 0; }

 private:
  std::shared_ptr<int> socket_;
};

}  // namespace checkin

#endif  // CHECKIN_DAEMON_LISTEN_BACKLOG_H_
