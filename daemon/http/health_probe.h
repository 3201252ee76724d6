// `checkind --healthcheck`: GET /healthz from the listener that http.listen
// names, for a container's HEALTHCHECK (Dockerfile) or any other probe that
// runs next to checkind. It reads the address from the config through the
// listener's own parser (base/listen_address.h), so it probes wherever the
// daemon listens, and needs no curl or shell in the image. A wildcard
// listen address (0.0.0.0, ::) is probed on loopback.
//
// Thread-safety: a free function; each call makes its own connection.
#ifndef CHECKIN_DAEMON_HTTP_HEALTH_PROBE_H_
#define CHECKIN_DAEMON_HTTP_HEALTH_PROBE_H_

#include <chrono>
#include <string>

#include "checkin/status.h"

namespace checkin {

// OK with the URL probed ("http://127.0.0.1:8080/healthz") when /healthz
// answers 200 within `timeout`; Unavailable saying what happened instead
// (refused, timed out, HTTP 503), InvalidArgument for a malformed `listen`.
Result<std::string> ProbeHealthz(const std::string& listen, std::chrono::milliseconds timeout);

}  // namespace checkin

#endif  // CHECKIN_DAEMON_HTTP_HEALTH_PROBE_H_
