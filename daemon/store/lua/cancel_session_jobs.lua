-- cancel_session_jobs.lua: a session was cancelled; drop what it still
-- waits for and say who has already been reminded of it.
--
-- KEYS[1]  the session's job index: set (<prefix>{jobs}:session:<id>) of
--          its reminder, follow-up and digest jobs, finished or not
-- KEYS[2]  due queue: sorted set, job id -> due time (Unix ms)
-- ARGV[1]  queue key prefix ("<prefix>{jobs}:"; same hash tag as KEYS)
-- ARGV[2]  reason, recorded in each dropped job
-- ARGV[3]  now (Unix ms)
-- ARGV[4]  seconds to keep the dropped job records (retention)
--
-- Guarantees: in one step, every job of the index waiting in the due queue
-- is taken out of it and finished as skipped, so no daemon can claim it
-- afterwards; unless it is in doubt (it may have reached her already), it
-- is marked `revivable` so that create_jobs.lua creates it afresh if the
-- session is planned again (un-cancelled). A job leased
-- right now is left to its holder, which checks the session again before
-- sending. A member counts as reminded when one of her reminder or
-- follow-up jobs was sent, is being sent, or is in doubt (an attempt may
-- have reached Twilio) - whether it was waiting or not. Ids whose job
-- record is gone (expired, forgotten) leave the index.
-- Returns {dropped, member id, member id, ...}: reminded members, sorted,
-- each once.
local prefix = ARGV[1]
local ids = redis.call('SMEMBERS', KEYS[1])
local dropped = 0
local reminded = {}
for _, id in ipairs(ids) do
  local key = prefix .. 'job:' .. id
  if redis.call('EXISTS', key) == 0 then
    redis.call('SREM', KEYS[1], id)
  else
    local f = redis.call('HMGET', key, 'kind', 'member', 'state', 'in_doubt')
    local kind, member, state, in_doubt = f[1], f[2], f[3], f[4]
    local to_member = kind == 'reminder' or kind == 'follow_up'
    if to_member and member and member ~= '' and
        (state == 'sent' or state == 'sending' or in_doubt == '1') then
      reminded[member] = true
    end
    if redis.call('ZREM', KEYS[2], id) == 1 then
      redis.call('HSET', key, 'state', 'skipped', 'reason', ARGV[2], 'finished_at', ARGV[3])
      if in_doubt ~= '1' then
        redis.call('HSET', key, 'revivable', '1')
      end
      redis.call('EXPIRE', key, ARGV[4])
      if member and member ~= '' then
        redis.call('SREM', prefix .. 'member:' .. member, id)
      end
      dropped = dropped + 1
    end
  end
end
local out = {dropped}
local members = {}
for m, _ in pairs(reminded) do members[#members + 1] = m end
table.sort(members)
for _, m in ipairs(members) do out[#out + 1] = m end
return out
