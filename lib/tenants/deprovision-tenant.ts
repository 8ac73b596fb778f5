import { db } from "@/lib/db/client";
import { recordAudit } from "@/lib/audit/record-audit";
import { revokeTokens } from "@/lib/heroku/tokens";
import { unscheduleTenant } from "@/lib/checks/due-set";
import { webRedis } from "@/lib/redis/connection";
import { unsafeFindResource } from "@/lib/tenants/find-resource";

/** How long a removed app's history is kept, in case the customer comes back or asks. */
export const HISTORY_KEPT_DAYS = 30;

/**
 * The one way a tenant ends, whether Heroku deprovisions the add-on or an owner disconnects a
 * direct app: stop checking at once, forget the agent token, the grant, the webhook secret and
 * the Heroku tokens, keep the history for HISTORY_KEPT_DAYS. Repeating it changes nothing.
 */
export async function endTenant(
  tenantId: string,
  by: { actor: string; via: "heroku" | "dashboard" },
  now: Date = new Date(),
): Promise<void> {
  await db.$transaction(async (tx) => {
    const { count } = await tx.tenant.updateMany({
      where: { id: tenantId, state: { not: "deprovisioned" } },
      data: {
        state: "deprovisioned",
        deprovisionedAt: now,
        purgeAfter: new Date(now.getTime() + HISTORY_KEPT_DAYS * 86_400_000),
        agentTokenHash: null,
        agentTokenSealed: null,
        oauthGrantSealed: null,
        // Heroku removes the add-on's webhook subscription with it; its secret goes too.
        herokuWebhookSecretSealed: null,
        herokuWebhookCheckedAt: null,
      },
    });
    if (count === 1) await recordAudit({ tenantId, actor: by.actor, action: "tenant.deprovisioned", details: { via: by.via } }, tx);
  });
  // Stop checking first: nothing should act on the app while its tokens are being revoked.
  await unscheduleTenant(webRedis(), tenantId);
  const revoked = await revokeTokens(tenantId, now);
  if (revoked > 0) await recordAudit({ tenantId, actor: by.actor, action: "token.revoked", details: { count: revoked } });
}

/** Heroku's deprovision of an add-on resource (Partner API). */
export async function deprovisionTenant(resourceId: string, now: Date = new Date()): Promise<void> {
  const tenant = await unsafeFindResource(resourceId);
  await endTenant(tenant.id, { actor: "heroku", via: "heroku" }, now);
}

/** Deletes tenants whose kept history has expired (run by the upkeep job). */
export async function purgeExpiredTenants(now: Date = new Date()): Promise<number> {
  const expired = await db.tenant.findMany({
    where: { state: "deprovisioned", purgeAfter: { lt: now } },
    select: { id: true },
    take: 100,
  });
  for (const { id } of expired) {
    await db.$transaction(async (tx) => {
      await recordAudit({ tenantId: null, actor: "ebbflow", action: "tenant.purged", details: { tenantId: id } }, tx);
      await tx.tenant.delete({ where: { id } });
    });
  }
  return expired.length;
}
