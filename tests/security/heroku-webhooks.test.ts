import { randomBytes, randomUUID } from "node:crypto";
import { NextRequest } from "next/server";
import { afterAll, describe, expect, it } from "vitest";
import { POST as receive } from "@/app/api/heroku/webhooks/[addonId]/route";
import { keyringFrom, seal } from "@/lib/crypto";
import { db, disconnectDb } from "@/lib/db/client";
import { disconnectWebRedis } from "@/lib/redis/connection";
import { formationUpdateEvent, signBody, webhookRequest } from "@/tests/helpers/heroku-webhook-requests";

/**
 * Heroku's webhook deliveries reach Ebbflow from the internet: only a body signed with the
 * tenant's own secret, recent and never seen before, may record anything. Every attack here
 * must answer 4xx (503 for a secret Ebbflow cannot open) and leave no trace.
 */

afterAll(async () => {
  await disconnectWebRedis();
  await disconnectDb();
});

interface Subscribed {
  tenantId: string;
  addonId: string;
  appId: string;
  secret: string;
}

async function subscribedTenant(secretSealed?: string): Promise<Subscribed> {
  const secret = randomBytes(32).toString("hex");
  const addonId = randomUUID();
  const appId = randomUUID();
  const tenant = await db.tenant.create({
    data: {
      channel: "heroku",
      herokuResourceId: addonId,
      herokuAppId: appId,
      appName: `hooks-${randomBytes(3).toString("hex")}`,
      plan: "standard",
      state: "active",
      herokuWebhookId: randomUUID(),
      herokuWebhookSecretSealed: secretSealed ?? seal(secret).value,
      processRules: { create: { processType: "worker", minDynos: 0, maxDynos: 5 } },
    },
    select: { id: true },
  });
  return { tenantId: tenant.id, addonId, appId, secret };
}

function send(addonId: string, request: NextRequest): Promise<Response> {
  return receive(request, { params: Promise.resolve({ addonId }) });
}

async function traces(tenantId: string) {
  const [events, receipts] = await Promise.all([db.scaleEvent.count({ where: { tenantId } }), db.herokuWebhookReceipt.count({ where: { tenantId } })]);
  return { events, receipts };
}

