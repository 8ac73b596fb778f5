import type { CheckResult } from "@/lib/checks/run-check";
import type { NotificationEvent } from "@/lib/notifications/send-notification";

/**
 * What a finished check should tell the customer about: each formation change Heroku refused
 * ("failure"), and each process type that needs more dynos than its maximum allows while
 * already running the maximum ("max"). Pure, so the engine can call it on every check and
 * hand the few results to `sendNotification` (which throttles repeats) off its hot path.
 */
export function notificationsForCheck(result: Pick<CheckResult, "tenantId" | "decisions" | "events">, now: Date): NotificationEvent[] {
  const found: NotificationEvent[] = [];
  for (const event of result.events) {
    if (event.outcome !== "failed") continue;
    found.push({
      tenantId: result.tenantId,
      kind: "failure",
      processType: event.processType,
      message: event.error ? `${event.reason} (${event.error})` : event.reason,
      occurredAt: event.occurredAt,
    });
  }
  for (const decision of result.decisions) {
    const max = decision.bounds.maxQuantity;
    const atMax = decision.desiredQuantity >= max && decision.currentQuantity >= max;
    if (!atMax || decision.fallback || decision.paused || decision.neededQuantity <= max) continue;
    found.push({
      tenantId: result.tenantId,
      kind: "max",
      processType: decision.processType,
      message: `running ${max} of ${max} dynos while the queue needs ${decision.neededQuantity}: ${decision.reason}`,
      occurredAt: now,
    });
  }
  return found;
}
