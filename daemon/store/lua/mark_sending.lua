-- mark_sending.lua: record that the lease holder is about to call Twilio.
--
-- KEYS[1]  the job hash
-- KEYS[2]  the account pause (account_pause.lua): hash, absent when none
-- KEYS[3]  leases: sorted set, job id -> lease end (Unix ms)
-- ARGV[1]  owner
-- ARGV[2]  now (Unix ms)
-- ARGV[3]  the request's window (ms): connect + request timeout + margin
-- ARGV[4]  SHA-256 hex of the body about to be sent
-- ARGV[5]  the job id
--
-- Guarantees: only the current owner gets 1 and may send, and its lease
-- (and the pause's probe slot, if this job is the probe) is extended to
-- cover the whole request window first, so nobody can reclaim the job while
-- the request may still be in flight, however short reminders.lease_seconds
-- is. The attempt and the body's hash are recorded before the request
-- leaves, so a crash at any later point leaves the job in doubt, never
-- forgotten. While an account pause is on, only its probe (after the
-- pause's `until`) may send: the jobs a daemon already held when the pause
-- began get 2 and nothing is recorded.
-- Returns 1 (send), 0 (lease lost: another daemon holds the job) or 2 (paused).
if redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] then
  return 0
end
local now = tonumber(ARGV[2])
local pause_until = tonumber(redis.call('HGET', KEYS[2], 'until') or '')
if pause_until and (now < pause_until or redis.call('HGET', KEYS[2], 'probe_job') ~= ARGV[5]) then
  return 2
end
local lease_until = math.max(tonumber(redis.call('HGET', KEYS[1], 'lease_until') or '0'), now + tonumber(ARGV[3]))
redis.call('HSET', KEYS[1], 'state', 'sending', 'sending_at', ARGV[2], 'lease_until', lease_until)
redis.call('ZADD', KEYS[3], lease_until, ARGV[5])
if redis.call('HGET', KEYS[2], 'probe_job') == ARGV[5] then
  local probe_until = tonumber(redis.call('HGET', KEYS[2], 'probe_until') or '0')
  if lease_until > probe_until then redis.call('HSET', KEYS[2], 'probe_until', lease_until) end
end
redis.call('HSETNX', KEYS[1], 'first_sending_at', ARGV[2])
redis.call('HINCRBY', KEYS[1], 'attempts', 1)
local bodies = redis.call('HGET', KEYS[1], 'doubt_bodies')
if not bodies or bodies == '' then
  bodies = ARGV[4]
elseif not string.find(bodies, ARGV[4], 1, true) then
  bodies = bodies .. ',' .. ARGV[4]
end
redis.call('HSET', KEYS[1], 'doubt_bodies', bodies)
return 1
