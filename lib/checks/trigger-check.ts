import { Queue } from "bullmq";
import { createRedis } from "@/lib/redis/connection";
import { CHECKS_QUEUE, WORKER_PREFIX } from "@/lib/jobs/queue-names";
import { jobPayloads } from "@/lib/jobs/payloads";

const globalForChecks = globalThis as unknown as { ebbflowChecksQueue?: Queue };

/** The checks queue, for producers (web, and workers that trigger checks). */
export function checksQueue(): Queue {
  globalForChecks.ebbflowChecksQueue ??= new Queue(CHECKS_QUEUE, { connection: createRedis("web"), prefix: WORKER_PREFIX });
  return globalForChecks.ebbflowChecksQueue;
}

/** Push reports arriving faster than this trigger one check, not one each. */
export const TRIGGER_DEBOUNCE_MS = 1000;

/**
 * Asks for a check of the tenant now. Debounced: the job id names the tenant and the current
 * debounce window, and BullMQ keeps one job per id. LIFO puts it at the head of the checks
 * queue, ahead of the scheduled batches waiting there: those are due anyway, this one is a
 * customer's backlog waiting for dynos, and there are few of them.
 */
export async function triggerCheckNow(tenantId: string, nowMs: number = Date.now()): Promise<void> {
  const window = Math.floor(nowMs / TRIGGER_DEBOUNCE_MS);
  const data = jobPayloads["check-now"].parse({ tenantId, requestedAtMs: nowMs });
  await checksQueue().add("check-now", data, { jobId: `now-${tenantId}-${window}`, lifo: true, removeOnComplete: true, removeOnFail: 100 });
}
