-- rate_limit.lua: one token bucket shared by every daemon (twilio.max_per_second).
--
-- KEYS[1]  the bucket: hash {tokens, at}
-- ARGV[1]  now (Unix ms, the caller's clock)
-- ARGV[2]  refill rate, tokens per second (> 0)
-- ARGV[3]  burst: most tokens the bucket holds (>= 1)
-- ARGV[4]  "take", "borrow" or "pause"
-- ARGV[5]  take, borrow: cost in tokens (SMS segments); pause: how long (ms)
--
-- take: refills for the time since `at`, then takes `cost` if there is
--   enough and returns 0; otherwise takes nothing and returns the ms to wait
--   until there will be. A cost above the burst is capped at the burst, so a
--   long text still goes out once the bucket is full.
-- borrow: a safeguarding alert: takes `cost` at once, into debt if there is
--   not enough, and returns 0: the alert never waits for the rate, the texts
--   after it wait instead.
-- pause: Twilio answered 429: the bucket goes into debt worth `pause` ms of
--   refill, so every daemon waits that long before the next send.
-- A caller whose clock is behind `at` (another machine's is ahead) gets no
-- refill until it catches up, so skew never creates tokens.
local now = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local burst = tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
if now > at then
  tokens = math.min(burst, tokens + (now - at) * rate / 1000)
  at = now
end
local wait = 0
if ARGV[4] == 'pause' then
  local debt = -rate * tonumber(ARGV[5]) / 1000
  if tokens > debt then tokens = debt end
elseif ARGV[4] == 'borrow' then
  tokens = tokens - math.min(tonumber(ARGV[5]), burst)
else
  local cost = math.min(tonumber(ARGV[5]), burst)
  if tokens >= cost then
    tokens = tokens - cost
  else
    wait = math.ceil((cost - tokens) * 1000 / rate)
  end
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(at))
redis.call('PEXPIRE', KEYS[1], 3600000)
return wait
