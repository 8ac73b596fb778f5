import { recordAudit } from "@/lib/audit/record-audit";
import { syncTenantSchedule } from "@/lib/checks/reconcile-schedules";
import { db } from "@/lib/db/client";
import { webRedis } from "@/lib/redis/connection";

/** Apps handled per run; the job runs every few minutes, so a backlog clears within a few runs. */
const BATCH_SIZE = 500;

/**
 * Billing upkeep: apps whose grace period after a failed payment has ended without a payment
 * stop autoscaling (tenant.paused, billing state "suspended", shown on the dashboard). Each app
 * moves in its own transaction, guarded by the same condition it was found by, so runs that
 * overlap, or a payment that lands meanwhile, cannot suspend a paid app. `suspendedAt` is set
 * only when billing is what paused it, so a payment later resumes only what billing paused.
 */
export async function suspendOverdueTenants(now: Date = new Date()): Promise<string[]> {
  const overdue = await db.tenantSubscription.findMany({
    where: { status: "past_due", graceUntil: { lte: now } },
    select: { tenantId: true, graceUntil: true },
    orderBy: { graceUntil: "asc" },
    take: BATCH_SIZE,
  });
  const suspended: string[] = [];
  for (const { tenantId, graceUntil } of overdue) {
    const moved = await db.$transaction(async (tx) => {
      const { count } = await tx.tenantSubscription.updateMany({
        where: { tenantId, status: "past_due", graceUntil: { lte: now } },
        data: { status: "suspended" },
      });
      if (count === 0) return false;
      const paused = await tx.tenant.updateMany({ where: { id: tenantId, paused: false }, data: { paused: true } });
      if (paused.count > 0) await tx.tenantSubscription.update({ where: { tenantId }, data: { suspendedAt: now } });
      await recordAudit(
        {
          tenantId,
          actor: "billing",
          action: "billing.suspended",
          details: {
            graceUntil: graceUntil?.toISOString() ?? null,
            message: "Autoscaling is paused: a payment failed and the grace period ended. Paying the open invoice resumes it.",
          },
        },
        tx,
      );
      return true;
    });
    if (!moved) continue;
    suspended.push(tenantId);
    await syncTenantSchedule(webRedis(), tenantId);
  }
  return suspended;
}
