#include "base/redis_url.h"

#include <algorithm>

namespace checkin {

namespace {

bool StartsWith(const std::string& s, const std::string& p) { return s.rfind(p, 0) == 0; }

// "123" -> 123; nullopt for anything but digits (no sign, no spaces).
std::optional<int> Digits(const std::string& s) {
  if (s.empty() || s.size() > 9 || !std::all_of(s.begin(), s.end(), [](unsigned char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  return std::stoi(s);
}

}  // namespace

std::optional<std::pair<std::string, int>> ParseRedisHostPort(const std::string& s, int default_port) {
  const auto colon = s.rfind(':');
  std::string host = colon == std::string::npos ? s : s.substr(0, colon);
  int port = default_port;
  if (colon != std::string::npos) {
    auto digits = Digits(s.substr(colon + 1));
    if (!digits) return std::nullopt;
    port = *digits;
  }
  if (host.empty() || port <= 0 || port > 65535) return std::nullopt;
  return std::make_pair(host, port);
}

Result<RedisEndpoint> ParseRedisUrl(const std::string& url) {
  RedisEndpoint ep;
  auto bad = [&](const std::string& why) {
    return Status::InvalidArgument(why + " in \"" + RedactRedisUrl(url) +
                                   "\"; expected redis://[[user]:password@]host[:port][/db], "
                                   "redis-sentinel://host[:port][,host[:port]...]/master[/db] or unix:///path[?db=N]");
  };
  if (StartsWith(url, "unix://")) {
    std::string rest = url.substr(7);
    auto q = rest.find("?db=");
    if (q != std::string::npos) {
      auto db = Digits(rest.substr(q + 4));
      if (!db) return bad("db is not a number");
      ep.db = *db;
      rest = rest.substr(0, q);
    }
    if (rest.empty() || rest[0] != '/') return bad("socket path is not absolute");
    ep.unix_path = rest;
    return ep;
  }
  const bool sentinel = StartsWith(url, "redis-sentinel://");
  if (!sentinel && !StartsWith(url, "redis://")) return bad("unknown scheme");
  std::string rest = url.substr(sentinel ? 17 : 8);
  auto at = rest.rfind('@');
  if (at != std::string::npos) {
    std::string cred = rest.substr(0, at);
    rest = rest.substr(at + 1);
    auto colon = cred.find(':');
    if (colon == std::string::npos) {
      ep.password = cred;
    } else {
      ep.user = cred.substr(0, colon);
      ep.password = cred.substr(colon + 1);
    }
  }
  auto slash = rest.find('/');
  std::string hostport = rest.substr(0, slash);
  if (sentinel) {
    // host:port[,host:port...]/master[/db]
    if (slash == std::string::npos || slash + 1 >= rest.size()) return bad("no master name after the sentinels");
    std::string path = rest.substr(slash + 1);
    const auto next = path.find('/');
    ep.master_name = path.substr(0, next);
    rest = next == std::string::npos ? std::string("/") : path.substr(next);
    slash = 0;
    size_t start = 0;
    while (start <= hostport.size()) {
      const size_t comma = std::min(hostport.find(',', start), hostport.size());
      const std::string one = hostport.substr(start, comma - start);
      auto node = ParseRedisHostPort(one, 26379);
      if (!node) return bad("bad sentinel address \"" + one + "\"");
      ep.sentinels.push_back(*node);
      start = comma + 1;
    }
    hostport = ep.sentinels.front().first + ":" + std::to_string(ep.sentinels.front().second);
  }
  if (slash != std::string::npos && slash + 1 < rest.size()) {
    auto db = Digits(rest.substr(slash + 1));
    if (!db) return bad("db is not a number");
    ep.db = *db;
  }
  auto colon = hostport.rfind(':');
  if (colon != std::string::npos) {
    auto port = Digits(hostport.substr(colon + 1));
    if (!port || *port <= 0 || *port > 65535) return bad("bad port");
    ep.port = *port;
    hostport = hostport.substr(0, colon);
  }
  if (hostport.empty()) return bad("no host");
  ep.host = hostport;
  return ep;
}

std::string RedactRedisUrl(const std::string& url) {
  const auto scheme = url.find("://");
  const auto at = url.rfind('@');
  if (scheme == std::string::npos || at == std::string::npos || at < scheme) return url;
  const auto colon = url.find(':', scheme + 3);
  const size_t secret_from = (colon != std::string::npos && colon < at) ? colon + 1 : scheme + 3;
  return url.substr(0, secret_from) + "***" + url.substr(at);
}

}  // namespace checkin
