import type { Redis } from "ioredis";

/**
 * Which tenant is due for a check when, shared by every worker process. A sorted set holds
 * each scheduled tenant's next due time (ms); a hash holds its interval. Claiming is one Lua
 * call that takes the due tenants and moves each to its next slot, so however many
 * dispatchers run, a tenant is handed out once per interval, and a worker that dies after
 * claiming loses that one check, not the tenant: its next slot is already booked.
 */
export const DUE_KEY = "ebbflow:checks:due";
export const INTERVAL_KEY = "ebbflow:checks:interval";

const CLAIM_SCRIPT = `
local now = tonumber(ARGV[1])
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[2]))
local claimed = {}
for i = 1, #due, 2 do
  local id = due[i]
  local dueAt = tonumber(due[i + 1])
  local interval = tonumber(redis.call('HGET', KEYS[2], id) or '0')
  if interval and interval > 0 then
    local nextDue = dueAt + interval
    if nextDue <= now then nextDue = now + interval end
    redis.call('ZADD', KEYS[1], nextDue, id)
    claimed[#claimed + 1] = id
    claimed[#claimed + 1] = due[i + 1]
  else
    redis.call('ZREM', KEYS[1], id)
  end
end
return claimed
`;

export interface ClaimedCheck {
  tenantId: string;
  /** When the check was due (ms since epoch); now minus this is the scheduling lag. */
  dueAtMs: number;
}

type ScriptRedis = Redis & {
  ebbflowClaimDue(dueKey: string, intervalKey: string, nowMs: number, limit: number): Promise<string[]>;
};

function withScript(redis: Redis): ScriptRedis {
  const scripted = redis as ScriptRedis;
  if (typeof scripted.ebbflowClaimDue !== "function") {
    redis.defineCommand("ebbflowClaimDue", { numberOfKeys: 2, lua: CLAIM_SCRIPT });
  }
  return scripted;
}

/** Takes up to `limit` tenants whose check is due at `nowMs`, booking each one's next slot. */
export async function claimDue(redis: Redis, nowMs: number, limit: number): Promise<ClaimedCheck[]> {
  const flat = await withScript(redis).ebbflowClaimDue(DUE_KEY, INTERVAL_KEY, nowMs, limit);
  const claimed: ClaimedCheck[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) {
    claimed.push({ tenantId: flat[i] as string, dueAtMs: Number(flat[i + 1]) });
  }
  return claimed;
}

/**
 * Schedules a tenant every `intervalMs`. A new tenant is due at once; an existing one keeps its
 * slot unless the new interval would bring it sooner (a plan upgrade applies at once).
 */
export async function scheduleTenant(redis: Redis, tenantId: string, intervalMs: number, nowMs: number): Promise<void> {
  const existing = await redis.zscore(DUE_KEY, tenantId);
  const nextDue = existing === null ? nowMs : Math.min(Number(existing), nowMs + intervalMs);
  await redis.multi().hset(INTERVAL_KEY, tenantId, intervalMs).zadd(DUE_KEY, nextDue, tenantId).exec();
}

export async function unscheduleTenant(redis: Redis, tenantId: string): Promise<void> {
  await redis.multi().zrem(DUE_KEY, tenantId).hdel(INTERVAL_KEY, tenantId).exec();
}

/** Makes a scheduled tenant due now (a push report asking for more dynos). False if not scheduled. */
export async function makeDueNow(redis: Redis, tenantId: string, nowMs: number): Promise<boolean> {
  const updated = await redis.zadd(DUE_KEY, "XX", "LT", "CH", nowMs, tenantId);
  return updated === 1 || (await redis.zscore(DUE_KEY, tenantId)) !== null;
}

/** Every scheduled tenant and its interval (ms), for reconciliation. */
export async function scheduledIntervals(redis: Redis): Promise<Map<string, number>> {
  const all = await redis.hgetall(INTERVAL_KEY);
  const scheduled = new Set(await redis.zrange(DUE_KEY, 0, -1));
  const intervals = new Map<string, number>();
  for (const [tenantId, interval] of Object.entries(all)) {
    if (scheduled.has(tenantId)) intervals.set(tenantId, Number(interval));
  }
  return intervals;
}
