import { randomBytes } from "node:crypto";
import { z } from "zod";
import { seal, unseal } from "@/lib/crypto";
import { db } from "@/lib/db/client";
import { platformClient, statusOf } from "@/lib/heroku/platform";
import { getAccessToken, TokenUnavailableError } from "@/lib/heroku/tokens";
import { WEBHOOK_INCLUDES, WEBHOOK_LEVEL, webhookUrl } from "@/lib/heroku-webhooks/webhook-settings";

export type SubscribeOutcome = "subscribed" | "updated" | "verified" | "not-ready";

const webhookSchema = z.looseObject({ id: z.uuid(), url: z.string(), include: z.array(z.string()), level: z.string() });

function newSecret(): string {
  return randomBytes(32).toString("hex");
}

function sameIncludes(include: string[]): boolean {
  return include.length === WEBHOOK_INCLUDES.length && WEBHOOK_INCLUDES.every((entity) => include.includes(entity));
}

/**
 * Makes sure the tenant's add-on has Ebbflow's webhook subscription (`api:formation`,
 * `api:dyno`, level `sync`, to `/api/heroku/webhooks/{resource id}`) signed with the tenant's
 * own random secret, sealed in `tenants`. Safe to run any number of times: it creates the
 * subscription when Heroku has none for that URL, updates it when it differs or when the secret
 * had to be replaced (a new one is stored before Heroku has it, so nothing signed with it is
 * ever refused), and otherwise only records that it is there. A tenant without the add-on's
 * token yet is "not-ready". Heroku's refusals throw, for the caller to record.
 */
export async function ensureWebhookSubscription(tenantId: string, now: Date = new Date()): Promise<SubscribeOutcome> {
  const tenant = await db.tenant.findUnique({
    where: { id: tenantId },
    select: { state: true, herokuResourceId: true, herokuWebhookId: true, herokuWebhookSecretSealed: true },
  });
  if (!tenant || tenant.state !== "active" || !tenant.herokuResourceId) return "not-ready";
  let token: string;
  try {
    token = await getAccessToken(tenantId, "addon");
  } catch (error) {
    if (error instanceof TokenUnavailableError) return "not-ready";
    throw error;
  }

  let secret = readableSecret(tenant.herokuWebhookSecretSealed);
  const renewSecret = secret === null;
  if (secret === null) {
    secret = newSecret();
    await db.tenant.update({ where: { id: tenantId }, data: { herokuWebhookSecretSealed: seal(secret).value } });
  }

  const client = platformClient(token);
  const base = `/addons/${tenant.herokuResourceId}/webhooks`;
  const url = webhookUrl(tenant.herokuResourceId);
  const existing = z.array(webhookSchema).parse(await client.get(base)).find((webhook) => webhook.url === url);
  let outcome: SubscribeOutcome;
  let webhookId: string;
  if (!existing) {
    const created = webhookSchema.parse(await client.post(base, { body: { include: WEBHOOK_INCLUDES, level: WEBHOOK_LEVEL, url, secret } }));
    webhookId = created.id;
    outcome = "subscribed";
  } else if (renewSecret || existing.id !== tenant.herokuWebhookId || !sameIncludes(existing.include) || existing.level !== WEBHOOK_LEVEL) {
    // A subscription Ebbflow did not record (a crash between creating and saving it) may hold another secret.
    await client.patch(`${base}/${existing.id}`, { body: { include: WEBHOOK_INCLUDES, level: WEBHOOK_LEVEL, secret } });
    webhookId = existing.id;
    outcome = "updated";
  } else {
    webhookId = existing.id;
    outcome = "verified";
  }
  await db.tenant.update({ where: { id: tenantId }, data: { herokuWebhookId: webhookId, herokuWebhookCheckedAt: now, herokuWebhookProblem: null } });
  return outcome;
}

function readableSecret(sealed: string | null): string | null {
  if (!sealed) return null;
  try {
    return unseal(sealed);
  } catch {
    return null;
  }
}

/** Why a subscription attempt failed, in a sentence for the tenant's record. */
export function subscriptionProblem(error: unknown): string {
  const status = statusOf(error);
  return status ? `Heroku refused the webhook subscription (HTTP ${status}).` : "The webhook subscription could not be checked: Heroku was unreachable.";
}
