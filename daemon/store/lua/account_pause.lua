-- account_pause.lua: Twilio refused a send for a reason of the account, the
-- sender or the Messaging Service; every daemon stops sending.
--
-- KEYS[1]  the pause: hash {until, length, since, code, reason, errors, by,
--          probe_job, probe_until, probe_owner}, or only {lifted_at} after
--          a lift (lift_account_pause.lua)
-- ARGV[1]  now (Unix ms, the caller's clock): when the refused job began
-- ARGV[2]  the job whose send was refused
-- ARGV[3]  Twilio error code
-- ARGV[4]  its meaning (safe to log)
-- ARGV[5]  first pause (ms)
-- ARGV[6]  longest pause (ms)
-- ARGV[7]  the caller (daemon instance id)
--
-- No pause yet: one of ARGV[5] ms begins, unless the job began before the
-- latest lift: it was sent with the credentials that reload replaced, so its
-- refusal says nothing about the new ones and nothing changes. The refused job is the pause's
-- probe (the one job claimed after `until`): the probe failed, so the pause
-- doubles, at most to ARGV[6], from now, and the probe is freed. Any other
-- job was already in flight when the pause began: nothing changes, so a
-- burst of refusals from the requests in flight counts once.
-- claim_due.lua reads the pause (nothing claimed before `until`, then one
-- probe at a time), mark_sending.lua refuses every job but the probe, and
-- finish_job.lua lifts the pause when the probe was sent.
-- Returns the hash as field, value, ...
local now = tonumber(ARGV[1])
local first = tonumber(ARGV[5])
local longest = tonumber(ARGV[6])
local length = nil
if redis.call('HEXISTS', KEYS[1], 'until') == 0 then
  if now < tonumber(redis.call('HGET', KEYS[1], 'lifted_at') or '-1') then
    return redis.call('HGETALL', KEYS[1])
  end
  length = first
  redis.call('DEL', KEYS[1])
  redis.call('HSET', KEYS[1], 'since', now, 'errors', 0)
elseif redis.call('HGET', KEYS[1], 'probe_job') == ARGV[2] then
  length = math.min(2 * tonumber(redis.call('HGET', KEYS[1], 'length') or first), longest)
  redis.call('HDEL', KEYS[1], 'probe_job', 'probe_until', 'probe_owner')
end
if length then
  redis.call('HSET', KEYS[1], 'until', now + length, 'length', length, 'code', ARGV[3], 'reason', ARGV[4], 'by', ARGV[7])
  redis.call('HINCRBY', KEYS[1], 'errors', 1)
  -- Outlives any pause; gone a day after everyone stopped (then the next
  -- refusal starts a fresh pause).
  redis.call('PEXPIRE', KEYS[1], length + 86400000)
end
return redis.call('HGETALL', KEYS[1])