describe("Heroku webhook deliveries", () => {
  it("records a genuine delivery at once, as a change by hand (the control for every refusal below)", async () => {
    const tenant = await subscribedTenant();
    const raw = JSON.stringify(formationUpdateEvent({ appId: tenant.appId, from: 1, to: 4, email: "ops@example.com" }));
    const response = await send(tenant.addonId, webhookRequest(tenant.addonId, raw, tenant.secret));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true, outcome: "manual_change" });
    const event = await db.scaleEvent.findFirstOrThrow({ where: { tenantId: tenant.tenantId } });
    expect(event).toMatchObject({ outcome: "manual", fromQuantity: 1, toQuantity: 4, reason: "worker 1 → 4: changed on Heroku by ops@example.com" });
    expect(await traces(tenant.tenantId)).toEqual({ events: 1, receipts: 1 });
  });

  it("refuses a forged signature (401) and a delivery without one (401)", async () => {
    const tenant = await subscribedTenant();
    const raw = JSON.stringify(formationUpdateEvent({ appId: tenant.appId, from: 1, to: 9 }));
    const forged = await send(tenant.addonId, webhookRequest(tenant.addonId, raw, tenant.secret, { "heroku-webhook-hmac-sha256": signBody("guessed", raw) }));
    expect(forged.status).toBe(401);
    expect(await forged.json()).toMatchObject({ error: { code: "unauthorized", message: expect.stringMatching(/signature does not match/) } });
    // The right signature of another body.
    const swapped = await send(tenant.addonId, webhookRequest(tenant.addonId, raw.replace('"quantity":9', '"quantity":10'), tenant.secret, { "heroku-webhook-hmac-sha256": signBody(tenant.secret, raw) }));
    expect(swapped.status).toBe(401);
    const unsigned = webhookRequest(tenant.addonId, raw, tenant.secret);
    unsigned.headers.delete("heroku-webhook-hmac-sha256");
    expect((await send(tenant.addonId, unsigned)).status).toBe(401);
    expect(await traces(tenant.tenantId)).toEqual({ events: 0, receipts: 0 });
  });

  it("refuses a replayed delivery, and the same event under a new delivery id (409)", async () => {
    const tenant = await subscribedTenant();
    const event = formationUpdateEvent({ appId: tenant.appId, from: 2, to: 3 });
    const raw = JSON.stringify(event);
    expect((await send(tenant.addonId, webhookRequest(tenant.addonId, raw, tenant.secret))).status).toBe(200);
    const replay = await send(tenant.addonId, webhookRequest(tenant.addonId, raw, tenant.secret));
    expect(replay.status).toBe(409);
    expect(await replay.json()).toMatchObject({ error: { code: "conflict" } });
    const redelivered = JSON.stringify({ ...event, webhook_metadata: { ...event.webhook_metadata, delivery: { id: randomUUID() } } });
    expect((await send(tenant.addonId, webhookRequest(tenant.addonId, redelivered, tenant.secret))).status).toBe(409);
    expect(await traces(tenant.tenantId)).toEqual({ events: 1, receipts: 1 });
  });

  it("refuses an event older than 15 minutes, or from the future, even when signed (400)", async () => {
    const tenant = await subscribedTenant();
    for (const createdAt of [new Date(Date.now() - 16 * 60_000), new Date(Date.now() + 10 * 60_000)]) {
      const raw = JSON.stringify(formationUpdateEvent({ appId: tenant.appId, from: 0, to: 1, createdAt }));
      const response = await send(tenant.addonId, webhookRequest(tenant.addonId, raw, tenant.secret));
      expect(response.status).toBe(400);
    }
    expect(await traces(tenant.tenantId)).toEqual({ events: 0, receipts: 0 });
  });

  it("refuses another tenant's add-on id with a body signed with a different secret (401)", async () => {
    const victim = await subscribedTenant();
    const attacker = await subscribedTenant();
    const raw = JSON.stringify(formationUpdateEvent({ appId: victim.appId, from: 1, to: 0 }));
    // Signed correctly, with the attacker's own secret, and sent to the victim's path.
    const response = await send(victim.addonId, webhookRequest(victim.addonId, raw, attacker.secret));
    expect(response.status).toBe(401);
    expect(await traces(victim.tenantId)).toEqual({ events: 0, receipts: 0 });
    expect(await traces(attacker.tenantId)).toEqual({ events: 0, receipts: 0 });
  });

  it("refuses an event about another app, signed with this tenant's secret (422)", async () => {
    const tenant = await subscribedTenant();
    const raw = JSON.stringify(formationUpdateEvent({ appId: randomUUID(), from: 1, to: 7 }));
    expect((await send(tenant.addonId, webhookRequest(tenant.addonId, raw, tenant.secret))).status).toBe(422);
    expect(await traces(tenant.tenantId)).toEqual({ events: 0, receipts: 0 });
  });

  it("refuses a huge body while reading it (413), before looking anything up", async () => {
    const tenant = await subscribedTenant();
    const huge = JSON.stringify({ ...formationUpdateEvent({ appId: tenant.appId, from: 1, to: 2 }), padding: "x".repeat(2 * 1024 * 1024) });
    const response = await send(tenant.addonId, webhookRequest(tenant.addonId, huge, tenant.secret));
    expect(response.status).toBe(413);
    expect(await traces(tenant.tenantId)).toEqual({ events: 0, receipts: 0 });
  });

  it("refuses malformed JSON (400) and a well-formed body that is not an event (422), even when signed", async () => {
    const tenant = await subscribedTenant();
    const malformed = await send(tenant.addonId, webhookRequest(tenant.addonId, '{"id": "', tenant.secret));
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: { code: "bad_request" } });
    const notAnEvent = await send(tenant.addonId, webhookRequest(tenant.addonId, JSON.stringify({ hello: "world" }), tenant.secret));
    expect(notAnEvent.status).toBe(422);
    const event = formationUpdateEvent({ appId: tenant.appId, from: 1, to: 2 });
    const badQuantity = JSON.stringify({ ...event, data: { ...event.data, quantity: -3 } });
    expect((await send(tenant.addonId, webhookRequest(tenant.addonId, badQuantity, tenant.secret))).status).toBe(422);
    expect(await traces(tenant.tenantId)).toEqual({ events: 0, receipts: 0 });
  });

  it("answers 404 for an add-on it does not know, or that is not a uuid", async () => {
    const raw = JSON.stringify(formationUpdateEvent({ appId: randomUUID(), from: 1, to: 2 }));
    for (const addonId of [randomUUID(), "not-a-uuid", "../../etc"]) {
      const response = await send(addonId, webhookRequest(randomUUID(), raw, "any"));
      expect(response.status).toBe(404);
    }
  });

  it("answers 404 once the add-on is deprovisioned, its secret forgotten", async () => {
    const { endTenant } = await import("@/lib/tenants/deprovision-tenant");
    const tenant = await subscribedTenant();
    await endTenant(tenant.tenantId, { actor: "heroku", via: "heroku" });
    const raw = JSON.stringify(formationUpdateEvent({ appId: tenant.appId, from: 1, to: 2 }));
    expect((await send(tenant.addonId, webhookRequest(tenant.addonId, raw, tenant.secret))).status).toBe(404);
    const row = await db.tenant.findUniqueOrThrow({ where: { id: tenant.tenantId }, select: { herokuWebhookSecretSealed: true } });
    expect(row.herokuWebhookSecretSealed).toBeNull();
    expect(await traces(tenant.tenantId)).toEqual({ events: 0, receipts: 0 });
  });

  it("answers 503 when the tenant's secret cannot be opened, and marks the subscription for renewal", async () => {
    const lostKey = keyringFrom([randomBytes(32).toString("base64")]);
    const tenant = await subscribedTenant(seal("a secret sealed with a key Ebbflow no longer has", lostKey).value);
    const raw = JSON.stringify(formationUpdateEvent({ appId: tenant.appId, from: 1, to: 2 }));
    const response = await send(tenant.addonId, webhookRequest(tenant.addonId, raw, "a secret sealed with a key Ebbflow no longer has"));
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("60");
    const row = await db.tenant.findUniqueOrThrow({ where: { id: tenant.tenantId }, select: { herokuWebhookProblem: true, herokuWebhookCheckedAt: true } });
    expect(row.herokuWebhookProblem).toMatch(/cannot be decrypted/);
    expect(row.herokuWebhookCheckedAt).toBeNull();
    expect(await traces(tenant.tenantId)).toEqual({ events: 0, receipts: 0 });
  });
});
