import { randomBytes } from "node:crypto";
import { z } from "zod";
import { seal, unseal } from "@/lib/crypto";
import { db } from "@/lib/db/client";
import { platformClient, statusOf } from "@/lib/heroku/platform";
import { getAccessToken, TokenUnavailableError } from "@/lib/heroku/tokens";
import { WEBHOOK_INCLUDES, WEBHOOK_LEVEL, webhookUrl } from "@/lib/heroku-webhooks/webhook-settings";

export type SubscribeOutcome = "subscribed" | "updated" | "verified" | "repaired" | "not-ready";

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
 * ever refused), sets it up again when Heroku's latest delivery to it failed (the webhooks are
 * then not counted as working until a delivery gets through), and otherwise records that it
 * is there. A tenant without the add-on's token yet is "not-ready". Heroku's refusals throw,
 * for the caller to record.
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
  if (!existing) {
    const created = webhookSchema.parse(await client.post(base, { body: { include: WEBHOOK_INCLUDES, level: WEBHOOK_LEVEL, url, secret } }));
    await recordSubscription(tenantId, created.id, null, now);
    return "subscribed";
  }
  // A subscription Ebbflow did not record (a crash between creating and saving it) may hold another secret.
  const differs = renewSecret || existing.id !== tenant.herokuWebhookId || !sameIncludes(existing.include) || existing.level !== WEBHOOK_LEVEL;
  // One that is there but whose deliveries fail is no sign that webhooks work: it is set up again.
  const failing = differs ? null : await lastDeliveryFailure(client, tenant.herokuResourceId, existing.id);
  if (!differs && !failing) {
    await recordSubscription(tenantId, existing.id, null, now);
    return "verified";
  }
  await client.patch(`${base}/${existing.id}`, { body: { include: WEBHOOK_INCLUDES, level: WEBHOOK_LEVEL, url, secret } });
  await recordSubscription(tenantId, existing.id, failing, now);
  return failing ? "repaired" : "updated";
}

/**
 * Saves the subscription's id; without a problem it also counts as a sign the webhooks work.
 * With one (deliveries were failing), only a delivery that gets through makes them healthy again.
 */
async function recordSubscription(tenantId: string, webhookId: string, problem: string | null, now: Date): Promise<void> {
  await db.tenant.update({
    where: { id: tenantId },
    data: problem ? { herokuWebhookId: webhookId, herokuWebhookProblem: problem } : { herokuWebhookId: webhookId, herokuWebhookCheckedAt: now, herokuWebhookProblem: null },
  });
}

const deliverySchema = z.looseObject({
  created_at: z.string(),
  status: z.string(),
  webhook: z.looseObject({ id: z.string() }),
  last_attempt: z.looseObject({ code: z.number().nullable().optional(), error_class: z.string().nullable().optional() }).nullable().optional(),
});

/** Why Heroku's latest delivery to this subscription failed (it is retrying or gave up), or null. */
async function lastDeliveryFailure(client: ReturnType<typeof platformClient>, resourceId: string, webhookId: string): Promise<string | null> {
  const deliveries = z.array(deliverySchema).parse(await client.get(`/addons/${resourceId}/webhook-deliveries`));
  const latest = deliveries.filter((delivery) => delivery.webhook.id === webhookId).sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at))[0];
  if (!latest || (latest.status !== "failed" && latest.status !== "retrying")) return null;
  const attempt = latest.last_attempt;
  const why = attempt?.code ? `HTTP ${attempt.code}` : (attempt?.error_class ?? "no answer");
  return `Heroku's deliveries to Ebbflow were failing (last: ${why}); the subscription was set up again.`;
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
