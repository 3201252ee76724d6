-- delivery_status.lua: record a message status callback on its job.
--
-- KEYS[1]  the sid -> job id map entry (<prefix>{jobs}:sid:<sid>)
-- KEYS[2]  where an early callback waits (<prefix>{jobs}:early:<sid>)
-- ARGV[1]  job key prefix ("<prefix>{jobs}:job:"; same hash tag as KEYS)
-- ARGV[2]  status (queued, sending, sent, delivered, undelivered, failed, read, ...)
-- ARGV[3]  rank of that status (delivery_status.h: final states rank highest)
-- ARGV[4]  error code ("" or "0" for none)
-- ARGV[5]  what the error code means ("" for none)
-- ARGV[6]  now (Unix ms)
-- ARGV[7]  seconds to keep an early callback
--
-- Callbacks arrive out of order and more than once. A status is recorded
-- only when its rank is higher than the one recorded, so a final state
-- (delivered, undelivered, failed) is never moved back to sent or queued.
-- When the sid is not mapped yet (Twilio called back before the send's
-- answer was recorded) the status waits in KEYS[2] under the same rule;
-- finish_job.lua applies it.
-- Returns 1 recorded on the job, 2 kept as early, 0 ignored (not newer).
local function apply(key)
  local current = tonumber(redis.call('HGET', key, 'delivery_rank') or '0')
  if tonumber(ARGV[3]) <= current then return false end
  local fields = {'delivery_status', ARGV[2], 'delivery_rank', ARGV[3], 'delivery_updated_at', ARGV[6]}
  if ARGV[4] ~= '' and ARGV[4] ~= '0' then
    fields[#fields + 1] = 'delivery_error_code'
    fields[#fields + 1] = ARGV[4]
    fields[#fields + 1] = 'delivery_error'
    fields[#fields + 1] = ARGV[5]
  end
  redis.call('HSET', key, unpack(fields))
  return true
end

local id = redis.call('GET', KEYS[1])
if id then
  local key = ARGV[1] .. id
  if redis.call('EXISTS', key) == 0 then return 0 end
  return apply(key) and 1 or 0
end
if apply(KEYS[2]) then
  redis.call('EXPIRE', KEYS[2], ARGV[7])
  return 2
end
return 0
