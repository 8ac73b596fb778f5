import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { callApi, uniqueName } from "@/sim/testing/sim-test-kit";
import { useCheckedSim } from "@/tests/helpers/checked-sim";

/**
 * The simulated Heroku's add-on webhooks: the partner's subscription endpoints (every answer
 * checked against Heroku's schema by useCheckedSim), and deliveries of `api:formation` and
 * `api:dyno` events to a receiver on loopback, signed and retried as Heroku does.
 */

interface Received {
  headers: IncomingHttpHeaders;
  raw: string;
  body: { id: string; action: string; resource: string; data: Record<string, unknown>; previous_data: Record<string, unknown>; actor: { email: string }; webhook_metadata: { delivery: { id: string }; event: { id: string; include: string }; webhook: { id: string } } };
}

const webhookSchema = z.object({ id: z.uuid(), url: z.string(), include: z.array(z.string()), level: z.string(), addon: z.object({ id: z.string(), name: z.string() }) });
const deliverySchema = z.looseObject({ id: z.string(), status: z.string(), num_attempts: z.number(), next_attempt_at: z.string().nullable(), last_attempt: z.looseObject({ code: z.number().nullable(), status: z.string() }).nullable() });

describe("simulated Heroku: add-on webhooks", () => {
  const checked = useCheckedSim({ bootDelaySeconds: 5 });
  const received: Received[] = [];
  /** Status codes the receiver answers with, in turn; 204 once they run out. */
  const answers: number[] = [];
  let server: Server;
  let receiverUrl = "";

  beforeAll(async () => {
    server = createServer((req, res) => {
      let raw = "";
      req.on("data", (chunk: Buffer) => (raw += chunk.toString("utf8")));
      req.on("end", () => {
        received.push({ headers: req.headers, raw, body: JSON.parse(raw) as Received["body"] });
        res.writeHead(answers.shift() ?? 204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
    checked.harness.sim.registerAddonService({ name: "hookly", planPricesCents: { basic: 0 } });
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  /** An app with a provisioned hookly add-on, the add-on's own token and its owner's token. */
  async function addonApp() {
    const { sim } = checked.harness;
    const owner = sim.createAccount({ email: `${uniqueName("owner")}@example.com` });
    const app = await sim.createApp({ owner: owner.id, name: uniqueName("hooks"), processTypes: [{ type: "worker", quantity: 0 }] });
    const addon = sim.createAddon({ app: app.id, service: "hookly", plan: "basic" });
    sim.world.markAddonProvisioned(addon.id, null);
    const addonToken = sim.world.oauth.issueToken({ principal: { kind: "addon", addonId: addon.id, appId: app.id, userId: addon.userId }, scopes: ["global"] }).accessToken;
    return { app, addon, owner, addonToken, userToken: sim.issueToken(owner.id, ["global"]).accessToken };
  }

  async function delivered(): Promise<void> {
    await checked.harness.sim.world.webhookSender.settled();
  }

  it("lets only the add-on's partner create, list, show, update and delete its subscriptions", async () => {
    const { sim } = checked.harness;
    const { addon, addonToken, userToken } = await addonApp();
    const other = await addonApp();
    const base = `/addons/${addon.id}/webhooks`;

    const created = await callApi(sim.apiUrl, addonToken, "POST", base, { include: ["api:formation"], level: "notify", url: receiverUrl });
    expect(created.status).toBe(201);
    const webhook = webhookSchema.parse(created.body);
    expect(webhook).toMatchObject({ include: ["api:formation"], level: "notify", url: receiverUrl, addon: { id: addon.id, name: addon.name } });
    // No secret sent: Heroku makes one and shows it once.
    expect(created.headers.get("heroku-webhook-secret")).toMatch(/^[0-9a-f]{60}$/);

    expect((await callApi(sim.apiUrl, addonToken, "GET", base)).body).toEqual([created.body]);
    expect((await callApi(sim.apiUrl, addonToken, "GET", `${base}/${webhook.id}`)).body).toEqual(created.body);
    const updated = await callApi(sim.apiUrl, addonToken, "PATCH", `${base}/${webhook.id}`, { include: ["api:formation", "api:dyno"], level: "sync" });
    expect(updated.status).toBe(200);
    expect(webhookSchema.parse(updated.body)).toMatchObject({ include: ["api:formation", "api:dyno"], level: "sync" });

    // The app's owner is not the partner; nor is another add-on.
    expect((await callApi(sim.apiUrl, userToken, "GET", base)).status).toBe(403);
    expect((await callApi(sim.apiUrl, other.addonToken, "GET", base)).status).toBe(403);
    expect((await callApi(sim.apiUrl, other.addonToken, "GET", `/addons/${other.addon.id}/webhooks/${webhook.id}`)).status).toBe(404);
    // Bad input, as Heroku answers it.
    const badInclude = await callApi(sim.apiUrl, addonToken, "POST", base, { include: ["api:nonsense"], level: "sync", url: `${receiverUrl}/2` });
    expect(badInclude.status).toBe(422);
    expect(badInclude.body).toMatchObject({ id: "invalid_params" });
    expect((await callApi(sim.apiUrl, addonToken, "POST", base, { include: ["api:dyno"], level: "sync" })).status).toBe(422);
    expect((await callApi(sim.apiUrl, addonToken, "POST", base, { include: ["api:dyno"], level: "sync", url: receiverUrl })).status).toBe(422);

    expect((await callApi(sim.apiUrl, addonToken, "DELETE", `${base}/${webhook.id}`)).status).toBe(200);
    expect((await callApi(sim.apiUrl, addonToken, "GET", `${base}/${webhook.id}`)).status).toBe(404);
    expect((await callApi(sim.apiUrl, addonToken, "GET", base)).body).toEqual([]);

    // A deprovisioned add-on's subscriptions go with it.
    await callApi(sim.apiUrl, addonToken, "POST", base, { include: ["api:formation"], level: "sync", url: receiverUrl, secret: "k" });
    expect((await callApi(sim.apiUrl, addonToken, "POST", `/addons/${addon.id}/actions/deprovision`)).status).toBe(200);
    expect(sim.world.webhooks.list(addon.id)).toEqual([]);
  });

  it("delivers a `heroku ps:scale` as a signed api:formation update, and the dynos' api:dyno events", async () => {
    const { sim, clock } = checked.harness;
    const { app, addon, owner, addonToken, userToken } = await addonApp();
    const secret = "s3cret-for-hookly";
    const created = await callApi(sim.apiUrl, addonToken, "POST", `/addons/${addon.id}/webhooks`, {
      include: ["api:formation", "api:dyno"],
      level: "sync",
      url: receiverUrl,
      secret,
    });
    const webhook = webhookSchema.parse(created.body);
    expect(created.headers.get("heroku-webhook-secret")).toBeNull();
    received.length = 0;

    // What `heroku ps:scale worker=2` sends: a batch update with the quantity as a string.
    const scaled = await callApi(sim.apiUrl, userToken, "PATCH", `/apps/${app.name}/formation`, { updates: [{ type: "worker", quantity: "2" }] });
    expect(scaled.status).toBe(200);
    await delivered();
    await clock.advanceSeconds(5);
    await delivered();

    const formation = received.filter((r) => r.body.webhook_metadata.event.include === "api:formation");
    expect(formation).toHaveLength(1);
    const [event] = formation;
    expect(event?.body).toMatchObject({
      action: "update",
      resource: "formation",
      actor: { email: owner.email, id: owner.id },
      data: { type: "worker", quantity: 2, app: { id: app.id, name: app.name } },
      previous_data: { quantity: 0 },
      version: "application/vnd.heroku+json; version=3",
      webhook_metadata: { webhook: { id: webhook.id }, event: { id: event?.body.id, include: "api:formation" } },
    });
    expect(event?.headers["content-type"]).toBe("application/json");
    expect(event?.headers["heroku-webhook-id"]).toBe(event?.body.webhook_metadata.delivery.id);
    expect(event?.headers["heroku-webhook-hmac-sha256"]).toBe(createHmac("sha256", secret).update(event?.raw ?? "").digest("base64"));

    const dynoEvents = received.filter((r) => r.body.webhook_metadata.event.include === "api:dyno").map((r) => [r.body.action, r.body.data.name, r.body.data.state]);
    expect(dynoEvents).toEqual(
      expect.arrayContaining([
        ["create", "worker.1", "starting"],
        ["create", "worker.2", "starting"],
        ["update", "worker.1", "up"],
        ["update", "worker.2", "up"],
      ]),
    );

    // Heroku's records of it: the events and their deliveries, all succeeded.
    const events = await callApi(sim.apiUrl, addonToken, "GET", `/addons/${addon.id}/webhook-events`);
    expect(z.array(z.object({ id: z.string() }).loose()).parse(events.body).map((e) => e.id)).toContain(event?.body.id);
    const one = await callApi(sim.apiUrl, addonToken, "GET", `/addons/${addon.id}/webhook-events/${event?.body.id}`);
    expect(one.body).toMatchObject({ include: "api:formation", payload: { action: "update", resource: "formation", previous_data: { quantity: 0 } } });
    const deliveries = z.array(deliverySchema).parse((await callApi(sim.apiUrl, addonToken, "GET", `/addons/${addon.id}/webhook-deliveries`)).body);
    expect(deliveries.length).toBe(received.length);
    expect(deliveries.every((d) => d.status === "succeeded" && d.num_attempts === 1 && d.last_attempt?.code === 204)).toBe(true);

    // A change made through the simulator's admin API is delivered the same way.
    received.length = 0;
    const admin = await fetch(`${sim.adminUrl}/apps/${app.name}/formation`, { method: "PATCH", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ updates: [{ type: "worker", quantity: 1 }] }) });
    expect(admin.status).toBe(200);
    await delivered();
    expect(received.find((r) => r.body.resource === "formation")?.body).toMatchObject({ data: { quantity: 1 }, previous_data: { quantity: 2 } });
  });

  it("retries a sync delivery with backoff until it is accepted, and tries a notify delivery once", async () => {
    const { sim, clock } = checked.harness;
    const { app, addon, addonToken, userToken } = await addonApp();
    await callApi(sim.apiUrl, addonToken, "POST", `/addons/${addon.id}/webhooks`, { include: ["api:formation"], level: "sync", url: receiverUrl, secret: "k" });
    received.length = 0;
    answers.push(500, 503);
    await callApi(sim.apiUrl, userToken, "PATCH", `/apps/${app.name}/formation/worker`, { quantity: 3 });
    await delivered();
    const deliveriesUrl = `/addons/${addon.id}/webhook-deliveries`;
    const [first] = z.array(deliverySchema).parse((await callApi(sim.apiUrl, addonToken, "GET", deliveriesUrl)).body);
    expect(first).toMatchObject({ status: "retrying", num_attempts: 1, last_attempt: { code: 500, status: "failed" } });
    // Heroku's times have whole seconds.
    expect(Math.abs(Date.parse(first?.next_attempt_at ?? "") - (clock.now() + 10_000))).toBeLessThan(1000);

    await clock.advanceSeconds(10);
    await delivered();
    const second = deliverySchema.parse((await callApi(sim.apiUrl, addonToken, "GET", `${deliveriesUrl}/${first?.id}`)).body);
    expect(second).toMatchObject({ status: "retrying", num_attempts: 2, last_attempt: { code: 503 } });
    expect(Math.abs(Date.parse(second.next_attempt_at ?? "") - (clock.now() + 20_000))).toBeLessThan(1000);

    await clock.advanceSeconds(20);
    await delivered();
    const third = deliverySchema.parse((await callApi(sim.apiUrl, addonToken, "GET", `${deliveriesUrl}/${first?.id}`)).body);
    expect(third).toMatchObject({ status: "succeeded", num_attempts: 3, next_attempt_at: null, last_attempt: { code: 204, status: "succeeded" } });
    // The same delivery each time: one id, one event, a new attempt id.
    expect(new Set(received.map((r) => r.body.webhook_metadata.delivery.id)).size).toBe(1);
    expect(new Set(received.map((r) => r.raw)).size).toBe(3);

    const notify = await addonApp();
    await callApi(sim.apiUrl, notify.addonToken, "POST", `/addons/${notify.addon.id}/webhooks`, { include: ["api:formation"], level: "notify", url: receiverUrl, secret: "k" });
    answers.push(500);
    await callApi(sim.apiUrl, notify.userToken, "PATCH", `/apps/${notify.app.name}/formation/worker`, { quantity: 1 });
    await delivered();
    await clock.advanceSeconds(3600);
    await delivered();
    const [once] = z.array(deliverySchema).parse((await callApi(sim.apiUrl, notify.addonToken, "GET", `/addons/${notify.addon.id}/webhook-deliveries`)).body);
    expect(once).toMatchObject({ status: "failed", num_attempts: 1, next_attempt_at: null });
  });
});
