/*
 * The waiting room's atomic steps, as Lua run by Redis one at a time. Each script touches the
 * keys of one schedule only (one hash tag, so one Redis Cluster slot) and reads time from Redis
 * TIME, the single clock every queue process agrees on.
 *
 * Ticket hashes are named by ids only known inside a script (popped from the line, say), so
 * their keys are built from a declared base key (`q:{<scheduleId>}:t:`, prefix included):
 * the same slot, and the deployment's key prefix applied by the client.
 */

const PRELUDE = `
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function ticket_fields(key)
  return redis.call('HMGET', key, 'userId', 'scheduleId', 'status', 'queueNumber', 'expiresAt', 'createdAt')
end
local function sales_closed(meta)
  return redis.call('HGET', meta, 'salesClosed') == '1'
end
local function line_state(served, rate, policy, opened, meta)
  local p = redis.call('HMGET', policy, 'admitsPerSecond', 'paused')
  local m = redis.call('HMGET', meta, 'salesClosed', 'opensAt')
  -- Closed sales halt the line as a pause does: fans see no ETA rather than one that will not come true.
  local paused = p[2]
  if m[1] == '1' then paused = '1' end
  return { redis.call('GET', served) or '0', redis.call('GET', rate), p[1], paused, redis.call('EXISTS', opened), m[2] }
end
`;

/**
 * KEYS: users pre line seq opened meta served rate policy ticketBase
 * ARGV: userId newTicketId scheduleId opensAtMs
 * One live ticket per (user, schedule): WAITING, or ACTIVE before its expiry, is returned as is.
 * A new ticket waits in the pre-queue until the opening draw is complete, else takes the next
 * number. Once booking has opened and nobody is left to draw, the line is open at once.
 * While the catalog has closed sales, nobody gets a new ticket: returns { 'SALES_CLOSED', now }.
 * `opensAtMs` (the caller's cached read of the catalog) is written only until the catalog's own
 * events have reached `meta` (APPLY_SALE_WINDOW sets catalogVersion and opensAt): they are newer.
 */
export const ENTER = `${PRELUDE}
local now = now_ms()
if redis.call('HEXISTS', KEYS[6], 'catalogVersion') == 0 or redis.call('HEXISTS', KEYS[6], 'opensAt') == 0 then
  redis.call('HSET', KEYS[6], 'opensAt', ARGV[4])
end
local opens_at = tonumber(redis.call('HGET', KEYS[6], 'opensAt'))
local id = redis.call('HGET', KEYS[1], ARGV[1])
local created = 0
if id then
  local t = redis.call('HMGET', KEYS[10] .. id, 'status', 'expiresAt')
  local live = t[1] == 'WAITING' or (t[1] == 'ACTIVE' and t[2] and now < tonumber(t[2]))
  if not live then id = false end
end
if not id then
  if sales_closed(KEYS[6]) then return { 'SALES_CLOSED', now } end
  id = ARGV[2]
  created = 1
  local key = KEYS[10] .. id
  local opened = redis.call('EXISTS', KEYS[5]) == 1
  if not opened and now >= opens_at and redis.call('ZCARD', KEYS[2]) == 0 then
    redis.call('SET', KEYS[5], now)
    opened = true
  end
  redis.call('HSET', key, 'userId', ARGV[1], 'scheduleId', ARGV[3], 'status', 'WAITING', 'createdAt', now)
  if opened then
    local n = redis.call('INCR', KEYS[4])
    redis.call('HSET', key, 'queueNumber', n)
    redis.call('ZADD', KEYS[3], n, id)
  else
    redis.call('ZADD', KEYS[2], now, id)
  end
  redis.call('HSET', KEYS[1], ARGV[1], id)
end
return { id, created, now, ticket_fields(KEYS[10] .. id), line_state(KEYS[7], KEYS[8], KEYS[9], KEYS[5], KEYS[6]) }
`;

