import type { Redis } from "ioredis";
import type { ClaimedCheck } from "@/lib/checks/due-set";
import type { CheckResult } from "@/lib/checks/run-check";
import { env } from "@/lib/env";
import { log } from "@/lib/log";

/**
 * Exact scheduling lag, for the scheduler benchmark (bench/scheduler.ts). The lag histogram
 * a worker publishes (ebbflow_check_lag_seconds) has buckets at 0.5, 1 and 2 s, too coarse to
 * tell a p99 of 600 ms from one of 950 ms. A worker started with EBBFLOW_BENCH_LAG_KEY set
 * appends one entry per check, `<tenantId> <dueAtMs> <lagMs>`, to that Redis list: one RPUSH
 * per batch, so the measurement costs a command per 40 checks, not one per check. Without
 * the variable (production) this does nothing.
 */
export function lagSampleKey(): string | null {
  return env().EBBFLOW_BENCH_LAG_KEY ?? null;
}

export async function recordLagSamples(redis: Redis, claims: ClaimedCheck[], results: CheckResult[]): Promise<void> {
  const key = lagSampleKey();
  if (!key || results.length === 0) return;
  const dueAtMs = new Map(claims.map((claim) => [claim.tenantId, claim.dueAtMs]));
  const entries = results.map((result) => `${result.tenantId} ${dueAtMs.get(result.tenantId) ?? 0} ${result.lagMs}`);
  try {
    await redis.rpush(key, ...entries);
  } catch (error) {
    // A lost sample must not fail the checks it describes.
    log.warn({ err: error }, "could not record lag samples");
  }
}
