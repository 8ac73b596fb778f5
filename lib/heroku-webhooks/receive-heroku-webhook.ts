import { z } from "zod";
import { unseal } from "@/lib/crypto";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { manualChange } from "@/lib/checks/manual-change";
import { scaleEvent } from "@/lib/checks/scale-event";
import { markWebhookSecretUnreadable } from "@/lib/heroku-webhooks/mark-webhook-problem";
import { isOwnFormationChange, noteDynoStarted, noteFormation } from "@/lib/heroku-webhooks/webhook-notes";
import { MAX_EVENT_AGE_MS, MAX_EVENT_LEAD_MS } from "@/lib/heroku-webhooks/webhook-settings";
import { signatureMatches } from "@/lib/heroku-webhooks/webhook-signature";
import { dynoDataSchema, formationDataSchema, formationPreviousSchema, webhookEventSchema, type WebhookEvent } from "@/lib/heroku-webhooks/webhook-event";
import { log } from "@/lib/log";
import { webRedis } from "@/lib/redis/connection";

export interface WebhookDelivery {
  /** The path's add-on id: Heroku's uuid of the add-on resource. */
  addonId: string;
  rawBody: Buffer;
  /** `Heroku-Webhook-Hmac-SHA256` */
  signature: string | null;
  /** `Heroku-Webhook-Id`: the delivery's id, also in the body's `webhook_metadata`. */
  deliveryId: string | null;
}

export type WebhookOutcome = "manual_change" | "own_change" | "formation_noted" | "dyno_noted" | "ignored";

interface Subscriber {
  id: string;
  herokuAppId: string | null;
  secretSealed: string;
}

/** The tenant the path names, if it is subscribed; anything else is an unknown add-on (404). */
async function findSubscriber(addonId: string): Promise<Subscriber> {
  const unknown = new AppError("not_found", "Unknown add-on: no webhook subscription here for this id.");
  if (!z.uuid().safeParse(addonId).success) throw unknown;
  const tenant = await db.tenant.findUnique({
    where: { herokuResourceId: addonId },
    select: { id: true, state: true, herokuAppId: true, herokuWebhookSecretSealed: true },
  });
  if (!tenant || tenant.state === "deprovisioned" || !tenant.herokuWebhookSecretSealed) throw unknown;
  return { id: tenant.id, herokuAppId: tenant.herokuAppId, secretSealed: tenant.herokuWebhookSecretSealed };
}

/** The subscriber's secret; one that cannot be opened marks the subscription for renewal and answers 503. */
async function openSecret(subscriber: Subscriber): Promise<string> {
  try {
    return unseal(subscriber.secretSealed);
  } catch (error) {
    await markWebhookSecretUnreadable(subscriber.id, error);
    throw new AppError("unavailable", "This add-on's webhook secret cannot be read here; Ebbflow is setting the subscription up again.", {
      retryAfterSeconds: 60,
    });
  }
}

function parseEvent(rawBody: Buffer): WebhookEvent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody.toString("utf8"));
  } catch {
    throw new AppError("bad_request", "The body is not valid JSON.");
  }
  return webhookEventSchema.parse(parsed);
}

function checkFreshness(event: WebhookEvent, nowMs: number): number {
  const createdMs = Date.parse(event.created_at);
  if (nowMs - createdMs > MAX_EVENT_AGE_MS) {
    throw new AppError("bad_request", `The event was created at ${event.created_at}, more than ${MAX_EVENT_AGE_MS / 60_000} minutes ago; it is not accepted any more.`);
  }
  if (createdMs - nowMs > MAX_EVENT_LEAD_MS) throw new AppError("bad_request", `The event's created_at (${event.created_at}) is in the future.`);
  return createdMs;
}

/** What a verified event changes: a scale event to record (a change by hand), and a note for the next check. */
interface Effect {
  outcome: WebhookOutcome;
  manual?: ReturnType<typeof manualChange>;
  note?: (receivedMs: number) => Promise<void>;
}

