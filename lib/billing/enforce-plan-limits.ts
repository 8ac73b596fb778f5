import { recordAudit } from "@/lib/audit/record-audit";
import { processTypesOverPlan } from "@/lib/billing/plan-limits";
import { plans, type PlanName } from "@/lib/billing/plans";
import type { Prisma } from "@/lib/db/generated/client";

type Client = Pick<Prisma.TransactionClient, "processRule" | "auditLog">;

/**
 * Applies a downgrade gracefully: process types beyond the new plan's limit are paused
 * (`enabled = false`, their rules kept) and a "billing.downgraded" audit entry tells the
 * dashboard which ones and why. Run it in the transaction that changes the plan.
 */
export async function enforcePlanLimits(
  client: Client,
  tenantId: string,
  plan: PlanName,
  actor: string,
): Promise<{ pausedProcessTypes: string[] }> {
  const rules = await client.processRule.findMany({
    where: { tenantId },
    select: { processType: true, enabled: true, createdAt: true },
  });
  const over = processTypesOverPlan(plan, rules);
  if (over.length === 0) return { pausedProcessTypes: [] };

  await client.processRule.updateMany({ where: { tenantId, processType: { in: over }, enabled: true }, data: { enabled: false } });
  const limit = plans[plan].maxProcessTypes;
  const message =
    `The ${plans[plan].title} plan autoscales ${limit} process type${limit === 1 ? "" : "s"}: ` +
    `${over.join(", ")} ${over.length === 1 ? "is" : "are"} paused (rules kept). ` +
    `Upgrade, or disable another process type, to turn ${over.length === 1 ? "it" : "them"} back on.`;
  await recordAudit(
    { tenantId, actor, action: "billing.downgraded", details: { plan, pausedProcessTypes: over, message } },
    client,
  );
  return { pausedProcessTypes: over };
}
