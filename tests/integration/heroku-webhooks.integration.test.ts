import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";
import { callApi, uniqueName } from "@/sim/testing/sim-test-kit";
import { startSim, type Sim } from "@/sim/start-sim";
import { serveRoutes } from "@/tests/helpers/serve-routes";

/**
 * Ebbflow and the simulated Heroku over real HTTP: the add-on is provisioned through the sim
 * (`heroku addons:create`), Ebbflow subscribes to its webhooks, and a `heroku ps:scale` made
 * with the customer's own token shows in Ebbflow's scale events within seconds.
 */

const testEnv = parseEnv({ ...process.env, NODE_ENV: "test" });
const redis = new Redis(testEnv.REDIS_URL);
let sim: Sim;
let served: Awaited<ReturnType<typeof serveRoutes>>;

beforeAll(async () => {
  sim = await startSim({ port: 0, bootDelaySeconds: 1, shutdownGraceSeconds: 1 });
  // Handlers load on first use, after the environment below points Ebbflow at the sim and at itself.
  served = await serveRoutes([
    { method: "POST", pattern: "/heroku/resources", handler: async (request, context) => (await import("@/app/heroku/resources/route")).POST(request, context as never) },
    { method: "POST", pattern: "/api/heroku/webhooks/:addonId", handler: async (request, context) => (await import("@/app/api/heroku/webhooks/[addonId]/route")).POST(request, context as never) },
  ]);
  process.env.HEROKU_API_URL = sim.apiUrl;
  process.env.HEROKU_ID_URL = sim.idUrl;
  process.env.APP_URL = served.baseUrl;
  // Loaded now, as a running web process has them, so the timing below measures the delivery and not a cold import.
  await Promise.all([import("@/app/heroku/resources/route"), import("@/app/api/heroku/webhooks/[addonId]/route")]);
  sim.registerAddonService({
    name: testEnv.HEROKU_ADDON_ID,
    clientSecret: testEnv.HEROKU_PARTNER_CLIENT_SECRET,
    planPricesCents: { hobby: 0, standard: 2900, pro: 9900 },
    partner: { baseUrl: served.baseUrl, password: testEnv.HEROKU_ADDON_PASSWORD, ssoSalt: testEnv.HEROKU_SSO_SALT },
  });
});

