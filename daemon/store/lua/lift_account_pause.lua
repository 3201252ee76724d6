-- lift_account_pause.lua: a reload (SIGHUP) ends the account pause at once.
--
-- KEYS[1]  the pause (account_pause.lua)
-- ARGV[1]  now (Unix ms, the caller's clock)
--
-- The hash is left holding only `lifted_at`, for an hour: a request that
-- began before the lift, with the credentials the reload replaced, may still
-- come back refused, and account_pause.lua must not start a fresh pause for
-- it. claim_due.lua and mark_sending.lua see no `until`, so no pause.
-- Returns 1 when a pause was on, else 0.
local was_on = redis.call('HEXISTS', KEYS[1], 'until')
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'lifted_at', ARGV[1])
redis.call('PEXPIRE', KEYS[1], 3600000)
return was_on
