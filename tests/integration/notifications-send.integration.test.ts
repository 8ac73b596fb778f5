import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "@/lib/db/client";
import { saveNotificationSettings, getNotificationSettings } from "@/lib/notifications/notification-settings";
import { sendNotification } from "@/lib/notifications/send-notification";

/** Webhook deliveries to a local endpoint, email recorded as "would send", repeats throttled. */
let server: Server;
let webhookUrl = "";
const received: unknown[] = [];

beforeAll(async () => {
  server = createServer((request, reply) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      received.push(JSON.parse(body));
      reply.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/secret-path`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await disconnectDb();
});

async function tenant(plan: string): Promise<string> {
  const created = await db.tenant.create({ data: { channel: "direct", appName: `notify-${randomUUID().slice(0, 8)}`, plan, state: "active" }, select: { id: true } });
  return created.id;
}

describe("sendNotification", () => {
  it("posts JSON to the webhook, records email as would-send, and throttles repeats", async () => {
    const tenantId = await tenant("standard");
    const view = await saveNotificationSettings(tenantId, { emails: ["ops@example.com"], webhookUrl, removeWebhook: false, onFailure: true, onMax: true });
    expect(view).toEqual({ emails: ["ops@example.com"], webhookHost: new URL(webhookUrl).host, onFailure: true, onMax: true });
    const stored = await db.notificationSetting.findUniqueOrThrow({ where: { tenantId }, select: { webhookUrlSealed: true } });
    expect(stored.webhookUrlSealed).not.toContain("secret-path");

    const event = { tenantId, kind: "failure" as const, processType: "worker", message: "Heroku answered 422", occurredAt: new Date() };
    const results = await sendNotification(event, { allowPrivateAddresses: true });
    expect(results).toEqual([
      { channel: "email", status: "would_send", detail: "no mail transport configured; to ops@example.com" },
      { channel: "webhook", status: "sent", detail: null },
    ]);
    expect(received.at(-1)).toMatchObject({ text: expect.stringContaining("Heroku answered 422"), ebbflow: { kind: "failure", processType: "worker" } });
    expect(await sendNotification(event, { allowPrivateAddresses: true })).toEqual([]);
    expect(await db.notificationDelivery.count({ where: { tenantId } })).toBe(2);
  });

  it("refuses a private webhook address in production mode and records the failure", async () => {
    const tenantId = await tenant("pro");
    await saveNotificationSettings(tenantId, { emails: [], webhookUrl, removeWebhook: false, onFailure: true, onMax: false });
    const results = await sendNotification({ tenantId, kind: "failure", processType: null, message: "x", occurredAt: new Date() }, { allowPrivateAddresses: false });
    expect(results).toEqual([{ channel: "webhook", status: "failed", detail: expect.stringMatching(/loopback|private|refus/i) }]);
    expect(await sendNotification({ tenantId, kind: "max", processType: "worker", message: "x", occurredAt: new Date() }, { allowPrivateAddresses: true })).toEqual([]);
  });

  it("sends nothing on the Hobby plan, and forgets a removed webhook", async () => {
    const tenantId = await tenant("hobby");
    await saveNotificationSettings(tenantId, { emails: ["a@example.com"], webhookUrl, removeWebhook: false, onFailure: true, onMax: true });
    expect(await sendNotification({ tenantId, kind: "failure", processType: null, message: "x", occurredAt: new Date() })).toEqual([]);
    await saveNotificationSettings(tenantId, { emails: [], webhookUrl: undefined, removeWebhook: true, onFailure: true, onMax: true });
    expect((await getNotificationSettings(tenantId)).webhookHost).toBeNull();
  });
});
