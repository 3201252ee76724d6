-- create_jobs.lua: create the jobs that do not exist yet.
--
-- KEYS[1]    due queue: sorted set, job id -> due time (Unix ms)
-- KEYS[2..]  one job hash per job, in the order of the records in ARGV
-- ARGV[1]    queue key prefix ("<prefix>{jobs}:"; same hash tag as KEYS)
-- ARGV[2]    seconds to keep a session's job index after its latest job
--            was created (retention)
-- ARGV[3..]  per job: id, due (Unix ms), member to index ("" for none),
--            session to index ("" for none), n, then n field/value pairs
--
-- Guarantees: a job hash that already exists is not touched, so planning
-- the same jobs again (any daemon, any number of times) creates nothing
-- twice and never resets a sent or claimed job. The one exception is a job
-- that cancel_session_jobs.lua dropped because its session was cancelled,
-- or drop_schedule_jobs.lua because its schedule was removed (`revivable`
-- 1): the session is planned again, so it was un-cancelled (or the schedule
-- added back), and the job is created afresh. A created job is added, in the same step,
-- to its member's set of unfinished jobs (<prefix>{jobs}:member:<id>, so an
-- opt-out can cancel them all) and to its session's job index
-- (<prefix>{jobs}:session:<id>, so a cancellation can drop them all). A
-- session that is an occurrence of a schedule ("<schedule>@YYYYMMDDTHHMM",
-- recurrence.h; a one-off session id with an @ is not) is also
-- recorded under its schedule (<prefix>{jobs}:schedule:<id>, a set of
-- session ids, and <prefix>{jobs}:schedules, the schedules with planned
-- jobs), whether its job was created now or exists already, so that
-- removing the schedule from `schedules` can drop them all
-- (drop_schedule_jobs.lua).
-- Returns the number of jobs created.
local prefix = ARGV[1]
local retention = ARGV[2]
local created = 0
local base = 3
for i = 2, #KEYS do
  local id = ARGV[base]
  local due = ARGV[base + 1]
  local member = ARGV[base + 2]
  local session = ARGV[base + 3]
  local n = tonumber(ARGV[base + 4])
  local first = base + 5
  base = first + 2 * n
  local exists = redis.call('EXISTS', KEYS[i]) == 1
  if exists and redis.call('HGET', KEYS[i], 'revivable') == '1' then
    redis.call('DEL', KEYS[i])
    exists = false
  end
  if not exists then
    local fields = {'state', 'pending'}
    for j = first, base - 1 do
      fields[#fields + 1] = ARGV[j]
    end
    redis.call('HSET', KEYS[i], unpack(fields))
    redis.call('ZADD', KEYS[1], due, id)
    if member ~= '' then
      redis.call('SADD', prefix .. 'member:' .. member, id)
    end
    if session ~= '' then
      local index = prefix .. 'session:' .. session
      redis.call('SADD', index, id)
      redis.call('EXPIRE', index, retention)
    end
    created = created + 1
  end
  -- Existing jobs too: those planned before this index existed (an older
  -- checkind) are found when a restarted daemon plans them again.
  local schedule = session ~= '' and string.match(session, '^(.+)@%d%d%d%d%d%d%d%dT%d%d%d%d$')
  if schedule then
    local occurrences = prefix .. 'schedule:' .. schedule
    redis.call('SADD', occurrences, session)
    redis.call('EXPIRE', occurrences, retention)
    redis.call('SADD', prefix .. 'schedules', schedule)
  end
end
return created