afterAll(async () => {
  await sim?.close();
  await served?.close();
  await redis.quit();
  const [{ disconnectDb }, { disconnectWebRedis }, { closeQueue }] = await Promise.all([import("@/lib/db/client"), import("@/lib/redis/connection"), import("@/lib/jobs/enqueue")]);
  await closeQueue();
  await disconnectWebRedis();
  await disconnectDb();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, read: () => Promise<T | null | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/** An app on the sim with Ebbflow provisioned the way `heroku addons:create ebbflow:standard` does, and subscribed. */
async function provisionedApp() {
  const { db } = await import("@/lib/db/client");
  const { exchangeGrant } = await import("@/lib/tenants/exchange-grant");
  const { ensureWebhookSubscription } = await import("@/lib/heroku-webhooks/subscribe-webhooks");
  const owner = sim.createAccount({ email: `${uniqueName("owner")}@example.com` });
  const app = await sim.createApp({ owner: owner.id, name: uniqueName("hooked"), processTypes: [{ type: "worker", quantity: 0 }] });
  const userToken = sim.issueToken(owner.id, ["global"]).accessToken;
  const created = await callApi(sim.apiUrl, userToken, "POST", `/apps/${app.name}/addons`, { plan: `${testEnv.HEROKU_ADDON_ID}:standard` });
  expect(created.status).toBe(201);
  const addonId = (created.body as { id: string }).id;
  const tenant = await db.tenant.findUniqueOrThrow({ where: { herokuResourceId: addonId }, select: { id: true } });
  // What the worker's exchange-grant and subscribe-webhooks jobs do.
  expect(await exchangeGrant(tenant.id)).toBe("exchanged");
  expect(await ensureWebhookSubscription(tenant.id)).toBe("subscribed");
  await db.processRule.create({ data: { tenantId: tenant.id, processType: "worker", minDynos: 0, maxDynos: 3 } });
  return { app, owner, userToken, addonId, tenantId: tenant.id };
}

describe("Heroku's add-on webhooks into Ebbflow", () => {
  it("subscribes on provisioning with a secret of the tenant's own, sealed, and finds the subscription again without changing it", async () => {
    const { db } = await import("@/lib/db/client");
    const { unseal } = await import("@/lib/crypto");
    const { ensureWebhookSubscription } = await import("@/lib/heroku-webhooks/subscribe-webhooks");
    const { addonId, tenantId } = await provisionedApp();
    const [webhook] = sim.world.webhooks.list(addonId);
    const tenant = await db.tenant.findUniqueOrThrow({ where: { id: tenantId } });
    expect(webhook).toMatchObject({ id: tenant.herokuWebhookId, include: ["api:formation", "api:dyno"], level: "sync", url: `${served.baseUrl}/api/heroku/webhooks/${addonId}` });
    expect(tenant.herokuWebhookSecretSealed).toMatch(/^v1\./);
    expect(webhook?.secret).toBe(unseal(tenant.herokuWebhookSecretSealed ?? ""));
    expect(await ensureWebhookSubscription(tenantId)).toBe("verified");
    expect(sim.world.webhooks.list(addonId)).toHaveLength(1);
  });

  it("records a manual `heroku ps:scale` in the scale events within 5 s, and the next check starts from it", async () => {
    const { db } = await import("@/lib/db/client");
    const { readCheckStates, writeCheckStates } = await import("@/lib/checks/check-state");
    const { emptyHistory } = await import("@/lib/scaling/decide");
    const { app, owner, userToken, tenantId } = await provisionedApp();
    // What the engine last knew: no worker dynos, read a minute ago.
    await writeCheckStates(redis, new Map([[tenantId, { history: { worker: emptyHistory(0) }, formation: { readAtMs: Date.now() - 60_000, quantities: { worker: 0 } } }]]));

    const startedMs = performance.now();
    const scaled = await callApi(sim.apiUrl, userToken, "PATCH", `/apps/${app.name}/formation`, { updates: [{ type: "worker", quantity: "2" }] });
    expect(scaled.status).toBe(200);
    const manual = await until("the manual scale event", () => db.scaleEvent.findFirst({ where: { tenantId, outcome: "manual" } }), 5_000);
    const elapsedMs = performance.now() - startedMs;
    console.log(`manual heroku ps:scale recorded through the webhook ${elapsedMs.toFixed(0)} ms after the PATCH`);
    expect(elapsedMs).toBeLessThan(5_000);
    expect(manual).toMatchObject({ processType: "worker", fromQuantity: 0, toQuantity: 2, reason: `worker 0 → 2: changed on Heroku by ${owner.email}`, metrics: { via: "webhook", actor: owner.email } });

    const state = await until("the webhook's note", async () => {
      const read = (await readCheckStates(redis, [tenantId])).get(tenantId);
      return read?.history.worker?.currentQuantity === 2 ? read : null;
    });
    expect(state.formation?.quantities.worker).toBe(2);
    // The dynos' own events arrive too and are accepted.
    await until("api:dyno deliveries", async () => (await db.herokuWebhookReceipt.count({ where: { tenantId, include: "api:dyno" } })) > 0 || null);
    const tenant = await db.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { herokuWebhookCheckedAt: true } });
    expect(Date.now() - (tenant.herokuWebhookCheckedAt?.getTime() ?? 0)).toBeLessThan(10_000);
  });

  it("does not take Ebbflow's own formation change for a change by hand", async () => {
    const { db } = await import("@/lib/db/client");
    const { saveToken } = await import("@/lib/heroku/tokens");
    const { updateFormation } = await import("@/lib/heroku/formation");
    const { app, owner, tenantId } = await provisionedApp();
    const scaling = sim.issueToken(owner.id, ["identity", "write"]);
    await saveToken(tenantId, "scaling", { access_token: scaling.accessToken, refresh_token: scaling.refreshToken, expires_in: scaling.expiresInSeconds, user_id: scaling.userId }, "test");
    // The engine's own formation update, as the act step sends it.
    const outcome = await updateFormation({ tenantId, appRef: app.id, account: owner.id, redis }, [{ type: "worker", quantity: 3 }]);
    expect(outcome).toMatchObject({ kind: "ok", quantities: { worker: 3 } });
    await until("the formation delivery", async () => (await db.herokuWebhookReceipt.count({ where: { tenantId, include: "api:formation" } })) > 0 || null);
    expect(await db.scaleEvent.count({ where: { tenantId } })).toBe(0);
  });

  it("renews a subscription whose secret Ebbflow can no longer open, and verifies deliveries with the new one", async () => {
    const { db } = await import("@/lib/db/client");
    const { keyringFrom, seal } = await import("@/lib/crypto");
    const { keepWebhookSubscriptions } = await import("@/lib/heroku-webhooks/keep-webhooks");
    const { app, userToken, addonId, tenantId } = await provisionedApp();
    const lostKey = keyringFrom([randomBytes(32).toString("base64")]);
    await db.tenant.update({ where: { id: tenantId }, data: { herokuWebhookSecretSealed: seal("old", lostKey).value, herokuWebhookProblem: "the webhook secret cannot be decrypted" } });

    expect(await keepWebhookSubscriptions({ tenantIds: [tenantId] })).toMatchObject({ checked: 1, failed: 0 });
    const renewed = await db.tenant.findUniqueOrThrow({ where: { id: tenantId } });
    expect(renewed.herokuWebhookProblem).toBeNull();
    const { unseal } = await import("@/lib/crypto");
    expect(sim.world.webhooks.list(addonId)[0]?.secret).toBe(unseal(renewed.herokuWebhookSecretSealed ?? ""));

    await callApi(sim.apiUrl, userToken, "PATCH", `/apps/${app.name}/formation/worker`, { quantity: 1 });
    await until("the manual scale event", () => db.scaleEvent.findFirst({ where: { tenantId, outcome: "manual", toQuantity: 1 } }), 5_000);
  });

  it("does not count a subscription whose deliveries fail as working, and sets it up again", async () => {
    const { db } = await import("@/lib/db/client");
    const { keepWebhookSubscriptions } = await import("@/lib/heroku-webhooks/keep-webhooks");
    const { app, userToken, addonId, tenantId } = await provisionedApp();
    const [webhook] = sim.world.webhooks.list(addonId);
    if (!webhook) throw new Error("no subscription");
    webhook.secret = "not the secret Ebbflow holds";
    await callApi(sim.apiUrl, userToken, "PATCH", `/apps/${app.name}/formation/worker`, { quantity: 1 });
    await until("a refused delivery", async () => sim.world.webhooks.listDeliveries(addonId).find((d) => d.status === "retrying" && d.lastAttempt?.code === 401));
    const quietSince = new Date(Date.now() - 25 * 60_000);
    await db.tenant.update({ where: { id: tenantId }, data: { herokuWebhookCheckedAt: quietSince } });

    expect(await keepWebhookSubscriptions({ tenantIds: [tenantId] })).toMatchObject({ checked: 1, failed: 0 });
    const marked = await db.tenant.findUniqueOrThrow({ where: { id: tenantId } });
    expect(marked.herokuWebhookProblem).toMatch(/deliveries to Ebbflow were failing \(last: HTTP 401\)/);
    expect(marked.herokuWebhookCheckedAt).toEqual(quietSince); // not healthy: the formation is read every 3 minutes
    expect(webhook.secret).not.toBe("not the secret Ebbflow holds");

    // Heroku's next try (10 s later) is signed with the secret set up again, and gets through.
    await until("the retried delivery's manual scale event", () => db.scaleEvent.findFirst({ where: { tenantId, outcome: "manual", toQuantity: 1 } }), 30_000);
    const healed = await db.tenant.findUniqueOrThrow({ where: { id: tenantId } });
    expect(healed.herokuWebhookProblem).toBeNull();
    expect(healed.herokuWebhookCheckedAt?.getTime()).toBeGreaterThan(quietSince.getTime());
  });

  it("re-reads the formation every 15 minutes while the webhooks work, every 3 without them", async () => {
    const { db } = await import("@/lib/db/client");
    const { runCheckBatch } = await import("@/lib/checks/run-check-batch");
    const { RecordWriter } = await import("@/lib/checks/record-writer");
    const { readCheckStates, writeCheckStates } = await import("@/lib/checks/check-state");
    const { createEngineTenant, deleteNamespace } = await import("@/tests/helpers/engine-fixture");
    const rule = { minQuantity: 0, maxQuantity: 3, scaleToZero: { idleSeconds: 600 } };
    const healthy = await createEngineTenant(sim, { rule });
    const polling = await createEngineTenant(sim, { rule });
    // Set before the first check: contexts are cached for a few seconds.
    await db.tenant.update({ where: { id: healthy.tenantId }, data: { herokuWebhookCheckedAt: new Date() } });
    const writer = new RecordWriter();
    const formationReads = (appId: string, afterSeq: number) =>
      sim.world.responseLog.since(afterSeq).responses.filter((r) => r.method === "GET" && r.path === `/apps/${appId}/formation`).length;
    /** Makes the last formation read `ageMs` old, runs one check of both tenants, and says which re-read it. */
    const checkWithReadAge = async (ageMs: number) => {
      const states = await readCheckStates(redis, [healthy.tenantId, polling.tenantId]);
      for (const state of states.values()) if (state.formation) state.formation.readAtMs = Date.now() - ageMs;
      await writeCheckStates(redis, states);
      const seq = sim.world.responseLog.since(0).lastSeq;
      await runCheckBatch([healthy, polling].map((t) => ({ tenantId: t.tenantId, dueAtMs: Date.now() })), { redis, writer });
      return { healthy: formationReads(healthy.appId, seq), polling: formationReads(polling.appId, seq) };
    };
    try {
      expect(await checkWithReadAge(0)).toEqual({ healthy: 1, polling: 1 }); // nothing cached yet: both read
      expect(await checkWithReadAge(60_000)).toEqual({ healthy: 0, polling: 0 });
      expect(await checkWithReadAge(4 * 60_000)).toEqual({ healthy: 0, polling: 1 });
      expect(await checkWithReadAge(16 * 60_000)).toEqual({ healthy: 1, polling: 1 });
    } finally {
      await writer.stop();
      await deleteNamespace(healthy.namespace);
      await deleteNamespace(polling.namespace);
    }
  });
});