/**
 * KEYS: ticket served rate policy opened meta. A ticket and its line, with the time of reading.
 * Every ticket hash has its userId from the moment it is written: without one there is no ticket.
 */
export const READ = `${PRELUDE}
local now = now_ms()
local t = ticket_fields(KEYS[1])
if not t[1] then return { now } end
return { now, t, line_state(KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]) }
`;

/**
 * KEYS: ticket. The ticket alone, with the time of reading: what booking's admission check needs
 * on every hold (three commands, where READ with the line is eight).
 */
export const READ_TICKET = `${PRELUDE}
local now = now_ms()
local t = ticket_fields(KEYS[1])
if not t[1] then return { now } end
return { now, t }
`;

/** KEYS: line pre active admitted rate. Live counts; ACTIVE tickets past expiry are not counted. */
export const COUNTS = `${PRELUDE}
local now = now_ms()
return { redis.call('ZCARD', KEYS[1]), redis.call('ZCARD', KEYS[2]), redis.call('ZCOUNT', KEYS[3], '(' .. string.format('%d', now), '+inf'),
  tonumber(redis.call('GET', KEYS[4]) or '0'), redis.call('GET', KEYS[5]) }
`;

/**
 * KEYS: line active served admitted bucket policy history rate opened meta pre ticketBase pricesFrozen
 * ARGV: defaultAdmitsPerSecond defaultMaxActive activeTtlSeconds rateWindowMs expiredRetentionSeconds
 *
 * 1. ACTIVE tickets whose time is up become EXPIRED (and stop counting against the cap).
 * 2. A token bucket refills at the policy's rate and holds at most one second of it, so over any
 *    window of T seconds at most rate * T + rate tickets are admitted; paused, it does not fill.
 * 3. n = floor(min(tokens, maxActive - active, waiting)) lowest queue numbers leave the line
 *    (ZPOPMIN: each exactly once) and become ACTIVE until now + TTL.
 * 4. The rate ETAs use: observed over the last window while admitting, else the policy's.
 * Nobody is admitted until the catalog has frozen the schedule's prices (`pricesFrozen`, set by
 * the worker only after the catalog answered): a step that would admit without it admits no one,
 * keeps its tokens and answers awaitingPriceFreeze = 1.
 * While the catalog has closed sales (`meta` salesClosed) the step admits nobody, exactly as when
 * paused, and answers paused = 1: the bucket does not fill, so a reopening releases no burst.
 * Waiting tickets stay where they are: a close is often lifted again (openSales), and fans who
 * waited their turn, drawn fairly at opening, must not lose it to a stampede of re-entries.
 */
