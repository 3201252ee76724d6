-- create_jobs.lua: create the jobs that do not exist yet.
--
-- KEYS[1]    due queue: sorted set, job id -> due time (Unix ms)
-- KEYS[2..]  one job hash per job, in the order of the records in ARGV
-- ARGV[1]    n: number of field/value pairs per job
-- ARGV[2]    queue key prefix ("<prefix>{jobs}:"; same hash tag as KEYS)
-- ARGV[3..]  per job: id, due (Unix ms), member to index ("" for none),
--            then n field/value pairs
--
-- Guarantees: a job hash that already exists, in any state, is not touched,
-- so planning the same reminders again (any daemon, any number of times)
-- creates nothing twice and never resets a sent or claimed job. A created
-- job is added to its member's set of unfinished jobs
-- (<prefix>{jobs}:member:<id>) in the same step, so an opt-out can cancel
-- them all.
-- Returns the number of jobs created.
local n = tonumber(ARGV[1])
local prefix = ARGV[2]
local stride = 3 + 2 * n
local created = 0
for i = 2, #KEYS do
  local base = 3 + (i - 2) * stride
  if redis.call('EXISTS', KEYS[i]) == 0 then
    local id = ARGV[base]
    local due = ARGV[base + 1]
    local member = ARGV[base + 2]
    local fields = {'state', 'pending'}
    for j = base + 3, base + stride - 1 do
      fields[#fields + 1] = ARGV[j]
    end
    redis.call('HSET', KEYS[i], unpack(fields))
    redis.call('ZADD', KEYS[1], due, id)
    if member ~= '' then
      redis.call('SADD', prefix .. 'member:' .. member, id)
    end
    created = created + 1
  end
end
return created
