-- finish_job.lua: the lease holder records how a job ended, or puts it back.
--
-- KEYS[1]  the job hash
-- KEYS[2]  leases: sorted set, job id -> lease end
-- KEYS[3]  due queue: sorted set, job id -> due time (Unix ms)
-- ARGV[1]  owner
-- ARGV[2]  job id
-- ARGV[3]  outcome: sent | failed | skipped | retry
-- ARGV[4]  retry: next due time (Unix ms); otherwise ignored
-- ARGV[5]  final outcomes: seconds to keep the job record (retention)
-- ARGV[6..] field/value pairs to record (sid, error_code, reason, ...)
--
-- Guarantees: only the current owner can finish or requeue (a daemon whose
-- lease was taken over changes nothing); a requeued job is back in the due
-- queue in the same step that releases it.
-- Returns 1 when applied, 0 when the lease was lost.
if redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] then
  return 0
end
local fields = {}
for i = 6, #ARGV do
  fields[#fields + 1] = ARGV[i]
end
redis.call('ZREM', KEYS[2], ARGV[2])
redis.call('HDEL', KEYS[1], 'owner', 'lease_until')
if ARGV[3] == 'retry' then
  fields[#fields + 1] = 'state'
  fields[#fields + 1] = 'pending'
  redis.call('HSET', KEYS[1], unpack(fields))
  redis.call('ZADD', KEYS[3], ARGV[4], ARGV[2])
else
  fields[#fields + 1] = 'state'
  fields[#fields + 1] = ARGV[3]
  redis.call('HSET', KEYS[1], unpack(fields))
  redis.call('EXPIRE', KEYS[1], ARGV[5])
end
return 1