async function effectOf(event: WebhookEvent, subscriber: Subscriber, createdMs: number, nowMs: number): Promise<Effect> {
  const include = event.webhook_metadata.event.include;
  if (include === "api:formation" && event.action === "update") {
    const data = formationDataSchema.parse(event.data);
    sameApp(data.app.id, subscriber);
    const previous = formationPreviousSchema.parse(event.previous_data ?? {});
    const note = (receivedMs: number) => noteFormation(webRedis(), subscriber.id, data.type, data.quantity, createdMs, receivedMs);
    if (previous.quantity === undefined || previous.quantity === data.quantity) return { outcome: "formation_noted", note };
    if (await isOwnFormationChange(webRedis(), subscriber.id, data.type, data.quantity, nowMs)) return { outcome: "own_change", note };
    const managed = await db.processRule.findFirst({
      where: { tenantId: subscriber.id, processType: data.type, enabled: true, mode: "formation" },
      select: { id: true },
    });
    if (!managed) return { outcome: "formation_noted", note };
    const manual = manualChange(data.type, previous.quantity, data.quantity, { email: event.actor?.email, via: "webhook" });
    return { outcome: "manual_change", manual, note };
  }
  if (include === "api:dyno") {
    const data = dynoDataSchema.parse(event.data);
    sameApp(data.app.id, subscriber);
    if (event.action !== "destroy" && data.state === "starting") {
      return { outcome: "dyno_noted", note: (receivedMs) => noteDynoStarted(webRedis(), subscriber.id, data.name, createdMs, receivedMs) };
    }
  }
  return { outcome: "ignored" };
}

function sameApp(appId: string, subscriber: Subscriber): void {
  if (subscriber.herokuAppId && appId !== subscriber.herokuAppId) {
    throw new AppError("invalid_params", "The event is about another app than this add-on's.");
  }
}

/**
 * One delivery of the tenant's add-on webhooks: the signature over the raw body is checked in
 * constant time with the tenant's own secret before anything in the body is believed; the event
 * must be recent and never seen before (its event id and delivery id are each taken once, in
 * the transaction that records what it changed). A quantity changed by hand becomes a `manual`
 * scale event at once; every formation and dyno change leaves a note the next check folds into
 * its state. Refusals are 4xx (503 when the tenant's secret cannot be opened); nothing is
 * recorded for a refused delivery.
 */
export async function receiveHerokuWebhook(delivery: WebhookDelivery, now: Date = new Date()): Promise<{ tenantId: string; eventId: string; outcome: WebhookOutcome }> {
  const subscriber = await findSubscriber(delivery.addonId);
  if (!delivery.signature) throw new AppError("unauthorized", "Missing the Heroku-Webhook-Hmac-SHA256 header.");
  const secret = await openSecret(subscriber);
  if (!signatureMatches(delivery.signature, secret, delivery.rawBody)) {
    throw new AppError("unauthorized", "The Heroku-Webhook-Hmac-SHA256 signature does not match the body.");
  }
  const event = parseEvent(delivery.rawBody);
  const metadata = event.webhook_metadata;
  if (delivery.deliveryId !== null && delivery.deliveryId !== metadata.delivery.id) {
    throw new AppError("bad_request", "The Heroku-Webhook-Id header does not match the body's delivery id.");
  }
  if (metadata.event.id !== event.id) throw new AppError("bad_request", "The body's event id and its webhook_metadata disagree.");
  const nowMs = now.getTime();
  const createdMs = checkFreshness(event, nowMs);
  const effect = await effectOf(event, subscriber, createdMs, nowMs);

  await db.$transaction(async (tx) => {
    const taken = await tx.$executeRaw`
      INSERT INTO heroku_webhook_receipts (event_id, delivery_id, tenant_id, include, received_at)
      VALUES (${event.id}::uuid, ${metadata.delivery.id}::uuid, ${subscriber.id}::uuid, ${metadata.event.include}, ${now})
      ON CONFLICT DO NOTHING`;
    if (taken === 0) throw new AppError("conflict", "This delivery (or its event) was already received.");
    if (effect.manual) await tx.scaleEvent.create({ data: scaleEvent(subscriber.id, now, effect.manual) });
    await tx.tenant.update({ where: { id: subscriber.id }, data: { herokuWebhookCheckedAt: now, herokuWebhookProblem: null } });
  });
  try {
    await effect.note?.(nowMs);
  } catch (error) {
    // The event is recorded; without the note the next formation read catches up.
    log.warn({ tenantId: subscriber.id, err: error }, "could not note a webhook event for the next check");
  }
  return { tenantId: subscriber.id, eventId: event.id, outcome: effect.outcome };
}
