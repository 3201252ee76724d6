-- finish_job.lua: the lease holder records how a job ended, or puts it back.
--
-- KEYS[1]  the job hash
-- KEYS[2]  leases: sorted set, job id -> lease end
-- KEYS[3]  due queue: sorted set, job id -> due time (Unix ms)
-- KEYS[4]  the account pause (account_pause.lua): hash, absent when none
-- ARGV[1]  owner
-- ARGV[2]  job id
-- ARGV[3]  outcome: sent | failed | skipped | retry | unsent (a retry
--          whose request Twilio refused before taking the message: the
--          attempt mark_sending counted is taken back)
-- ARGV[4]  retry: next due time (Unix ms); otherwise ignored
-- ARGV[5]  final outcomes: seconds to keep the job record (retention)
-- ARGV[6]  queue key prefix ("<prefix>{jobs}:"; same hash tag as KEYS)
-- ARGV[7..] field/value pairs to record (sid, error_code, reason, ...)
--
-- Guarantees: only the current owner can finish or requeue (a daemon whose
-- lease was taken over changes nothing); a requeued job is back in the due
-- queue in the same step that releases it. A final outcome also takes the
-- job out of its member's unfinished set; a sent one maps its sid to the job
-- (<prefix>{jobs}:sid:<sid>, for status callbacks) and applies a status
-- callback that arrived before the sid was known (<prefix>{jobs}:early:<sid>).
-- The job was the account pause's probe: sent (and not merely found in
-- Twilio's list) lifts the pause for every daemon; any other outcome frees
-- the probe, so the next claim sends another one.
-- Returns 1 when applied, 0 when the lease was lost.
if redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] then
  return 0
end
local id = ARGV[2]
local prefix = ARGV[6]
local retention = ARGV[5]
local fields = {}
local sid = nil
local reconciled = false
for i = 7, #ARGV, 2 do
  fields[#fields + 1] = ARGV[i]
  fields[#fields + 1] = ARGV[i + 1]
  if ARGV[i] == 'sid' then sid = ARGV[i + 1] end
  if ARGV[i] == 'reconciled' and ARGV[i + 1] == '1' then reconciled = true end
end
redis.call('ZREM', KEYS[2], id)
redis.call('HDEL', KEYS[1], 'owner', 'lease_until')
if redis.call('HGET', KEYS[4], 'probe_job') == id then
  if ARGV[3] == 'sent' and not reconciled then
    redis.call('DEL', KEYS[4])
  else
    redis.call('HDEL', KEYS[4], 'probe_job', 'probe_until', 'probe_owner')
  end
end
if ARGV[3] == 'retry' or ARGV[3] == 'unsent' then
  fields[#fields + 1] = 'state'
  fields[#fields + 1] = 'pending'
  redis.call('HSET', KEYS[1], unpack(fields))
  if ARGV[3] == 'unsent' then
    local attempts = tonumber(redis.call('HGET', KEYS[1], 'attempts') or '0')
    if attempts > 0 then attempts = redis.call('HINCRBY', KEYS[1], 'attempts', -1) end
    if attempts <= 0 and redis.call('HGET', KEYS[1], 'in_doubt') ~= '1' then
      redis.call('HDEL', KEYS[1], 'first_sending_at', 'sending_at', 'doubt_bodies')
    end
  end
  redis.call('ZADD', KEYS[3], ARGV[4], id)
  return 1
end
fields[#fields + 1] = 'state'
fields[#fields + 1] = ARGV[3]
redis.call('HSET', KEYS[1], unpack(fields))
redis.call('EXPIRE', KEYS[1], retention)
local member = redis.call('HGET', KEYS[1], 'member')
if member and member ~= '' then
  redis.call('SREM', prefix .. 'member:' .. member, id)
end
if ARGV[3] == 'sent' and sid and sid ~= '' then
  redis.call('SET', prefix .. 'sid:' .. sid, id, 'EX', retention)
  local early = prefix .. 'early:' .. sid
  local got = redis.call('HGETALL', early)
  if #got > 0 then
    redis.call('HSET', KEYS[1], unpack(got))
    redis.call('DEL', early)
  end
end
return 1
