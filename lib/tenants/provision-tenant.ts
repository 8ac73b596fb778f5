import { randomToken, seal, sha256Hex, unseal } from "@/lib/crypto";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
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
  const grantExpiresAt = request.oauth_grant ? grantExpiry(request.oauth_grant.expires_at, now) : null;
  const tenant = await insertOrFind({
    resourceId: request.uuid,
    appName: request.name ?? request.uuid,
    addonName: request.name ?? null,
    plan,
    region: request.region ?? null,
    callbackUrl: request.callback_url ?? null,
    agentTokenHash: sha256Hex(agentToken),
    agentTokenSealed: seal(agentToken).value,
    oauthGrantSealed: request.oauth_grant ? seal(request.oauth_grant.code).value : null,
    oauthGrantExpiresAt: grantExpiresAt,
    auditDetails: JSON.stringify({ plan, region: request.region ?? null }),
  });
  if (tenant.state === "deprovisioned") {
    throw new AppError("conflict", "This add-on resource was deprovisioned; provision a new one.");
  }

  if (tenant.oauth_grant_sealed) {
    // A fixed job id: repeated provision requests queue one exchange, not twenty.
    await enqueue("exchange-grant", { tenantId: tenant.id }, {
      jobId: `exchange-grant-${tenant.id}`,
      attempts: 8,
      backoff: { type: "exponential", delay: 1000 },
    });
  }

  return {
    id: request.uuid,
    config: { EBBFLOW_URL: ebbflowUrl(unseal(tenant.agent_token_sealed ?? "")) },
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

function grantExpiry(expiresAt: string | undefined, now: Date): Date {
  const parsed = expiresAt ? new Date(expiresAt) : null;
  return parsed && !Number.isNaN(parsed.getTime()) ? parsed : new Date(now.getTime() + DEFAULT_GRANT_LIFETIME_MS);
}

interface NewTenant {
  resourceId: string;
  appName: string;
  addonName: string | null;
  plan: string;
  region: string | null;
  callbackUrl: string | null;
  agentTokenHash: string;
  agentTokenSealed: string;
  oauthGrantSealed: string | null;
  oauthGrantExpiresAt: Date | null;
  auditDetails: string;
}

interface ProvisionedRow {
  id: string;
  state: "provisioning" | "active" | "deprovisioned";
  agent_token_sealed: string | null;
  oauth_grant_sealed: string | null;
}

/**
 * One round trip on the hot path: insert the tenant unless its uuid exists (the unique
 * constraint decides, so concurrent copies cannot both insert), write the audit entry only
 * for a real insert, and return the row either way. When a concurrent copy committed the row
 * after this statement's snapshot, the statement sees neither; a second read finds it.
 */
async function insertOrFind(tenant: NewTenant): Promise<ProvisionedRow> {
  const rows = await db.$queryRaw<ProvisionedRow[]>`
    WITH inserted AS (
      INSERT INTO tenants (id, channel, heroku_resource_id, app_name, addon_name, plan, region, callback_url,
                           agent_token_hash, agent_token_sealed, oauth_grant_sealed, oauth_grant_expires_at, updated_at)
      VALUES (gen_random_uuid(), 'heroku', ${tenant.resourceId}::uuid, ${tenant.appName}, ${tenant.addonName},
              ${tenant.plan}, ${tenant.region}, ${tenant.callbackUrl}, ${tenant.agentTokenHash},
              ${tenant.agentTokenSealed}, ${tenant.oauthGrantSealed}, ${tenant.oauthGrantExpiresAt}, now())
      ON CONFLICT (heroku_resource_id) DO NOTHING
      RETURNING id, state, agent_token_sealed, oauth_grant_sealed
    ), audit AS (
      INSERT INTO audit_logs (tenant_id, actor, action, details)
      SELECT id, 'heroku', 'tenant.provisioned', ${tenant.auditDetails}::jsonb FROM inserted
    )
    SELECT id::text, state::text AS state, agent_token_sealed, oauth_grant_sealed FROM inserted
    UNION ALL
    SELECT id::text, state::text, agent_token_sealed, oauth_grant_sealed FROM tenants
     WHERE heroku_resource_id = ${tenant.resourceId}::uuid AND NOT EXISTS (SELECT 1 FROM inserted)`;
  const row =
    rows[0] ??
    (
      await db.$queryRaw<ProvisionedRow[]>`
        SELECT id::text, state::text AS state, agent_token_sealed, oauth_grant_sealed
          FROM tenants WHERE heroku_resource_id = ${tenant.resourceId}::uuid`
    )[0];
  if (!row) throw new Error(`Tenant for resource ${tenant.resourceId} vanished during provisioning`);
  return row;
}
