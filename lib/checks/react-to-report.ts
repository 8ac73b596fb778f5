import type { Redis } from "ioredis";
import { plans, isPlanName } from "@/lib/billing/plans";
import { readCheckStates } from "@/lib/checks/check-state";
import { getCheckContexts } from "@/lib/checks/context-cache";
import { toProcessMetrics } from "@/lib/checks/to-process-metrics";
import { triggerCheckNow } from "@/lib/checks/trigger-check";
import type { ProbeResult } from "@/lib/queues/schema";
import { readWebWindows } from "@/lib/queues/web-reports";
import { decide, emptyHistory } from "@/lib/scaling/decide";

/** What a report set off: a check at once, and whether Ebbflow has its process type at zero. */
export interface ReportReaction {
  checkTriggered: boolean;
  /**
   * Ebbflow's last check left the process type at zero dynos. The agents answer a job enqueued
   * then with a report at once (the enqueue wake), which triggers a check here.
   */
  scaledToZero: boolean;
}

const nothing: ReportReaction = { checkTriggered: false, scaledToZero: false };

/**
 * A report that calls for more dynos triggers a check at once instead of waiting for the next
 * interval: on plans with the push fast path always, and on plans with the wake from zero when
 * the process type is at zero (the wait for the next check would come on top of a boot).
 * "Calls for more" is the engine's own answer on the report's numbers, so the trigger and the
 * check cannot disagree about thresholds. Debounced per tenant (`triggerCheckNow`).
 */
export async function reactToReport(
  redis: Redis,
  tenantId: string,
  processType: string,
  report: ProbeResult,
  nowMs: number = Date.now(),
): Promise<ReportReaction> {
  const context = (await getCheckContexts([tenantId], nowMs)).get(tenantId);
  if (!context || context.paused || !isPlanName(context.plan)) return nothing;
  const { pushFastPath, wakeFromZero } = plans[context.plan].features;
  if (!pushFastPath && !wakeFromZero) return nothing;
  const rule = context.rules.processTypes.find((r) => r.processType === processType);
  if (!rule) return nothing;
  const state = (await readCheckStates(redis, [tenantId])).get(tenantId);
  const seen = state?.history[processType];
  // Only a check that ran says the process type is at zero; before the first, nothing is known.
  const scaledToZero = seen !== undefined && seen.currentQuantity === 0;
  if (!pushFastPath && !scaledToZero) return { checkTriggered: false, scaledToZero };
  const history = seen ?? emptyHistory();
  // A web process type decides on every dyno's windows, this report's among them.
  const metrics =
    rule.kind === "web"
      ? { queues: [], web: await readWebWindows(redis, tenantId, processType, nowMs - rule.web.windowSeconds * 1000) }
      : toProcessMetrics(report, processType);
  const [decision] = decide(
    { checkIntervalSeconds: context.checkIntervalSeconds, processTypes: [rule] },
    { [processType]: metrics },
    { [processType]: history },
    new Date(nowMs),
  );
  if (decision?.direction !== "up") return { checkTriggered: false, scaledToZero };
  await triggerCheckNow(tenantId, nowMs);
  return { checkTriggered: true, scaledToZero };
}
