-- concern_acknowledge.lua: a contact takes a concern on, once.
--
-- KEYS[1]  the concern's state hash ("<prefix>concern:<id>")
-- KEYS[2]  the open concerns ("<prefix>concerns:open")
-- ARGV[1]  who acknowledged (a contact's E.164, or a name)
-- ARGV[2]  when (RFC 3339 UTC)
-- ARGV[3]  the concern id
--
-- raised -> acknowledged, with acknowledged_by/_at, and out of the open
-- index so escalation stops. When two contacts answer at once exactly one
-- of them wins. Returns 1 for the winner, 0 when it was acknowledged
-- already or does not exist.
if redis.call('HGET', KEYS[1], 'state') ~= 'raised' then return 0 end
redis.call('HSET', KEYS[1], 'state', 'acknowledged', 'acknowledged_by', ARGV[1], 'acknowledged_at', ARGV[2])
redis.call('ZREM', KEYS[2], ARGV[3])
return 1
