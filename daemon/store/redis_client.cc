#include "store/redis_client.h"

#include <hiredis/hiredis.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cstdio>
#include <tuple>

#include "base/logging.h"

namespace checkin {

std::string KeyGlob(const std::string& key_with_any_id) {
  std::string out;
  for (char c : key_with_any_id) {
    if (c == kAnyId[0]) {
      out += '*';
      continue;
    }
    if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

Result<std::vector<std::string>> ScanKeys(RedisClient& client, const std::string& pattern) {
  std::vector<std::string> keys;
  std::string cursor = "0";
  do {
    auto reply = client.Command({"SCAN", cursor, "MATCH", pattern, "COUNT", "1000"});
    if (!reply.ok()) return reply.status();
    if (reply->elements.size() != 2) return Status::Internal("SCAN: unexpected reply");
    cursor = reply->elements[0].str;
    for (const RedisReply& k : reply->elements[1].elements) keys.push_back(k.str);
  } while (cursor != "0");
  std::sort(keys.begin(), keys.end());
  return keys;
}

bool IsRedisWrongType(const Status& status) {
  return status.IsInvalidArgument() && status.message().find("WRONGTYPE") != std::string::npos;
}

std::map<std::string, std::string> PairsToMap(const RedisReply& reply) {
  std::map<std::string, std::string> out;
  for (size_t i = 0; i + 1 < reply.elements.size(); i += 2) out[reply.elements[i].str] = reply.elements[i + 1].str;
  return out;
}
namespace {

struct ReplyDeleter {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
using ReplyPtr = std::unique_ptr<redisReply, ReplyDeleter>;

RedisReply ToValue(const redisReply* r) {
  RedisReply out;
  switch (r->type) {
    case REDIS_REPLY_STRING:
      out.type = RedisReply::Type::kString;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = RedisReply::Type::kStatus;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_INTEGER:
      out.type = RedisReply::Type::kInteger;
      out.integer = r->integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = RedisReply::Type::kArray;
      out.elements.reserve(r->elements);
      for (size_t i = 0; i < r->elements; ++i) out.elements.push_back(ToValue(r->element[i]));
      break;
    default:
      out.type = RedisReply::Type::kNil;
  }
  return out;
}

std::string Sha1Hex(const std::string& s) {
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(s.data()), s.size(), digest);
  char hex[2 * SHA_DIGEST_LENGTH + 1];
  for (int i = 0; i < SHA_DIGEST_LENGTH; ++i) std::snprintf(hex + 2 * i, 3, "%02x", digest[i]);
  return std::string(hex, 2 * SHA_DIGEST_LENGTH);
}

timeval ToTimeval(std::chrono::milliseconds ms) {
  timeval tv;
  tv.tv_sec = static_cast<time_t>(ms.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000);
  return tv;
}

bool StartsWith(const std::string& s, const std::string& p) { return s.rfind(p, 0) == 0; }

}  // namespace

RedisScript::RedisScript(std::string n, std::string src)
    : name(std::move(n)), source(std::move(src)), sha1(Sha1Hex(source)) {}

struct RedisClient::Conn {
  redisContext* ctx = nullptr;
  ~Conn() {
    if (ctx) redisFree(ctx);
  }
  // The reply, or Unavailable (I/O; the connection is then unusable) or
  // InvalidArgument (an error reply; the connection is fine).
  Result<RedisReply> Read(redisReply* raw, bool* broken) {
    if (!raw) {
      *broken = true;
      return Status::Unavailable(std::string("redis: ") + (ctx->errstr[0] ? ctx->errstr : "connection lost"));
    }
    ReplyPtr reply(raw);
    if (reply->type == REDIS_REPLY_ERROR) {
      std::string error(reply->str, reply->len);
      if (StartsWith(error, "READONLY")) {
        // A primary demoted by a failover: drop the connection so the next
        // one is made to the new primary, and let the caller retry.
        *broken = true;
        return Status::Unavailable("redis: " + error);
      }
      return Status::InvalidArgument("redis: " + error);
    }
    return ToValue(reply.get());
  }
  Result<RedisReply> Run(const std::vector<std::string>& argv, bool* broken) {
    std::vector<const char*> args;
    std::vector<size_t> lens;
    for (const auto& a : argv) {
      args.push_back(a.data());
      lens.push_back(a.size());
    }
    void* raw = redisCommandArgv(ctx, static_cast<int>(args.size()), args.data(), lens.data());
    return Read(static_cast<redisReply*>(raw), broken);
  }
};

RedisClient::RedisClient(RedisOptions options, RedisEndpoint endpoint)
    : options_(std::move(options)), endpoint_(std::move(endpoint)) {
  if (!options_.logger) options_.logger = NullLogger();
  if (options_.pool_size < 1) options_.pool_size = 1;
}

RedisClient::~RedisClient() = default;

Result<std::unique_ptr<RedisClient>> RedisClient::Create(RedisOptions options) {
  auto ep = ParseRedisUrl(options.url);
  if (!ep.ok()) return Status::InvalidArgument("redis url: " + ep.status().message());
  return std::unique_ptr<RedisClient>(new RedisClient(std::move(options), std::move(*ep)));
}

Result<std::unique_ptr<RedisClient>> RedisClient::Connect(RedisOptions options) {
  auto client = Create(std::move(options));
  if (!client.ok()) return client.status();
  CHECKIN_RETURN_IF_ERROR((*client)->Ping());
  return client;
}

Result<std::pair<std::string, int>> RedisClient::AskSentinels() {
  const timeval tv = ToTimeval(options_.timeout);
  std::string errors;
  for (const auto& [host, port] : endpoint_.sentinels) {
    Conn sentinel;
    sentinel.ctx = redisConnectWithTimeout(host.c_str(), port, tv);
    const std::string where = host + ":" + std::to_string(port);
    if (!sentinel.ctx || sentinel.ctx->err) {
      errors += " " + where + " unreachable;";
      continue;
    }
    redisSetTimeout(sentinel.ctx, tv);
    bool broken = false;
    auto r = sentinel.Run({"SENTINEL", "get-master-addr-by-name", endpoint_.master_name}, &broken);
    if (r.ok() && r->elements.size() == 2) {
      auto primary = ParseRedisHostPort(r->elements[0].str + ":" + r->elements[1].str, 6379);
      if (primary) return *primary;
    }
    errors += " " + where + (r.ok() ? " does not know '" + endpoint_.master_name + "';" : " " + r.status().message() + ";");
  }
  return Status::Unavailable("redis sentinels:" + errors);
}

Result<std::unique_ptr<RedisClient::Conn>> RedisClient::Dial() {
  std::string host = endpoint_.host;
  int port = endpoint_.port;
  if (!endpoint_.sentinels.empty()) {
    auto primary = AskSentinels();
    if (!primary.ok()) return primary.status();
    std::tie(host, port) = *primary;
  }
  auto conn = std::make_unique<Conn>();
  const timeval tv = ToTimeval(options_.timeout);
  conn->ctx = endpoint_.unix_path.empty() ? redisConnectWithTimeout(host.c_str(), port, tv)
                                          : redisConnectUnixWithTimeout(endpoint_.unix_path.c_str(), tv);
  const std::string where = endpoint_.unix_path.empty() ? host + ":" + std::to_string(port) : endpoint_.unix_path;
  if (!conn->ctx) return Status::Unavailable("redis " + where + ": cannot allocate context");
  if (conn->ctx->err) return Status::Unavailable("redis " + where + ": " + conn->ctx->errstr);
  redisSetTimeout(conn->ctx, tv);
  bool broken = false;
  if (!endpoint_.password.empty()) {
    std::vector<std::string> auth = {"AUTH"};
    if (!endpoint_.user.empty()) auth.push_back(endpoint_.user);
    auth.push_back(endpoint_.password);
    auto r = conn->Run(auth, &broken);
    if (!r.ok()) return Status::Unavailable("redis " + where + ": AUTH failed: " + r.status().message());
  }
  if (endpoint_.db != 0) {
    auto r = conn->Run({"SELECT", std::to_string(endpoint_.db)}, &broken);
    if (!r.ok()) return Status::Unavailable("redis " + where + ": SELECT failed: " + r.status().message());
  }
  if (!endpoint_.sentinels.empty()) {
    // The sentinels may lag a failover by a moment: make sure it is a primary.
    auto role = conn->Run({"ROLE"}, &broken);
    if (!role.ok() || role->elements.empty() || role->elements[0].str != "master") {
      return Status::Unavailable("redis " + where + ": not the primary of '" + endpoint_.master_name + "' (yet)");
    }
  }
  return conn;
}

Result<std::unique_ptr<RedisClient::Conn>> RedisClient::Borrow() {
  {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return !idle_.empty() || outstanding_ < options_.pool_size; });
    ++outstanding_;
    if (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      return conn;
    }
  }
  auto conn = Dial();
  if (!conn.ok()) {
    std::lock_guard<std::mutex> lock(mu_);
    --outstanding_;
    cv_.notify_one();
  }
  return conn;
}

void RedisClient::Return(std::unique_ptr<Conn> conn) {
  std::lock_guard<std::mutex> lock(mu_);
  --outstanding_;
  if (conn) idle_.push_back(std::move(conn));
  cv_.notify_one();
}

Result<RedisReply> RedisClient::Command(const std::vector<std::string>& argv) {
  auto conn = Borrow();
  if (!conn.ok()) return conn.status();
  bool broken = false;
  auto reply = (*conn)->Run(argv, &broken);
  Return(broken ? nullptr : std::move(*conn));
  return reply;
}

Result<std::vector<Result<RedisReply>>> RedisClient::PipelineEach(
    const std::vector<std::vector<std::string>>& commands) {
  auto conn = Borrow();
  if (!conn.ok()) return conn.status();
  redisContext* ctx = (*conn)->ctx;
  for (const auto& argv : commands) {
    std::vector<const char*> args;
    std::vector<size_t> lens;
    for (const auto& a : argv) {
      args.push_back(a.data());
      lens.push_back(a.size());
    }
    redisAppendCommandArgv(ctx, static_cast<int>(args.size()), args.data(), lens.data());
  }
  std::vector<Result<RedisReply>> out;
  out.reserve(commands.size());
  bool broken = false;
  for (size_t i = 0; i < commands.size(); ++i) {
    void* raw = nullptr;
    if (redisGetReply(ctx, &raw) != REDIS_OK) raw = nullptr;
    auto r = (*conn)->Read(static_cast<redisReply*>(raw), &broken);
    if (broken) {
      // The replies after this one are lost with the connection.
      Return(nullptr);
      return r.ok() ? Status::Unavailable("redis: connection lost in a pipeline") : r.status();
    }
    out.push_back(std::move(r));
  }
  Return(std::move(*conn));
  return out;
}

Result<std::vector<RedisReply>> RedisClient::Pipeline(const std::vector<std::vector<std::string>>& commands) {
  auto each = PipelineEach(commands);
  if (!each.ok()) return each.status();
  std::vector<RedisReply> out;
  out.reserve(each->size());
  for (auto& r : *each) {
    if (!r.ok()) return r.status();
    out.push_back(std::move(*r));
  }
  return out;
}

namespace {

std::vector<std::string> EvalShaArgv(const RedisScript& script, const std::vector<std::string>& keys,
                                     const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"EVALSHA", script.sha1, std::to_string(keys.size())};
  argv.insert(argv.end(), keys.begin(), keys.end());
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

bool IsNoScript(const Status& s) { return s.message().find("NOSCRIPT") != std::string::npos; }

}  // namespace

Result<std::vector<RedisReply>> RedisClient::EvalThen(const RedisScript& script, const std::vector<std::string>& keys,
                                                      const std::vector<std::string>& args,
                                                      const std::vector<std::vector<std::string>>& more) {
  std::vector<std::vector<std::string>> commands = {EvalShaArgv(script, keys, args)};
  commands.insert(commands.end(), more.begin(), more.end());
  auto replies = Pipeline(commands);
  if (!replies.ok() && IsNoScript(replies.status())) {
    auto loaded = Command({"SCRIPT", "LOAD", script.source});
    if (!loaded.ok()) return loaded.status().WithContext("loading " + script.name);
    replies = Pipeline(commands);
  }
  if (!replies.ok()) return replies.status().WithContext(script.name);
  return replies;
}

Result<RedisReply> RedisClient::Eval(const RedisScript& script, const std::vector<std::string>& keys,
                                     const std::vector<std::string>& args) {
  const std::vector<std::string> argv = EvalShaArgv(script, keys, args);
  auto reply = Command(argv);
  if (!reply.ok() && IsNoScript(reply.status())) {
    auto loaded = Command({"SCRIPT", "LOAD", script.source});
    if (!loaded.ok()) return loaded.status().WithContext("loading " + script.name);
    reply = Command(argv);
  }
  if (!reply.ok()) return reply.status().WithContext(script.name);
  return reply;
}

Status RedisClient::Ping() {
  auto r = Command({"PING"});
  return r.ok() ? Status::OK() : r.status();
}

}  // namespace checkin
