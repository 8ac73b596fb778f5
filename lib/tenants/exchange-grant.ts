import { unseal } from "@/lib/crypto";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { recordAudit } from "@/lib/audit/record-audit";
import { exchangeCode, OAuthError } from "@/lib/heroku/oauth";
import { addonInfoSchema, platformClient } from "@/lib/heroku/platform";
import { getAccessToken, saveToken } from "@/lib/heroku/tokens";
import { syncTenantSchedule } from "@/lib/checks/reconcile-schedules";
import { webRedis } from "@/lib/redis/connection";
import { enqueue } from "@/lib/jobs/enqueue";

export type ExchangeOutcome = "exchanged" | "nothing-to-do" | "grant-refused";

/**
 * Trades the provision request's oauth_grant for the add-on's own tokens, then asks Heroku
 * which app the add-on belongs to. Safe to run twice: a tenant whose grant is gone, or who
 * already has an add-on token, is left as it is. Transient failures throw so the job retries
 * (the grant lives 5 minutes); a refused grant is recorded and not retried.
 */
export async function exchangeGrant(tenantId: string, now: Date = new Date()): Promise<ExchangeOutcome> {
  const tenant = await db.tenant.findUnique({
    where: { id: tenantId },
    select: { oauthGrantSealed: true, herokuResourceId: true, state: true },
  });
  if (!tenant || tenant.state === "deprovisioned" || !tenant.herokuResourceId) return "nothing-to-do";

  if (tenant.oauthGrantSealed) {
    const existing = await db.herokuToken.findUnique({
      where: { tenantId_kind: { tenantId, kind: "addon" } },
      select: { revokedAt: true },
    });
    if (!existing || existing.revokedAt) {
      try {
        const token = await exchangeCode(unseal(tenant.oauthGrantSealed), env().HEROKU_PARTNER_CLIENT_SECRET);
        await saveToken(tenantId, "addon", token, "heroku", now);
      } catch (error) {
        if (error instanceof OAuthError && error.permanent) {
          await db.tenant.update({
            where: { id: tenantId },
            data: { oauthGrantSealed: null, lastError: `Heroku refused the add-on's grant (${error.status}).` },
          });
          await recordAudit({ tenantId, actor: "ebbflow", action: "token.refresh_failed", details: { kind: "addon", grant: true, status: error.status } });
          return "grant-refused";
        }
        throw error;
      }
    }
    await db.tenant.update({ where: { id: tenantId }, data: { oauthGrantSealed: null } });
  }

  const addon = addonInfoSchema.parse(
    await platformClient(await getAccessToken(tenantId, "addon")).get(`/addons/${tenant.herokuResourceId}`),
  );
  await db.tenant.update({
    where: { id: tenantId },
    data: { appName: addon.app.name, herokuAppId: addon.app.id, addonName: addon.name, state: "active", lastError: null },
  });
  await syncTenantSchedule(webRedis(), tenantId);
  // A fixed job id: a repeated exchange queues one subscription, which is idempotent anyway.
  await enqueue("subscribe-webhooks", { tenantId }, { jobId: `subscribe-webhooks-${tenantId}`, attempts: 5, backoff: { type: "exponential", delay: 2000 } });
  return tenant.oauthGrantSealed ? "exchanged" : "nothing-to-do";
}