export const ADMIT = `${PRELUDE}
local now = now_ms()
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)
for _, id in ipairs(expired) do
  redis.call('HSET', KEYS[12] .. id, 'status', 'EXPIRED')
  redis.call('EXPIRE', KEYS[12] .. id, ARGV[5])
end
if #expired > 0 then redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now) end

local p = redis.call('HMGET', KEYS[6], 'admitsPerSecond', 'maxActive', 'paused')
local rate = tonumber(p[1]) or tonumber(ARGV[1])
local max_active = tonumber(p[2]) or tonumber(ARGV[2])
local paused = p[3] == '1' or sales_closed(KEYS[10])

local b = redis.call('HMGET', KEYS[5], 'tokens', 'at')
local tokens = tonumber(b[1]) or 0
local last = tonumber(b[2]) or now
if not paused and now > last then tokens = tokens + (now - last) * rate / 1000 end
if tokens > rate then tokens = rate end

local active = redis.call('ZCARD', KEYS[2])
local waiting = redis.call('ZCARD', KEYS[1])
local n = 0
-- A cap lowered below the ACTIVE count admits nobody until enough expire; it never evicts.
if not paused then n = math.max(0, math.floor(math.min(tokens, max_active - active, waiting))) end
local awaiting_price_freeze = 0
if n > 0 and redis.call('EXISTS', KEYS[13]) == 0 then
  n = 0
  awaiting_price_freeze = 1
end
local admitted = {}
local served = tonumber(redis.call('GET', KEYS[3]) or '0')
local expires_at = now + tonumber(ARGV[3]) * 1000
if n > 0 then
  local popped = redis.call('ZPOPMIN', KEYS[1], n)
  for i = 1, #popped, 2 do
    local id = popped[i]
    local number = tonumber(popped[i + 1])
    redis.call('HSET', KEYS[12] .. id, 'status', 'ACTIVE', 'expiresAt', expires_at, 'admittedAt', now)
    redis.call('ZADD', KEYS[2], expires_at, id)
    if number > served then served = number end
    admitted[#admitted + 1] = id
    admitted[#admitted + 1] = number
  end
  n = #popped / 2
  redis.call('SET', KEYS[3], served)
  redis.call('INCRBY', KEYS[4], n)
  redis.call('LPUSH', KEYS[7], string.format('%d:%d', now, n))
  tokens = tokens - n
end
redis.call('HSET', KEYS[5], 'tokens', tostring(tokens), 'at', now)

local window_start = now - tonumber(ARGV[4])
while true do
  local oldest = redis.call('LINDEX', KEYS[7], -1)
  if not oldest or tonumber(string.match(oldest, '^(%d+):')) >= window_start then break end
  redis.call('RPOP', KEYS[7])
end
local effective = rate
local entries = redis.call('LRANGE', KEYS[7], 0, -1)
if #entries >= 2 then
  local sum = 0
  local oldest_at, oldest_count
  for _, entry in ipairs(entries) do
    local at, count = string.match(entry, '^(%d+):(%d+)$')
    sum = sum + tonumber(count)
    oldest_at = tonumber(at)
    oldest_count = tonumber(count)
  end
  -- The oldest entry's admissions happened before the span measured from it.
  local span = now - oldest_at
  if span >= 1000 then effective = math.min(rate, (sum - oldest_count) * 1000 / span) end
end
redis.call('SET', KEYS[8], tostring(effective))

return { now, served, tostring(effective), paused and 1 or 0, redis.call('EXISTS', KEYS[9]), redis.call('HGET', KEYS[10], 'opensAt'),
  waiting - n, active + n, redis.call('ZCARD', KEYS[11]), admitted, expired, awaiting_price_freeze }
`;

/**
 * KEYS: pre line seq opened meta ticketBase
 * ARGV: ticket ids in drawn order
 * Returns { -1, {} } before opening (by Redis's clock), else { opened, { id, number, ... } } with
 * the numbers this step gave. Ids no longer in the pre-queue (drawn by another process) are
 * skipped, so each ticket is numbered exactly once.
 */
export const DRAW = `${PRELUDE}
local now = now_ms()
if redis.call('EXISTS', KEYS[4]) == 1 then return { 1, {} } end
local opens_at = tonumber(redis.call('HGET', KEYS[5], 'opensAt') or '')
if not opens_at or now < opens_at then return { -1, {} } end
local numbered = {}
for i = 1, #ARGV do
  if redis.call('ZREM', KEYS[1], ARGV[i]) == 1 then
    local n = redis.call('INCR', KEYS[3])
    redis.call('HSET', KEYS[6] .. ARGV[i], 'queueNumber', n)
    redis.call('ZADD', KEYS[2], n, ARGV[i])
    numbered[#numbered + 1] = ARGV[i]
    numbered[#numbered + 1] = n
  end
end
if redis.call('ZCARD', KEYS[1]) == 0 then
  redis.call('SET', KEYS[4], now)
  return { 1, numbered }
end
return { 0, numbered }
`;

