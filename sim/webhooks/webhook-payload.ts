import { createHmac } from "node:crypto";
import { isoTime } from "../ids";
import type { SimAddon } from "../world/addons";
import type { DeliveryAttempt, SimWebhook, SimWebhookDelivery, SimWebhookEvent } from "./webhook-store";

/** What Heroku puts in `version`: the media type of the resource in `data`. */
const PAYLOAD_VERSION = "application/vnd.heroku+json; version=3";

/** `Heroku-Webhook-Hmac-SHA256`: base64 of the HMAC-SHA256 of the raw body, keyed by the webhook's secret. */
export function signWebhookBody(secret: string, rawBody: string): string {
  return createHmac("sha256", secret).update(rawBody, "utf8").digest("base64");
}

/** The JSON body of one delivery attempt, as Heroku's webhook notifications look. */
export function webhookPayload(event: SimWebhookEvent, delivery: SimWebhookDelivery, attempt: DeliveryAttempt, webhook: SimWebhook, nowMs: number) {
  return {
    id: event.id,
    created_at: isoTime(event.createdAtMs),
    action: event.action,
    actor: event.actor,
    resource: event.resource,
    data: event.data,
    previous_data: event.previousData,
    published_at: isoTime(nowMs),
    sequence: null,
    updated_at: isoTime(event.updatedAtMs),
    version: PAYLOAD_VERSION,
    webhook_metadata: {
      attempt: { id: attempt.id },
      delivery: { id: delivery.id },
      event: { id: event.id, include: event.include },
      webhook: { id: webhook.id },
    },
  };
}

/** `add-on-webhook` (its `addon_webhook` definition); the secret is never shown again. */
export function presentAddonWebhook(webhook: SimWebhook, addon: SimAddon) {
  return {
    addon: { id: addon.id, name: addon.name },
    created_at: isoTime(webhook.createdAtMs),
    id: webhook.id,
    include: webhook.include,
    level: webhook.level,
    updated_at: isoTime(webhook.updatedAtMs),
    url: webhook.url,
  };
}

/** `app-webhook-event`, which the add-on webhook event endpoints answer with. */
export function presentWebhookEvent(event: SimWebhookEvent) {
  return {
    created_at: isoTime(event.createdAtMs),
    id: event.id,
    include: event.include,
    payload: {
      action: event.action,
      actor: event.actor,
      data: event.data,
      previous_data: event.previousData,
      resource: event.resource,
      version: PAYLOAD_VERSION,
    },
    updated_at: isoTime(event.updatedAtMs),
  };
}

/** `app-webhook-delivery`, which the add-on webhook delivery endpoints answer with. */
export function presentWebhookDelivery(delivery: SimWebhookDelivery, event: SimWebhookEvent | undefined, webhook: SimWebhook | undefined) {
  const attempt = delivery.lastAttempt;
  return {
    created_at: isoTime(delivery.createdAtMs),
    event: { id: delivery.eventId, include: event?.include ?? "" },
    id: delivery.id,
    num_attempts: delivery.numAttempts,
    next_attempt_at: delivery.nextAttemptAtMs === null ? null : isoTime(delivery.nextAttemptAtMs),
    last_attempt: attempt
      ? {
          id: attempt.id,
          code: attempt.code,
          error_class: attempt.errorClass,
          status: attempt.status,
          created_at: isoTime(attempt.createdAtMs),
          updated_at: isoTime(attempt.updatedAtMs),
        }
      : null,
    status: delivery.status,
    updated_at: isoTime(delivery.updatedAtMs),
    webhook: { id: delivery.webhookId, level: webhook?.level ?? "notify" },
  };
}
