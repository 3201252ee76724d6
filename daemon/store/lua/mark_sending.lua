-- mark_sending.lua: record that the lease holder is about to call Twilio.
--
-- KEYS[1]  the job hash
-- ARGV[1]  owner
-- ARGV[2]  now (Unix ms)
-- ARGV[3]  least lease time that must remain (ms): the request's timeout
-- ARGV[4]  SHA-256 hex of the body about to be sent
-- ARGV[5]  the job id
-- KEYS[2]  the account pause (account_pause.lua): hash, absent when none
--
-- Guarantees: only the current owner, with enough lease left to finish the
-- request before anyone else may reclaim the job, gets 1 and may send; the
-- attempt and the body's hash are recorded before the request leaves, so a
-- crash at any later point leaves the job in doubt, never forgotten. While
-- an account pause is on, only its probe (after the pause's `until`) may
-- send: the jobs a daemon already held when the pause began get 2 and
-- nothing is recorded.
-- Returns 1 (send), 0 (lease lost or too short) or 2 (paused).
if redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] then
  return 0
end
local lease_until = tonumber(redis.call('HGET', KEYS[1], 'lease_until') or '0')
if lease_until - tonumber(ARGV[2]) < tonumber(ARGV[3]) then
  return 0
end
local pause_until = tonumber(redis.call('HGET', KEYS[2], 'until') or '')
if pause_until and (tonumber(ARGV[2]) < pause_until or redis.call('HGET', KEYS[2], 'probe_job') ~= ARGV[5]) then
  return 2
end
redis.call('HSET', KEYS[1], 'state', 'sending', 'sending_at', ARGV[2])
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