/**
 * KEYS: users pre line active seq served admitted opened ticketBase
 * ARGV: expiredRetentionSeconds admittedTotal highestRecordedNumber, then per ticket 8 values: ticketId userId
 *   scheduleId enteredAtMs queueNumber admittedAtMs expiresAtMs retiredAtMs ('' for none)
 *
 * Puts back what Redis lost of a schedule's waiting room (a crash loses up to the last second
 * of the append-only file), from the durable record (queue_tickets and the outbox's FanAdmitted
 * and TicketRetired). Only ever fills in or moves forward: a ticket Redis lacks is recreated in
 * the state the record gives it; a ticket Redis has moves on only along WAITING → ACTIVE →
 * EXPIRED, and from the pre-queue to the number the draw gave it. So a restore run twice, or by
 * two processes at once, or over a waiting room that lost nothing, changes nothing; and the
 * counters (last number given, now serving, admitted) only go up, so no number is given twice.
 * A ticket the record has without a number while the line is already open (its draw was lost in
 * both copies) takes the next number at the back.
 * Returns { restored, repaired, { id, number, ... } } (numbers given here, for the record).
 */
export const RESTORE = `${PRELUDE}
local now = now_ms()
local retention = tonumber(ARGV[1])
-- The highest number of the whole record, not of this batch: a number given below must be new.
local seq = math.max(tonumber(redis.call('GET', KEYS[5]) or '0'), tonumber(ARGV[3]))
local served = tonumber(redis.call('GET', KEYS[6]) or '0')
local opened = redis.call('EXISTS', KEYS[8]) == 1
local restored, repaired, numbered = 0, 0, {}
for i = 4, #ARGV, 8 do
  local id, user, schedule, entered = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  local number, admitted_at, expires_at, retired_at = tonumber(ARGV[i + 4]), ARGV[i + 5], ARGV[i + 6], ARGV[i + 7]
  if number and number > seq then seq = number end
  if number and admitted_at ~= '' and number > served then served = number end
  local key = KEYS[9] .. id
  local target = 'WAITING'
  if retired_at ~= '' then target = 'EXPIRED'
  elseif admitted_at ~= '' then
    if now < tonumber(expires_at) then target = 'ACTIVE' else target = 'EXPIRED' end
  end
  local t = redis.call('HMGET', key, 'status', 'queueNumber')
  local status, known_number = t[1], tonumber(t[2])
  local changed = false
  local recreated = not status
  if recreated then
    redis.call('HSET', key, 'userId', user, 'scheduleId', schedule, 'status', 'WAITING', 'createdAt', entered)
    status = 'WAITING'
    restored = restored + 1
  end
  if status == 'WAITING' then
    if not known_number and number then
      known_number = number
      redis.call('HSET', key, 'queueNumber', number)
      changed = true
    end
    if target == 'WAITING' then
      if known_number then
        redis.call('ZREM', KEYS[2], id)
        redis.call('ZADD', KEYS[3], known_number, id)
      elseif opened and redis.call('ZSCORE', KEYS[2], id) == false then
        seq = seq + 1
        known_number = seq
        redis.call('HSET', key, 'queueNumber', seq)
        redis.call('ZADD', KEYS[3], seq, id)
        numbered[#numbered + 1] = id
        numbered[#numbered + 1] = seq
      elseif not opened then
        redis.call('ZADD', KEYS[2], 'NX', tonumber(entered), id)
      end
    else
      redis.call('ZREM', KEYS[2], id)
      redis.call('ZREM', KEYS[3], id)
      redis.call('HSET', key, 'status', 'ACTIVE', 'expiresAt', expires_at, 'admittedAt', admitted_at)
      redis.call('ZADD', KEYS[4], tonumber(expires_at), id)
      status = 'ACTIVE'
      changed = true
    end
  end
  if status == 'ACTIVE' and target == 'EXPIRED' then
    redis.call('ZREM', KEYS[4], id)
    if retired_at ~= '' then
      redis.call('HSET', key, 'status', 'EXPIRED', 'expiresAt', retired_at, 'retiredAt', retired_at)
    else
      redis.call('HSET', key, 'status', 'EXPIRED')
    end
    redis.call('EXPIRE', key, retention)
    status = 'EXPIRED'
    changed = true
  end
  if changed and not recreated then repaired = repaired + 1 end
  if status ~= 'EXPIRED' then
    local current = redis.call('HGET', KEYS[1], user)
    local live = false
    if current and current ~= id then
      local c = redis.call('HMGET', KEYS[9] .. current, 'status', 'expiresAt', 'createdAt')
      live = c[1] == 'WAITING' or (c[1] == 'ACTIVE' and c[2] and now < tonumber(c[2]))
      -- The fan's newest live ticket is theirs; an older one the record still has stays readable.
      if live and tonumber(c[3]) < tonumber(entered) then live = false end
    end
    if not live then redis.call('HSET', KEYS[1], user, id) end
  end
end
redis.call('SET', KEYS[5], seq)
redis.call('SET', KEYS[6], served)
local admitted = tonumber(redis.call('GET', KEYS[7]) or '0')
if tonumber(ARGV[2]) > admitted then redis.call('SET', KEYS[7], ARGV[2]) end
return { restored, repaired, numbered }
`;

