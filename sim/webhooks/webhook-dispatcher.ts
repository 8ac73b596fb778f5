import type { Logger } from "@/lib/log";
import type { SimClock } from "../clock";
import { newId } from "../ids";
import type { SimAddon } from "../world/addons";
import type { SimApp } from "../world/apps";
import { signWebhookBody, webhookPayload } from "./webhook-payload";
import type { DeliveryAttempt, SimWebhookDelivery, SimWebhookEvent, WebhookActor, WebhookStore } from "./webhook-store";

/** How long one delivery attempt may take before it counts as failed. */
const ATTEMPT_TIMEOUT_MS = 30_000;
/** Heroku retries a `sync` delivery for up to 72 hours after the event. */
const RETRY_WINDOW_MS = 72 * 3_600_000;
/** The first retry's delay; each next one doubles, up to an hour. */
const FIRST_RETRY_MS = 10_000;
const MAX_RETRY_MS = 3_600_000;

export interface PublishInput {
  app: SimApp;
  include: "api:formation" | "api:dyno";
  action: SimWebhookEvent["action"];
  resource: string;
  actor: WebhookActor;
  data: Record<string, unknown>;
  previousData?: Record<string, unknown>;
}

/** Delay before retry number `failedAttempts` (1 after the first failure). */
export function retryDelayMs(failedAttempts: number): number {
  return Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, failedAttempts - 1));
}

/** Why an attempt failed without an HTTP answer: fetch's cause (ECONNREFUSED, a timeout) when it has one. */
function errorClassOf(error: unknown): string {
  if (!(error instanceof Error)) return "Error";
  const cause = error.cause as { code?: unknown } | undefined;
  return typeof cause?.code === "string" ? cause.code : error.name;
}

/**
 * Sends add-on webhook events as Heroku does: for each live add-on of the app whose
 * subscriptions include the entity, one event and one delivery per subscription, POSTed as
 * JSON signed with the subscription's secret. A `notify` delivery is tried once; a `sync` one
 * is retried on any answer but 2xx (or none), with a doubling delay, for up to 72 hours.
 */
export class WebhookDispatcher {
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly deps: {
      store: WebhookStore;
      clock: SimClock;
      liveAddonsOf: (appId: string) => SimAddon[];
      logger: Logger;
    },
  ) {}

  publish(input: PublishInput): SimWebhookDelivery[] {
    const { store, clock } = this.deps;
    const deliveries: SimWebhookDelivery[] = [];
    for (const addon of this.deps.liveAddonsOf(input.app.id)) {
      const subscribed = store.list(addon.id).filter((webhook) => webhook.include.includes(input.include));
      if (subscribed.length === 0) continue;
      const event = store.addEvent({
        addonId: addon.id,
        include: input.include,
        action: input.action,
        actor: input.actor,
        resource: input.resource,
        data: input.data,
        previousData: input.previousData ?? {},
        createdAtMs: clock.now(),
      });
      for (const webhook of subscribed) {
        const delivery = store.addDelivery(event, webhook, clock.now());
        deliveries.push(delivery);
        this.attempt(delivery);
      }
    }
    return deliveries;
  }

  /** Resolves once no delivery attempt is in flight (retries waiting on the clock are not in flight). */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private attempt(delivery: SimWebhookDelivery): void {
    const sending: Promise<void> = this.send(delivery)
      .catch((error: unknown) => this.deps.logger.warn({ err: error, delivery: delivery.id }, "simulated webhook delivery failed"))
      .finally(() => this.inFlight.delete(sending));
    this.inFlight.add(sending);
  }

  private async send(delivery: SimWebhookDelivery): Promise<void> {
    const { store, clock } = this.deps;
    const event = store.eventOf(delivery);
    const webhook = store.webhookOf(delivery);
    const startedMs = clock.now();
    if (!event || !webhook) {
      // The subscription was removed (or the event forgotten) while a retry waited.
      Object.assign(delivery, { status: "failed", nextAttemptAtMs: null, updatedAtMs: startedMs });
      return;
    }
    const attempt: DeliveryAttempt = { id: newId(), code: null, errorClass: null, status: "scheduled", createdAtMs: startedMs, updatedAtMs: startedMs };
    Object.assign(delivery, { lastAttempt: attempt, numAttempts: delivery.numAttempts + 1, nextAttemptAtMs: null, updatedAtMs: startedMs });

    const body = JSON.stringify(webhookPayload(event, delivery, attempt, webhook, startedMs));
    const headers: Record<string, string> = {
      "Content-Type": "application/json",
      "Heroku-Webhook-Hmac-SHA256": signWebhookBody(webhook.secret, body),
      "Heroku-Webhook-Id": delivery.id,
    };
    if (webhook.authorization) headers.Authorization = webhook.authorization;
    let succeeded = false;
    try {
      const response = await fetch(webhook.url, { method: "POST", headers, body, redirect: "manual", signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS) });
      await response.arrayBuffer();
      attempt.code = response.status;
      succeeded = response.status >= 200 && response.status < 300;
    } catch (error) {
      attempt.errorClass = errorClassOf(error);
    }

    const doneMs = clock.now();
    Object.assign(attempt, { status: succeeded ? "succeeded" : "failed", updatedAtMs: doneMs });
    delivery.updatedAtMs = doneMs;
    const delayMs = retryDelayMs(delivery.numAttempts);
    if (succeeded) {
      delivery.status = "succeeded";
    } else if (webhook.level === "sync" && doneMs + delayMs - event.createdAtMs <= RETRY_WINDOW_MS) {
      delivery.status = "retrying";
      delivery.nextAttemptAtMs = doneMs + delayMs;
      clock.setTimer(delayMs, () => this.attempt(delivery));
    } else {
      delivery.status = "failed";
    }
  }
}
