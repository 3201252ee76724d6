-- release_jobs.lua: a stopping daemon hands back the jobs it has not started.
--
-- KEYS[1]  due queue: sorted set, job id -> due time (Unix ms)
-- KEYS[2]  leases: sorted set, job id -> lease end (Unix ms)
-- KEYS[3]  the account pause (account_pause.lua): hash, absent when none
-- ARGV[1]  owner
-- ARGV[2]  job key prefix ("<prefix>{jobs}:job:"; same hash tag as KEYS)
-- ARGV[3..] the ids to hand back
--
-- A job still owned by ARGV[1] and only claimed (never marked sending under
-- this lease) goes back to the due queue at once, at its own due time
-- (alerts are due at the epoch, so they stay first), for any daemon to
-- claim. A job that is sending stays leased: its request may have reached
-- Twilio, and the lease (then the in-doubt check) settles it. If the job was
-- the account pause's probe, the probe slot is freed.
-- Returns how many jobs were handed back.
local prefix = ARGV[2]
local released = 0
for i = 3, #ARGV do
  local id = ARGV[i]
  local key = prefix .. id
  if redis.call('HGET', key, 'owner') == ARGV[1] and redis.call('HGET', key, 'state') == 'claimed' then
    local due_ms = tonumber(redis.call('HGET', key, 'due_at') or '0') * 1000
    redis.call('ZREM', KEYS[2], id)
    redis.call('HSET', key, 'state', 'pending')
    redis.call('HDEL', key, 'owner', 'lease_until')
    redis.call('ZADD', KEYS[1], due_ms, id)
    if redis.call('HGET', KEYS[3], 'probe_job') == id then
      redis.call('HDEL', KEYS[3], 'probe_job', 'probe_until', 'probe_owner')
    end
    released = released + 1
  end
end
return released
