import { planNames, plans } from "@/lib/billing/plans";
import { createSamplePartitions, dropSamplePartitionsBefore } from "@/lib/checks/sample-partitions";
import { db } from "@/lib/db/client";

/** Raw samples (one per check) are kept this long, then folded into per-minute rows. */
export const RAW_KEPT_MS = 2 * 3600_000;
/** Per-minute rows are kept this long, then folded into per-hour rows. */
export const MINUTE_KEPT_MS = 2 * 86_400_000;

export interface RollUpResult {
  rawFolded: number;
  minutesFolded: number;
  /** Rows deleted: those of plans that keep less than the longest, and any in the default partition. */
  expired: number;
  /** Day partitions created ahead, and dropped because no plan keeps them any more. */
  partitionsCreated: string[];
  partitionsDropped: string[];
}

function floorTo(ms: number, unitMs: number): Date {
  return new Date(Math.floor(ms / unitMs) * unitMs);
}

/**
 * Creates the coming days' sample partitions, folds old samples into coarser ones and drops
 * what the tenant's plan no longer keeps: whole day partitions past the longest retention of
 * any plan (DROP TABLE, no dead rows), and rows of plans that keep less (after two days they
 * are hour rows only, 24 a day per process type, so these deletes stay small).
 * Each fold moves every row of the finer resolution older than a whole-unit cut in one
 * statement (DELETE … RETURNING feeding the INSERT), so a bucket is built once from all its
 * rows and nothing is counted twice, however often this runs. A bucket keeps the worst of
 * its rows: the largest depth, latency, busy count and formation (for web process types the
 * busiest request rate and the worst queue-time percentiles).
 */
export async function rollUpSamples(now: Date = new Date()): Promise<RollUpResult> {
  const partitionsCreated = await createSamplePartitions(now);
  const rawCut = floorTo(now.getTime() - RAW_KEPT_MS, 60_000);
  const minuteCut = floorTo(now.getTime() - MINUTE_KEPT_MS, 3600_000);
  const rawFolded = await fold("raw", "minute", rawCut);
  const minutesFolded = await fold("minute", "hour", minuteCut);

  const longestDays = Math.max(...planNames.map((name) => plans[name].historyRetentionDays));
  const longestKeptAfter = new Date(now.getTime() - longestDays * 86_400_000);
  const partitionsDropped = await dropSamplePartitionsBefore(longestKeptAfter);
  let expired = await db.$executeRaw`DELETE FROM metric_samples_default WHERE sampled_at < ${longestKeptAfter}`;
  for (const name of planNames) {
    if (plans[name].historyRetentionDays >= longestDays) continue;
    const keptAfter = new Date(now.getTime() - plans[name].historyRetentionDays * 86_400_000);
    expired += await db.$executeRaw`
      DELETE FROM metric_samples m USING tenants t
       WHERE m.tenant_id = t.id AND t.plan = ${name} AND m.sampled_at < ${keptAfter}`;
  }
  return { rawFolded, minutesFolded, expired, partitionsCreated, partitionsDropped };
}

async function fold(from: "raw" | "minute", to: "minute" | "hour", cut: Date): Promise<number> {
  const unit = to === "minute" ? "minute" : "hour";
  return db.$executeRaw`
    WITH moved AS (
      DELETE FROM metric_samples
       WHERE resolution = ${from}::"SampleResolution" AND sampled_at < ${cut}
   RETURNING tenant_id, process_type, sampled_at, depth, latency_ms, busy, scheduled, retries, dynos,
             requests_per_minute, queue_time_p50_ms, queue_time_p95_ms, queue_time_p99_ms
    )
    INSERT INTO metric_samples (tenant_id, process_type, resolution, sampled_at, depth, latency_ms, busy, scheduled, retries, dynos,
                                requests_per_minute, queue_time_p50_ms, queue_time_p95_ms, queue_time_p99_ms)
    SELECT tenant_id, process_type, ${to}::"SampleResolution", date_trunc(${unit}, sampled_at),
           max(depth), max(latency_ms), max(busy), max(scheduled), max(retries), max(dynos),
           max(requests_per_minute), max(queue_time_p50_ms), max(queue_time_p95_ms), max(queue_time_p99_ms)
      FROM moved
     GROUP BY 1, 2, 4`;
}
