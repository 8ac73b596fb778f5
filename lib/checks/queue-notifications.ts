import type { Redis } from "ioredis";
import type { CheckResult } from "@/lib/checks/run-check";
import { enqueue } from "@/lib/jobs/enqueue";
import { notificationsForCheck } from "@/lib/notifications/notifications-for-check";
import { NOTIFY_AGAIN_AFTER_MS } from "@/lib/notifications/send-notification";

/**
 * Hands a check's news (a refused scale, a process type stuck at max) to the `notify` job, off
 * the check's hot path. A Redis gate lets one notice per tenant, kind and process type through
 * per NOTIFY_AGAIN_AFTER_MS, so an app at its maximum for an hour is not a job every check.
 */
export async function queueNotifications(redis: Redis, result: CheckResult, now: Date): Promise<number> {
  let queued = 0;
  for (const event of notificationsForCheck(result, now)) {
    const gate = `ebbflow:notify-gate:${event.tenantId}:${event.kind}:${event.processType ?? "-"}`;
    if ((await redis.set(gate, "1", "PX", NOTIFY_AGAIN_AFTER_MS, "NX")) !== "OK") continue;
    await enqueue("notify", {
      tenantId: event.tenantId,
      kind: event.kind,
      processType: event.processType,
      message: event.message.slice(0, 2000),
      occurredAtMs: event.occurredAt.getTime(),
    });
    queued += 1;
  }
  return queued;
}
