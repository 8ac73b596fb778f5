import { recordAudit } from "@/lib/audit/record-audit";
import { enforcePlanLimits } from "@/lib/billing/enforce-plan-limits";
import type { PlanName } from "@/lib/billing/plans";
import type { Prisma } from "@/lib/db/generated/client";

/**
 * Puts a directly billed app on the plan its subscription pays for, in the caller's
 * transaction, pausing process types a smaller plan does not cover. True when the plan
 * changed (its check interval with it), so the caller reschedules the app after the commit.
 */
export async function applyTenantPlan(tx: Prisma.TransactionClient, tenantId: string, plan: PlanName, actor: string): Promise<boolean> {
  const tenant = await tx.tenant.findFirst({ where: { id: tenantId, channel: "direct" }, select: { plan: true } });
  if (!tenant || tenant.plan === plan) return false;
  await tx.tenant.update({ where: { id: tenantId }, data: { plan } });
  await recordAudit({ tenantId, actor, action: "tenant.plan_changed", details: { from: tenant.plan, to: plan } }, tx);
  await enforcePlanLimits(tx, tenantId, plan, actor);
  return true;
}
