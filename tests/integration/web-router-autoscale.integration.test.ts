import { randomBytes } from "node:crypto";
import path from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runHttpLoad } from "@/sim/load/http-load";
import { startSim, type Sim } from "@/sim/start-sim";
import { serveRoute } from "../helpers/route-server";
import { closeAppConnections } from "../helpers/app-connections";

/**
 * Web autoscaling end to end: a customer's Express app (the Node agent's middleware) and Rack
 * app (the Ruby agent's middleware, served by WEBrick through rackup) run as real web dynos
 * behind the simulator's router. Their agents report queue time to Ebbflow's push endpoint
 * (the real route handler, served over HTTP on EBBFLOW_URL); Ebbflow's check (the production
 * check path) scales the `web` formation through the simulated Platform API. Generated load
 * raises queue time and web goes from 1 up; when the load stops it comes back down to 1.
 * Windows are short (agents report every second, the rule looks at 10 s) to keep each app
 * under a minute or so.
 */
const root = path.resolve(import.meta.dirname, "../..");
const redis = new Redis("redis://127.0.0.1:6379", { maxRetriesPerRequest: null });
let sim: Sim;
let ebbflow: { url: string; close: () => Promise<void> };

beforeAll(async () => {
  sim = await startSim({ port: 0, bootDelaySeconds: 1, shutdownGraceSeconds: 5, webProcesses: { cwd: root } });
  process.env.HEROKU_API_URL = sim.apiUrl;
  process.env.HEROKU_ID_URL = sim.idUrl;
  const { POST } = await import("@/app/api/v1/reports/route");
  ebbflow = await serveRoute("/api/v1/reports", { POST });
});

afterAll(async () => {
  await sim.close();
  await ebbflow.close();
  await redis.quit();
  await closeAppConnections();
});

const apps = [
  { name: "Express", command: "node tests/fixtures/web/express-app.mjs" },
  { name: "Rack", command: "rackup tests/fixtures/web/rack-app.ru -s webrick -o 127.0.0.1 -p $PORT" },
];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(apps)("the $name app behind the router", ({ command }) => {
  it("scales web from 1 up under generated load and back down when it stops", async () => {
    const { runCheckBatch } = await import("@/lib/checks/run-check-batch");
    const { RecordWriter } = await import("@/lib/checks/record-writer");
    const { createEngineTenant } = await import("../helpers/engine-fixture");
    const { db } = await import("@/lib/db/client");
    const token = randomBytes(32).toString("base64url");
    const ebbflowUrl = new URL(ebbflow.url);
    ebbflowUrl.username = "agent";
    ebbflowUrl.password = token;
    const tenant = await createEngineTenant(sim, {
      processType: "web",
      quantity: 1,
      concurrency: 2,
      agentToken: token,
      command,
      // Each request takes 100 ms: one dyno of 2 slots serves 20 requests/s.
      config: { EBBFLOW_URL: ebbflowUrl.toString(), AGENT_INTERVAL_MS: "1000", SERVICE_MS: "100" },
      rule: {
        kind: "web",
        minQuantity: 1,
        maxQuantity: 4,
        concurrencyPerDyno: 2,
        web: { windowSeconds: 10, upscaleThresholdMs: 100, downscaleThresholdMs: 20, maxStep: 3, upscaleCooldownSeconds: 3, downscaleCooldownSeconds: 2, targetUtilisation: 0.7 },
      },
    });
    const webDynos = () => sim.appStats(tenant.appName).formation.web?.quantity ?? 0;
    const router = sim.world.apps.get(tenant.appName).runtime.web?.router;
    await expect.poll(() => router?.routableDynos().length, { timeout: 30_000, interval: 100 }).toBe(1);

    // Ebbflow's checks, every second, as the Pro plan's scheduler and push path would run them.
    const writer = new RecordWriter();
    let checking = true;
    let peak = 1;
    const checks = (async () => {
      while (checking) {
        await runCheckBatch([{ tenantId: tenant.tenantId, dueAtMs: Date.now() }], { redis, writer });
        peak = Math.max(peak, webDynos());
        await sleep(1_000);
      }
    })();
    try {
      // 45 requests/s against one dyno that serves 20: requests queue at it.
      const load = runHttpLoad({ url: sim.routerUrl(tenant.appName), rate: () => 45, maxRps: 45, durationSeconds: 60, maxInFlight: 400, seed: 7 });
      await expect.poll(() => webDynos(), { timeout: 40_000, interval: 250 }).toBeGreaterThan(1);
      await expect.poll(() => router?.routableDynos().length, { timeout: 20_000, interval: 250 }).toBeGreaterThan(1);
      load.stop();
      const summary = await load.done;
      expect(summary.byStatus["200"]).toBeGreaterThan(100);

      // No more requests: the agents report empty windows and web returns to 1.
      await expect.poll(() => webDynos(), { timeout: 40_000, interval: 250 }).toBe(1);
      await expect.poll(() => sim.appStats(tenant.appName).dynos.stopping, { timeout: 20_000, interval: 250 }).toBe(0);
      checking = false;
      await checks;
      await writer.flush();

      expect(peak).toBeGreaterThan(1);
      const events = await db.scaleEvent.findMany({
        where: { tenantId: tenant.tenantId, processType: "web" },
        orderBy: { id: "asc" },
        select: { fromQuantity: true, toQuantity: true, outcome: true, reason: true },
      });
      expect(events.length).toBeGreaterThanOrEqual(2);
      expect(events.every((event) => event.outcome === "applied")).toBe(true);
      expect(events[0]?.fromQuantity).toBe(1);
      expect(events[0]?.reason).toMatch(/^web 1 → \d+: p95 queue time .* > 100 ms over 10 s/);
      expect(events.at(-1)?.toQuantity).toBe(1);
      // Heroku's router never sent a request to no dyno, and none failed at a stopping one.
      expect(router?.stats.noDynos).toBe(0);
      expect(summary.byStatus["0"] ?? 0).toBe(0);
    } finally {
      checking = false;
      await checks;
      await writer.stop();
    }
  }, 150_000);
});
