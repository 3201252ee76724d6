-- renew_leases.lua: the heartbeat of a daemon holding jobs.
--
-- KEYS[1]  leases: sorted set, job id -> lease end (Unix ms)
-- KEYS[2]  the account pause (account_pause.lua): hash, absent when none
-- ARGV[1]  owner
-- ARGV[2]  now (Unix ms)
-- ARGV[3]  lease length (ms)
-- ARGV[4]  job key prefix ("<prefix>{jobs}:job:"; same hash tag as KEYS)
-- ARGV[5..] the ids of the jobs the owner holds
--
-- Every job still owned by ARGV[1] has its lease moved to now + lease (never
-- shortened: a request window set by mark_sending.lua stays), and the
-- account pause's probe slot with it when the job is the probe. A job
-- someone else holds now, or that is finished, is left alone. So leases can
-- be short: a live daemon keeps its jobs however slow Twilio is, and a
-- killed one's jobs come back within one lease.
-- Returns how many leases were renewed.
local now = tonumber(ARGV[2])
local lease_until = now + tonumber(ARGV[3])
local prefix = ARGV[4]
local probe = redis.call('HGET', KEYS[2], 'probe_job')
local renewed = 0
for i = 5, #ARGV do
  local id = ARGV[i]
  local key = prefix .. id
  if redis.call('HGET', key, 'owner') == ARGV[1] then
    local until_ms = math.max(tonumber(redis.call('HGET', key, 'lease_until') or '0'), lease_until)
    redis.call('HSET', key, 'lease_until', until_ms)
    redis.call('ZADD', KEYS[1], until_ms, id)
    if probe == id and redis.call('HGET', KEYS[2], 'probe_owner') == ARGV[1] then
      local probe_until = tonumber(redis.call('HGET', KEYS[2], 'probe_until') or '0')
      if until_ms > probe_until then redis.call('HSET', KEYS[2], 'probe_until', until_ms) end
    end
    renewed = renewed + 1
  end
end
return renewed
