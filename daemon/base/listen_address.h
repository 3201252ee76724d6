// http.listen, "host:port": the one parser, used by the config check
// (config_validators.cc: file, line and key in the error) and by the
// listener (http/webhook_server.cc) and `checkind --healthcheck`, so the
// three read the same address; and the check that this machine can listen
// on the host at all, run by `checkind --check-config` and at start-up
// (CheckStartable in daemon/daemon.h).
//
// Thread-safety: free functions, safe from any thread.
#ifndef CHECKIN_DAEMON_BASE_LISTEN_ADDRESS_H_
#define CHECKIN_DAEMON_BASE_LISTEN_ADDRESS_H_

#include <string>
#include <utility>

#include "checkin/status.h"

namespace checkin {

// "127.0.0.1:8080", "0.0.0.0:8080", "[::1]:8080", "localhost:8080" ->
// (host without brackets, port). The port is 0 to 65535 (0: any free port,
// for tests; the config refuses it). InvalidArgument says what is allowed.
Result<std::pair<std::string, int>> ParseListenAddress(const std::string& listen);

// Whether a TCP socket can be bound on `host` here: resolves it as the
// listener does (getaddrinfo, AI_PASSIVE) and binds each address to port 0
// (any free port, so a running checkind on the real port does not matter)
// until one binds, then closes it. InvalidArgument when the name does not
// resolve or no address of it belongs to this machine (EADDRNOTAVAIL).
Status CheckCanListenOn(const std::string& host);

// Where a client on this machine reaches a listener bound to `host`: the
// wildcard addresses (0.0.0.0, ::) are reached on loopback (127.0.0.1, ::1),
// any other host as itself.
std::string LocalAddressFor(const std::string& host);

}  // namespace checkin

#endif  // CHECKIN_DAEMON_BASE_LISTEN_ADDRESS_H_
