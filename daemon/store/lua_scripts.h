// The Lua scripts of the job queue, delivery statuses and safeguarding
// concerns (daemon/store/lua/*.lua), embedded at build time. Each file's
// header lists its KEYS, ARGV and what it guarantees. The queue's scripts
// touch keys that share the "{jobs}" hash tag; the concern_* ones touch a
// concern's own keys, which SPEC names without a tag (fine on one Redis and
// with Sentinel; Redis Cluster would need them tagged, while the queue's
// scripts run there as they are).
#ifndef CHECKIN_DAEMON_LUA_SCRIPTS_H_
#define CHECKIN_DAEMON_LUA_SCRIPTS_H_

#include "store/redis_client.h"

namespace checkin::lua {

const RedisScript& create_jobs();
const RedisScript& claim_due();
const RedisScript& mark_sending();
const RedisScript& renew_leases();
const RedisScript& release_jobs();
const RedisScript& finish_job();
const RedisScript& cancel_jobs();
const RedisScript& cancel_session_jobs();
const RedisScript& drop_schedule_jobs();
const RedisScript& delivery_status();
const RedisScript& rate_limit();
const RedisScript& account_pause();
const RedisScript& lift_account_pause();
const RedisScript& concern_alerted();
const RedisScript& concern_acknowledge();

}  // namespace checkin::lua

#endif  // CHECKIN_DAEMON_LUA_SCRIPTS_H_
