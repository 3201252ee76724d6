-- cancel_jobs.lua: skip every job of a member that is still waiting.
--
-- KEYS[1]  the member's unfinished jobs: set (<prefix>{jobs}:member:<id>)
-- KEYS[2]  due queue: sorted set, job id -> due time (Unix ms)
-- ARGV[1]  job key prefix ("<prefix>{jobs}:job:"; same hash tag as KEYS)
-- ARGV[2]  reason, recorded in each job
-- ARGV[3]  now (Unix ms)
-- ARGV[4]  seconds to keep the job records (retention)
--
-- Guarantees: a job waiting in the due queue is taken out of it and
-- finished as skipped in one step, so no daemon can claim it afterwards. A
-- job leased right now is left to its holder, which checks the member again
-- before sending (opted out -> skipped).
-- Returns the number of jobs cancelled.
local ids = redis.call('SMEMBERS', KEYS[1])
local cancelled = 0
for _, id in ipairs(ids) do
  if redis.call('ZREM', KEYS[2], id) == 1 then
    local key = ARGV[1] .. id
    redis.call('HSET', key, 'state', 'skipped', 'reason', ARGV[2], 'finished_at', ARGV[3])
    redis.call('EXPIRE', key, ARGV[4])
    redis.call('SREM', KEYS[1], id)
    cancelled = cancelled + 1
  end
end
return cancelled
