import type { Redis } from "ioredis";
import { plans, isPlanName } from "@/lib/billing/plans";
import { readCheckStates } from "@/lib/checks/check-state";
import { getCheckContexts } from "@/lib/checks/context-cache";
import { toProcessMetrics } from "@/lib/checks/to-process-metrics";
import { triggerCheckNow } from "@/lib/checks/trigger-check";
import type { ProbeResult } from "@/lib/queues/schema";
import { readWebWindows } from "@/lib/queues/web-reports";
import { decide, emptyHistory } from "@/lib/scaling/decide";

/**
 * On plans with the push fast path, a report that calls for more dynos triggers a check at
 * once instead of waiting for the next interval. "Calls for more" is the engine's own answer
 * on the report's numbers, so the trigger and the check cannot disagree about thresholds.
 */
export async function reactToReport(
  redis: Redis,
  tenantId: string,
  processType: string,
  report: ProbeResult,
  nowMs: number = Date.now(),
): Promise<boolean> {
  const context = (await getCheckContexts([tenantId], nowMs)).get(tenantId);
  if (!context || context.paused) return false;
  if (!isPlanName(context.plan) || !plans[context.plan].features.pushFastPath) return false;
  const rule = context.rules.processTypes.find((r) => r.processType === processType);
  if (!rule) return false;
  const state = (await readCheckStates(redis, [tenantId])).get(tenantId);
  const history = state?.history[processType] ?? emptyHistory();
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
  if (decision?.direction !== "up") return false;
  await triggerCheckNow(tenantId, nowMs);
  return true;
}
