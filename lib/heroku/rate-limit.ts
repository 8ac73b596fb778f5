import type { Redis } from "ioredis";

/**
 * One token bucket per Heroku account, in Redis, shared by every worker: Heroku gives an
 * account about 4500 calls, refilled 75 a minute, and answers 429 when they run out. Ebbflow
 * spends from its own bucket first, so it never causes that 429. Every answer's
 * RateLimit-Remaining resets the bucket to Heroku's count (someone else may spend from the
 * same account), a 429 empties it, and while it is empty a free GET /account/rate-limits
 * now and then tells when Heroku has refilled.
 */
export const HEROKU_BUCKET_CAPACITY = 4500;
export const HEROKU_REFILL_PER_MINUTE = 75;
/** Calls kept in reserve for the customer's own tools (CLI, dashboard, deploys). */
export const RESERVE_CALLS = 200;

const TAKE_SCRIPT = `
local key = KEYS[1]
local now = tonumber(ARGV[1])
local capacity = tonumber(ARGV[2])
local refillPerMs = tonumber(ARGV[3])
local cost = tonumber(ARGV[4])
local reserve = tonumber(ARGV[5])
local state = redis.call('HMGET', key, 'tokens', 'at')
local tokens = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - at) * refillPerMs)
local allowed = 0
local waitMs = 0
if tokens - cost >= reserve then
  tokens = tokens - cost
  allowed = 1
else
  waitMs = math.ceil((reserve + cost - tokens) / refillPerMs)
end
redis.call('HSET', key, 'tokens', tokens, 'at', now)
redis.call('PEXPIRE', key, 3600000)
return {allowed, tostring(tokens), waitMs}
`;

const OBSERVE_SCRIPT = `
local key = KEYS[1]
local now = tonumber(ARGV[1])
local remaining = tonumber(ARGV[2])
local capacity = tonumber(ARGV[3])
local refillPerMs = tonumber(ARGV[4])
local state = redis.call('HMGET', key, 'tokens', 'at')
local tokens = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - at) * refillPerMs)
tokens = remaining
redis.call('HSET', key, 'tokens', tokens, 'at', now)
redis.call('PEXPIRE', key, 3600000)
return tostring(tokens)
`;

type BucketRedis = Redis & {
  ebbflowTakeToken(key: string, now: number, capacity: number, refillPerMs: number, cost: number, reserve: number): Promise<[number, string, number]>;
  ebbflowObserveRemaining(key: string, now: number, remaining: number, capacity: number, refillPerMs: number): Promise<string>;
};

function scripted(redis: Redis): BucketRedis {
  const withScripts = redis as BucketRedis;
  if (typeof withScripts.ebbflowTakeToken !== "function") {
    redis.defineCommand("ebbflowTakeToken", { numberOfKeys: 1, lua: TAKE_SCRIPT });
    redis.defineCommand("ebbflowObserveRemaining", { numberOfKeys: 1, lua: OBSERVE_SCRIPT });
  }
  return withScripts;
}

const refillPerMs = HEROKU_REFILL_PER_MINUTE / 60_000;

function bucketKey(account: string): string {
  return `ebbflow:heroku-bucket:${account}`;
}

export interface TakeResult {
  allowed: boolean;
  tokensLeft: number;
  /** When not allowed: how long until a call would be. */
  waitMs: number;
}

/** Takes `cost` calls from the account's bucket, keeping RESERVE_CALLS for the customer. */
export async function takeHerokuCall(redis: Redis, account: string, nowMs: number, cost = 1): Promise<TakeResult> {
  const [allowed, tokens, waitMs] = await scripted(redis).ebbflowTakeToken(
    bucketKey(account),
    nowMs,
    HEROKU_BUCKET_CAPACITY,
    refillPerMs,
    cost,
    RESERVE_CALLS,
  );
  return { allowed: allowed === 1, tokensLeft: Number(tokens), waitMs };
}

/**
 * Sets the bucket to Heroku's own count (RateLimit-Remaining, or GET /account/rate-limits):
 * Heroku's number is the truth, whoever else spends from the account; 0 after a 429.
 */
export async function observeHerokuRemaining(redis: Redis, account: string, remaining: number, nowMs: number): Promise<number> {
  return Number(
    await scripted(redis).ebbflowObserveRemaining(bucketKey(account), nowMs, remaining, HEROKU_BUCKET_CAPACITY, refillPerMs),
  );
}
