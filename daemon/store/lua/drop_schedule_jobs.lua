-- drop_schedule_jobs.lua: schedules were removed from `schedules`; drop the
-- texts still waiting for their occurrences.
--
-- KEYS[1]  the schedules with planned jobs: set (<prefix>{jobs}:schedules),
--          filled by create_jobs.lua
-- KEYS[2]  due queue: sorted set, job id -> due time (Unix ms)
-- ARGV[1]  queue key prefix ("<prefix>{jobs}:"; same hash tag as KEYS)
-- ARGV[2]  reason, recorded in each dropped job
-- ARGV[3]  now (Unix ms)
-- ARGV[4]  seconds to keep the dropped job records (retention)
-- ARGV[5..] the schedule ids in `schedules` now (read by the caller: that
--          key has no hash tag, so it cannot be read here)
--
-- Guarantees: in one step, for every schedule of KEYS[1] that is not among
-- ARGV[5..], each job of each of its occurrences (<prefix>{jobs}:schedule:<id>
-- lists their session ids, <prefix>{jobs}:session:<id> their jobs) that
-- waits in the due queue is taken out of it and finished as skipped, so no
-- daemon can claim it afterwards; unless it is in doubt it is marked
-- `revivable`, so create_jobs.lua creates it afresh if the schedule is added
-- back. A job leased right now is left to its holder, as
-- cancel_session_jobs.lua does. The schedule then leaves KEYS[1] and its
-- occurrence index is deleted (create_jobs.lua makes them again).
-- Returns {schedule id, dropped, schedule id, dropped, ...}, one pair for
-- each removed schedule.
local prefix = ARGV[1]
local current = {}
for i = 5, #ARGV do current[ARGV[i]] = true end
local out = {}
for _, schedule in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if not current[schedule] then
    local occurrences = prefix .. 'schedule:' .. schedule
    local dropped = 0
    for _, session in ipairs(redis.call('SMEMBERS', occurrences)) do
      for _, id in ipairs(redis.call('SMEMBERS', prefix .. 'session:' .. session)) do
        if redis.call('ZREM', KEYS[2], id) == 1 then
          local key = prefix .. 'job:' .. id
          local f = redis.call('HMGET', key, 'member', 'in_doubt')
          redis.call('HSET', key, 'state', 'skipped', 'reason', ARGV[2], 'finished_at', ARGV[3])
          if f[2] ~= '1' then
            redis.call('HSET', key, 'revivable', '1')
          end
          redis.call('EXPIRE', key, ARGV[4])
          if f[1] and f[1] ~= '' then
            redis.call('SREM', prefix .. 'member:' .. f[1], id)
          end
          dropped = dropped + 1
        end
      end
    end
    redis.call('DEL', occurrences)
    redis.call('SREM', KEYS[1], schedule)
    out[#out + 1] = schedule
    out[#out + 1] = dropped
  end
end
return out
