import { createHmac, randomUUID } from "node:crypto";
import { NextRequest } from "next/server";

/**
 * Heroku webhook deliveries for tests that call the receiving route directly: a formation
 * update event as Heroku's body has it, signed the way Heroku signs (base64 HMAC-SHA256 of
 * the raw body with the subscription's secret).
 */

export function formationUpdateEvent(input: { appId: string; type?: string; from: number; to: number; createdAt?: Date; email?: string }) {
  const eventId = randomUUID();
  return {
    id: eventId,
    created_at: (input.createdAt ?? new Date()).toISOString().replace(/\.\d{3}Z$/, "Z"),
    action: "update",
    actor: { id: randomUUID(), email: input.email ?? "someone@example.com" },
    resource: "formation",
    data: { app: { id: input.appId, name: "an-app" }, type: input.type ?? "worker", quantity: input.to, size: "Standard-1X", command: "bundle exec sidekiq" },
    previous_data: { quantity: input.from },
    published_at: null,
    sequence: null,
    version: "application/vnd.heroku+json; version=3",
    webhook_metadata: {
      attempt: { id: randomUUID() },
      delivery: { id: randomUUID() },
      event: { id: eventId, include: "api:formation" },
      webhook: { id: randomUUID() },
    },
  };
}

export function signBody(secret: string, raw: string | Buffer): string {
  return createHmac("sha256", secret).update(raw).digest("base64");
}

/** A POST to `/api/heroku/webhooks/{addonId}`; the signature is the body's unless one is given. */
export function webhookRequest(addonId: string, raw: string, secret: string, headers: Record<string, string> = {}): NextRequest {
  const deliveryId = (() => {
    try {
      return String((JSON.parse(raw) as { webhook_metadata: { delivery: { id: string } } }).webhook_metadata.delivery.id);
    } catch {
      return randomUUID();
    }
  })();
  return new NextRequest(new URL(`/api/heroku/webhooks/${addonId}`, "http://localhost:3000"), {
    method: "POST",
    headers: { "content-type": "application/json", "heroku-webhook-hmac-sha256": signBody(secret, raw), "heroku-webhook-id": deliveryId, ...headers },
    body: raw,
  });
}
