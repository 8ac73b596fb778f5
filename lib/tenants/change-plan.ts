import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { enforcePlanLimits } from "@/lib/billing/enforce-plan-limits";
import { parsePlanName, plans } from "@/lib/billing/plans";
import { syncTenantSchedule } from "@/lib/checks/reconcile-schedules";
import { webRedis } from "@/lib/redis/connection";
import { unsafeFindResource } from "@/lib/tenants/find-resource";

/** Heroku's plan change. The new plan takes effect at once; the same plan is a no-op. */
export async function changePlan(resourceId: string, requestedPlan: string): Promise<{ message: string }> {
  const plan = parsePlanName(requestedPlan, env().HEROKU_ADDON_ID);
  if (!plan) {
    throw new AppError("invalid_params", `Unknown plan "${requestedPlan}". Plans: ${Object.keys(plans).join(", ")}.`);
  }
  const tenant = await unsafeFindResource(resourceId);
  if (tenant.state === "deprovisioned") throw new AppError("not_found", "This add-on resource was deprovisioned");
  if (tenant.plan === plan) return { message: `Already on the ${plans[plan].title} plan.` };

  const { pausedProcessTypes } = await db.$transaction(async (tx) => {
    await tx.tenant.update({ where: { id: tenant.id }, data: { plan } });
    await recordAudit({ tenantId: tenant.id, actor: "heroku", action: "tenant.plan_changed", details: { from: tenant.plan, to: plan } }, tx);
    return enforcePlanLimits(tx, tenant.id, plan, "heroku");
  });
  await syncTenantSchedule(webRedis(), tenant.id);
  const paused = pausedProcessTypes.length ? ` Paused (over the plan's limit): ${pausedProcessTypes.join(", ")}.` : "";
  return { message: `Now on the ${plans[plan].title} plan: checks every ${plans[plan].checkIntervalSeconds} s.${paused}` };
}
