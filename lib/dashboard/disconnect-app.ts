import { z } from "zod";
import { recordAudit } from "@/lib/audit/record-audit";
import { unscheduleTenant } from "@/lib/checks/due-set";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { revokeTokens } from "@/lib/heroku/tokens";
import { webRedis } from "@/lib/redis/connection";
import { HISTORY_KEPT_DAYS } from "@/lib/tenants/deprovision-tenant";
import { invalidField } from "@/lib/http/validation-error";

/** The customer types the app's name to confirm, as Heroku's own dangerous actions ask. */
export const disconnectRequestSchema = z.object({ confirmAppName: z.string().trim().min(1, "type the app's name to confirm") });

/**
 * Disconnects a directly connected app: checks stop, Ebbflow's Heroku authorization is revoked,
 * the history is kept for HISTORY_KEPT_DAYS like a removed add-on's. Add-on apps are removed
 * on Heroku (`heroku addons:destroy`), which deprovisions them the same way.
 */
export async function disconnectApp(tenantId: string, confirmAppName: string, actor: string, now: Date = new Date()): Promise<void> {
  const tenant = await db.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { channel: true, appName: true } });
  if (tenant.channel !== "direct") {
    throw new AppError("conflict", `Remove the add-on on Heroku instead: heroku addons:destroy ebbflow -a ${tenant.appName}`);
  }
  if (confirmAppName !== tenant.appName) throw invalidField("confirmAppName", `type ${tenant.appName} to confirm`);
  const { count } = await db.tenant.updateMany({
    where: { id: tenantId, state: { not: "deprovisioned" } },
    data: {
      state: "deprovisioned",
      deprovisionedAt: now,
      purgeAfter: new Date(now.getTime() + HISTORY_KEPT_DAYS * 86_400_000),
      agentTokenHash: null,
      agentTokenSealed: null,
    },
  });
  if (count === 1) await recordAudit({ tenantId, actor, action: "tenant.deprovisioned", details: { via: "dashboard" } });
  await unscheduleTenant(webRedis(), tenantId);
  const revoked = await revokeTokens(tenantId, now);
  if (revoked > 0) await recordAudit({ tenantId, actor, action: "token.revoked", details: { count: revoked } });
}
