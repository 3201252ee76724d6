#include "base/listen_address.h"

#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

namespace checkin {

Result<std::pair<std::string, int>> ParseListenAddress(const std::string& listen) {
  const auto colon = listen.rfind(':');
  const std::string port = colon == std::string::npos ? "" : listen.substr(colon + 1);
  std::string host = colon == std::string::npos ? "" : listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  const bool digits = !port.empty() && port.size() <= 5 &&
                      std::all_of(port.begin(), port.end(), [](unsigned char c) { return c >= '0' && c <= '9'; });
  if (host.empty() || host.find_first_of(" \t[]") != std::string::npos || !digits || std::stoi(port) > 65535) {
    return Status::InvalidArgument("expected host:port such as \"127.0.0.1:8080\", \"0.0.0.0:8080\" or \"[::1]:8080\" "
                                   "(port 1-65535), got \"" + listen + "\"");
  }
  return std::make_pair(host, std::stoi(port));
}

Status CheckCanListenOn(const std::string& host) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  if (int rc = getaddrinfo(host.c_str(), "0", &hints, &found); rc != 0) {
    return Status::InvalidArgument("cannot resolve host \"" + host + "\": " + gai_strerror(rc));
  }
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> list(found, freeaddrinfo);
  int error = 0;
  for (const addrinfo* a = found; a != nullptr; a = a->ai_next) {
    const int fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) {
      error = errno;
      continue;
    }
    const bool bound = bind(fd, a->ai_addr, a->ai_addrlen) == 0;
    error = errno;
    close(fd);
    if (bound) return Status::OK();
  }
  return Status::InvalidArgument("cannot listen on \"" + host + "\" on this machine: " + std::strerror(error) +
                                 (error == EADDRNOTAVAIL ? " (not an address of this machine; 0.0.0.0 listens on all)" : ""));
}

std::string LocalAddressFor(const std::string& host) {
  if (host == "0.0.0.0") return "127.0.0.1";
  if (host == "::") return "::1";
  return host;
}

}  // namespace checkin
