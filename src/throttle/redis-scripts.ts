/**
 * The two Lua scripts the shared limits run next to Bottleneck's: who is sharing (presence), and the
 * shard's shared AIMD rate. Each touches one key, so each is atomic in Redis and Cluster-safe.
 */

/** What the scripts need of an ioredis connection. */
export interface RedisEval {
  eval(script: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>;
}

/**
 * Marks `member` alive at Redis's own clock, forgets members silent for `ARGV[2]` ms, and answers how
 * many are alive. Redis's clock, not the callers': hosts' clocks may disagree.
 */
const PRESENCE = `
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[2])
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
redis.call('PEXPIRE', KEYS[1], window * 2)
return redis.call('ZCARD', KEYS[1])
`;

/** Counts the processes alive under `key`, this one (`member`) included. */
export async function presence(client: RedisEval, key: string, member: string, windowMs: number): Promise<number> {
  return Number(await client.eval(PRESENCE, 1, key, member, windowMs));
}

export async function leave(client: RedisEval, key: string, member: string): Promise<void> {
  await client.eval("return redis.call('ZREM', KEYS[1], ARGV[1])", 1, key, member);
}

/**
 * A shard's AIMD rate kept in Redis, the same arithmetic as `createAdaptiveRate` applied to state all
 * processes share, so the cluster reacts to throttles like one producer. The shared bucket refills at
 * the top rate; a lower rate is enforced by debt: each call claims the tokens that `top - rate` owes
 * since the last claim (carrying fractions, at most `maxDebit`), which the caller takes out of the
 * reservoir. A decrease (once per cooldown, whoever reports it) also asks the caller to empty it.
 */
const SHARED_RATE = `
local op = ARGV[1]
local now = tonumber(ARGV[2])
local top = tonumber(ARGV[3])
local floor = tonumber(ARGV[4])
local factor = tonumber(ARGV[5])
local perSecond = tonumber(ARGV[6])
local cooldown = tonumber(ARGV[7])
local maxDebit = tonumber(ARGV[8])
local s = redis.call('HMGET', KEYS[1], 'rate', 'changed', 'decreased', 'debited', 'carry')
local rate = math.min(tonumber(s[1]) or top, top)
local changed = tonumber(s[2])
local decreased = tonumber(s[3])
local debited = tonumber(s[4]) or now
local carry = tonumber(s[5]) or 0
local debit = 0
if now > debited then
  local exact = (top - rate) * (now - debited) / 1000 + carry
  debit = math.floor(exact)
  carry = exact - debit
  if debit > maxDebit then
    debit = maxDebit
    carry = 0
  end
  debited = now
end
local empty = 0
if op == 'throttled' then
  if decreased == nil or now - decreased >= cooldown then
    decreased = now
    rate = math.max(floor, rate * factor)
    empty = 1
  end
  changed = now
elseif op == 'succeeded' then
  if changed ~= nil and rate < top and now > changed then
    rate = math.min(top, rate + perSecond * (now - changed) / 1000)
  end
  changed = math.max(changed or now, now)
end
local fields = {'rate', tostring(rate), 'debited', tostring(debited), 'carry', tostring(carry)}
if changed ~= nil then
  table.insert(fields, 'changed')
  table.insert(fields, tostring(changed))
end
if decreased ~= nil then
  table.insert(fields, 'decreased')
  table.insert(fields, tostring(decreased))
end
redis.call('HMSET', KEYS[1], unpack(fields))
redis.call('PEXPIRE', KEYS[1], ARGV[9])
return {tostring(rate), debit, empty}
`;

export interface SharedRateParams {
  /** Top rate, records per second. */
  top: number;
  /** Lowest rate, records per second. */
  floor: number;
  decreaseFactor: number;
  /** Rate regained per second of success, records per second. */
  increasePerSecond: number;
  cooldownMs: number;
  /** Most tokens one claim takes out. */
  maxDebit: number;
  /** The key expires after this long unused. */
  ttlMs: number;
}

export interface SharedRateAnswer {
  /** The shard's shared rate after the call, records per second. */
  rate: number;
  /** Tokens to take out of the shared reservoir. */
  debit: number;
  /** A decrease happened: empty the shared reservoir, as the service's is. */
  empty: boolean;
}

/** Reports a throttle, a success, or nothing (`'sync'`) at `now` (ms), and claims the debt since the last call. */
export async function updateSharedRate(
  client: RedisEval,
  key: string,
  op: 'sync' | 'throttled' | 'succeeded',
  now: number,
  p: SharedRateParams,
): Promise<SharedRateAnswer> {
  const answer = (await client.eval(SHARED_RATE, 1, key, op, now, p.top, p.floor, p.decreaseFactor, p.increasePerSecond, p.cooldownMs, p.maxDebit, p.ttlMs)) as [string, number, number];
  return { rate: Number(answer[0]), debit: Number(answer[1]), empty: Number(answer[2]) === 1 };
}
