// RedisClient: a small pool of hiredis connections, replies as values, and
// Lua scripts run by SHA with a SCRIPT LOAD on NOSCRIPT.
//
// A connection that fails is dropped and a new one is made on next use, so a
// restarted Redis is picked up without restarting checkind; while Redis is
// down every call returns Unavailable quickly (the connect timeout bounds
// it) and the caller retries later. Error replies (WRONGTYPE, a script's
// error) are InvalidArgument with Redis's message.
//
// URLs (parsed by base/redis_url.h, the parser the config check uses too):
// redis://[[user]:password@]host[:port][/db], unix:///path[?db=N], and
// redis-sentinel://[[user]:password@]host:port[,host:port...]/master[/db]:
// each new connection asks the sentinels (in order, first answer wins) for
// the current primary of `master` and checks with ROLE that it is one. A
// READONLY error (a primary demoted by a failover) drops the connection, so
// the next call finds the new primary. The password is the data nodes'.
//
// Thread-safety: safe for concurrent access; each call borrows one pooled
// connection.
#ifndef CHECKIN_DAEMON_REDIS_CLIENT_H_
#define CHECKIN_DAEMON_REDIS_CLIENT_H_

#include <spdlog/logger.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/redis_url.h"  // RedisEndpoint, ParseRedisUrl, RedactRedisUrl
#include "checkin/status.h"

struct redisContext;

namespace checkin {

struct RedisReply {
  enum class Type { kNil, kString, kInteger, kArray, kStatus };
  Type type = Type::kNil;
  std::string str;       // kString, kStatus
  int64_t integer = 0;   // kInteger
  std::vector<RedisReply> elements;  // kArray

  bool is_nil() const { return type == Type::kNil; }
};

// Whether `status` is Redis's WRONGTYPE error reply (a key holding another
// kind of value than the command works on).
bool IsRedisWrongType(const Status& status);

// An array of field, value, field, value... (HGETALL, stream entries) as a map.
std::map<std::string, std::string> PairsToMap(const RedisReply& reply);

// SCAN patterns: build the key with kAnyId where any id may stand
// (keys.Member(kAnyId), keys.GroupMembers(kAnyId)); KeyGlob escapes the glob
// characters everywhere else (a prefix such as "app[1]:" matches itself)
// and puts `*` there.
inline const std::string kAnyId = "\x01";
std::string KeyGlob(const std::string& key_with_any_id);
class RedisClient;
// Every key matching `pattern`, sorted, by SCAN (admin commands only: it
// walks the whole keyspace).
Result<std::vector<std::string>> ScanKeys(RedisClient& client, const std::string& pattern);

// An embedded Lua script (daemon/store/lua/*.lua, compiled in by CMake).
struct RedisScript {
  std::string name;    // file name, for messages
  std::string source;
  std::string sha1;    // hex, computed at construction
  RedisScript(std::string name, std::string source);
};

struct RedisOptions {
  std::string url = "redis://127.0.0.1:6379/0";
  std::chrono::milliseconds timeout{2000};
  int pool_size = 4;
  std::shared_ptr<spdlog::logger> logger;  // Default: NullLogger()
};

class RedisClient {
 public:
  // Parses the URL and checks that Redis answers PING (Unavailable if not).
  static Result<std::unique_ptr<RedisClient>> Connect(RedisOptions options);
  // Same, but does not require Redis to be up now (daemon start-up: wait
  // for it, report readiness, never exit because Redis restarts).
  static Result<std::unique_ptr<RedisClient>> Create(RedisOptions options);
  ~RedisClient();
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  Result<RedisReply> Command(const std::vector<std::string>& argv);
  // Sends all commands, then reads all replies (one round trip), one result
  // per command in order: an error reply (WRONGTYPE on one key) is that
  // command's InvalidArgument and the others still have their replies. The
  // whole call fails only with Unavailable (I/O: Redis down, connection lost).
  Result<std::vector<Result<RedisReply>>> PipelineEach(const std::vector<std::vector<std::string>>& commands);
  // The same, for commands that stand or fall together: the first error
  // reply fails the whole call.
  Result<std::vector<RedisReply>> Pipeline(const std::vector<std::vector<std::string>>& commands);
  Result<RedisReply> Eval(const RedisScript& script, const std::vector<std::string>& keys,
                          const std::vector<std::string>& args);
  // The script, then `more`, in one round trip; the replies in that order.
  // NOSCRIPT is handled as Eval does (the whole batch is sent again, so
  // `more` must be safe to repeat).
  Result<std::vector<RedisReply>> EvalThen(const RedisScript& script, const std::vector<std::string>& keys,
                                           const std::vector<std::string>& args,
                                           const std::vector<std::vector<std::string>>& more);
  Status Ping();

 private:
  struct Conn;
  RedisClient(RedisOptions options, RedisEndpoint endpoint);
  Result<std::unique_ptr<Conn>> Borrow();
  void Return(std::unique_ptr<Conn> conn);
  Result<std::unique_ptr<Conn>> Dial();
  // redis-sentinel://: the current primary, from the first sentinel that knows.
  Result<std::pair<std::string, int>> AskSentinels();

  RedisOptions options_;
  RedisEndpoint endpoint_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Conn>> idle_;
  int outstanding_ = 0;
};

}  // namespace checkin

#endif  // CHECKIN_DAEMON_REDIS_CLIENT_H_
