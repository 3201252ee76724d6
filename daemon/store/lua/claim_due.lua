-- claim_due.lua: hand due jobs to one daemon under a lease.
--
-- KEYS[1]  due queue: sorted set, job id -> due time (Unix ms)
-- KEYS[2]  leases: sorted set, job id -> lease end (Unix ms)
-- KEYS[3]  the account pause (account_pause.lua): hash, absent when none
-- ARGV[1]  now (Unix ms)
-- ARGV[2]  lease length (ms)
-- ARGV[3]  owner (daemon instance id)
-- ARGV[4]  limit: most jobs to claim
-- ARGV[5]  job key prefix ("<prefix>{jobs}:job:"; same hash tag as KEYS)
--
-- First, leases that ended (their daemon died or hung) go back to the due
-- queue at `now`; a job whose daemon was sending is marked in_doubt=1 so the
-- next holder asks Twilio before sending again. Then up to `limit` due jobs
-- are moved from the queue to the leases, each owned by ARGV[3]. While an
-- account pause is on, nothing is claimed before its `until`; after it, one
-- job (the first due: a safeguarding alert if one waits) is claimed as the
-- pause's probe, unless another probe's lease is still running.
-- Guarantees: a job is held by at most one owner at a time; every job is in
-- the queue, leased, or finished; nothing is dropped.
-- Returns {reclaimed, {id, field, value, ...}, ...}.
local now = tonumber(ARGV[1])
local lease_until = now + tonumber(ARGV[2])
local limit = tonumber(ARGV[4])
local prefix = ARGV[5]

local reclaimed = 0
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, limit)
for _, id in ipairs(expired) do
  local key = prefix .. id
  redis.call('ZREM', KEYS[2], id)
  if redis.call('EXISTS', key) == 1 then
    if redis.call('HGET', key, 'state') == 'sending' then
      redis.call('HSET', key, 'in_doubt', '1')
    end
    redis.call('HSET', key, 'state', 'pending')
    redis.call('HDEL', key, 'owner', 'lease_until')
    redis.call('ZADD', KEYS[1], now, id)
    reclaimed = reclaimed + 1
  end
end

local out = {reclaimed}
local probing = false
local pause_until = tonumber(redis.call('HGET', KEYS[3], 'until') or '')
if pause_until then
  if now < pause_until then return out end
  if tonumber(redis.call('HGET', KEYS[3], 'probe_until') or '0') > now then return out end
  probing = true
  limit = 1
end
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, limit)
for _, id in ipairs(due) do
  local key = prefix .. id
  redis.call('ZREM', KEYS[1], id)
  if redis.call('EXISTS', key) == 1 then
    redis.call('HSET', key, 'state', 'claimed', 'owner', ARGV[3], 'lease_until', lease_until)
    redis.call('ZADD', KEYS[2], lease_until, id)
    if probing then
      redis.call('HSET', KEYS[3], 'probe_job', id, 'probe_until', lease_until, 'probe_owner', ARGV[3])
    end
    out[#out + 1] = {id, redis.call('HGETALL', key)}
  end
end
return out
