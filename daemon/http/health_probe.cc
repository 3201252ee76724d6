#include "http/health_probe.h"

#include <httplib.h>

#include "base/listen_address.h"

namespace checkin {

Result<std::string> ProbeHealthz(const std::string& listen, std::chrono::milliseconds timeout) {
  auto address = ParseListenAddress(listen);
  if (!address.ok()) return Status::InvalidArgument("http.listen: " + address.status().message());
  const std::string host = LocalAddressFor(address->first);
  const int port = address->second;
  const bool v6 = host.find(':') != std::string::npos;
  const std::string url = "http://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port) + "/healthz";
  httplib::Client client(host, port);
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(timeout);
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(timeout - seconds);
  client.set_connection_timeout(seconds.count(), micros.count());
  client.set_read_timeout(seconds.count(), micros.count());
  client.set_write_timeout(seconds.count(), micros.count());
  auto res = client.Get("/healthz");
  if (!res) {
    const httplib::Error e = res.error();
    const char* what = e == httplib::Error::Connection ? "cannot connect (nothing listening, or not reachable)"
                       : e == httplib::Error::Read      ? "no answer within the timeout"
                                                        : "request failed";
    return Status::Unavailable(url + ": " + what + " (" + httplib::to_string(e) + ")");
  }
  if (res->status != 200) return Status::Unavailable(url + ": HTTP " + std::to_string(res->status));
  return url;
}

}  // namespace checkin
