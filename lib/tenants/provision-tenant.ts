import { randomToken, seal, sha256Hex, unseal } from "@/lib/crypto";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { parsePlanName, plans } from "@/lib/billing/plans";
import { enqueue } from "@/lib/jobs/enqueue";
import type { ProvisionRequest } from "@/lib/tenants/provision-schema";

/** What Heroku gets back: an id, the manifest's config vars (all strings), a message. */
export interface ProvisionAnswer {
  id: string;
  config: { EBBFLOW_URL: string };
  message: string;
}

/** The grant lives 5 minutes at Heroku; without an expiry we assume that much. */
const DEFAULT_GRANT_LIFETIME_MS = 5 * 60_000;

/**
 * Creates the tenant for an add-on resource, once per uuid however often Heroku repeats the
 * request: the insert does nothing when the uuid exists, and every copy answers from the row.
 */
export async function provisionTenant(request: ProvisionRequest, now: Date = new Date()): Promise<ProvisionAnswer> {
  const plan = parsePlanName(request.plan, env().HEROKU_ADDON_ID);
  if (!plan) {
    throw new AppError("invalid_params", `Unknown plan "${request.plan}". Plans: ${Object.keys(plans).join(", ")}.`);
  }

  const agentToken = randomToken("ebb");
  const grantExpiresAt = request.oauth_grant?.expires_at ? new Date(request.oauth_grant.expires_at) : null;
  const { count } = await db.tenant.createMany({
    data: [
      {
        channel: "heroku",
        herokuResourceId: request.uuid,
        appName: request.name ?? request.uuid,
        addonName: request.name ?? null,
        plan,
        region: request.region ?? null,
        callbackUrl: request.callback_url ?? null,
        agentTokenHash: sha256Hex(agentToken),
        agentTokenSealed: seal(agentToken).value,
        oauthGrantSealed: request.oauth_grant ? seal(request.oauth_grant.code).value : null,
        oauthGrantExpiresAt: request.oauth_grant
          ? grantExpiresAt && !Number.isNaN(grantExpiresAt.getTime())
            ? grantExpiresAt
            : new Date(now.getTime() + DEFAULT_GRANT_LIFETIME_MS)
          : null,
      },
    ],
    skipDuplicates: true,
  });

  const tenant = await db.tenant.findUniqueOrThrow({
    where: { herokuResourceId: request.uuid },
    select: { id: true, state: true, agentTokenSealed: true, herokuResourceId: true, oauthGrantSealed: true },
  });
  if (tenant.state === "deprovisioned") {
    throw new AppError("conflict", "This add-on resource was deprovisioned; provision a new one.");
  }

  if (count === 1) {
    await recordAudit({ tenantId: tenant.id, actor: "heroku", action: "tenant.provisioned", details: { plan, region: request.region ?? null } });
  }
  if (tenant.oauthGrantSealed) {
    // A fixed job id: repeated provision requests queue one exchange, not twenty.
    await enqueue("exchange-grant", { tenantId: tenant.id }, {
      jobId: `exchange-grant-${tenant.id}`,
      attempts: 8,
      backoff: { type: "exponential", delay: 1000 },
    });
  }

  return {
    id: request.uuid,
    config: { EBBFLOW_URL: ebbflowUrl(unseal(tenant.agentTokenSealed ?? "")) },
    message: "Ebbflow is ready. Open the dashboard with `heroku addons:open ebbflow` to choose what to scale.",
  };
}

/**
 * The one config var: where the app's agent posts reports. The agent token rides in the
 * URL's password, as add-on URLs usually carry credentials; agents send it as a bearer token.
 */
export function ebbflowUrl(agentToken: string): string {
  const url = new URL("/api/v1/reports", env().APP_URL);
  url.username = "agent";
  url.password = agentToken;
  return url.toString();
}
