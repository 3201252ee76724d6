-- concern_alerted.lua: note that a contact was alerted about a concern.
--
-- KEYS[1]  the concern's state hash ("<prefix>concern:<id>")
-- KEYS[2]  the contact's alerted index ("<prefix>concerns:alerted:<e164>")
-- ARGV[1]  the contact (E.164)
-- ARGV[2]  the concern id
-- ARGV[3]  when (Unix ms)
--
-- Appends the contact to the hash's comma-separated `alerted` list unless it
-- is there already, atomically, so two daemons escalating the same concern
-- never lose one another's contact; indexes the concern under her number
-- (the latest alert first when she replies OK).
-- Returns 1 when the contact was new to the list, else 0.
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], 'GT', ARGV[3], ARGV[2])
local alerted = redis.call('HGET', KEYS[1], 'alerted') or ''
for contact in string.gmatch(alerted, '[^,]+') do
  if contact == ARGV[1] then return 0 end
end
if alerted == '' then alerted = ARGV[1] else alerted = alerted .. ',' .. ARGV[1] end
redis.call('HSET', KEYS[1], 'alerted', alerted)
return 1
