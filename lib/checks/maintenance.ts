import type { Redis } from "ioredis";
import { reconcileSchedules } from "@/lib/checks/reconcile-schedules";
import { errorsTotal } from "@/lib/metrics";
import { env } from "@/lib/env";
import { log } from "@/lib/log";


/**
 * Keeps the shared schedule true without depending on anything that lives only in Redis:
 * every worker runs this timer, and the one that takes the lock reconciles the check schedule
 * with Postgres and re-registers the repeating upkeep jobs (both idempotent). A flushed or
 * replaced Redis is therefore whole again within one period (EBBFLOW_MAINTENANCE_MS), whatever survived.
 */
export function startMaintenance(redis: Redis, registerRepeatingJobs: () => Promise<void>, everyMs = env().EBBFLOW_MAINTENANCE_MS): () => void {
  const run = async () => {
    const lock = await redis.set("ebbflow:maintenance-lock", "1", "PX", Math.max(1000, everyMs - 500), "NX");
    if (lock !== "OK") return;
    await registerRepeatingJobs();
    const result = await reconcileSchedules(redis);
    if (result.added + result.removed + result.rescheduled > 0) log.info(result, "reconciled check schedules");
  };
  const timer = setInterval(() => {
    run().catch((error: unknown) => {
      errorsTotal.inc({ kind: "maintenance" });
      log.error({ err: error }, "schedule maintenance failed; the next period retries");
    });
  }, everyMs);
  return () => clearInterval(timer);
}