/**
 * KEYS: active ticket
 * ARGV: ticketId userId expiredRetentionSeconds
 * Retires the ticket of a confirmed booking: an ACTIVE ticket of that user, before its expiry,
 * becomes EXPIRED now and leaves the ACTIVE set, so the next admission step fills its slot.
 * Anything else changes nothing: an unknown ticket, someone else's, one still WAITING or already
 * past its time (the admission step expires that one). Retiring again answers ALREADY_RETIRED
 * with the first retirement's facts, and changes nothing either.
 * Returns { outcome, queueNumber, retiredAtMs } (the last two for RETIRED and ALREADY_RETIRED).
 */
export const RETIRE = `${PRELUDE}
local now = now_ms()
local t = redis.call('HMGET', KEYS[2], 'userId', 'status', 'expiresAt', 'queueNumber', 'retiredAt')
if not t[1] then return { 'UNKNOWN' } end
if t[1] ~= ARGV[2] then return { 'OTHER_USER' } end
if t[5] then return { 'ALREADY_RETIRED', t[4], t[5] } end
if t[2] ~= 'ACTIVE' or not t[3] or now >= tonumber(t[3]) then return { 'NOT_ACTIVE' } end
redis.call('HSET', KEYS[2], 'status', 'EXPIRED', 'expiresAt', now, 'retiredAt', now)
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('EXPIRE', KEYS[2], ARGV[3])
return { 'RETIRED', t[4], tostring(now) }
`;

/**
 * KEYS: meta. ARGV: version opensAtMs salesClosed(1|0); an empty opensAtMs or salesClosed keeps
 * the current value. A change of the catalog's schedule stream, applied only over an older one
 * (`catalogVersion`), so a redelivered or replayed event never takes the sale back in time.
 * Returns 1 when applied, 0 when an equal or newer change was there already.
 */
export const APPLY_SALE_WINDOW = `
local current = tonumber(redis.call('HGET', KEYS[1], 'catalogVersion') or '-1')
if current >= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'catalogVersion', ARGV[1])
if ARGV[2] ~= '' then redis.call('HSET', KEYS[1], 'opensAt', ARGV[2]) end
if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], 'salesClosed', ARGV[3]) end
return 1
`;

/** KEYS: policy. ARGV: admitsPerSecond maxActive paused(0|1) version. Newer or equal versions win. */
export const APPLY_POLICY = `
local current = tonumber(redis.call('HGET', KEYS[1], 'version') or '-1')
if current > tonumber(ARGV[4]) then return 0 end
redis.call('HSET', KEYS[1], 'admitsPerSecond', ARGV[1], 'maxActive', ARGV[2], 'paused', ARGV[3], 'version', ARGV[4])
return 1
`;

/** KEYS: live-schedules set. ARGV: scheduleId cutoffMs. Forgets a schedule nobody entered since the cutoff. */
export const FORGET_IF_IDLE = `
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and tonumber(score) < tonumber(ARGV[2]) then return redis.call('ZREM', KEYS[1], ARGV[1]) end
return 0
`;
