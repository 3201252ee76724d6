// Redis URLs as checkin.yaml writes them (redis.url): the one parser, used by
// the config check (config_validators.cc, so a bad URL is refused with the
// file, line and key) and by RedisClient (store/redis_client.h) when it
// connects, so the two cannot disagree.
//
//   redis://[[user]:password@]host[:port][/db]
//   unix:///path[?db=N]
//   redis-sentinel://[[user]:password@]host[:port][,host[:port]...]/master[/db]
//
// Thread-safety: pure functions.
#ifndef CHECKIN_DAEMON_BASE_REDIS_URL_H_
#define CHECKIN_DAEMON_BASE_REDIS_URL_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "checkin/status.h"

namespace checkin {

struct RedisEndpoint {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string unix_path;  // set for unix:// URLs
  std::string user;
  std::string password;
  int db = 0;
  // redis-sentinel:// URLs: the sentinels to ask (default port 26379) and
  // the primary's name.
  std::vector<std::pair<std::string, int>> sentinels;
  std::string master_name;
};

// InvalidArgument saying what is wrong and what is allowed; the URL in the
// message has its password replaced (RedactRedisUrl).
Result<RedisEndpoint> ParseRedisUrl(const std::string& url);

// The URL with any password replaced by "***", for logs and messages.
std::string RedactRedisUrl(const std::string& url);

// "host:port" (port optional: `default_port`) -> (host, port), or nullopt
// (no host, port not 1-65535). Also reads a sentinel's answer.
std::optional<std::pair<std::string, int>> ParseRedisHostPort(const std::string& s, int default_port);

}  // namespace checkin

#endif  // CHECKIN_DAEMON_BASE_REDIS_URL_H_
