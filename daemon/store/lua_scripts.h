// The Lua scripts of the job queue and delivery statuses (daemon/store/lua/*.lua), embedded at build
// time. Each file's header lists its KEYS, ARGV and what it guarantees; all
// keys one script touches share the "{jobs}" hash tag, so the same scripts
// run on Redis Cluster.
#ifndef CHECKIN_DAEMON_LUA_SCRIPTS_H_
#define CHECKIN_DAEMON_LUA_SCRIPTS_H_

#include "store/redis_client.h"

namespace checkin::lua {

const RedisScript& create_jobs();
const RedisScript& claim_due();
const RedisScript& mark_sending();
const RedisScript& finish_job();
const RedisScript& cancel_jobs();
const RedisScript& cancel_session_jobs();
const RedisScript& delivery_status();
const RedisScript& rate_limit();
const RedisScript& concern_alerted();
const RedisScript& concern_acknowledge();

}  // namespace checkin::lua

#endif  // CHECKIN_DAEMON_LUA_SCRIPTS_H_
