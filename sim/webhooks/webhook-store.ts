import { newId } from "../ids";

/** The entities Heroku's webhooks notify about (`include`), as its Dev Center lists them. */
export const webhookEntities = [
  "api:addon-attachment",
  "api:addon",
  "api:app",
  "api:build",
  "api:collaborator",
  "api:domain",
  "api:dyno",
  "api:formation",
  "api:release",
  "api:sni-endpoint",
  "dyno",
] as const;

export type WebhookLevel = "notify" | "sync";

/** One add-on webhook subscription (`POST /addons/{addon}/webhooks`). */
export interface SimWebhook {
  id: string;
  addonId: string;
  include: string[];
  level: WebhookLevel;
  url: string;
  /** Signs every delivery (`Heroku-Webhook-Hmac-SHA256`); generated when the partner sends none. */
  secret: string;
  /** Sent as the `Authorization` header of every delivery when set. */
  authorization: string | null;
  createdAtMs: number;
  updatedAtMs: number;
}

/** Who caused an event: a user, or an add-on acting as `<service>@addons.heroku.com`. */
export interface WebhookActor {
  id: string;
  email: string;
}

/** Something that happened to an app, as one add-on's webhooks see it. */
export interface SimWebhookEvent {
  id: string;
  addonId: string;
  include: string;
  action: "create" | "update" | "destroy";
  actor: WebhookActor;
  resource: string;
  data: Record<string, unknown>;
  previousData: Record<string, unknown>;
  createdAtMs: number;
  updatedAtMs: number;
}

export type DeliveryStatus = "pending" | "scheduled" | "retrying" | "failed" | "succeeded";

export interface DeliveryAttempt {
  id: string;
  code: number | null;
  errorClass: string | null;
  status: "scheduled" | "succeeded" | "failed";
  createdAtMs: number;
  updatedAtMs: number;
}

/** One event sent (or being sent) to one webhook, with its attempts so far. */
export interface SimWebhookDelivery {
  id: string;
  eventId: string;
  webhookId: string;
  addonId: string;
  status: DeliveryStatus;
  numAttempts: number;
  nextAttemptAtMs: number | null;
  lastAttempt: DeliveryAttempt | null;
  createdAtMs: number;
  updatedAtMs: number;
}

/** How many events and deliveries the sim keeps per add-on (Heroku keeps them for a while, then forgets). */
const KEPT_PER_ADDON = 500;

/** Add-on webhook subscriptions, the events published to them and their deliveries. */
export class WebhookStore {
  private readonly webhooks = new Map<string, SimWebhook>();
  private readonly events = new Map<string, SimWebhookEvent>();
  private readonly deliveries = new Map<string, SimWebhookDelivery>();

  create(input: Omit<SimWebhook, "id" | "createdAtMs" | "updatedAtMs">, nowMs: number): SimWebhook {
    const webhook: SimWebhook = { ...input, id: newId(), createdAtMs: nowMs, updatedAtMs: nowMs };
    this.webhooks.set(webhook.id, webhook);
    return webhook;
  }

  /** The add-on's webhook with this id, or undefined (another add-on's is not found either). */
  find(addonId: string, webhookId: string): SimWebhook | undefined {
    return ownedBy(this.webhooks, addonId, webhookId);
  }

  list(addonId: string): SimWebhook[] {
    return allOf(this.webhooks, addonId);
  }

  delete(webhookId: string): void {
    this.webhooks.delete(webhookId);
  }

  /** Forgets everything of an add-on (it was deprovisioned). */
  forgetAddon(addonId: string): void {
    for (const webhook of this.list(addonId)) this.webhooks.delete(webhook.id);
  }

  addEvent(input: Omit<SimWebhookEvent, "id" | "updatedAtMs">): SimWebhookEvent {
    const event: SimWebhookEvent = { ...input, id: newId(), updatedAtMs: input.createdAtMs };
    this.events.set(event.id, event);
    this.trim(this.events, input.addonId);
    return event;
  }

  findEvent(addonId: string, eventId: string): SimWebhookEvent | undefined {
    return ownedBy(this.events, addonId, eventId);
  }

  listEvents(addonId: string): SimWebhookEvent[] {
    return allOf(this.events, addonId);
  }

  addDelivery(event: SimWebhookEvent, webhook: SimWebhook, nowMs: number): SimWebhookDelivery {
    const delivery: SimWebhookDelivery = {
      id: newId(),
      eventId: event.id,
      webhookId: webhook.id,
      addonId: event.addonId,
      status: "pending",
      numAttempts: 0,
      nextAttemptAtMs: nowMs,
      lastAttempt: null,
      createdAtMs: nowMs,
      updatedAtMs: nowMs,
    };
    this.deliveries.set(delivery.id, delivery);
    this.trim(this.deliveries, event.addonId);
    return delivery;
  }

  findDelivery(addonId: string, deliveryId: string): SimWebhookDelivery | undefined {
    return ownedBy(this.deliveries, addonId, deliveryId);
  }

  listDeliveries(addonId: string): SimWebhookDelivery[] {
    return allOf(this.deliveries, addonId);
  }

  eventOf(delivery: SimWebhookDelivery): SimWebhookEvent | undefined {
    return this.events.get(delivery.eventId);
  }

  webhookOf(delivery: SimWebhookDelivery): SimWebhook | undefined {
    return this.webhooks.get(delivery.webhookId);
  }

  /** Keeps the newest KEPT_PER_ADDON entries of one add-on (Maps iterate in insertion order). */
  private trim<T extends { addonId: string }>(entries: Map<string, T>, addonId: string): void {
    const mine = [...entries.entries()].filter(([, entry]) => entry.addonId === addonId);
    for (const [id] of mine.slice(0, Math.max(0, mine.length - KEPT_PER_ADDON))) entries.delete(id);
  }
}

/** One add-on's record by id; another add-on's is not found, as Heroku answers. */
function ownedBy<T extends { addonId: string }>(records: Map<string, T>, addonId: string, id: string): T | undefined {
  const record = records.get(id);
  return record?.addonId === addonId ? record : undefined;
}

function allOf<T extends { addonId: string }>(records: Map<string, T>, addonId: string): T[] {
  return [...records.values()].filter((record) => record.addonId === addonId);
}
